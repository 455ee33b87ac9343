// gradient-check.js: the gradient check (6.3.2; ch06/batch_norm_gradient_check.py,
// 5.7.3): backprop against the central difference on the first training
// images, once in the float64 engine (the check) and once in the float32 engine
// (what float32 rounding does to the same check), as two jobs that run side by side.
import { firstOf } from './datasets.js';
import { engineConfig } from './jobs.js';
import { deriveSeed } from './seeds.js';

export const settings = {
  title: 'Gradient check',
  book: '6.3.2; ch06/batch_norm_gradient_check.py (5.7.3)',
  doc: 'backprop against the central difference (h = 1e-4, common/gradient.py) for every parameter of a 784-100-100-10 BatchNorm net on the first training images, in float64, with the float32 engine beside it.',
  engine: { hidden: [100, 100], activation: 'relu', init: 'he', batchNorm: true, batchSize: 1 },
  varied: { trainSize: 'batchSize (the check reads the first batchSize images)' },
  own: {
    h: { type: 'number', min: 0, max: 1, default: 1e-4, doc: 'central-difference step (common/gradient.py: 1e-4)' },
  },
};

const PRECISIONS = ['float64', 'float32'];
// What each tensor's row reports, and the series drawn from them.
const FIELDS = ['size', 'meanAbsDiff', 'relError', 'relErrorRichardson', 'maxAbsBackprop', 'maxAbsDiff', 'kinks', 'zeroInTheory'];
const SERIES = ['meanAbsDiff', 'relError', 'relErrorRichardson'];

// Per precision and measure, one value per tensor: byPrecision[precision][measure].
export const series = () => ({
  byPrecision: Object.fromEntries(PRECISIONS.map((p) => [p, Object.fromEntries(SERIES.map((f) => [f, `${p}/${f}`]))])),
});

// The parameter tensors checked, a row each in the table: W and b per layer,
// gamma and beta per hidden layer with BatchNorm (embed-size.js plans the
// compact table's room from this).
export const tensorCount = (s) => 2 * (s.hidden.length + 1) + (s.batchNorm ? 2 * s.hidden.length : 0);

export const plan = {
  datasets: (s) => ({ train: firstOf('train', s.batchSize, 'batchSize') }),
  stages: [
    // One seed: both engines start from the same He weights (drawn in double, then
    // stored in each engine's precision) and the same dropout masks.
    (s) => PRECISIONS.map((precision) => ({
      kind: 'gradcheck', label: precision, precision, train: 'train', first: 0, h: s.h,
      config: engineConfig(s, { seed: deriveSeed(s.seed, 0), trainSize: s.batchSize, maxIterations: 1 }),
    })),
  ],
};

export function assemble(s, [{ results }]) {
  const keys = results[0].tensors.map((t) => t.name); // W1, b1, gamma1, beta1, ...
  const names = series(s).byPrecision;
  const out = [];
  const summary = { keys, loss: {} };
  results.forEach((r) => {
    const rows = {};
    for (const t of r.tensors) rows[t.name] = Object.fromEntries(FIELDS.map((f) => [f, t[f]]));
    summary[r.precision] = rows;
    summary.loss[r.precision] = r.baseLoss;
    for (const f of SERIES) out.push({ name: names[r.precision][f], x: 'tensor', values: r.tensors.map((t) => t[f]) });
  });
  return { series: out, summary };
}
