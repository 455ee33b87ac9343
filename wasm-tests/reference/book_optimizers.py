"""book_optimizers.py: float64 reference for wasm-tests/optimizers-2d.test.mjs.

A transcription of the book's common/optimizer.py (SGD, Momentum, AdaGrad,
Adam), ch06/optimizer_compare_naive.py's loop and common/util.py's
smooth_curve, in NumPy as the book runs them. Reads one JSON request on stdin:
  {"lrs": {"SGD": .., ...}, "x0": .., "y0": .., "steps": .., "smooth": [..]}
and prints {"trajectories": {"SGD": {"x": [...], "y": [...]}, ...}, "smooth": [...]}.
"""
import json
import sys

import numpy as np


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class AdaGrad:
    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


def df(x, y):
    return x / 10.0, 2.0 * y


def smooth_curve(x):
    window_len = 11
    s = np.r_[x[window_len - 1:0:-1], x, x[-1:-window_len:-1]]
    w = np.kaiser(window_len, 2)
    y = np.convolve(w / w.sum(), s, mode='valid')
    return y[5:len(y) - 5]


def main():
    req = json.load(sys.stdin)
    optimizers = {
        'SGD': SGD(lr=req['lrs']['SGD']),
        'Momentum': Momentum(lr=req['lrs']['Momentum']),
        'AdaGrad': AdaGrad(lr=req['lrs']['AdaGrad']),
        'Adam': Adam(lr=req['lrs']['Adam']),
    }
    out = {}
    params, grads = {}, {}
    for key, optimizer in optimizers.items():
        x_history, y_history = [], []
        params['x'], params['y'] = float(req['x0']), float(req['y0'])
        for _ in range(req['steps']):
            x_history.append(float(params['x']))
            y_history.append(float(params['y']))
            grads['x'], grads['y'] = df(params['x'], params['y'])
            optimizer.update(params, grads)
        out[key] = {'x': x_history, 'y': y_history}
    smooth = smooth_curve(np.array(req['smooth'], dtype=np.float64)).tolist() if req.get('smooth') else []
    json.dump({'trajectories': out, 'smooth': smooth}, sys.stdout)


main()
