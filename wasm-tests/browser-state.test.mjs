// The page's state without a browser: links (URL hash), the custom
// element's attributes and the authors' snippets, both ways, and the
// experiments' tables against the presets they run (these modules are DOM-free).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { readHash, writeHash, readAttributes } from '../web/ui/links.js';
import { EXPERIMENTS, EXPERIMENT_NAMES, defaultsFor, applyControl, controlValues, cliCommand, acceptedKeys, linkSettings } from '../web/experiments/experiments.js';
import { CONTROLS } from '../web/ui/controls.js';
import { elementSnippet, iframeSnippet } from '../web/ui/snippet.js';

test('every experiment survives the trip through its link, seed and hide flags included', () => {
  for (const name of EXPERIMENT_NAMES) {
    const state = { preset: name, settings: { ...defaultsFor(name), seed: 12345 }, hide: new Set([EXPERIMENTS[name].controls[0]]), lang: 'ko', page: { workers: 2 } };
    const hash = writeHash(state);
    const { state: back, problems } = readHash(hash);
    assert.deepEqual(problems, [], hash);
    assert.deepEqual(back, state, hash);
    assert.match(hash, new RegExp(`^#preset=${name}&seed=12345&`));
    assert.match(hash, new RegExp(`${EXPERIMENTS[name].controls[0]}_hide=true`));
  }
});

test('a link keeps every controlled setting and only the others that differ', () => {
  const s = { ...defaultsFor('overfit'), weightDecay: 0.1, evalBatch: 500 };
  const keys = Object.keys(linkSettings('overfit', s));
  for (const k of ['seed', 'weightDecay', 'lr', 'hidden', 'epochs', 'evalBatch']) assert.ok(keys.includes(k), k);
  assert.ok(!keys.includes('dropoutMode') && !keys.includes('testSize'), 'defaults without a control stay out');
});

test('a malformed link is reported and falls back to defaults, part by part', () => {
  const { state, problems } = readHash('#preset=nope&lr=fast&bogus=1&lang=xx&dropout_hide=maybe&workers=99&%E0%A4%A=1');
  assert.equal(state.preset, 'sandbox');
  assert.deepEqual(state.settings, defaultsFor('sandbox'));
  assert.equal(problems.length, 7, problems.join('\n'));
  for (const re of [/unknown preset "nope"/, /lr: not a number/, /bogus: unknown setting/, /unknown language "xx"/, /dropout_hide must be true or false/, /workers: must be an integer from 1 to 16/, /not URL-encoded/]) {
    assert.ok(problems.some((p) => re.test(p)), `${re} in ${problems.join('; ')}`);
  }
  // A setting the preset varies itself is refused with the reason.
  assert.match(readHash('#preset=batchnorm&init=0.1').problems[0], /batchnorm varies it per run; set scales/);
  assert.deepEqual(readHash('').problems, []);
});

test('the custom element reads its attributes like a link', () => {
  const element = (attrs) => ({ getAttribute: (n) => attrs[n] ?? null, attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })) });
  const { state, problems } = readAttributes(element({ preset: 'overfit', 'weight-decay': '0.1', controls: 'dropout,weightDecay', lang: 'ko', class: 'x', 'data-x': '1' }));
  assert.deepEqual(problems, []);
  assert.equal(state.settings.weightDecay, 0.1);
  assert.equal(state.lang, 'ko');
  assert.deepEqual([...state.hide].sort(), EXPERIMENTS.overfit.controls.filter((k) => k !== 'dropout' && k !== 'weightDecay').sort());
  const bad = readAttributes(element({ preset: 'overfit', 'learning-rate': '1', controls: 'nope' }));
  assert.deepEqual(bad.problems, ['unknown setting "learning-rate" for overfit', 'no control "nope" in overfit']);
});

test('every control edits a setting its preset accepts, and the derived ones round-trip', () => {
  for (const name of EXPERIMENT_NAMES) {
    const accepted = acceptedKeys(name);
    const values = controlValues(name, defaultsFor(name));
    for (const key of EXPERIMENTS[name].controls) {
      assert.ok(CONTROLS[key], `${name}: no control ${key}`);
      const derived = { hiddenCount: 'hidden', hiddenWidth: 'hidden' }[key] ?? (EXPERIMENTS[name].preset === 'activations' ? { activation: 'activations', init: 'inits' }[key] : null) ?? key;
      assert.ok(accepted.includes(derived), `${name}: ${key} edits ${derived}, which ${EXPERIMENTS[name].preset} does not accept`);
      assert.ok(values[key] !== undefined, `${name}: ${key} has no value`);
    }
  }
  let s = defaultsFor('sandbox');
  s = applyControl('sandbox', s, 'hiddenCount', 3);
  s = applyControl('sandbox', s, 'hiddenWidth', 50);
  assert.deepEqual(s.hidden, [50, 50, 50]);
  const a = applyControl('activations', defaultsFor('activations'), 'init', 'xavier');
  assert.deepEqual(a.inits, ['xavier']);
});

test('the sandbox is the overfit preset from the CLI with its own settings', () => {
  assert.equal(cliCommand('sandbox', defaultsFor('sandbox')), 'node scripts/lab.mjs overfit --seed 1 --set epochs=30 --set hidden=100,100 --set lr=0.1 --set trainSize=1000');
  assert.equal(cliCommand('overfit', defaultsFor('overfit')), 'node scripts/lab.mjs overfit --seed 1');
});

test('the snippet generator writes what the custom element reads back', () => {
  const settings = { ...defaultsFor('overfit'), weightDecay: 0.1, hidden: [50, 50] };
  const html = elementSnippet({ base: new URL('https://play.example/dlfs/'), preset: 'overfit', settings: linkSettings('overfit', settings), controls: ['dropout', 'weightDecay'], lang: 'ko' });
  assert.match(html, /^<link rel="stylesheet" href="https:\/\/play\.example\/dlfs\/embed\.css">\n<script type="module" src="https:\/\/play\.example\/dlfs\/embed\.js"><\/script>\n<dlfs-playground preset="overfit" /);
  const startTag = html.slice(html.indexOf('<dlfs-playground'), html.indexOf('>', html.indexOf('<dlfs-playground')));
  const attrs = Object.fromEntries([...startTag.matchAll(/ ([a-z-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  // Fallback content for readers whose browser cannot run the element: a link to the playground.
  assert.match(html, /<dlfs-playground [^>]*><a href="https:\/\/play\.example\/dlfs\/#preset=overfit">[^<]+<\/a><\/dlfs-playground>$/);
  const element = { getAttribute: (n) => attrs[n] ?? null, attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })) };
  const { state, problems } = readAttributes(element);
  assert.deepEqual(problems, []);
  assert.deepEqual(state.settings, settings);
  assert.equal(state.lang, 'ko');
  assert.deepEqual(EXPERIMENTS.overfit.controls.filter((k) => !state.hide.has(k)), ['weightDecay', 'dropout']);
  const frame = iframeSnippet({ base: new URL('https://play.example/dlfs/'), hash: '#preset=overfit&weightDecay=0.1', title: 'Overfitting' });
  assert.equal(frame, '<iframe src="https://play.example/dlfs/embed.html#preset=overfit&amp;weightDecay=0.1" title="Overfitting" width="100%" height="760" loading="lazy"></iframe>');
});

test('Korean and English carry the same messages with the same placeholders, in every i18n file', async () => {
  const { PARTS, TABLES } = await import('../web/ui/i18n.js');
  const files = (await readdir(new URL('../web/ui/', import.meta.url))).filter((f) => /^i18n.*\.js$/.test(f)).sort();
  assert.deepEqual(Object.keys(PARTS).sort(), files, 'every web/ui/i18n*.js file is one of i18n.js\'s parts');
  const placeholders = (s) => [...s.matchAll(/\{(\w+)(?::[^}]+)?\}/g)].map((m) => m[1]).sort();
  const owner = new Map();
  for (const [file, part] of Object.entries(PARTS)) {
    assert.deepEqual(Object.keys(part.ko).sort(), Object.keys(part.en).sort(), `${file}: the same keys in ko and en`);
    for (const key of Object.keys(part.en)) {
      assert.deepEqual(placeholders(part.ko[key]), placeholders(part.en[key]), `${file}: ${key}`);
      assert.ok(!owner.has(key), `${key} is in ${owner.get(key)} and ${file} (one would silently replace the other)`);
      owner.set(key, file);
    }
  }
  assert.equal(Object.keys(TABLES.en).length, owner.size);
});
