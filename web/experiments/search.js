// search.js: hyperparameter search (6.5.3; ch06/hyperparameter_optimization.py):
// random lr and weight decay, trials ranked by final validation accuracy, the
// best trials' curves kept.
import { ConfigError } from '../engine/config.js';
import { STREAM_HYPER, STREAM_SPLIT, deriveSeed, epochPeriod, hash32, iterationsForEpochs, uniforms } from './seeds.js';
import { engineConfig, exactAcc, stitchEpochs, trainJob } from './jobs.js';
import { EPOCHS, hidden100 } from './settings.js';

export const settings = {
  title: 'Hyperparameter search',
  book: '6.5.3; ch06/hyperparameter_optimization.py',
  doc: 'first 500 training images shuffled once, 20% for validation; 100 trials of 784-100x6-10 for 50 epochs with lr = 10^U(-6,-2) and weight decay = 10^U(-8,-4); ranked by final validation accuracy.',
  engine: { hidden: hidden100(6), activation: 'relu', init: 'he', optimizer: 'sgd', batchSize: 100 },
  varied: { lr: 'lrRange', weightDecay: 'weightDecayRange' },
  own: {
    trainSize: { type: 'int', min: 2, max: 60000, default: 500, doc: 'first N training images, split into validation and training' },
    validationRate: { type: 'number', min: 0, max: 1, default: 0.2, doc: 'share of them held out for validation' },
    trials: { type: 'int', min: 1, max: 10000, default: 100, doc: 'random trials' },
    epochs: EPOCHS(50),
    lrRange: { type: 'range', default: [-6, -2], doc: 'lr = 10^U(lo, hi)' },
    weightDecayRange: { type: 'range', default: [-8, -4], doc: 'weight decay = 10^U(lo, hi)' },
    best: { type: 'int', min: 1, max: 10000, default: 20, doc: 'trials whose curves are kept (the book plots 20)' },
    good: { type: 'int', min: 1, max: 10000, default: 5, doc: 'best trials whose range is reported (the book reads its range off Best-1..5)' },
  },
};

// The k-th best trial's (k from 0) validation and training accuracy per epoch: best[k].val, best[k].train.
export const series = (s) => ({ best: Array.from({ length: s.best }, (_, k) => ({ val: `best${k + 1}/val`, train: `best${k + 1}/train` })) });

export const plan = {
  datasets(s) {
    // shuffle_dataset once (np.random.permutation), then the first 20% validate.
    const rand = uniforms(hash32(s.seed, STREAM_SPLIT));
    const idx = Array.from({ length: s.trainSize }, (_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const { nVal } = searchSplit(s);
    const tag = `train#${s.trainSize}/${s.seed}`;
    return {
      val: { split: 'train', indices: idx.slice(0, nVal), key: `${tag}:val${nVal}`, setting: 'trainSize' },
      train: { split: 'train', indices: idx.slice(nVal), key: `${tag}:train${nVal}`, setting: 'trainSize' },
    };
  },
  // Every trial is evaluated every epoch, so the best trials' curves are
  // recorded the first time (evaluation does not touch training: a replay
  // gives the same bits, presets.test.mjs checks it) and the page can draw
  // the best so far as trials finish.
  stages: [(s) => searchTrials(s).map((t) => searchJob(s, t))],
  // As each trial finishes: its row, and the best curves among the trials finished so far.
  live: {
    result: (s, job, index, results) => ({ trial: trialOf(s, searchTrials(s)[index], results[index]), series: bestCurves(s, results) }),
  },
};

export function assemble(s, [{ results }]) {
  const ranked = rankTrials(s, results);
  const curves = bestCurves(s, results);
  const good = ranked.filter((t) => !t.diverged).slice(0, s.good);
  const span = (key) => (good.length ? [Math.min(...good.map((t) => t[key])), Math.max(...good.map((t) => t[key]))] : null);
  return {
    series: curves,
    summary: {
      trials: ranked,
      diverged: ranked.filter((t) => t.diverged).length,
      goodRange: { trials: good.length, lr: span('lr'), weightDecay: span('weightDecay') },
    },
  };
}

// The search's trials: lr = 10^U(lrRange), weight decay = 10^U(weightDecayRange)
// as hyperparameter_optimization.py draws them, per trial from its own stream
// (so the first trials do not change with the trial count). Stored as the
// float32 values the engine uses.
function searchTrials(s) {
  return Array.from({ length: s.trials }, (_, trial) => {
    const rand = uniforms(hash32(s.seed, STREAM_HYPER, trial));
    const u = (lo, hi) => lo + (hi - lo) * rand();
    const weightDecay = Math.fround(10 ** u(...s.weightDecayRange));
    const lr = Math.fround(10 ** u(...s.lrRange));
    return { trial, lr, weightDecay };
  });
}

// hyperparameter_optimization.py: validation_num = int(500 * 0.20), the rest trains.
function searchSplit(s) {
  const nVal = Math.floor(s.trainSize * s.validationRate);
  if (nVal < 1 || nVal >= s.trainSize) {
    throw new ConfigError('validationRate', `leaves ${nVal} of ${s.trainSize} images for validation; both parts need at least one`);
  }
  return { nVal, nTrain: s.trainSize - nVal };
}

function searchJob(s, { trial, lr, weightDecay }) {
  const { nTrain } = searchSplit(s);
  const period = epochPeriod(nTrain, s.batchSize);
  // lossMode 'none': the search reads only the epoch accuracies, so the trials
  // skip the loss curve and its weight-decay term's exact sum over every
  // weight each step (divergence is still detected exactly as with it).
  const config = engineConfig(s, { lr, weightDecay, trainSize: nTrain, seed: deriveSeed(s.seed, trial), lossMode: 'none' });
  return trainJob(`trial ${trial}`, config, {
    iterations: iterationsForEpochs(s.epochs, period),
    evals: [{ data: 'val' }, { data: 'train' }],
  });
}

// A finished trial as the summary lists it: its final accuracies, exact.
function trialOf(s, t, r) {
  const { nVal, nTrain } = searchSplit(s);
  if (r.diverged) return { ...t, valAcc: null, trainAcc: null, diverged: true, divergedAt: r.divergedAt };
  const at = (slot, n) => exactAcc(r.evals[slot].acc[s.epochs - 1], n);
  return { ...t, valAcc: at(0, nVal), trainAcc: at(1, nTrain) };
}

// Trials best first by final validation accuracy (ties: trial order, as Python's
// stable sort of the book's dict); diverged trials last. `results` may be sparse
// (the trials finished so far).
export function rankTrials(s, results) {
  const trials = searchTrials(s).filter((_, j) => results[j]).map((t) => trialOf(s, t, results[t.trial]));
  return trials.sort(compareTrials);
}

export const compareTrials = (a, b) => (b.valAcc ?? -1) - (a.valAcc ?? -1) || a.trial - b.trial;

// The curves of the best `s.best` trials that did
// not diverge, among those in `results` (all of them, or those finished so far).
function bestCurves(s, results) {
  const { nVal, nTrain } = searchSplit(s);
  const e = [[0, s.epochs]];
  const { best } = series(s);
  return rankTrials(s, results).slice(0, s.best).filter((t) => !t.diverged).flatMap((t, k) => [
    { name: best[k].val, x: 'epoch', values: stitchEpochs([results[t.trial]], e, 0, nVal) },
    { name: best[k].train, x: 'epoch', values: stitchEpochs([results[t.trial]], e, 1, nTrain) },
  ]);
}
