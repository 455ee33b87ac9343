// optimizers-2d.js: the book's 6.1 toy problem (ch06/optimizer_compare_naive.py),
// in float64 JavaScript with no DOM, Node or WASM: minimise
//   f(x, y) = x^2 / 20 + y^2,   grad f = (x / 10, 2y)
// from a start point with the four update rules of common/optimizer.py, written
// operation for operation as the book's NumPy code (same order, same constants),
// so that a float64 transcription in Python gives the same trajectories.
// Deterministic: the page and the CLI draw the very same points. The experiment
// computes in place: no jobs, no data.
import { optimizerRates } from './settings.js';

export const OPTIMIZERS_2D = ['SGD', 'Momentum', 'AdaGrad', 'Adam'];

export const f2d = (x, y) => x ** 2 / 20.0 + y ** 2;
// df(x, y) in optimizer_compare_naive.py: (x / 10.0, 2.0 * y).
const df = (x, y) => [x / 10.0, 2.0 * y];

// The update rules of common/optimizer.py on a params object {x, y}, in place.
// Each is a factory: its state (v, h, m, iter) lives in the closure, created at
// the first update as the book's `if self.v is None`.
const RULES = {
  // params[key] -= self.lr * grads[key]
  SGD: ({ lr }) => (p, g) => {
    for (const k of Object.keys(p)) p[k] -= lr * g[k];
  },
  // v = momentum * v - lr * grad; params += v
  Momentum: ({ lr, momentum = 0.9 }) => {
    const v = {};
    return (p, g) => {
      for (const k of Object.keys(p)) {
        v[k] = momentum * (v[k] ?? 0) - lr * g[k];
        p[k] += v[k];
      }
    };
  },
  // h += grad * grad; params -= lr * grad / (sqrt(h) + 1e-7)
  AdaGrad: ({ lr }) => {
    const h = {};
    return (p, g) => {
      for (const k of Object.keys(p)) {
        h[k] = (h[k] ?? 0) + g[k] * g[k];
        p[k] -= (lr * g[k]) / (Math.sqrt(h[k]) + 1e-7);
      }
    };
  },
  // iter += 1; lr_t = lr * sqrt(1 - beta2^iter) / (1 - beta1^iter);
  // m += (1 - beta1)(grad - m); v += (1 - beta2)(grad^2 - v); params -= lr_t m / (sqrt(v) + 1e-7)
  Adam: ({ lr, beta1 = 0.9, beta2 = 0.999 }) => {
    const m = {}, v = {};
    let iter = 0;
    return (p, g) => {
      iter += 1;
      const lrT = (lr * Math.sqrt(1.0 - beta2 ** iter)) / (1.0 - beta1 ** iter);
      for (const k of Object.keys(p)) {
        m[k] = m[k] ?? 0;
        v[k] = v[k] ?? 0;
        m[k] += (1 - beta1) * (g[k] - m[k]);
        v[k] += (1 - beta2) * (g[k] ** 2 - v[k]);
        p[k] -= (lrT * m[k]) / (Math.sqrt(v[k]) + 1e-7);
      }
    };
  },
};

// One optimizer's trajectory: the `steps` positions *before* each update, as the
// script appends params to x_history / y_history before calling update.
export function trajectory2d(name, hyper, { x0 = -7.0, y0 = 2.0, steps = 30 } = {}) {
  const rule = RULES[name];
  if (!rule) throw new Error(`optimizers-2d: unknown optimizer ${name}`);
  const update = rule(hyper);
  const p = { x: x0, y: y0 };
  const xs = [], ys = [];
  for (let i = 0; i < steps; i++) {
    xs.push(p.x);
    ys.push(p.y);
    const [gx, gy] = df(p.x, p.y);
    update(p, { x: gx, y: gy });
  }
  return { x: xs, y: ys, final: { x: p.x, y: p.y } };
}

// All four with the given learning rates: {SGD: {x, y, final}, ...}.
export function trajectories2d({ lrs, x0, y0, steps }) {
  const out = {};
  for (const name of OPTIMIZERS_2D) out[name] = trajectory2d(name, { lr: lrs[name] }, { x0, y0, steps });
  return out;
}

// ---- the experiment ---------------------------------------------------------

export const settings = {
  title: 'Optimizers on f(x, y) = x²/20 + y²',
  book: '6.1.7; ch06/optimizer_compare_naive.py',
  doc: 'SGD, Momentum, AdaGrad and Adam (common/optimizer.py) from one start point; the positions before each update, in float64. No training, no data.',
  engine: null,
  own: {
    x0: { type: 'number', min: -100, max: 100, default: -7, doc: 'start x' },
    y0: { type: 'number', min: -100, max: 100, default: 2, doc: 'start y' },
    steps: { type: 'int', min: 1, max: 10000, default: 30, doc: 'updates (positions recorded before each)' },
    ...optimizerRates([0.95, 0.1, 1.5, 0.3]),
  },
};

// Per optimizer, its path's x and y per step: paths[name].x, paths[name].y.
export const series = () => ({ paths: Object.fromEntries(OPTIMIZERS_2D.map((n) => [n, { x: `${n}/x`, y: `${n}/y` }])) });

export const plan = {
  datasets: () => ({}),
  stages: [], // pure float64 maths: nothing for a worker to do
};

export function assemble(s) {
  const rates = Object.fromEntries(OPTIMIZERS_2D.map((n) => [n, s[`lr${n}`]]));
  const t = trajectories2d({ lrs: rates, x0: s.x0, y0: s.y0, steps: s.steps });
  const { paths } = series(s);
  const out = [];
  const final = {};
  for (const name of OPTIMIZERS_2D) {
    out.push({ name: paths[name].x, x: 'step', values: t[name].x });
    out.push({ name: paths[name].y, x: 'step', values: t[name].y });
    const { x, y } = t[name].final;
    final[name] = { x, y, f: f2d(x, y) };
  }
  return { series: out, summary: { final } };
}
