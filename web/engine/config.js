// config.js: the one config object that the engine, the CLI, the URL state
// and the page share. This module knows the keys, their types and defaults.
// Ranges, enum names and the words that refuse a value are C's, from abi.js;
// C's dlfs_config_check judges again what reaches it. Nothing here is
// silently clamped or coerced: a wrong value is an error naming the key.

import { ABI } from './abi.js';

import { own } from './own.js';
import { show, float32Problem } from './api-args.js';

export class ConfigError extends Error {
  constructor(key, message) {
    super(key ? `${key}: ${message}` : message);
    this.name = 'ConfigError';
    this.key = key;
  }
}

// Limits, enum names and range messages are the C engine's (abi.js, generated
// from csrc/dlfs.h), so a value JS refuses is refused with C's own words.
const { enums: E, limits: L, status: S } = ABI;
// What C's status `id` says about its key, without the "key: " prefix.
const says = (id) => S[id].message.slice(S[id].key.length + 2);
const int = (min, max, status) => ({ type: 'int', min, max, says: status ? says(status) : `must be an integer from ${min} to ${max}` });
const oneOf = (values, status) => ({ type: 'enum', values, says: says(status) });
const bool = (status) => ({ type: 'bool', says: says(status) });

// Every key: its type and default. `doc` is what --help and tooltips show.
export const CONFIG_SCHEMA = {
  hidden: { type: 'widths', maxLayers: L.maxHidden, maxWidth: L.hiddenWidthMax, says: [says('E_HIDDEN_COUNT'), says('E_HIDDEN_WIDTH')],
    default: [100], doc: `hidden layer widths, e.g. 100,100,100 (1-${L.maxHidden} layers of 1-${L.hiddenWidthMax})` },
  activation: { ...oneOf(E.activation, 'E_ACTIVATION'), default: 'relu', doc: 'hidden activation' },
  init: { type: 'init', says: says('E_INIT'), default: 'he', doc: "weight init: 'he', 'xavier' or a std > 0" },
  batchNorm: { ...bool('E_BATCH_NORM'), default: false, doc: 'Batch Normalization after each hidden Affine' },
  dropout: { type: 'number', default: 0, doc: 'dropout ratio, 0 <= r < 1 (0 = no dropout layers)' },
  dropoutMode: { ...oneOf(E.dropoutMode, 'E_DROPOUT_MODE'), default: 'book', doc: "'book' (test x (1-r)) or 'inverted'" },
  weightDecay: { type: 'number', default: 0, doc: 'L2 weight decay lambda >= 0' },
  optimizer: { ...oneOf(E.optimizer, 'E_OPTIMIZER'), default: 'sgd', doc: 'optimizer' },
  lr: { type: 'number', default: 0.01, doc: 'learning rate > 0' },
  batchSize: { ...int(1, L.batchSizeMax, 'E_BATCH_SIZE'), default: 100, doc: 'mini-batch size' },
  trainSize: { ...int(1, L.trainSizeMax, 'E_TRAIN_SIZE'), default: 60000, doc: 'train on the first N training images' },
  // C takes the seed as a uint32_t (dlfs_config.seed): every 32-bit value.
  seed: { ...int(0, 2 ** 32 - 1), default: 1, doc: 'PRNG seed (init, batches, dropout)' },
  // Engine-level settings beyond the chapter's knobs.
  shuffle: { ...bool('E_SHUFFLE'), default: false, doc: 'epoch-wise shuffling instead of the book\'s sampling with replacement' },
  lossMode: { ...oneOf(E.lossMode, 'E_LOSS_MODE'), default: 'forward', doc: "loss curve: 'forward' (free), 'book' (after the update, test mode) or 'none' (not recorded)" },
  maxIterations: { ...int(1, L.maxIterationsMax, 'E_MAX_ITERATIONS'), default: 100000, doc: 'curve capacity in iterations' },
  evalBatch: { ...int(1, L.evalBatchMax, 'E_EVAL_BATCH'), default: 1000, doc: 'images per evaluation pass' },
};

export const CONFIG_KEYS = Object.freeze(Object.keys(CONFIG_SCHEMA));

export function defaultConfig() {
  const out = {};
  for (const [k, s] of Object.entries(CONFIG_SCHEMA)) out[k] = Array.isArray(s.default) ? [...s.default] : s.default;
  return out;
}

// `shown`: what the user typed, when the value was parsed from text.
function checkValue(key, spec, v, shown = show(v)) {
  const bad = (what) => { throw new ConfigError(key, `${what} (got ${shown})`); };
  const tiny = float32Problem(v); // the engine keeps numbers as float32
  if (tiny && (spec.type === 'number' || spec.type === 'init')) throw new ConfigError(key, tiny);
  switch (spec.type) {
    case 'int':
      if (!Number.isInteger(v) || v < spec.min || v > spec.max) bad(spec.says);
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('must be a finite number');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') bad(spec.says);
      return v;
    case 'enum':
      if (!spec.values.includes(v)) bad(spec.says);
      return v;
    case 'init':
      if (v === 'he' || v === 'xavier') return v;
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
      return bad(spec.says);
    case 'widths':
      if (!Array.isArray(v) || v.length < 1 || v.length > spec.maxLayers) bad(spec.says[0]);
      for (const w of v) if (!Number.isInteger(w) || w < 1 || w > spec.maxWidth) bad(spec.says[1]);
      return [...v];
    default:
      throw new Error(`config schema: unknown type ${spec.type}`);
  }
}

// Complete `partial` with defaults; reject unknown keys and wrong types.
export function makeConfig(partial = {}) {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new ConfigError(null, 'config must be an object');
  }
  const out = defaultConfig();
  for (const [k, v] of Object.entries(partial)) {
    const spec = own(CONFIG_SCHEMA, k);
    if (!spec) throw new ConfigError(k, `unknown setting; known settings are ${CONFIG_KEYS.join(', ')}`);
    out[k] = checkValue(k, spec, v);
  }
  return out;
}

// Parse a command-line or URL string for `key` into its typed value.
export function parseConfigValue(key, text) {
  const spec = own(CONFIG_SCHEMA, key);
  if (!spec) throw new ConfigError(key, `unknown setting; known settings are ${CONFIG_KEYS.join(', ')}`);
  // + 0 turns "-0" into 0, which is what a link writes back (found by properties.test.mjs).
  const num = (s) => (s.trim() === '' ? NaN : Number(s) + 0);
  let v;
  switch (spec.type) {
    case 'int': case 'number': v = num(text); break;
    case 'bool':
      v = text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
      break;
    case 'init': v = text === 'he' || text === 'xavier' ? text : num(text); break;
    case 'widths': v = text.split(/[,x ]+/).filter(Boolean).map(num); break;
    default: v = text;
  }
  if (typeof v === 'number' && Number.isNaN(v)) throw new ConfigError(key, `not a number (got ${JSON.stringify(text)})`);
  return checkValue(key, spec, v, JSON.stringify(text));
}

// Format a value the way parseConfigValue reads it back.
export function formatConfigValue(key, v) {
  return Array.isArray(v) ? v.join(',') : String(v);
}
