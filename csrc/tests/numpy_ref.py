#!/usr/bin/python3
"""numpy_ref.py: regenerates the NumPy reference values pasted into the C tests.

    /usr/bin/python3 csrc/tests/numpy_ref.py           print every value (repr), to paste
    /usr/bin/python3 csrc/tests/numpy_ref.py --check   compare with the committed C files;
                                                       exit 1 on any difference (scripts/test.sh)

The inputs are read from the C files themselves (the `static const double` arrays of each
test function), so the C file and this script cannot drift apart: the script computes the
expected values in float64 by a line-by-line transcription of the book's common/layers.py,
common/functions.py and common/optimizer.py, and --check requires every committed `want_*`
(and WANT_*) value to equal the recomputed one to 1e-12 relative (repr() round-trips
exactly; the slack only absorbs libm differences between machines in the last bit).
Needs NumPy (apt-get install python3-numpy).
"""
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ARRAY = re.compile(r"static const (?:double|uint8_t)\s+([^;]*?);", re.S)


NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def parse_decls(text):
    """name -> numpy array (or float) for every `static const double|uint8_t ...;` in text."""
    out = {}
    for m in ARRAY.finditer(text):
        decl = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
        # One declaration may hold several declarators: a[3] = {..}, b[3] = {..}
        pos = 0
        while True:
            d = re.compile(r"\s*,?\s*(\w+)((?:\[[^\]]*\])*)\s*=\s*").match(decl, pos)
            if not d:
                break
            name, dims, i = d.group(1), d.group(2), d.end()
            if decl[i] == "{":  # the initializer up to its matching brace
                depth, j = 0, i
                while True:
                    depth += {"{": 1, "}": -1}.get(decl[j], 0)
                    j += 1
                    if depth == 0:
                        break
            else:
                j = re.compile(NUM).match(decl, i).end()
            body, pos = decl[i:j], j
            if dims.count("[") == 2:
                out[name] = np.array([[float(x) for x in re.findall(NUM, r)] for r in re.findall(r"\{([^{}]*)\}", body)])
            elif dims:
                out[name] = np.array([float(x) for x in re.findall(NUM, body)])
            else:
                out[name] = float(body)
    return out


def function_body(text, name):
    start = text.index(f"static void {name}(")
    end = text.index("\n}\n", start)
    return text[start:end]


# ---- the book's layers, float64 ----
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def affine(d):
    x, W, b, dout = d["x"].reshape(2, 3), d["W"].reshape(3, 4), d["b"], d["dout"].reshape(2, 4)
    return {"want_out": x @ W + b, "want_dx": dout @ W.T, "want_dW": x.T @ dout, "want_db": dout.sum(0)}


def activations(d):
    v, dv = d["v"], d["dv"]
    s, t = sigmoid(v), np.tanh(v)
    return {"want_relu": np.maximum(v, 0), "want_relu_b": np.where(v > 0, dv, 0.0),
            "want_sig": s, "want_sig_b": dv * (1.0 - s) * s, "want_tanh": t, "want_tanh_b": dv * (1 - t * t)}


def batchnorm(d):
    """common/layers.py BatchNormalization, momentum 0.9, eps 10e-7, train_flg=True then False."""
    gamma, beta, eps, mom = d["gamma"], d["beta"], 10e-7, 0.9
    rm, rv = np.zeros(3), np.zeros(3)
    out = {}

    def forward_train(x):
        nonlocal rm, rv
        mu = x.mean(axis=0)
        xc = x - mu
        var = np.mean(xc ** 2, axis=0)
        std = np.sqrt(var + eps)
        xn = xc / std
        rm = mom * rm + (1 - mom) * mu
        rv = mom * rv + (1 - mom) * var
        return gamma * xn + beta, xc, xn, std

    x, x2, dout = d["x"].reshape(4, 3), d["x2"].reshape(4, 3), d["dout"].reshape(4, 3)
    y, xc, xn, std = forward_train(x)
    out.update(want_out=y, want_xn=xn, want_std=std, want_rm1=rm.copy(), want_rv1=rv.copy())
    # __backward, staged exactly as the book writes it, on the first batch
    B = x.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(xn * dout, axis=0)
    dxn = gamma * dout
    dxc = dxn / std
    dstd = -np.sum((dxn * xc) / (std * std), axis=0)
    dvar = 0.5 * dstd / std
    dxc += (2.0 / B) * xc * dvar
    dmu = np.sum(dxc, axis=0)
    dx = dxc - dmu / B
    out.update(want_dx=dx, want_dgamma=dgamma, want_dbeta=dbeta)
    forward_train(x2)
    out.update(want_rm2=rm.copy(), want_rv2=rv.copy())
    out["want_test"] = gamma * ((x - rm) / np.sqrt(rv + eps)) + beta
    return out


def softmax_ce(d):
    z, lab = d["z"].reshape(3, 4), d["lab"].astype(int)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    B = z.shape[0]
    loss = -np.sum(np.log(p[np.arange(B), lab] + 1e-7)) / B
    dz = p.copy()
    dz[np.arange(B), lab] -= 1
    return {"want_p": p, "want_loss": loss, "want_dz": dz / B}


def optimizers(d):
    """common/optimizer.py: SGD, Momentum(0.9), AdaGrad(1e-7), Adam(0.9, 0.999, 1e-7), lr 0.1."""
    P0, G, lr = d["P0"], d["GRADS"], 0.1
    res = {}
    for name in ("SGD", "MOMENTUM", "ADAGRAD", "ADAM"):
        p, v, h, m, a_v, it = P0.copy(), np.zeros_like(P0), np.zeros_like(P0), np.zeros_like(P0), np.zeros_like(P0), 0
        rows = []
        for g in G:
            if name == "SGD":
                p -= lr * g
            elif name == "MOMENTUM":
                v = 0.9 * v - lr * g
                p += v
            elif name == "ADAGRAD":
                h += g * g
                p -= lr * g / (np.sqrt(h) + 1e-7)
            else:
                it += 1
                lr_t = lr * np.sqrt(1.0 - 0.999 ** it) / (1.0 - 0.9 ** it)
                m += (1 - 0.9) * (g - m)
                a_v += (1 - 0.999) * (g ** 2 - a_v)
                p -= lr_t * m / (np.sqrt(a_v) + 1e-7)
            rows.append(p.copy())
        res["WANT_" + name] = np.array(rows)
    return res


# (file, function or None for file scope, computation)
CASES = [
    ("test_layers.c", "test_affine", affine),
    ("test_layers.c", "test_activations", activations),
    ("test_layers.c", "test_batchnorm", batchnorm),
    ("test_loss.c", "test_softmax_ce", softmax_ce),
    ("test_optim.c", None, optimizers),
]


def main(argv):
    check = "--check" in argv
    bad = compared = 0
    for fname, func, compute in CASES:
        text = open(os.path.join(HERE, fname)).read()
        scope = function_body(text, func) if func else text
        decls = parse_decls(scope)
        want = compute(decls)
        print(f"{fname} {func or '(file scope)'}:")
        for name, value in want.items():
            value = np.asarray(value, dtype=float)
            if not check:
                print(f"  {name} = {[repr(float(x)) for x in value.ravel()] if value.ndim else repr(float(value))}")
                continue
            if name not in decls:
                print(f"  {name}: MISSING from {fname}")
                bad += 1
                continue
            got = np.asarray(decls[name], dtype=float)
            compared += value.size
            if got.shape != value.shape and got.size == value.size:
                got = got.reshape(value.shape)
            if got.shape != value.shape or not np.allclose(got, value, rtol=1e-12, atol=1e-15):
                print(f"  {name}: committed {got.ravel().tolist()}\n  {' ' * len(name)}  numpy     {value.ravel().tolist()}")
                bad += 1
            else:
                print(f"  {name}: ok ({value.size} values)")
    if check:
        print(f"numpy_ref: {compared} committed values checked, {bad} array(s) differ (numpy {np.__version__})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
