// controls.js: the settings panel, built from one table (in the manner of
// tensorflow/playground's state.ts). Each control edits one setting, shows its
// current value next to its label, and reports changes through onChange; it
// never decides what a change means for the run (the app does).
import { fmt } from './format.js';
import { el } from './dom.js';
import { buildRange } from './range-control.js';
import { CONFIG_SCHEMA } from '../engine/config.js';

// 1-2-5 steps per decade from 10^lo to 10^hi: round values that format and
// parse back exactly, so a slider position always writes a clean number into
// the URL (0.1 stays 0.1, never 0.10000000000000002).
function decades(lo, hi) {
  const out = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of [1, 2, 5]) if (e < hi || m === 1) out.push(Number(`${m}e${e}`));
  }
  return out;
}

const OPT_LRS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, ...Array.from({ length: 200 }, (_, i) => Number(((i + 1) / 100).toFixed(2)))];

// Kinds: 'steps' (a slider over a list of values), 'select', 'toggle',
// 'init' (log std slider + Xavier/He buttons), 'number' (seed), 'range'
// (exponents lo..hi, range-control.js).
export const CONTROLS = {
  init: { kind: 'init', values: decades(-4, 0) },
  batchNorm: { kind: 'toggle' },
  weightDecay: { kind: 'steps', values: [0, ...decades(-8, 0)] },
  dropout: { kind: 'steps', values: Array.from({ length: 19 }, (_, i) => Number((i * 0.05).toFixed(2))) },
  lr: { kind: 'steps', values: decades(-6, 0) },
  optimizer: { kind: 'select', values: CONFIG_SCHEMA.optimizer.values, labels: { sgd: 'SGD', momentum: 'Momentum', adagrad: 'AdaGrad', adam: 'Adam' } },
  batchSize: { kind: 'steps', values: [1, 2, 3, 4, 5, 10, 16, 32, 50, 64, 100, 128, 200, 256, 500, 1000] },
  trainSize: { kind: 'steps', values: [100, 200, 300, 500, 1000, 2000, 5000, 10000, 20000, 30000, 60000] },
  hiddenCount: { kind: 'steps', values: Array.from({ length: CONFIG_SCHEMA.hidden.maxLayers }, (_, i) => i + 1) },
  hiddenWidth: { kind: 'steps', values: [10, 20, 50, 100, 200, 500, 1000] },
  activation: { kind: 'select', values: CONFIG_SCHEMA.activation.values, labels: { relu: 'ReLU', sigmoid: 'Sigmoid', tanh: 'tanh' } },
  activationSet: { kind: 'select', values: [...CONFIG_SCHEMA.activation.values, 'all'], labels: { relu: 'ReLU', sigmoid: 'Sigmoid', tanh: 'tanh', all: 'Sigmoid + ReLU + tanh' } },
  seed: { kind: 'number', min: CONFIG_SCHEMA.seed.min, max: CONFIG_SCHEMA.seed.max },
  epochs: { kind: 'steps', values: [1, 2, 5, 10, 20, 50, 100, 201, 301, 500, 1000] },
  iterations: { kind: 'steps', values: [100, 200, 500, 1000, 2000, 5000, 10000] },
  trials: { kind: 'steps', values: [10, 20, 50, 100, 200] },
  lrRange: { kind: 'range', min: -8, max: 0, step: 0.25 },
  weightDecayRange: { kind: 'range', min: -10, max: 0, step: 0.25 },
  good: { kind: 'steps', values: [2, 3, 5, 10, 20] },
  // Section 6.1: the four learning rates (the toy problem's 0.95 / 0.1 / 1.5 / 0.3 and
  // MNIST's 0.01 / 0.001 are all on the list) and the toy problem's start point.
  ...Object.fromEntries(['lrSGD', 'lrMomentum', 'lrAdaGrad', 'lrAdam'].map((k) => [k, { kind: 'steps', values: OPT_LRS }])),
  x0: { kind: 'steps', values: Array.from({ length: 41 }, (_, i) => -10 + i * 0.5) },
  y0: { kind: 'steps', values: Array.from({ length: 41 }, (_, i) => -10 + i * 0.5) },
};

// Index of the listed value nearest to v (on a log scale where that is what
// the eye sees), so a value from a URL that is not on the list still places
// the slider sensibly while the value itself is kept as given.
function nearestIndex(values, v) {
  let best = 0;
  let bestD = Infinity;
  const logish = (x) => (x > 0 ? Math.log(x) : -1e9);
  for (let i = 0; i < values.length; i++) {
    const d = values[i] === v ? -1 : Math.abs(logish(values[i]) - logish(v));
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}

export function formatValue(key, v, t) {
  const spec = CONTROLS[key];
  if (spec?.kind === 'toggle') return v ? t('on') : t('off');
  if (spec?.labels) return spec.labels[v] ?? String(v);
  if (key === 'init') return v === 'he' ? t('he') : v === 'xavier' ? t('xavier') : fmt(v);
  return typeof v === 'number' ? fmt(v) : String(v);
}

let uid = 0;

// Build the controls for `keys` into `container`, one .ctl[data-key] row each.
//   values: {key: value}; onChange(key, value); t: translator; preset: the
//   experiment, whose own help line for a control (help.<preset>.<key>) wins.
export function buildControls(container, { keys, values, onChange, t, preset }) {
  const prefix = `ctl${++uid}`;
  container.replaceChildren();
  for (const key of keys) {
    const spec = CONTROLS[key];
    if (!spec) throw new Error(`controls: no control for ${key}`);
    const id = `${prefix}-${key}`;
    const out = el('output', { for: id, class: 'ctl-value' });
    const label = el('label', { for: id }, el('span', { text: t(`ctl.${key}`) }), ' ', out);
    const row = el('div', { class: 'ctl', 'data-key': key }, label);
    const w = { out, row };
    if (spec.kind === 'steps' || spec.kind === 'init') {
      const input = el('input', { type: 'range', id, min: '0', max: String(spec.values.length - 1), step: '1' });
      input.addEventListener('input', () => {
        const v = spec.values[Number(input.value)];
        w.show(v);
        onChange(key, v);
      });
      row.append(input);
      w.input = input;
      w.show = (v) => {
        const i = nearestIndex(spec.values, typeof v === 'number' ? v : NaN);
        input.value = String(i);
        const text = formatValue(key, v, t);
        out.textContent = text;
        input.setAttribute('aria-valuetext', text);
      };
      if (spec.kind === 'init') {
        // One-click Xavier / He: the std depends on each layer's fan-in, so they are named, not numbers.
        const buttons = el('div', { class: 'ctl-buttons', role: 'group', 'aria-label': t('ctl.init') });
        for (const name of ['xavier', 'he']) {
          const b = el('button', { type: 'button', class: 'chip', 'data-init': name, 'aria-pressed': 'false', text: t(name) });
          b.addEventListener('click', () => { w.show(name); onChange(key, name); });
          buttons.append(b);
        }
        row.append(buttons);
        const showStd = w.show;
        w.show = (v) => {
          showStd(v);
          if (typeof v !== 'number') {
            // Named inits: the slider shows the first layer's std for MNIST's 784 inputs.
            input.value = String(nearestIndex(spec.values, Math.sqrt((v === 'he' ? 2 : 1) / 784)));
          }
          for (const b of buttons.children) b.setAttribute('aria-pressed', String(b.dataset.init === v));
        };
      }
    } else if (spec.kind === 'select') {
      const select = el('select', { id });
      for (const v of spec.values) select.append(el('option', { value: v, text: spec.labels?.[v] ?? v }));
      select.addEventListener('change', () => { w.show(select.value); onChange(key, select.value); });
      row.append(select);
      w.show = (v) => { select.value = v; out.textContent = formatValue(key, v, t); };
    } else if (spec.kind === 'toggle') {
      const box = el('input', { type: 'checkbox', id, role: 'switch' });
      box.addEventListener('change', () => { w.show(box.checked); onChange(key, box.checked); });
      row.append(box);
      row.classList.add('ctl-toggle');
      w.show = (v) => { box.checked = !!v; out.textContent = formatValue(key, !!v, t); };
    } else if (spec.kind === 'range') {
      w.show = buildRange(row, { id, spec, out, onChange: (v) => onChange(key, v), t });
    } else if (spec.kind === 'number') {
      const input = el('input', { type: 'number', id, min: String(spec.min), max: String(spec.max), step: '1', inputmode: 'numeric' });
      input.addEventListener('change', () => {
        const v = Number(input.value);
        if (Number.isInteger(v) && v >= spec.min && v <= spec.max) { w.show(v); onChange(key, v); } else w.show(w.value);
      });
      const again = el('button', { type: 'button', class: 'chip', text: t('newSeed') });
      again.addEventListener('click', () => {
        const v = (Math.random() * 2 ** 32) >>> 0;
        w.show(v);
        onChange(key, v);
      });
      row.append(input, again);
      w.show = (v) => { w.value = v; input.value = String(v); out.textContent = String(v); };
    }
    w.show(values[key]);
    // One line on what the control does and what to watch for (i18n-teach.js).
    // (The compact row shows two lines of it: the title holds all of it.)
    const help = [`help.${preset}.${key}`, `help.${key}`].map((k) => [k, t(k)]).find(([k, text]) => text !== k)?.[1];
    if (help) row.append(el('p', { class: 'ctl-help', id: `${id}-help`, title: help, text: help }));
    container.append(row);
  }
}
