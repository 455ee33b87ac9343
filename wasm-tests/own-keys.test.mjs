// own-keys.test.mjs: names that come from outside (a link, an attribute, a
// --set, a JS config) are looked up among a table's own keys only, so
// inherited names such as toString or __proto__ are unknown settings, never
// a crash, a silently ignored value or a prototype change (issue 8, case 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { makeConfig, parseConfigValue, ConfigError } from '../web/engine/config.js';
import { parseSetting, resolveSettings } from '../web/experiments/presets.js';
import { readHash, readAttributes, writeHash } from '../web/ui/links.js';

const INHERITED = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf', '__defineGetter__'];
const LAB = fileURLToPath(new URL('../scripts/lab.mjs', import.meta.url));
const run = promisify(execFile);
// An object with `name` as an own key, __proto__ included (a literal would set the prototype).
const withKey = (name, value) => JSON.parse(JSON.stringify({ [`${name}\0`]: value }).replace('\\u0000', ''));

const isConfigError = (name) => (e) => e instanceof ConfigError && e.key === name && /unknown setting/.test(e.message);

test('the config validator and parser refuse inherited names as unknown settings', () => {
  for (const name of INHERITED) {
    assert.ok(Object.hasOwn(withKey(name, 1), name));
    assert.throws(() => makeConfig(withKey(name, 1)), isConfigError(name), name);
    assert.throws(() => parseConfigValue(name, '1'), isConfigError(name), name);
    assert.throws(() => parseSetting('overfit', name, '1'), isConfigError(name), name);
    assert.throws(() => parseSetting('activations', name, '1'), isConfigError(name), name);
    assert.throws(() => resolveSettings('overfit', withKey(name, 1)), isConfigError(name), name);
    assert.throws(() => parseSetting(name, 'seed', '1'), (e) => e instanceof ConfigError && /unknown preset/.test(e.message), name);
  }
});

test('a link with an inherited name reports it and writes nothing odd back', () => {
  for (const name of INHERITED) {
    for (const hash of [`#${name}=1`, `#preset=overfit&${name}=1`, `#${name}`, `#${name}_hide=true`]) {
      const { state, problems } = readHash(hash);
      assert.equal(problems.length, 1, `${hash}: ${problems}`);
      assert.match(problems[0], new RegExp(name.replace(/[$_]/g, '.')));
      assert.equal(Object.getPrototypeOf(state.settings), Object.prototype, hash);
      assert.equal(Object.getPrototypeOf(state.page), Object.prototype, hash);
      assert.ok(!Object.hasOwn(state.settings, name) && !Object.hasOwn(state.page, name), hash);
      assert.doesNotMatch(writeHash(state), new RegExp(`[#&]${name}[=_]`), hash);
    }
    const { state, problems } = readHash(`#preset=${name}`);
    assert.equal(state.preset, 'sandbox');
    assert.match(problems.join(), /unknown preset/);
  }
});

test('element attributes with inherited names are reported, not applied', () => {
  const element = (attrs) => ({
    attributes: Object.entries(attrs).map(([name, value]) => ({ name, value })),
    getAttribute: (n) => (Object.hasOwn(attrs, n) ? attrs[n] : null),
  });
  for (const preset of INHERITED) {
    const { state, problems } = readAttributes(element({ preset }));
    assert.equal(state.preset, 'sandbox', preset);
    assert.match(problems.join(), /unknown preset/);
  }
  for (const attr of ['to-string', 'constructor', 'value-of', '__proto__', 'has-own-property']) {
    const { state, problems } = readAttributes(element({ preset: 'overfit', [attr]: '1' }));
    assert.equal(problems.length, 1, `${attr}: ${problems}`);
    assert.equal(Object.getPrototypeOf(state.settings), Object.prototype);
  }
});

test('lab.mjs --set with an inherited name exits 2 naming it', async () => {
  for (const name of ['toString', '__proto__', 'constructor']) {
    await assert.rejects(run(process.execPath, [LAB, 'overfit', '--set', `${name}=1`]),
      (e) => e.code === 2 && e.stderr.includes(`lab: ${name}: unknown setting`), name);
  }
  await assert.rejects(run(process.execPath, [LAB, 'toString']), (e) => e.code === 2 && /unknown preset/.test(e.stderr));
});
