// state.js: the playground's whole state as one object, serialised to and
// from the URL hash (as tensorflow/playground's state.ts does):
//   #preset=overfit&weightDecay=0.1&...&seed=1&dropout_hide=true&lang=ko
// The seed and every setting with a control are always written, any other
// setting when it differs from its default, so a link is short yet
// reproduces the run exactly. Reading is
// strict: a bad value, an unknown key or an unknown preset is reported, and
// that part of the state falls back to its default, never half-parsed.

// state: { preset, settings: {key: value}, hide: Set<controlKey>, lang: 'ko'|'en'|null,
//          page: {key: value} (settings of the page, not of the run: e.g. workers) }

import { hasOwn } from '../engine/own.js';

const HIDE_SUFFIX = '_hide';

// Read a hash. Options:
//   presets: names accepted for `preset=`; fallback: the preset used when none/unknown;
//   defaultsFor(preset) -> {key: value}: every setting the preset has, with defaults;
//   parse(preset, key, text) -> value (throws with a message on a bad value);
//   controlKeys: keys that may carry `_hide`; langs: accepted `lang=` values;
//   pageKeys: {key: parse(text) -> value} for page settings.
// Returns {state, problems: [string]}.
export function parseHash(hash, { presets, fallback, defaultsFor, parse, controlKeys, langs, pageKeys = {} }) {
  const problems = [];
  const text = String(hash ?? '').replace(/^#/, '');
  let pairs = [];
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let key;
    let value;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      problems.push(`"${part.slice(0, 40)}" is not URL-encoded text`);
      continue;
    }
    pairs.push([key, value]);
  }
  // A key given twice is reported; the first one counts (as the preset's always did).
  const firsts = new Map(); // key -> {value, times}
  for (const [key, value] of pairs) {
    const seen = firsts.get(key);
    if (seen) seen.times++;
    else firsts.set(key, { value, times: 1 });
  }
  for (const [key, { value, times }] of firsts) {
    if (times > 1) problems.push(`${key.slice(0, 40)} is given ${times} times; the first (${value.slice(0, 40)}) is used`);
  }
  pairs = [...firsts].map(([key, { value }]) => [key, value]);

  let preset = fallback;
  const presetPair = pairs.find(([k]) => k === 'preset');
  if (presetPair) {
    if (presets.includes(presetPair[1])) preset = presetPair[1];
    else problems.push(`unknown preset "${presetPair[1].slice(0, 40)}"`);
  }
  const defaults = defaultsFor(preset);
  const state = { preset, settings: { ...defaults }, hide: new Set(), lang: null, page: {} };

  for (const [key, value] of pairs) {
    if (key === 'preset') continue;
    if (key === 'lang') {
      if (langs.includes(value)) state.lang = value;
      else problems.push(`unknown language "${value.slice(0, 20)}"`);
    } else if (key.endsWith(HIDE_SUFFIX) && controlKeys.includes(key.slice(0, -HIDE_SUFFIX.length))) {
      if (value === 'true') state.hide.add(key.slice(0, -HIDE_SUFFIX.length));
      else if (value !== 'false') problems.push(`${key} must be true or false`);
    } else if (hasOwn(pageKeys, key)) {
      try {
        state.page[key] = pageKeys[key](value);
      } catch (err) {
        problems.push(err.message);
      }
    } else {
      // The parser knows why a key is refused (unknown, or one the preset varies itself).
      try {
        const v = parse(preset, key, value);
        if (!hasOwn(defaults, key)) throw new Error(`${key}: not a setting of ${preset}`);
        state.settings[key] = v;
      } catch (err) {
        problems.push(err.message.slice(0, 200));
      }
    }
  }
  return { state, problems };
}

// Write a hash of `settings` (the ones worth writing; the caller chooses)
// with format(key, value) -> text (config.js's formatConfigValue).
export function formatHash({ preset, settings, hide, lang, page = {} }, format) {
  const enc = (v) => encodeURIComponent(v).replace(/%2C/g, ',');
  const parts = [`preset=${enc(preset)}`];
  for (const [key, value] of Object.entries(settings)) parts.push(`${enc(key)}=${enc(format(key, value))}`);
  for (const [key, value] of Object.entries(page)) parts.push(`${enc(key)}=${enc(String(value))}`);
  for (const key of [...hide].sort()) parts.push(`${key}${HIDE_SUFFIX}=true`);
  if (lang) parts.push(`lang=${lang}`);
  return `#${parts.join('&')}`;
}
