#!/usr/bin/python3
"""numpy_a6.py: the book's A6 training step and evaluation in NumPy, for scripts/bench.mjs.

    /usr/bin/python3 scripts/lib/numpy_a6.py DIR DTYPE SECONDS

DIR holds train-images.u8, train-labels.u8, test-images.u8, test-labels.u8 (raw bytes,
784 per image) written by bench.mjs; DTYPE is float32 or float64. The network and the
step are the book's (common/multi_layer_net.py with common/layers.py): 784-100x6-10,
He init (weight_init_std='relu'), ReLU, SoftmaxWithLoss, SGD lr 0.01, batch 100 drawn
with np.random.choice, every Affine's dx computed as the book does. Prints one JSON
line: train samples/s, eval images/s (test accuracy over all 10,000 images in one
predict, as the book's accuracy()), and NumPy's BLAS. Run with OPENBLAS_NUM_THREADS=1
for the one-thread comparison.
"""
import json
import os
import sys
import time

import numpy as np


def main(d, dtype, seconds):
    dt = np.dtype(dtype)
    xtr = np.fromfile(os.path.join(d, "train-images.u8"), dtype=np.uint8).reshape(-1, 784).astype(dt) / dt.type(255)
    ttr = np.fromfile(os.path.join(d, "train-labels.u8"), dtype=np.uint8).astype(np.int64)
    xte = np.fromfile(os.path.join(d, "test-images.u8"), dtype=np.uint8).reshape(-1, 784).astype(dt) / dt.type(255)
    tte = np.fromfile(os.path.join(d, "test-labels.u8"), dtype=np.uint8).astype(np.int64)
    sizes = [784] + [100] * 6 + [10]
    rng = np.random.default_rng(1)
    W = [(rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(2.0 / sizes[i])).astype(dt) for i in range(7)]
    b = [np.zeros(sizes[i + 1], dtype=dt) for i in range(7)]
    lr = dt.type(0.01)

    def predict(x):
        for i in range(6):
            x = np.maximum(x @ W[i] + b[i], 0)
        return x @ W[6] + b[6]

    def step():
        mask = np.random.choice(xtr.shape[0], 100)
        x, t = xtr[mask], ttr[mask]
        acts, masks = [x], []
        h = x
        for i in range(6):  # Affine -> Relu
            a = h @ W[i] + b[i]
            m = a <= 0
            h = a.copy()
            h[m] = 0
            masks.append(m)
            acts.append(h)
        z = h @ W[6] + b[6]
        z = z - z.max(axis=1, keepdims=True)  # softmax, cross_entropy_error
        y = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
        _ = -np.sum(np.log(y[np.arange(100), t] + 1e-7)) / 100
        dout = y.copy()
        dout[np.arange(100), t] -= 1
        dout = dout / 100
        for i in range(6, -1, -1):  # Affine.backward (dx always), Relu.backward
            dW = acts[i].T @ dout
            db = np.sum(dout, axis=0)
            dout = dout @ W[i].T
            W[i] -= lr * dW
            b[i] -= lr * db
            if i > 0:
                dout[masks[i - 1]] = 0

    for _ in range(30):
        step()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    train = n * 100 / (time.perf_counter() - t0)
    acc = float(np.mean(np.argmax(predict(xte), axis=1) == tte))
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 2:
        acc = float(np.mean(np.argmax(predict(xte), axis=1) == tte))
        n += 1
    evals = n * xte.shape[0] / (time.perf_counter() - t0)
    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")  # NumPy >= 1.25
        blas = cfg["Build Dependencies"]["blas"]["name"]
    except Exception:
        try:
            import numpy.core._multiarray_umath as mu  # noqa: F401
            with open("/proc/self/maps") as f:
                libs = {l.split("/")[-1].strip() for l in f if "blas" in l.lower()}
            blas = ",".join(sorted(libs)) or "unknown"
        except Exception:
            pass
    print(json.dumps({"train": train, "eval": evals, "accuracy": acc, "numpy": np.__version__, "blas": blas}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
