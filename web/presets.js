// presets.js: the seven experiments of the book's chapter 6 as data and pure
// functions, shared by the Node CLI (scripts/lab.mjs) and the page. Nothing
// here touches the DOM, Node or the WASM heap: a preset turns its settings
// into independent jobs (run by web/worker.js, spread by web/pool.js) and
// turns their results into {preset, settings, series, summary}.
//
// Seeds: every job's seed is derived from the preset seed and the job's index
// in its comparison group, never from the worker that runs it, so results are
// bit-identical whatever the worker count. Runs the book compares on "the same
// batches" (init's three nets; each BatchNorm scale's pair) share one seed: the
// engine draws batches, init and dropout from separate streams of the seed.
import { CONFIG_SCHEMA, ConfigError, makeConfig, parseConfigValue } from './config.js';

// ---- seeds and small maths -------------------------------------------------

// A 32-bit hash of a few words (murmur3's finaliser per word): seeds for runs
// and streams that are unrelated to each other even for neighbouring inputs.
export function hash32(...words) {
  let h = 0x9e3779b9;
  for (const w of words) {
    h = Math.imul(h ^ (w >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const STREAM_RUN = 1; // engine seeds of runs
const STREAM_HYPER = 2; // search: lr and weight decay of a trial
const STREAM_SPLIT = 3; // search: the one shuffle of its data

export const deriveSeed = (seed, index) => hash32(seed, STREAM_RUN, index);

// mulberry32: uniform doubles in [0, 1) from a 32-bit seed (for plans, not for training).
function uniforms(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gcd = (a, b) => (b ? gcd(b, a % b) : a);

// The engine ends an epoch after iteration i when i % (trainSize / batchSize) == 0
// in real arithmetic (the book's train loops), i.e. every `period` iterations.
export function epochPeriod(trainSize, batchSize) {
  return batchSize >= trainSize ? 1 : trainSize / gcd(trainSize, batchSize);
}
// Iterations that record `epochs` epoch points: the last one is iteration (epochs - 1) * period.
export const iterationsForEpochs = (epochs, period) => (epochs - 1) * period + 1;

// np.logspace(0, -4, 16): the book's 16 BatchNorm weight scales.
export function logspace(start, stop, n) {
  return Array.from({ length: n }, (_, k) => 10 ** (n === 1 ? start : start + (k * (stop - start)) / (n - 1)));
}

export const initLabel = (init) => (init === 'xavier' ? 'Xavier' : init === 'he' ? 'He' : `std=${init}`);

// ---- settings ----------------------------------------------------------------

// The presets' own keys, by type; engine keys keep config.js's types.
const num = (text) => (text.trim() === '' ? NaN : Number(text)); // Number('') would be 0
const list = (text) => text.split(/[,\s]+/).filter(Boolean);
const OWN_TYPES = {
  int: num,
  number: num,
  numbers: (text) => list(text).map(num),
  range: (text) => list(text).map(num),
  inits: (text) => list(text).map((s) => (s === 'he' || s === 'xavier' ? s : num(s))),
  activations: list,
};

// `shown`: what the user typed, when the value was parsed from text.
function checkOwn(key, spec, v, shown = v) {
  const bad = (what) => { throw new ConfigError(key, `${what} (got ${JSON.stringify(shown)})`); };
  const finite = (x) => typeof x === 'number' && Number.isFinite(x);
  switch (spec.type) {
    case 'int':
      if (!Number.isInteger(v) || v < spec.min || v > spec.max) bad(`must be an integer from ${spec.min} to ${spec.max}`);
      break;
    case 'number':
      if (!finite(v) || !(v > spec.min && v < spec.max)) bad(`must be a number with ${spec.min} < ${key} < ${spec.max}`);
      break;
    case 'numbers':
      if (!Array.isArray(v) || v.length < 1 || v.length > 64 || !v.every((x) => finite(x) && x > 0)) bad('must list 1 to 64 numbers > 0');
      break;
    case 'range':
      if (!Array.isArray(v) || v.length !== 2 || !v.every(finite) || !(v[0] < v[1])) bad('must be two numbers lo,hi with lo < hi');
      break;
    case 'inits':
      if (!Array.isArray(v) || v.length < 1 || v.length > 16 || !v.every((x) => x === 'he' || x === 'xavier' || (finite(x) && x > 0))) {
        bad("must list 1 to 16 of 'he', 'xavier' or a standard deviation > 0");
      }
      break;
    case 'activations':
      if (!Array.isArray(v) || v.length < 1 || !v.every((x) => CONFIG_SCHEMA.activation.values.includes(x))) {
        bad(`must list some of ${CONFIG_SCHEMA.activation.values.join(', ')}`);
      }
      break;
    default:
      throw new Error(`presets: unknown setting type ${spec.type}`);
  }
  return Array.isArray(v) ? [...v] : v;
}

const SEED = { type: 'int', min: 0, max: 4294967295, default: 1, doc: 'preset seed; each run\'s seed is derived from it and the run\'s index' };
const EPOCHS = (d) => ({ type: 'int', min: 1, max: 100000, default: d, doc: 'epoch points to record (the book\'s max_epochs)' });
const TEST_SIZE = { type: 'int', min: 1, max: 10000, default: 10000, doc: 'evaluate on the first N test images each epoch' };
const A = (n) => Array(n).fill(100);

// Book settings. `engine`: the engine config's values (any engine key not in
// `varied` may be overridden); `own`: the preset's keys; `varied`: engine keys
// the preset sets per run, with the key that controls them instead.
const PRESETS = {
  activations: {
    title: 'Activation distributions of the hidden layers',
    book: '6.2.2, 6.2.3; ch06/weight_init_activation_histogram.py',
    doc: '1000 samples of 100-dim N(0,1) input through 5 bias-free layers of 100 units; per layer a 30-bin histogram over (0, 1) as the book plots it, the share outside that range, mean and std.',
    engine: null, // no training: engine keys do not apply
    own: {
      activations: { type: 'activations', default: ['sigmoid', 'relu', 'tanh'], doc: 'activations to compare' },
      inits: { type: 'inits', default: [1, 0.01, 'xavier', 'he'], doc: "weight inits: stds, 'xavier', 'he'" },
      samples: { type: 'int', min: 1, max: 100000, default: 1000, doc: 'input rows' },
      nodes: { type: 'int', min: 1, max: 1024, default: 100, doc: 'units per layer (= input width)' },
      layers: { type: 'int', min: 1, max: 10, default: 5, doc: 'hidden layers' },
      bins: { type: 'int', min: 1, max: 4096, default: 30, doc: 'histogram bins' },
      range: { type: 'range', default: [0, 1], doc: 'histogram range lo,hi (plt.hist range=)' },
    },
  },
  init: {
    title: 'Weight initialisation on MNIST',
    book: '6.2.4; ch06/weight_init_compare.py',
    doc: '784-100-100-100-100-10 ReLU nets with std 0.01, Xavier and He weights trained by SGD on the same batches; training loss after each update.',
    engine: { hidden: A(4), activation: 'relu', optimizer: 'sgd', lr: 0.01, batchSize: 128, trainSize: 60000, lossMode: 'book' },
    varied: { init: 'inits' },
    own: {
      iterations: { type: 'int', min: 1, max: 1000000, default: 2000, doc: 'training iterations' },
      inits: { type: 'inits', default: [0.01, 'xavier', 'he'], doc: "weight inits: stds, 'xavier', 'he'" },
    },
  },
  batchnorm: {
    title: 'Batch Normalization against the weight scale',
    book: '6.3.2; ch06/batch_norm_test.py',
    doc: '784-100x5-10 nets on the first 1000 training images, 16 weight scales, each with and without BatchNorm on the same batches; training accuracy per epoch.',
    engine: { hidden: A(5), activation: 'relu', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 1000 },
    varied: { init: 'scales', batchNorm: 'scales (every scale runs with and without)' },
    own: {
      epochs: EPOCHS(20),
      scales: { type: 'numbers', default: logspace(0, -4, 16), doc: 'weight init stds (np.logspace(0, -4, 16))' },
    },
  },
  overfit: {
    title: 'Overfitting',
    book: '6.4.1; ch06/overfit_weight_decay.py (weight_decay_lambda = 0)',
    doc: '784-100x6-10 on the first 300 training images; accuracy on them and on the test set every epoch.',
    engine: { hidden: A(6), activation: 'relu', init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 300 },
    own: { epochs: EPOCHS(201), testSize: TEST_SIZE },
  },
  'weight-decay': {
    title: 'Weight decay',
    book: '6.4.2; ch06/overfit_weight_decay.py (weight_decay_lambda = 0.1)',
    doc: 'overfit with L2 weight decay 0.1.',
    engine: { hidden: A(6), activation: 'relu', init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 300, weightDecay: 0.1 },
    own: { epochs: EPOCHS(201), testSize: TEST_SIZE },
  },
  dropout: {
    title: 'Dropout',
    book: '6.4.3; ch06/overfit_dropout.py',
    doc: "overfit with the book's (non-inverted) dropout 0.2 for 301 epochs.",
    engine: { hidden: A(6), activation: 'relu', init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 300, dropout: 0.2, dropoutMode: 'book' },
    own: { epochs: EPOCHS(301), testSize: TEST_SIZE },
  },
  search: {
    title: 'Hyperparameter search',
    book: '6.5.3; ch06/hyperparameter_optimization.py',
    doc: 'first 500 training images shuffled once, 20% for validation; 100 trials of 784-100x6-10 for 50 epochs with lr = 10^U(-6,-2) and weight decay = 10^U(-8,-4); ranked by final validation accuracy.',
    engine: { hidden: A(6), activation: 'relu', init: 'he', optimizer: 'sgd', batchSize: 100 },
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
  },
};

export const PRESET_NAMES = Object.freeze(Object.keys(PRESETS));

function presetDef(name) {
  const p = PRESETS[name];
  if (!p) throw new ConfigError(null, `unknown preset ${JSON.stringify(name)}; presets are ${PRESET_NAMES.join(', ')}`);
  return p;
}

// What --help and the page show: every key the preset accepts, with its book default.
export function describePreset(name) {
  const p = presetDef(name);
  const keys = { seed: { default: SEED.default, doc: SEED.doc } };
  for (const [k, s] of Object.entries(p.own)) keys[k] = { default: s.default, doc: s.doc };
  if (p.engine) {
    for (const [k, s] of Object.entries(CONFIG_SCHEMA)) {
      if (k === 'seed' || k === 'maxIterations' || p.varied?.[k] || k in keys) continue;
      keys[k] = { default: p.engine[k] ?? s.default, doc: s.doc };
    }
  }
  return { name, title: p.title, book: p.book, doc: p.doc, keys };
}

// Why a key is refused, or null if the preset accepts it.
function refusal(p, name, key) {
  if (key === 'seed' || key in p.own) return null;
  if (!(key in CONFIG_SCHEMA)) return 'unknown setting';
  if (!p.engine) return `${name} trains nothing, so engine settings do not apply`;
  if (key === 'maxIterations') return 'set per run from the iterations or epochs';
  if (p.varied?.[key]) return `${name} varies it per run; set ${p.varied[key]} instead`;
  return null;
}

// Parse one --set / URL value for a preset's key into its typed value.
export function parseSetting(name, key, text) {
  const p = presetDef(name);
  const why = refusal(p, name, key);
  if (why) throw new ConfigError(key, why);
  const spec = key === 'seed' ? SEED : p.own[key];
  if (!spec) return parseConfigValue(key, text);
  return checkOwn(key, spec, OWN_TYPES[spec.type](text), text);
}

// Book settings with `overrides` (typed values) applied and checked. Engine
// keys are type-checked here; their ranges by the C engine when runs are made.
export function resolveSettings(name, overrides = {}) {
  const p = presetDef(name);
  const own = { seed: SEED.default };
  for (const [k, s] of Object.entries(p.own)) own[k] = Array.isArray(s.default) ? [...s.default] : s.default;
  const engine = {};
  for (const [k, v] of Object.entries(overrides)) {
    const why = refusal(p, name, k);
    if (why) throw new ConfigError(k, why);
    if (k === 'seed') own.seed = checkOwn('seed', SEED, v);
    else if (k in p.own) own[k] = checkOwn(k, p.own[k], v);
    else engine[k] = v;
  }
  if (!p.engine) return own;
  const config = makeConfig({ ...p.engine, ...engine });
  for (const k of ['seed', 'maxIterations', ...Object.keys(p.varied ?? {})]) delete config[k];
  // A preset's own key wins over the engine key of the same name (search's trainSize).
  return { seed: own.seed, ...config, ...own };
}

// ---- data ----------------------------------------------------------------------

// A data set a preset needs: the first `count` images of a split, or the given
// indices of it. `key` identifies the content, so a worker that holds it already
// is not sent it again; `setting` names the key to blame when MNIST is too small.
function firstOf(split, count, setting) {
  return { split, first: 0, count, key: `${split}[0:${count}]`, setting };
}

// The bytes of each data set, from MNIST as loadMnist returns it (views, except
// for index lists). Throws a ConfigError naming the setting that asks too much.
export function sliceDatasets(specs, mnist, features = 784) {
  const out = {};
  for (const [name, s] of Object.entries(specs)) {
    const src = mnist[s.split];
    const need = s.indices ? s.indices.reduce((m, i) => Math.max(m, i + 1), 0) : s.first + s.count;
    if (need > src.count) throw new ConfigError(s.setting, `needs ${need} ${s.split} images, MNIST has ${src.count}`);
    let pixels, labels;
    if (s.indices) {
      pixels = new Uint8Array(s.indices.length * features);
      labels = new Uint8Array(s.indices.length);
      s.indices.forEach((i, r) => {
        pixels.set(src.pixels.subarray(i * features, (i + 1) * features), r * features);
        labels[r] = src.labels[i];
      });
    } else {
      pixels = src.pixels.subarray(s.first * features, (s.first + s.count) * features);
      labels = src.labels.subarray(s.first, s.first + s.count);
    }
    out[name] = { key: s.key, pixels, labels, features };
  }
  return out;
}

// ---- jobs ------------------------------------------------------------------------
// A job is a plain object web/worker.js runs:
//   {kind: 'train', label, config, train, evals: [{data}], iterations, evalFrom, loss}
//     trains `iterations` steps on data set `train`, attaching the eval sets only
//     from iteration `evalFrom` on (epoch points before it are NaN, cheaply);
//   {kind: 'activations', label, params}  engine.activationHistograms(params).

function engineConfig(settings, extra) {
  const c = {};
  for (const k of Object.keys(CONFIG_SCHEMA)) if (k in settings && k !== 'seed') c[k] = settings[k];
  return { ...c, ...extra };
}

function trainJob(label, config, { iterations, evalFrom = 0, evals = [], loss = false, train = 'train' }) {
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
const loss9 = (x) => Number(x.toPrecision(9));

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

function divergence(results) {
  const d = results.find((r) => r.diverged);
  return d ? { diverged: true, divergedAt: d.divergedAt } : { diverged: false };
}

const mean = (xs) => (xs.length ? loss9(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

// ---- the presets' plans ---------------------------------------------------------------

const PLANS = {
  activations: {
    datasets: () => ({}),
    stages: [
      (s) => s.activations.flatMap((activation) => s.inits.map((init) => ({
        kind: 'activations',
        label: `${activation}/${initLabel(init)}`,
        // One seed for all pairs: the same input and the same weights up to scale.
        params: { activation, init, samples: s.samples, width: s.nodes, layers: s.layers, bins: s.bins, lo: s.range[0], hi: s.range[1], seed: deriveSeed(s.seed, 0) },
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
      return { series, summary: { binEdges: histogramEdges(s.range, s.bins), stats } };
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
    stages: [
      // Stage 1: every trial, evaluated only at its last epoch (all the ranking needs).
      (s) => searchTrials(s).map((t) => searchJob(s, t, true)),
      // Stage 2: the best trials again, evaluated every epoch for their curves. Each
      // replays its stage-1 run exactly, so the final points agree.
      (s, [first]) => rankTrials(s, first.results).slice(0, s.best).filter((t) => !t.diverged).map((t) => searchJob(s, t, false)),
    ],
    assemble(s, [first, curves]) {
      const ranked = rankTrials(s, first.results);
      const { nVal, nTrain } = searchSplit(s);
      const series = [];
      curves.results.forEach((r, k) => {
        const e = [[0, s.epochs]];
        series.push({ name: `best${k + 1}/val`, x: 'epoch', values: stitchEpochs([r], e, 0, nVal) });
        series.push({ name: `best${k + 1}/train`, x: 'epoch', values: stitchEpochs([r], e, 1, nTrain) });
      });
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
  },
};

// np.linspace(lo, hi, bins + 1): the histogram's edges, for plotting.
function histogramEdges([lo, hi], bins) {
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * ((hi - lo) / bins)));
}

function overfitPlan() {
  return {
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
    assemble(s, [{ results }]) {
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
        series: [{ name: 'train', x: 'epoch', values: train, ...flag }, { name: 'test', x: 'epoch', values: test, ...flag }],
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

function searchJob(s, { trial, lr, weightDecay }, lastOnly) {
  const { nTrain } = searchSplit(s);
  const period = epochPeriod(nTrain, s.batchSize);
  const config = engineConfig(s, { lr, weightDecay, trainSize: nTrain, seed: deriveSeed(s.seed, trial) });
  return trainJob(`trial ${trial}`, config, {
    iterations: iterationsForEpochs(s.epochs, period),
    evalFrom: lastOnly ? (s.epochs - 1) * period : 0,
    evals: [{ data: 'val' }, { data: 'train' }],
  });
}

// Trials best first by final validation accuracy (ties: trial order, as Python's
// stable sort of the book's dict); diverged trials last.
function rankTrials(s, results) {
  const { nVal, nTrain } = searchSplit(s);
  const trials = searchTrials(s).map((t, j) => {
    const r = results[j];
    if (r.diverged) return { ...t, valAcc: null, trainAcc: null, diverged: true, divergedAt: r.divergedAt };
    const at = (slot, n) => exactAcc(r.evals[slot].acc[s.epochs - 1], n);
    return { ...t, valAcc: at(0, nVal), trainAcc: at(1, nTrain) };
  });
  return trials.sort((a, b) => (b.valAcc ?? -1) - (a.valAcc ?? -1) || a.trial - b.trial);
}

// ---- running a preset ------------------------------------------------------------------

// Plan and run a preset. `execute(jobs, datasets, info)` runs independent jobs
// (e.g. pool.run) and resolves to their results in job order; `datasets` are the
// specs of the data they read (see sliceDatasets). `parts`: into how many jobs a
// single evaluation-heavy run may split (the worker count; results do not depend on it).
export async function runPreset(name, settings, { execute, parts = 1 }) {
  presetDef(name);
  const plan = PLANS[name];
  const datasets = plan.datasets(settings);
  const stageResults = [];
  for (let k = 0; k < plan.stages.length; k++) {
    const jobs = plan.stages[k](settings, stageResults, { parts });
    const results = jobs.length ? await execute(jobs, datasets, { stage: k + 1, stages: plan.stages.length }) : [];
    stageResults.push({ jobs, results });
  }
  const { series, summary } = plan.assemble(settings, stageResults);
  return { preset: name, settings, series, summary };
}

// The jobs of a preset's first stage, for checking every engine config before
// anything runs (the CLI creates each once to let the engine validate it).
export function firstStageJobs(name, settings, parts = 1) {
  presetDef(name);
  return PLANS[name].stages[0](settings, [], { parts });
}
