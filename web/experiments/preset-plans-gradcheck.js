// preset-plans-gradcheck.js: the gradient-check preset's plan (see preset-plans.js
// for what a plan is): ch06/batch_norm_gradient_check.py on the first training
// images, once in the float64 engine (the check) and once in the float32 engine
// (what float32 rounding does to the same check), as two jobs that run side by side.
import { firstOf } from './preset-data.js';
import { engineConfig } from './preset-plans.js';
import { deriveSeed } from './preset-settings.js';

export const PRECISIONS = ['float64', 'float32'];
// What each tensor's row reports, and the series drawn from them.
const FIELDS = ['size', 'meanAbsDiff', 'relError', 'relErrorRichardson', 'maxAbsBackprop', 'maxAbsDiff', 'kinks', 'zeroInTheory'];
const SERIES = ['meanAbsDiff', 'relError', 'relErrorRichardson'];

export const GRADCHECK_PLANS = {
  'gradient-check': {
    datasets: (s) => ({ train: firstOf('train', s.batchSize, 'batchSize') }),
    stages: [
      // One seed: both engines start from the same He weights (drawn in double, then
      // stored in each engine's precision) and the same dropout masks.
      (s) => PRECISIONS.map((precision) => ({
        kind: 'gradcheck', label: precision, precision, train: 'train', first: 0, h: s.h,
        config: engineConfig(s, { seed: deriveSeed(s.seed, 0), trainSize: s.batchSize, maxIterations: 1 }),
      })),
    ],
    assemble(s, [{ results }]) {
      const keys = results[0].tensors.map((t) => t.name); // W1, b1, gamma1, beta1, ...
      const series = [];
      const summary = { keys, loss: {} };
      results.forEach((r) => {
        const rows = {};
        for (const t of r.tensors) rows[t.name] = Object.fromEntries(FIELDS.map((f) => [f, t[f]]));
        summary[r.precision] = rows;
        summary.loss[r.precision] = r.baseLoss;
        for (const f of SERIES) series.push({ name: `${r.precision}/${f}`, x: 'tensor', values: r.tensors.map((t) => t[f]) });
      });
      return { series, summary };
    },
  },
};
