// settings.js: how an experiment's settings are declared, described, parsed
// and resolved. Each experiment module exports `settings`:
//   {title, book, doc, engine, varied?, own}
// `engine`: the engine config's values (any engine key not in `varied` may be
// overridden; null: the experiment trains nothing); `own`: the experiment's
// keys, typed and checked here; `varied`: engine keys it sets per run, with the
// key that controls them instead. presets.js looks experiments up by name.
import { CONFIG_SCHEMA, ConfigError, makeConfig, parseConfigValue } from '../engine/config.js';
import { hasOwn, own } from '../engine/own.js';

export const initLabel = (init) => (init === 'xavier' ? 'Xavier' : init === 'he' ? 'He' : `std=${init}`);

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

export const SEED = { type: 'int', min: CONFIG_SCHEMA.seed.min, max: CONFIG_SCHEMA.seed.max, default: 1, doc: 'preset seed; each run\'s seed is derived from it and the run\'s index' };
export const EPOCHS = (d) => ({ type: 'int', min: 1, max: 100000, default: d, doc: 'epoch points to record (the book\'s max_epochs)' });
export const TEST_SIZE = { type: 'int', min: 1, max: 10000, default: 10000, doc: 'evaluate on the first N test images each epoch' };
// `n` hidden layers of 100 units, the book's nets.
export const hidden100 = (n) => Array(n).fill(100);
// Learning rates of the four optimizers, in the book's order.
export const optimizerRates = (d) => Object.fromEntries(['SGD', 'Momentum', 'AdaGrad', 'Adam'].map((n, k) => [
  `lr${n}`, { type: 'number', min: 0, max: 100, default: d[k], doc: `${n} learning rate` },
]));

// What --help and the page show for experiment `name` with settings `p`: every key the preset accepts, with its book default.
export function describeSettings(name, p) {
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
export function parseSettingOf(name, p, key, text) {
  const why = refusal(p, name, key);
  if (why) throw new ConfigError(key, why);
  const spec = key === 'seed' ? SEED : own(p.own, key);
  if (!spec) return parseConfigValue(key, text);
  return checkOwn(key, spec, OWN_TYPES[spec.type](text), text);
}

// Book settings with `overrides` (typed values) applied and checked. Engine
// keys are type-checked here; their ranges by the C engine when runs are made.
export function resolveSettingsOf(name, p, overrides = {}) {
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
