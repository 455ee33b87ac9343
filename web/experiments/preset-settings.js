// preset-settings.js: what presets.js's presets are as data: the seeds and small
// maths they share, the settings each accepts (its own keys, typed and checked,
// and the engine's) with the book's defaults, and describing, parsing and
// resolving those settings.
//
// Seeds: every job's seed is derived from the preset seed and the job's index
// in its comparison group, never from the worker that runs it, so results are
// bit-identical whatever the worker count. Runs the book compares on "the same
// batches" (init's three nets; each BatchNorm scale's pair) share one seed: the
// engine draws batches, init and dropout from separate streams of the seed.
import { CONFIG_SCHEMA, ConfigError, makeConfig, parseConfigValue } from '../engine/config.js';
import { ABI } from '../engine/abi.js';
import { hasOwn, own } from '../engine/own.js';

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
export const STREAM_HYPER = 2; // search: lr and weight decay of a trial
export const STREAM_SPLIT = 3; // search: the one shuffle of its data

export const deriveSeed = (seed, index) => hash32(seed, STREAM_RUN, index);

// mulberry32: uniform doubles in [0, 1) from a 32-bit seed (for plans, not for training).
export function uniforms(seed) {
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
const num = (text) => (text.trim() === '' ? NaN : Number(text) + 0); // Number('') would be 0; + 0: "-0" is 0
const list = (text) => text.split(/[,\s]+/).filter(Boolean);
const OWN_TYPES = {
  int: num,
  number: num,
  numbers: (text) => list(text).map(num),
  range: (text) => list(text).map(num),
  inits: (text) => list(text).map((s) => (s === 'he' || s === 'xavier' ? s : num(s))),
  activations: list,
  bool: (text) => ({ true: true, 1: true, false: false, 0: false })[text.trim()] ?? text,
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
    case 'bool':
      if (typeof v !== 'boolean') bad('must be true or false');
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

const SEED = { type: 'int', min: CONFIG_SCHEMA.seed.min, max: CONFIG_SCHEMA.seed.max, default: 1, doc: 'preset seed; each run\'s seed is derived from it and the run\'s index' };
const EPOCHS = (d) => ({ type: 'int', min: 1, max: 100000, default: d, doc: 'epoch points to record (the book\'s max_epochs)' });
const TEST_SIZE = { type: 'int', min: 1, max: 10000, default: 10000, doc: 'evaluate on the first N test images each epoch' };
const A = (n) => Array(n).fill(100);
// The regularisation presets can train their λ = 0, no-dropout net beside the
// regularised one (same seed: same initial weights, same batches), as the
// book's figures are read against 6.4.1's (the page turns it on).
const BASELINE = { type: 'bool', default: false, doc: 'also train the same net without weight decay and dropout (same seed) as a baseline' };
// Learning rates of the four optimizers, in the book's order.
const optimizerRates = (d) => Object.fromEntries(['SGD', 'Momentum', 'AdaGrad', 'Adam'].map((n, k) => [
  `lr${n}`, { type: 'number', min: 0, max: 100, default: d[k], doc: `${n} learning rate` },
]));

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
      samples: { type: 'int', min: 1, max: ABI.limits.histSamplesMax, default: 1000, doc: 'input rows' },
      nodes: { type: 'int', min: 1, max: ABI.limits.hiddenWidthMax, default: 100, doc: 'units per layer (= input width)' },
      layers: { type: 'int', min: 1, max: ABI.limits.maxHidden, default: 5, doc: 'hidden layers' },
      bins: { type: 'int', min: 1, max: ABI.limits.histBinsMax, default: 30, doc: 'histogram bins' },
      range: { type: 'range', default: [0, 1], doc: 'histogram range lo,hi (plt.hist range=)' },
      bookRanges: { type: 'bool', default: false, doc: 'tanh over (-1, 1) as the book plots it, whatever range says (for all three at once)' },
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
    own: { epochs: EPOCHS(201), testSize: TEST_SIZE, baseline: BASELINE },
  },
  'weight-decay': {
    title: 'Weight decay',
    book: '6.4.2; ch06/overfit_weight_decay.py (weight_decay_lambda = 0.1)',
    doc: 'overfit with L2 weight decay 0.1.',
    engine: { hidden: A(6), activation: 'relu', init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 300, weightDecay: 0.1 },
    own: { epochs: EPOCHS(201), testSize: TEST_SIZE, baseline: BASELINE },
  },
  dropout: {
    title: 'Dropout',
    book: '6.4.3; ch06/overfit_dropout.py',
    doc: "overfit with the book's (non-inverted) dropout 0.2 for 301 epochs.",
    engine: { hidden: A(6), activation: 'relu', init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 300, dropout: 0.2, dropoutMode: 'book' },
    own: { epochs: EPOCHS(301), testSize: TEST_SIZE, baseline: BASELINE },
  },
  'optimizers-2d': {
    title: 'Optimizers on f(x, y) = x²/20 + y²',
    book: '6.1.7; ch06/optimizer_compare_naive.py',
    doc: 'SGD, Momentum, AdaGrad and Adam (common/optimizer.py) from one start point; the positions before each update, in float64. No training, no data.',
    engine: null,
    own: {
      x0: { type: 'number', min: -100, max: 100, default: -7, doc: 'start x' },
      y0: { type: 'number', min: -100, max: 100, default: 2, doc: 'start y' },
      steps: { type: 'int', min: 1, max: 10000, default: 30, doc: 'updates (positions recorded before each)' },
      ...optimizerRates([0.95, 0.1, 1.5, 0.3]),
    },
  },
  optimizers: {
    title: 'Optimizers on MNIST',
    book: '6.1.8; ch06/optimizer_compare_mnist.py',
    doc: '784-100-100-100-100-10 ReLU He nets trained with SGD, Momentum, AdaGrad and Adam on the same batches from the same initial weights; training loss after each update on that batch.',
    engine: { hidden: A(4), activation: 'relu', init: 'he', batchSize: 128, trainSize: 60000, lossMode: 'book' },
    varied: { optimizer: 'the four optimizers', lr: 'lrSGD, lrMomentum, lrAdaGrad, lrAdam' },
    own: {
      iterations: { type: 'int', min: 1, max: 1000000, default: 2000, doc: 'training iterations' },
      ...optimizerRates([0.01, 0.01, 0.01, 0.001]),
    },
  },
  'gradient-check': {
    title: 'Gradient check',
    book: '6.3.2; ch06/batch_norm_gradient_check.py (5.7.3)',
    doc: 'backprop against the central difference (h = 1e-4, common/gradient.py) for every parameter of a 784-100-100-10 BatchNorm net on the first training images, in float64, with the float32 engine beside it.',
    engine: { hidden: [100, 100], activation: 'relu', init: 'he', batchNorm: true, batchSize: 1 },
    varied: { trainSize: 'batchSize (the check reads the first batchSize images)' },
    own: {
      h: { type: 'number', min: 0, max: 1, default: 1e-4, doc: 'central-difference step (common/gradient.py: 1e-4)' },
    },
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

export function presetDef(name) {
  const p = own(PRESETS, name);
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
  if (key === 'seed' || hasOwn(p.own, key)) return null;
  if (!hasOwn(CONFIG_SCHEMA, key)) return 'unknown setting';
  if (!p.engine) return `${name} trains nothing, so engine settings do not apply`;
  if (key === 'maxIterations') return 'set per run from the iterations or epochs';
  if (own(p.varied, key)) return `${name} varies it per run; set ${p.varied[key]} instead`;
  return null;
}

// Parse one --set / URL value for a preset's key into its typed value.
export function parseSetting(name, key, text) {
  const p = presetDef(name);
  const why = refusal(p, name, key);
  if (why) throw new ConfigError(key, why);
  const spec = key === 'seed' ? SEED : own(p.own, key);
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
    else if (hasOwn(p.own, k)) own[k] = checkOwn(k, p.own[k], v);
    else engine[k] = v;
  }
  if (!p.engine) return own;
  const config = makeConfig({ ...p.engine, ...engine });
  for (const k of ['seed', 'maxIterations', ...Object.keys(p.varied ?? {})]) delete config[k];
  // A preset's own key wins over the engine key of the same name (search's trainSize).
  return { seed: own.seed, ...config, ...own };
}
