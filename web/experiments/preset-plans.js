// preset-plans.js: each preset of presets.js as a plan: the data sets it reads,
// its stages of independent jobs, and how their results assemble into
// {series, summary}.
import { CONFIG_SCHEMA, ConfigError } from '../engine/config.js';
import { STREAM_HYPER, STREAM_SPLIT, deriveSeed, epochPeriod, hash32, initLabel, iterationsForEpochs, uniforms } from './preset-settings.js';
import { firstOf } from './preset-data.js';

// ---- jobs ------------------------------------------------------------------------
// A job is a plain object web/workers/worker.js runs:
//   {kind: 'train', label, config, train, evals: [{data}], iterations, evalFrom, loss}
//     trains `iterations` steps on data set `train`, attaching the eval sets only
//     from iteration `evalFrom` on (epoch points before it are NaN, cheaply);
//   {kind: 'activations', label, params}  engine.activationHistograms(params).

export function engineConfig(settings, extra) {
  const c = {};
  for (const k of Object.keys(CONFIG_SCHEMA)) if (k in settings && k !== 'seed') c[k] = settings[k];
  return { ...c, ...extra };
}

export function trainJob(label, config, { iterations, evalFrom = 0, evals = [], loss = false, train = 'train' }) {
  return { kind: 'train', label, config: { ...config, maxIterations: iterations }, train, evals, iterations, evalFrom, loss };
}

// A run whose cost is evaluation at every epoch (overfit: 10,000 test images per
// epoch against 300 training images) splits into `parts` jobs by blocks of epochs:
// each replays the same seeded training, bit for bit, and evaluates only its
// block, so the curves are those of one run whatever the number of parts.
function epochBlocks(epochs, parts) {
  const n = Math.max(1, Math.min(parts, epochs));
  return Array.from({ length: n }, (_, k) => [Math.floor((k * epochs) / n), Math.floor(((k + 1) * epochs) / n)]);
}

// Exact accuracy from the engine's float32 (correct / count recovered): the book's value.
const exactAcc = (acc, count) => Math.round(acc * count) / count;
// Float32 losses printed to the digits that identify them (9 significant).
export const loss9 = (x) => Number(x.toPrecision(9));

// Stitch the epoch blocks of split jobs back into one curve per eval slot.
// A run that diverged stops its curves at its last finite epoch in every part.
function stitchEpochs(results, blocks, slot, count) {
  const values = [];
  for (let k = 0; k < blocks.length; k++) {
    const acc = results[k].evals[slot].acc;
    const [from, to] = blocks[k];
    for (let e = from; e < Math.min(to, acc.length); e++) values.push(exactAcc(acc[e], count));
    if (acc.length < to) break;
  }
  return values;
}

// Live points, in the final form assemble gives them: epoch points of eval slot
// `slot` in a progress message (none while the job does not evaluate yet: NaN).
function epochPoints(name, m, slot, count) {
  const acc = m.epochs?.acc?.[slot];
  if (!acc?.length || !Array.from(acc).every(Number.isFinite)) return [];
  return [{ name, x: 'epoch', x0: m.epochs.first, values: Array.from(acc, (a) => exactAcc(a, count)) }];
}

function divergence(results) {
  const d = results.find((r) => r.diverged);
  return d ? { diverged: true, divergedAt: d.divergedAt } : { diverged: false };
}

export const mean = (xs) => (xs.length ? loss9(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

// The range an activation's histograms cover in the activations preset.
export const histRangeOf = (s, activation) => (s.bookRanges && activation === 'tanh' ? [-1, 1] : s.range);

// ---- the presets' plans ---------------------------------------------------------------

export const PLANS = {
  activations: {
    datasets: () => ({}),
    stages: [
      (s) => s.activations.flatMap((activation) => s.inits.map((init) => ({
        kind: 'activations',
        label: `${activation}/${initLabel(init)}`,
        // One seed for all pairs: the same input and the same weights up to scale.
        params: { activation, init, samples: s.samples, width: s.nodes, layers: s.layers, bins: s.bins, lo: histRangeOf(s, activation)[0], hi: histRangeOf(s, activation)[1], seed: deriveSeed(s.seed, 0) },
      }))),
    ],
    assemble(s, [{ jobs, results }]) {
      const series = [];
      const stats = {};
      const n = s.samples * s.nodes;
      results.forEach((r, j) => {
        r.layers.forEach((h, l) => {
          const name = `${jobs[j].label}/layer${l + 1}`;
          series.push({ name, x: 'bin', values: h.counts });
          stats[name] = { outside: (h.below + h.above) / n, below: h.below / n, above: h.above / n, mean: loss9(h.mean), std: loss9(h.std) };
        });
      });
      const tanhEdges = s.bookRanges && s.activations.includes('tanh') ? { binEdgesTanh: histogramEdges(histRangeOf(s, 'tanh'), s.bins) } : {};
      return { series, summary: { binEdges: histogramEdges(s.range, s.bins), ...tanhEdges, stats } };
    },
  },

  init: {
    datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize') }),
    stages: [
      (s) => s.inits.map((init) => trainJob(initLabel(init), engineConfig(s, { init, seed: deriveSeed(s.seed, 0) }), { iterations: s.iterations, loss: true })),
    ],
    assemble(s, [{ jobs, results }]) {
      const series = [];
      const loss = {};
      results.forEach((r, j) => {
        const name = jobs[j].label;
        const values = Array.from(r.loss, loss9);
        series.push({ name, x: 'iteration', values, ...(r.diverged && { diverged: true }) });
        loss[name] = {
          first: values[0] ?? null,
          last100: mean(values.slice(-100)), // where the book's smoothed plot ends
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

  batchnorm: {
    datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize') }),
    stages: [
      (s) => {
        const iterations = iterationsForEpochs(s.epochs, epochPeriod(s.trainSize, s.batchSize));
        return s.scales.flatMap((scale, index) => ['bn', 'plain'].map((kind) => ({
          ...trainJob(`${kind}@${index}`, engineConfig(s, { init: scale, batchNorm: kind === 'bn', seed: deriveSeed(s.seed, index) }),
            { iterations, evals: [{ data: 'train' }] }),
          pair: { kind, index },
        })));
      },
    ],
    assemble(s, [{ jobs, results }]) {
      const series = [];
      const final = s.scales.map((scale) => ({ scale }));
      results.forEach((r, j) => {
        const { kind, index } = jobs[j].pair;
        const values = stitchEpochs([r], [[0, s.epochs]], 0, s.trainSize);
        series.push({ name: jobs[j].label, x: 'epoch', values, ...(r.diverged && { diverged: true }) });
        final[index][kind] = r.diverged ? null : values[values.length - 1];
        if (r.diverged) final[index][`${kind}Diverged`] = true;
      });
      return { series, summary: { scales: s.scales, final } };
    },
    live: { progress: (s, job, m) => epochPoints(job.label, m, 0, s.trainSize) },
  },

  overfit: overfitPlan(),
  'weight-decay': overfitPlan(),
  dropout: overfitPlan(),

  search: {
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
    assemble(s, [{ results }]) {
      const ranked = rankTrials(s, results);
      const series = bestCurves(s, results);
      const good = ranked.filter((t) => !t.diverged).slice(0, s.good);
      const span = (key) => (good.length ? [Math.min(...good.map((t) => t[key])), Math.max(...good.map((t) => t[key]))] : null);
      return {
        series,
        summary: {
          trials: ranked,
          diverged: ranked.filter((t) => t.diverged).length,
          goodRange: { trials: good.length, lr: span('lr'), weightDecay: span('weightDecay') },
        },
      };
    },
    // As each trial finishes: its row, and the best curves among the trials finished so far.
    live: {
      result: (s, job, index, results) => ({ trial: trialOf(s, searchTrials(s)[index], results[index]), series: bestCurves(s, results) }),
    },
  },
};

// np.linspace(lo, hi, bins + 1): the histogram's edges, for plotting.
function histogramEdges([lo, hi], bins) {
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * ((hi - lo) / bins)));
}

// The baseline (settings.baseline) is the same net, same seed, without weight
// decay and dropout; only worth training when the run has either.
export const hasBaseline = (s) => !!s.baseline && (s.weightDecay > 0 || s.dropout > 0);

// One run's epoch curves and summary, from its blocks' results (in block order).
function overfitCurves(s, results) {
  const blocks = epochBlocks(s.epochs, results.length);
  const train = stitchEpochs(results, blocks, 0, s.trainSize);
  const test = stitchEpochs(results, blocks, 1, s.testSize);
  const div = divergence(results);
  let best = 0;
  test.forEach((v, e) => { if (v > test[best]) best = e; });
  const last = train.length - 1;
  const at = (xs, i) => (last >= 0 ? xs[i] : null);
  return {
    train, test, div,
    summary: { epochs: train.length, train: at(train, last), test: at(test, last), gap: last >= 0 ? train[last] - test[last] : null, bestTest: at(test, best), bestTestEpoch: last >= 0 ? best : null, ...div },
  };
}

function overfitPlan() {
  return {
    datasets: (s) => ({ train: firstOf('train', s.trainSize, 'trainSize'), test: firstOf('test', s.testSize, 'testSize') }),
    stages: [
      (s, _prev, { parts }) => {
        const period = epochPeriod(s.trainSize, s.batchSize);
        const config = engineConfig(s, { seed: deriveSeed(s.seed, 0) });
        // Later blocks train longer: put them first so the pool starts them first.
        const blocks = (c, extra = {}) => epochBlocks(s.epochs, parts).reverse().map(([from, to]) => ({
          ...trainJob(`${extra.baseline ? 'baseline ' : ''}epochs ${from}-${to - 1}`, c, {
            iterations: iterationsForEpochs(to, period), evalFrom: from * period, evals: [{ data: 'train' }, { data: 'test' }],
          }),
          ...extra,
        }));
        // The baseline's jobs take no live settings (pool.js: `baseline`).
        return [...blocks(config), ...(hasBaseline(s) ? blocks({ ...config, weightDecay: 0, dropout: 0 }, { baseline: true }) : [])];
      },
    ],
    assemble(s, [{ results }]) {
      const n = hasBaseline(s) ? results.length / 2 : results.length;
      const run = overfitCurves(s, results.slice(0, n).reverse());
      const flag = run.div.diverged ? { diverged: true } : {};
      const series = [{ name: 'train', x: 'epoch', values: run.train, ...flag }, { name: 'test', x: 'epoch', values: run.test, ...flag }];
      if (!hasBaseline(s)) return { series, summary: run.summary };
      const base = overfitCurves(s, results.slice(n).reverse());
      const bflag = base.div.diverged ? { diverged: true } : {};
      series.push({ name: 'baseline train', x: 'epoch', values: base.train, ...bflag }, { name: 'baseline test', x: 'epoch', values: base.test, ...bflag });
      return { series, summary: { ...run.summary, baseline: base.summary } };
    },
    // One job (the page does not split), or two with the baseline: their
    // epoch points, and the page's own per-iteration loss (not part of the
    // CLI's output) as cross-entropy and the ½λ‖W‖² term apart.
    live: {
      progress: (s, job, m) => {
        const pre = job.baseline ? 'baseline ' : '';
        const out = [...epochPoints(`${pre}train`, m, 0, s.trainSize), ...epochPoints(`${pre}test`, m, 1, s.testSize)];
        if (!m.loss?.length) return out;
        const decay = m.decay ?? new Float32Array(m.loss.length);
        out.push({ name: `${pre}loss`, x: 'iteration', x0: m.lossFirst, values: Array.from(m.loss, (l, i) => loss9(l - decay[i])) });
        // 0 while λ is 0 (it may be switched on live; the view draws it once it is not).
        if (!job.baseline && m.decay) out.push({ name: 'decay', x: 'iteration', x0: m.lossFirst, values: Array.from(decay, loss9) });
        return out;
      },
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
  const config = engineConfig(s, { lr, weightDecay, trainSize: nTrain, seed: deriveSeed(s.seed, trial) });
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

// best<k>/val and best<k>/train: the curves of the best `s.best` trials that did
// not diverge, among those in `results` (all of them, or those finished so far).
function bestCurves(s, results) {
  const { nVal, nTrain } = searchSplit(s);
  const e = [[0, s.epochs]];
  return rankTrials(s, results).slice(0, s.best).filter((t) => !t.diverged).flatMap((t, k) => [
    { name: `best${k + 1}/val`, x: 'epoch', values: stitchEpochs([results[t.trial]], e, 0, nVal) },
    { name: `best${k + 1}/train`, x: 'epoch', values: stitchEpochs([results[t.trial]], e, 1, nTrain) },
  ]);
}
