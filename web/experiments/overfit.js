// overfit.js: overfitting (6.4.1; ch06/overfit_weight_decay.py with
// weight_decay_lambda = 0): a deep net on the first 300 training images,
// accuracy on them and on the test set every epoch. weight-decay.js and
// dropout.js are this experiment with the book's regularisers.
import { deriveSeed, epochPeriod, iterationsForEpochs } from './seeds.js';
import { divergence, engineConfig, epochBlocks, epochPoints, lossPoints, stitchEpochs, trainJob } from './jobs.js';
import { EPOCHS, TEST_SIZE, hidden100 } from './settings.js';
import { firstOf } from './datasets.js';

// The regularised runs can train their λ = 0, no-dropout net beside them
// (same seed: same initial weights, same batches), as the book's figures are
// read against 6.4.1's (the page turns it on).
const BASELINE = { type: 'bool', default: false, doc: 'also train the same net without weight decay and dropout (same seed) as a baseline' };
// Only worth training when the run has weight decay or dropout.
export const hasBaseline = (s) => !!s.baseline && (s.weightDecay > 0 || s.dropout > 0);

// The book's overfitting net; weight-decay.js and dropout.js add to its engine settings.
export const overfitSettings = ({ title, book, doc, engine = {}, epochs = 201 }) => ({
  title, book, doc,
  engine: { hidden: hidden100(6), activation: 'relu', init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 300, ...engine },
  own: { epochs: EPOCHS(epochs), testSize: TEST_SIZE, baseline: BASELINE },
});

export const settings = overfitSettings({
  title: 'Overfitting',
  book: '6.4.1; ch06/overfit_weight_decay.py (weight_decay_lambda = 0)',
  doc: '784-100x6-10 on the first 300 training images; accuracy on them and on the test set every epoch.',
});

// Accuracy per epoch on the training images and on the test images, and the
// baseline's; the page also draws the loss per iteration as cross-entropy and
// the ½λ‖W‖² term apart (not part of the CLI's output).
const SERIES = {
  loss: 'loss', decay: 'decay', train: 'train', test: 'test',
  baselineLoss: 'baseline loss', baselineTrain: 'baseline train', baselineTest: 'baseline test',
};
export const series = () => SERIES;

// An epoch's training over its evaluation, as cost (epochBlocks): training
// costs about 4 forward passes per image (forward, backward's two products,
// the update and the replayed job's setup), evaluation one over the training
// and the test images. Timed per job (CPU s, 2 blocks): 4 balances overfit
// and dropout to within about 2 %, equal epochs left the later block 8-11 %
// longer.
const trainPerEval = (s) => (4 * s.trainSize) / (s.trainSize + s.testSize);
const blocksOf = (s, parts) => epochBlocks(s.epochs, parts, trainPerEval(s));

export const plan = {
  datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize'), test: firstOf('test', s.testSize, 'testSize') }),
  stages: [
    (s, _prev, { parts }) => {
      const period = epochPeriod(s.trainSize, s.batchSize);
      const config = engineConfig(s, { seed: deriveSeed(s.seed, 0) });
      // Later blocks train longer: put them first so the pool starts them first.
      const blocks = (c, extra = {}) => blocksOf(s, parts).reverse().map(([from, to]) => ({
        ...trainJob(`${extra.baseline ? 'baseline ' : ''}epochs ${from}-${to - 1}`, c, {
          iterations: iterationsForEpochs(to, period), evalFrom: from * period, evals: [{ data: 'train' }, { data: 'test' }],
        }),
        ...extra,
      }));
      // The baseline's jobs take no live settings (pool.js: `baseline`).
      return [...blocks(config), ...(hasBaseline(s) ? blocks({ ...config, weightDecay: 0, dropout: 0 }, { baseline: true }) : [])];
    },
  ],
  // One job (the page does not split), or two with the baseline: their epoch
  // points, and the page's own per-iteration loss (not part of the CLI's
  // output) as cross-entropy and the ½λ‖W‖² term apart.
  live: {
    progress: (s, job, m) => {
      const b = job.baseline;
      const decay = m.decay ?? new Float32Array(m.loss?.length ?? 0);
      return [
        ...lossPoints(b ? SERIES.baselineLoss : SERIES.loss, m, (l, i) => l - decay[i]),
        // 0 while λ is 0 (it may be switched on live; the view draws it once it is not).
        ...(b || !m.decay ? [] : lossPoints(SERIES.decay, { ...m, loss: m.decay })),
        ...epochPoints(b ? SERIES.baselineTrain : SERIES.train, m, 0, s.trainSize),
        ...epochPoints(b ? SERIES.baselineTest : SERIES.test, m, 1, s.testSize),
      ];
    },
  },
};

// One run's epoch curves and summary, from its blocks' results (in job order).
function curves(s, results) {
  const ordered = [...results].reverse();
  const blocks = blocksOf(s, ordered.length);
  const train = stitchEpochs(ordered, blocks, 0, s.trainSize);
  const test = stitchEpochs(ordered, blocks, 1, s.testSize);
  const div = divergence(results);
  let best = 0;
  test.forEach((v, e) => { if (v > test[best]) best = e; });
  const last = train.length - 1;
  return {
    train, test, flag: div.diverged ? { diverged: true } : {},
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

export function assemble(s, [{ results }]) {
  const n = hasBaseline(s) ? results.length / 2 : results.length;
  const run = curves(s, results.slice(0, n));
  const series = [{ name: SERIES.train, x: 'epoch', values: run.train, ...run.flag }, { name: SERIES.test, x: 'epoch', values: run.test, ...run.flag }];
  if (!hasBaseline(s)) return { series, summary: run.summary };
  const base = curves(s, results.slice(n));
  series.push({ name: SERIES.baselineTrain, x: 'epoch', values: base.train, ...base.flag }, { name: SERIES.baselineTest, x: 'epoch', values: base.test, ...base.flag });
  return { series, summary: { ...run.summary, baseline: base.summary } };
}
