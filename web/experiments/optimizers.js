// optimizers.js: the four optimizers on MNIST (6.1.8; ch06/optimizer_compare_mnist.py):
// one He ReLU net per optimizer, from the same weights on the same batches;
// training loss after each update.
import { deriveSeed } from './seeds.js';
import { engineConfig, lossCurves, lossPoints, loss9, trainJob } from './jobs.js';
import { hidden100, optimizerRates } from './settings.js';
import { firstOf } from './datasets.js';
import { OPTIMIZERS_2D } from './optimizers-2d.js';
import { smoothCurve } from './smooth-curve.js';

export const settings = {
  title: 'Optimizers on MNIST',
  book: '6.1.8; ch06/optimizer_compare_mnist.py',
  doc: '784-100-100-100-100-10 ReLU He nets trained with SGD, Momentum, AdaGrad and Adam on the same batches from the same initial weights; training loss after each update on that batch.',
  engine: { hidden: hidden100(4), activation: 'relu', init: 'he', batchSize: 128, trainSize: 60000, lossMode: 'book' },
  varied: { optimizer: 'the four optimizers', lr: 'lrSGD, lrMomentum, lrAdaGrad, lrAdam' },
  own: {
    iterations: { type: 'int', min: 1, max: 1000000, default: 2000, doc: 'training iterations' },
    ...optimizerRates([0.01, 0.01, 0.01, 0.001]),
  },
};

const ENGINE_NAMES = { SGD: 'sgd', Momentum: 'momentum', AdaGrad: 'adagrad', Adam: 'adam' };

// One loss curve per optimizer, named as the book's legend (SGD, Momentum, AdaGrad, Adam).
export const series = () => ({ loss: OPTIMIZERS_2D });

export const plan = {
  datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize') }),
  stages: [
    // One seed for all four: the engine draws init and batches from separate
    // streams of it, so every net starts from the same weights and sees the same
    // batch_mask at every iteration, as the book's one loop feeds all four.
    (s) => series(s).loss.map((name) => trainJob(name, engineConfig(s, {
      optimizer: ENGINE_NAMES[name], lr: s[`lr${name}`], seed: deriveSeed(s.seed, 0),
    }), { iterations: s.iterations, loss: true })),
  ],
  live: { progress: (s, job, m) => lossPoints(job.label, m) },
};

export function assemble(s, [{ jobs, results }]) {
  return lossCurves(jobs, results, (values) => {
    const smooth = smoothCurve(values);
    return { smoothedLast: smooth.length ? loss9(smooth[smooth.length - 1]) : null };
  });
}
