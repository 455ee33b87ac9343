// config.js: the one config object that the engine, the CLI, the URL state
// and the page share. This module knows the keys, their types and defaults;
// numeric ranges are checked once, by the C engine (dlfs_config_check), whose
// status messages web/engine/engine.js turns into exceptions. Nothing here is
// silently clamped or coerced: a wrong type is an error naming the key.

import { own } from './own.js';
import { show, float32Problem } from './api-args.js';

export class ConfigError extends Error {
  constructor(key, message) {
    super(key ? `${key}: ${message}` : message);
    this.name = 'ConfigError';
    this.key = key;
  }
}

const int = (min, max) => ({ type: 'int', min, max });

// Every key: its type and default. `doc` is what --help and tooltips show.
export const CONFIG_SCHEMA = {
  hidden: { type: 'widths', default: [100], doc: 'hidden layer widths, e.g. 100,100,100 (1-10 layers of 1-1024)' },
  activation: { type: 'enum', values: ['relu', 'sigmoid', 'tanh'], default: 'relu', doc: 'hidden activation' },
  init: { type: 'init', default: 'he', doc: "weight init: 'he', 'xavier' or a std > 0" },
  batchNorm: { type: 'bool', default: false, doc: 'Batch Normalization after each hidden Affine' },
  dropout: { type: 'number', default: 0, doc: 'dropout ratio, 0 <= r < 1 (0 = no dropout layers)' },
  dropoutMode: { type: 'enum', values: ['book', 'inverted'], default: 'book', doc: "'book' (test x (1-r)) or 'inverted'" },
  weightDecay: { type: 'number', default: 0, doc: 'L2 weight decay lambda >= 0' },
  optimizer: { type: 'enum', values: ['sgd', 'momentum', 'adagrad', 'adam'], default: 'sgd', doc: 'optimizer' },
  lr: { type: 'number', default: 0.01, doc: 'learning rate > 0' },
  batchSize: { ...int(1, 1024), default: 100, doc: 'mini-batch size' },
  trainSize: { ...int(1, 1000000), default: 60000, doc: 'train on the first N training images' },
  seed: { ...int(0, 4294967295), default: 1, doc: 'PRNG seed (init, batches, dropout)' },
  // Engine-level settings beyond the chapter's knobs.
  shuffle: { type: 'bool', default: false, doc: 'epoch-wise shuffling instead of the book\'s sampling with replacement' },
  lossMode: { type: 'enum', values: ['forward', 'book'], default: 'forward', doc: "loss curve: 'forward' (free) or 'book' (after the update, test mode)" },
  maxIterations: { ...int(1, 10000000), default: 100000, doc: 'curve capacity in iterations' },
  evalBatch: { ...int(1, 10000), default: 1000, doc: 'images per evaluation pass' },
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
      if (!Number.isInteger(v)) bad('must be an integer');
      if (v < spec.min || v > spec.max) bad(`must be from ${spec.min} to ${spec.max}`);
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('must be a finite number');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') bad('must be true or false');
      return v;
    case 'enum':
      if (!spec.values.includes(v)) bad(`must be one of ${spec.values.join(', ')}`);
      return v;
    case 'init':
      if (v === 'he' || v === 'xavier') return v;
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
      return bad("must be 'he', 'xavier' or a finite standard deviation > 0");
    case 'widths':
      if (!Array.isArray(v) || v.length < 1 || v.length > 10) bad('must list 1 to 10 hidden layer widths');
      for (const w of v) if (!Number.isInteger(w) || w < 1 || w > 1024) bad('every width must be an integer from 1 to 1024');
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
