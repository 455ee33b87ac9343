// links.js: the playground's state as a link (the URL hash) and as the
// custom element's attributes, both ways. No DOM access at module level, so
// Node can test it.
import { LANGS } from './i18n.js';
import { parseHash, formatHash } from './state.js';
import { formatConfigValue } from '../engine/config.js';
import { EXPERIMENTS, EXPERIMENT_NAMES, defaultsFor, parseExperimentSetting, linkSettings } from '../experiments/experiments.js';
import { settingKey } from './snippet.js';
import { THEMES } from './theme.js';
import { ALL_CHART_IDS } from './embed-size.js';
import { hasOwn } from '../engine/own.js';

export const ALL_CONTROLS = [...new Set(Object.values(EXPERIMENTS).flatMap((x) => x.controls))];

// Settings of the page or embed, not of the run: the same in a hash and as
// the custom element's attributes.
const PAGE_KEYS = {
  workers: (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`workers: must be an integer from 1 to 16 (got ${JSON.stringify(text)})`);
    return n;
  },
  // light | dark | auto (follows prefers-color-scheme)
  theme: (text) => {
    if (!THEMES.includes(text)) throw new Error(`theme: must be ${THEMES.join(', ')} (got ${JSON.stringify(text.slice(0, 20))})`);
    return text;
  },
  // The charts an embed shows, e.g. loss,accuracy (embed-size.js's CHART_IDS).
  charts: (text) => {
    const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = ids.find((id) => !ALL_CHART_IDS.includes(id));
    if (!ids.length || bad !== undefined) throw new Error(`charts: a comma-separated list of ${ALL_CHART_IDS.join(', ')} (got ${JSON.stringify(text.slice(0, 40))})`);
    return ids;
  },
  // inherit: use the blog's font (the custom element inherits it through its shadow root).
  font: (text) => {
    if (text !== 'inherit') throw new Error(`font: must be inherit (got ${JSON.stringify(text.slice(0, 20))})`);
    return text;
  },
};

// Read a link's hash into a state (problems: what could not be read).
export function readHash(hash) {
  return parseHash(hash, {
    presets: EXPERIMENT_NAMES,
    fallback: 'sandbox',
    defaultsFor,
    parse: parseExperimentSetting,
    controlKeys: ALL_CONTROLS,
    langs: LANGS,
    pageKeys: PAGE_KEYS,
  });
}

// The custom element's attributes into a state: preset="overfit",
// controls="dropout,weightDecay" (the controls shown), lang="ko", the page
// keys (workers="2", theme="dark", charts="loss,accuracy", font="inherit"),
// and any setting in kebab case (weight-decay="0.1"; the hidden layers are
// hidden-layers="100,100", as HTML's hidden attribute hides an element).
const NOT_SETTINGS = new Set(['preset', 'controls', 'lang', ...Object.keys(PAGE_KEYS), 'id', 'class', 'style', 'hidden', 'title', 'slot', 'part', 'dir', 'tabindex']);
export function readAttributes(element) {
  const problems = [];
  const get = (name) => element.getAttribute(name);
  let preset = get('preset') ?? 'sandbox';
  if (!hasOwn(EXPERIMENTS, preset)) {
    problems.push(`unknown preset "${preset.slice(0, 40)}"`);
    preset = 'sandbox';
  }
  const settings = defaultsFor(preset);
  for (const { name, value } of element.attributes) {
    if (NOT_SETTINGS.has(name) || name.startsWith('aria-') || name.startsWith('data-')) continue;
    const key = settingKey(name);
    try {
      if (!hasOwn(settings, key)) throw new Error(`unknown setting "${name}" for ${preset}`);
      settings[key] = parseExperimentSetting(preset, key, value);
    } catch (err) {
      problems.push(err.message);
    }
  }
  const hide = new Set();
  if (get('controls') !== null) {
    const shown = get('controls').split(/[\s,]+/).filter(Boolean);
    for (const k of shown) if (!EXPERIMENTS[preset].controls.includes(k)) problems.push(`no control "${k.slice(0, 40)}" in ${preset}`);
    for (const k of EXPERIMENTS[preset].controls) if (!shown.includes(k)) hide.add(k);
  }
  const lang = LANGS.includes(get('lang')) ? get('lang') : null;
  const page = {};
  for (const [key, parse] of Object.entries(PAGE_KEYS)) {
    if (get(key) === null) continue;
    try { page[key] = parse(get(key)); } catch (err) { problems.push(err.message); }
  }
  return { state: { preset, settings, hide, lang, page }, problems };
}

export function writeHash(state) {
  return formatHash({ ...state, settings: linkSettings(state.preset, state.settings) }, formatConfigValue);
}

