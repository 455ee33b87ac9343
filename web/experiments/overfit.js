// overfit.js: overfitting (6.4.1; ch06/overfit_weight_decay.py with
// weight_decay_lambda = 0): a deep net on the first 300 training images,
// accuracy on them and on the test set every epoch. weight-decay.js and
// dropout.js are this experiment with the book's regularisers.
import { deriveSeed, epochPeriod, iterationsForEpochs } from './seeds.js';
import { divergence, engineConfig, epochBlocks, epochPoints, lossPoints, stitchEpochs, trainJob } from './jobs.js';
import { EPOCHS, TEST_SIZE, hidden100 } from './settings.js';
import { firstOf } from './datasets.js';

// The book's overfitting net; weight-decay.js and dropout.js add to its engine settings.
export const overfitSettings = ({ title, book, doc, engine = {}, epochs = 201 }) => ({
  title, book, doc,
  engine: { hidden: hidden100(6), activation: 'relu', init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 300, ...engine },
  own: { epochs: EPOCHS(epochs), testSize: TEST_SIZE },
});

export const settings = overfitSettings({
  title: 'Overfitting',
  book: '6.4.1; ch06/overfit_weight_decay.py (weight_decay_lambda = 0)',
  doc: '784-100x6-10 on the first 300 training images; accuracy on them and on the test set every epoch.',
});

// Accuracy per epoch on the training images and on the test images; the page
// also draws the loss per iteration (not part of the CLI's output).
const SERIES = { loss: 'loss', train: 'train', test: 'test' };
export const series = () => SERIES;

export const plan = {
  datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize'), test: firstOf('test', s.testSize, 'testSize') }),
  stages: [
    (s, _prev, { parts }) => {
      const period = epochPeriod(s.trainSize, s.batchSize);
      const config = engineConfig(s, { seed: deriveSeed(s.seed, 0) });
      // Later blocks train longer: put them first so the pool starts them first.
      return epochBlocks(s.epochs, parts).reverse().map(([from, to]) => trainJob(`epochs ${from}-${to - 1}`, config, {
        iterations: iterationsForEpochs(to, period), evalFrom: from * period, evals: [{ data: 'train' }, { data: 'test' }],
      }));
    },
  ],
  // One job (the page does not split): its epoch points, and the page's own
  // per-iteration loss (not part of the CLI's output).
  live: {
    progress: (s, job, m) => [
      ...lossPoints(SERIES.loss, m),
      ...epochPoints(SERIES.train, m, 0, s.trainSize),
      ...epochPoints(SERIES.test, m, 1, s.testSize),
    ],
  },
};

export function assemble(s, [{ results }]) {
  const ordered = [...results].reverse();
  const blocks = epochBlocks(s.epochs, ordered.length);
  const train = stitchEpochs(ordered, blocks, 0, s.trainSize);
  const test = stitchEpochs(ordered, blocks, 1, s.testSize);
  const div = divergence(results);
  const flag = div.diverged ? { diverged: true } : {};
  let best = 0;
  test.forEach((v, e) => { if (v > test[best]) best = e; });
  const last = train.length - 1;
  return {
    series: [{ name: SERIES.train, x: 'epoch', values: train, ...flag }, { name: SERIES.test, x: 'epoch', values: test, ...flag }],
    summary: {
      epochs: train.length,
      train: last >= 0 ? train[last] : null,
      test: last >= 0 ? test[last] : null,
      gap: last >= 0 ? train[last] - test[last] : null,
      bestTest: last >= 0 ? test[best] : null,
      bestTestEpoch: last >= 0 ? best : null,
      ...div,
    },
  };
}
