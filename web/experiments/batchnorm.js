// batchnorm.js: Batch Normalization against the weight scale (6.3.2;
// ch06/batch_norm_test.py): per weight scale, a net with and one without
// BatchNorm on the same batches; training accuracy per epoch.
import { deriveSeed, epochPeriod, iterationsForEpochs, logspace } from './seeds.js';
import { engineConfig, epochPoints, stitchEpochs, trainJob } from './jobs.js';
import { EPOCHS, hidden100 } from './settings.js';
import { firstOf } from './datasets.js';

export const settings = {
  title: 'Batch Normalization against the weight scale',
  book: '6.3.2; ch06/batch_norm_test.py',
  doc: '784-100x5-10 nets on the first 1000 training images, 16 weight scales, each with and without BatchNorm on the same batches; training accuracy per epoch.',
  engine: { hidden: hidden100(5), activation: 'relu', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 1000 },
  varied: { init: 'scales', batchNorm: 'scales (every scale runs with and without)' },
  own: {
    epochs: EPOCHS(20),
    scales: { type: 'numbers', default: logspace(0, -4, 16), doc: 'weight init stds (np.logspace(0, -4, 16))' },
  },
};

const KINDS = ['bn', 'plain'];
// Per scale (its index in s.scales), the accuracy curve of each kind: {bn: 'bn@i', plain: 'plain@i'}.
export const series = (s) => ({ cells: s.scales.map((_, i) => Object.fromEntries(KINDS.map((k) => [k, `${k}@${i}`]))) });

export const plan = {
  datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize') }),
  stages: [
    (s) => {
      const iterations = iterationsForEpochs(s.epochs, epochPeriod(s.trainSize, s.batchSize));
      const { cells } = series(s);
      return s.scales.flatMap((scale, index) => KINDS.map((kind) => ({
        ...trainJob(cells[index][kind], engineConfig(s, { init: scale, batchNorm: kind === 'bn', seed: deriveSeed(s.seed, index) }),
          { iterations, evals: [{ data: 'train' }] }),
        pair: { kind, index },
      })));
    },
  ],
  live: { progress: (s, job, m) => epochPoints(job.label, m, 0, s.trainSize) },
};

export function assemble(s, [{ jobs, results }]) {
  const out = [];
  const final = s.scales.map((scale) => ({ scale }));
  results.forEach((r, j) => {
    const { kind, index } = jobs[j].pair;
    const values = stitchEpochs([r], [[0, s.epochs]], 0, s.trainSize);
    out.push({ name: jobs[j].label, x: 'epoch', values, ...(r.diverged && { diverged: true }) });
    final[index][kind] = r.diverged ? null : values[values.length - 1];
    if (r.diverged) final[index][`${kind}Diverged`] = true;
  });
  return { series: out, summary: { scales: s.scales, final } };
}
