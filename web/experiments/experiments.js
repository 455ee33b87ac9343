// experiments.js: the page's tabs. Each is one of presets.js's presets with
// the book's settings (the sandbox is the overfit experiment with every
// setting open and friendlier defaults), plus what the page needs to show
// it: which controls, which view, whether settings may change live, how
// many workers a run may use (`workers`) and how many of its jobs train at
// once (`together`: Infinity for a comparison, whose runs progress together;
// the search's trials a few at a time, so its best curves fill in as they end).
// Nothing here runs anything.
import { describePreset, resolveSettings, parseSetting } from './presets.js';
import { formatConfigValue } from '../engine/config.js';

const SINGLE = ['init', 'batchNorm', 'weightDecay', 'dropout', 'lr', 'optimizer', 'batchSize', 'trainSize', 'hiddenCount', 'hiddenWidth', 'activation', 'epochs', 'seed'];
// One net trained with live settings; with weight decay or dropout, its
// λ = 0, no-dropout baseline (presets' `baseline`) beside it on a second worker.
const SINGLE_RUN = { controls: SINGLE, view: 'single', live: true, workers: 2, together: Infinity };

export const EXPERIMENTS = {
  sandbox: {
    preset: 'overfit',
    // A thousand images are the first shard alone (~165 KB), so the first
    // point needs no more than train-00 (test accuracy follows as the test
    // shards arrive); more images are one slider away.
    defaults: { hidden: [100, 100], trainSize: 1000, lr: 0.1, epochs: 30, baseline: true },
    ...SINGLE_RUN,
  },
  // The book's figures: the chosen activation under all four inits at once, over its own range.
  activations: { preset: 'activations', defaults: { activations: ['sigmoid'] }, controls: ['activationSet', 'seed'], view: 'activations', together: Infinity },
  init: { preset: 'init', controls: ['lr', 'optimizer', 'batchSize', 'iterations', 'seed'], view: 'init', together: Infinity },
  batchnorm: { preset: 'batchnorm', controls: ['lr', 'optimizer', 'batchSize', 'trainSize', 'epochs', 'activation', 'seed'], view: 'batchnorm', together: Infinity },
  overfit: { preset: 'overfit', defaults: { baseline: true }, ...SINGLE_RUN },
  'weight-decay': { preset: 'weight-decay', defaults: { baseline: true }, ...SINGLE_RUN },
  dropout: { preset: 'dropout', defaults: { baseline: true }, ...SINGLE_RUN },
  search: { preset: 'search', controls: ['trials', 'epochs', 'lrRange', 'weightDecayRange', 'good', 'trainSize', 'optimizer', 'batchSize', 'seed'], view: 'search', together: 4 },
  'optimizers-2d': { preset: 'optimizers-2d', controls: ['lrSGD', 'lrMomentum', 'lrAdaGrad', 'lrAdam', 'x0', 'y0'], view: 'optimizers2d' },
  optimizers: { preset: 'optimizers', controls: ['lrSGD', 'lrMomentum', 'lrAdaGrad', 'lrAdam', 'iterations', 'batchSize', 'seed'], view: 'optimizers', together: Infinity },
  // The book checks one image, but BatchNorm over a batch of one outputs beta whatever
  // its input, so nearly every gradient is exactly 0 (and two images give +-1): three
  // is the smallest batch whose check says something (see the tab's text).
  'gradient-check': { preset: 'gradient-check', defaults: { batchSize: 3 }, controls: ['batchSize', 'batchNorm', 'dropout', 'weightDecay', 'seed'], view: 'gradcheck', together: Infinity },
};

export const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS);

// Settings the engine can change in a running net (everything else rebuilds it).
export const LIVE_KEYS = ['lr', 'weightDecay', 'dropout'];

// The range a training net's activation histograms cover: the activation's
// own range; ReLU's from just above 0 (its exact zeros are counted apart, in
// the title, from the first histogram on) and cut at 2 until histRanges
// follows the layers' spread (the rest counts as "outside" in the text).
export function histRange(activation) {
  return activation === 'tanh' ? [-1, 1] : activation === 'relu' ? [1e-6, 2] : [0, 1];
}

// Per-layer ranges for a ReLU net's histograms from the layers' last mean and
// std: (0, a round number above mean + 3 std], so the spread is visible
// (a fixed 0..2 showed a spike at 0 and nothing else). undefined at first.
export function histRanges(layers) {
  if (!layers?.length) return undefined;
  return layers.map((h) => {
    const top = Math.max(1e-3, (h.mean ?? 0) + 3 * (h.std ?? 0));
    const step = 10 ** Math.floor(Math.log10(top));
    const nice = [1, 2, 2.5, 5, 10].map((m) => m * step).find((v) => v >= top) ?? 10 * step;
    // From just above 0: a ReLU layer's exact zeros fall below and are counted apart.
    return [1e-6, Number(nice.toPrecision(3))];
  });
}

export function defaultsFor(name) {
  const x = EXPERIMENTS[name];
  return resolveSettings(x.preset, x.defaults ?? {});
}

// Parse a link's or attribute's text for an experiment's setting (throws a
// ConfigError naming the key).
export function parseExperimentSetting(name, key, text) {
  return parseSetting(EXPERIMENTS[name].preset, key, text);
}

// How each control reads and writes the settings, written once: the setting
// keys it edits, get(settings) and set(settings, value). Most edit the setting
// of their own name; hidden layers are edited as count x width, and the
// activations experiment shows one activation and one init of its lists.
export function binding(name, control) {
  const lists = EXPERIMENTS[name].preset === 'activations';
  if (control === 'hiddenCount') return { keys: ['hidden'], get: (s) => s.hidden.length, set: (s, v) => ({ ...s, hidden: Array(v).fill(s.hidden[0]) }) };
  if (control === 'hiddenWidth') return { keys: ['hidden'], get: (s) => s.hidden[0], set: (s, v) => ({ ...s, hidden: s.hidden.map(() => v) }) };
  // The book plots tanh over (-1, 1), the others over (0, 1).
  // One activation's 20 histograms, or all three: the book's 12 pairs (tanh still over (-1, 1)).
  if (lists && control === 'activationSet') {
    return {
      keys: ['activations'],
      get: (s) => (s.activations.length > 1 ? 'all' : s.activations[0]),
      set: (s, v) => (v === 'all'
        ? { ...s, activations: ['sigmoid', 'relu', 'tanh'], range: [0, 1], bookRanges: true }
        : { ...s, activations: [v], range: v === 'tanh' ? [-1, 1] : [0, 1], bookRanges: false }),
    };
  }
  if (lists && control === 'init') return { keys: ['inits'], get: (s) => s.inits[0], set: (s, v) => ({ ...s, inits: [v] }) };
  return { keys: [control], get: (s) => s[control], set: (s, v) => ({ ...s, [control]: v }) };
}

const DERIVED = ['hiddenCount', 'hiddenWidth', 'activation', 'activationSet', 'init'];

// The settings as the controls show them (derived values included).
export function controlValues(name, settings) {
  const v = { ...settings };
  for (const c of DERIVED) {
    const b = binding(name, c);
    if (b.keys.every((k) => settings[k] !== undefined)) v[c] = b.get(settings);
  }
  return v;
}

// The settings after control `key` is set to `value`.
export function applyControl(name, settings, key, value) {
  return binding(name, key).set(settings, value);
}

// Settings keys a control edits (they are always written to the link).
function controlledKeys(name) {
  return new Set(EXPERIMENTS[name].controls.flatMap((c) => binding(name, c).keys));
}

// What goes into the link: every controlled setting, and any other that
// differs from the experiment's defaults (a link stays short yet exact).
export function linkSettings(name, settings) {
  const defaults = defaultsFor(name);
  const keys = controlledKeys(name);
  const same = (a, b) => formatConfigValue('', a) === formatConfigValue('', b);
  const out = {};
  for (const [k, v] of Object.entries(settings)) if (keys.has(k) || !same(v, defaults[k])) out[k] = v;
  return out;
}

// The same run from the command line (bit-identical for the same settings).
export function cliCommand(name, settings) {
  const { preset } = EXPERIMENTS[name];
  const defaults = resolveSettings(preset);
  const parts = ['node scripts/lab.mjs', preset, `--seed ${settings.seed}`];
  for (const k of Object.keys(settings).sort()) {
    if (k !== 'seed' && formatConfigValue(k, settings[k]) !== formatConfigValue(k, defaults[k])) parts.push(`--set ${k}=${formatConfigValue(k, settings[k])}`);
  }
  return parts.join(' ');
}

// The keys presets.js accepts for an experiment (to validate controls against).
export function acceptedKeys(name) {
  return Object.keys(describePreset(EXPERIMENTS[name].preset).keys);
}
