// links.js: the playground's state as a link (the URL hash) and as the
// custom element's attributes, both ways. No DOM access at module level, so
// Node can test it.
import { LANGS } from './i18n.js';
import { parseHash, formatHash } from './state.js';
import { formatConfigValue } from '../engine/config.js';
import { EXPERIMENTS, EXPERIMENT_NAMES, defaultsFor, parseExperimentSetting, linkSettings } from '../experiments/experiments.js';
import { settingKey } from './snippet.js';
import { hasOwn } from '../engine/own.js';

export const ALL_CONTROLS = [...new Set(Object.values(EXPERIMENTS).flatMap((x) => x.controls))];

const PAGE_KEYS = {
  workers: (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error(`workers: must be an integer from 1 to 16 (got ${JSON.stringify(text)})`);
    return n;
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
// controls="dropout,weightDecay" (the controls shown), lang="ko", workers="2",
// and any setting in kebab case (weight-decay="0.1"; the hidden layers are
// hidden-layers="100,100", as HTML's hidden attribute hides an element).
const NOT_SETTINGS = new Set(['preset', 'controls', 'lang', 'workers', 'id', 'class', 'style', 'hidden', 'title', 'slot', 'part', 'dir', 'tabindex']);
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
  if (get('workers') !== null) {
    try { page.workers = PAGE_KEYS.workers(get('workers')); } catch (err) { problems.push(err.message); }
  }
  return { state: { preset, settings, hide, lang, page }, problems };
}

export function writeHash(state) {
  return formatHash({ ...state, settings: linkSettings(state.preset, state.settings) }, formatConfigValue);
}

