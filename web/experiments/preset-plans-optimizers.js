// preset-plans-optimizers.js: the plans of section 6.1's two presets (see
// preset-plans.js for what a plan is): optimizers-2d, computed in place with no
// jobs (optimizers-2d.js), and optimizers, four MNIST runs.
import { OPTIMIZERS_2D, f2d, trajectories2d } from './optimizers-2d.js';
import { firstOf } from './preset-data.js';
import { engineConfig, loss9, mean, trainJob } from './preset-plans.js';
import { deriveSeed } from './preset-settings.js';
import { smoothCurve } from './smooth-curve.js';

const ENGINE_NAMES = { SGD: 'sgd', Momentum: 'momentum', AdaGrad: 'adagrad', Adam: 'adam' };
const rates = (s) => Object.fromEntries(OPTIMIZERS_2D.map((n) => [n, s[`lr${n}`]]));

export const OPTIMIZER_PLANS = {
  'optimizers-2d': {
    datasets: () => ({}),
    stages: [], // pure float64 maths: nothing for a worker to do
    assemble(s) {
      const t = trajectories2d({ lrs: rates(s), x0: s.x0, y0: s.y0, steps: s.steps });
      const series = [];
      const final = {};
      for (const name of OPTIMIZERS_2D) {
        series.push({ name: `${name}/x`, x: 'step', values: t[name].x });
        series.push({ name: `${name}/y`, x: 'step', values: t[name].y });
        const { x, y } = t[name].final;
        final[name] = { x, y, f: f2d(x, y) };
      }
      return { series, summary: { final } };
    },
  },

  optimizers: {
    datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize') }),
    stages: [
      // One seed for all four: the engine draws init and batches from separate
      // streams of it, so every net starts from the same weights and sees the same
      // batch_mask at every iteration, as the book's one loop feeds all four.
      (s) => OPTIMIZERS_2D.map((name) => trainJob(name, engineConfig(s, {
        optimizer: ENGINE_NAMES[name], lr: s[`lr${name}`], seed: deriveSeed(s.seed, 0),
      }), { iterations: s.iterations, loss: true })),
    ],
    assemble(s, [{ jobs, results }]) {
      const series = [];
      const loss = {};
      results.forEach((r, j) => {
        const name = jobs[j].label;
        const values = Array.from(r.loss, loss9);
        series.push({ name, x: 'iteration', values, ...(r.diverged && { diverged: true }) });
        const smooth = smoothCurve(values);
        loss[name] = {
          first: values[0] ?? null,
          last100: mean(values.slice(-100)),
          smoothedLast: smooth.length ? loss9(smooth[smooth.length - 1]) : null,
          mean: mean(values),
          ...(r.diverged ? { diverged: true, divergedAt: r.divergedAt } : {}),
        };
      });
      return { series, summary: { loss } };
    },
    live: {
      progress: (s, job, m) => (m.loss?.length ? [{ name: job.label, x: 'iteration', x0: m.lossFirst, values: Array.from(m.loss, loss9) }] : []),
    },
  },
};
