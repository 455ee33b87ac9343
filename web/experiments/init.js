// init.js: weight initialisation on MNIST (6.2.4; ch06/weight_init_compare.py):
// one ReLU net per init, trained by SGD on the same batches; loss per iteration.
import { deriveSeed } from './seeds.js';
import { engineConfig, lossCurves, lossPoints, trainJob } from './jobs.js';
import { hidden100, initLabel } from './settings.js';
import { firstOf } from './datasets.js';

export const settings = {
  title: 'Weight initialisation on MNIST',
  book: '6.2.4; ch06/weight_init_compare.py',
  doc: '784-100-100-100-100-10 ReLU nets with std 0.01, Xavier and He weights trained by SGD on the same batches; training loss after each update.',
  engine: { hidden: hidden100(4), activation: 'relu', optimizer: 'sgd', lr: 0.01, batchSize: 128, trainSize: 60000, lossMode: 'book' },
  varied: { init: 'inits' },
  own: {
    iterations: { type: 'int', min: 1, max: 1000000, default: 2000, doc: 'training iterations' },
    inits: { type: 'inits', default: [0.01, 'xavier', 'he'], doc: "weight inits: stds, 'xavier', 'he'" },
  },
};

// One loss curve per net, named by its init as the CLI prints it (std=0.01, Xavier, He).
export const series = (s) => ({ loss: s.inits.map(initLabel) });

export const plan = {
  datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize') }),
  stages: [
    (s) => s.inits.map((init, j) => trainJob(series(s).loss[j], engineConfig(s, { init, seed: deriveSeed(s.seed, 0) }), { iterations: s.iterations, loss: true })),
  ],
  live: { progress: (s, job, m) => lossPoints(job.label, m) },
};

export const assemble = (s, [{ jobs, results }]) => lossCurves(jobs, results);
