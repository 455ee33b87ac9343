// properties.test.mjs: property-based tests (fast-check) of everything that
// reads outside input (issue 8, "Fuzzing and soak"):
//   - the shard codec: decode and inflate throw nothing but ShardError, and
//     never produce more bytes than the declared size;
//   - the manifest loader: a manifest is refused with a ShardError or its
//     shards tile each split exactly; loading never rejects for a bad shard;
//   - the URL-hash parser: parse(format(state)) is the state for every valid
//     state; any text gives a state and notices, never an exception;
//   - the config validator: makeConfig and parseConfigValue return a valid
//     config or throw a ConfigError, and format/parse round-trip.
// Seeds are fixed so a failure reproduces; fast-check prints the shrunk case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { encodeShard, decodeShard, inflate, loadShards, validateManifest, ShardError, HEADER_BYTES } from '../web/data/shards.js';
import { readHash, writeHash, ALL_CONTROLS } from '../web/ui/links.js';
import { EXPERIMENTS, EXPERIMENT_NAMES, defaultsFor, parseExperimentSetting } from '../web/experiments/experiments.js';
import { makeConfig, parseConfigValue, formatConfigValue, ConfigError, CONFIG_KEYS, CONFIG_SCHEMA } from '../web/engine/config.js';
import { LANGS } from '../web/ui/i18n.js';
import { countInflated } from './helpers.mjs';

const SEED = 20261201;
const runs = (numRuns) => ({ seed: SEED, numRuns });
// Outcomes per property, printed as a test diagnostic: cases tried, how many
// ended in a clean (typed, named) error and how many were accepted.
const tally = () => ({ tried: 0, clean: 0, accepted: 0 });
const report = (t, c) => t.diagnostic(`cases ${c.tried}, clean errors ${c.clean}, accepted ${c.accepted}, crashes 0`);

// ---- shard codec -------------------------------------------------------------

const shardArb = fc.record({ count: fc.integer({ min: 1, max: 6 }), rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 5 }), seed: fc.nat() })
  .map(({ count, rows, cols, seed }) => {
    let s = seed;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    return encodeShard({
      pixels: Uint8Array.from({ length: count * rows * cols }, () => next() >>> 24),
      labels: Uint8Array.from({ length: count }, () => (next() >>> 24) % 10), rows, cols,
    });
  });

// A valid shard, then damaged: bytes flipped, header words overwritten, cut or extended.
const damagedArb = fc.tuple(shardArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
  fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.nat()), { maxLength: 2 }), fc.integer({ min: -40, max: 40 }))
  .map(([bytes, flips, words, resize]) => {
    const b = bytes.slice();
    for (const [at, x] of flips) b[at % b.length] ^= x;
    const view = new DataView(b.buffer);
    for (const [w, v] of words) view.setUint32(4 * w, v, true);
    const len = Math.max(0, b.length + resize);
    const out = new Uint8Array(len);
    out.set(b.subarray(0, Math.min(len, b.length)));
    return out;
  });

const expectShardError = (e) => {
  if (!(e instanceof ShardError)) throw new Error(`not a ShardError: ${e?.name}: ${e?.message}`);
};

test('decodeShard: a result (views into the input, no copy) or a ShardError, for any bytes', (t) => {
  const c = tally();
  fc.assert(fc.property(fc.oneof(damagedArb, fc.uint8Array({ maxLength: 200 }), shardArb), (bytes) => {
    c.tried++;
    try {
      const s = decodeShard(bytes, 'p');
      c.accepted++;
      assert.equal(s.pixels.buffer, bytes.buffer);
      assert.equal(s.labels.buffer, bytes.buffer);
      assert.equal(HEADER_BYTES + s.count * (s.rows * s.cols + 1), bytes.length);
    } catch (e) {
      expectShardError(e);
      c.clean++;
    }
  }), runs(2000));
  report(t, c);
});

test('inflate + decode: only ShardErrors, and never more bytes than the declared size', async (t) => {
  const c = tally();
  await fc.assert(fc.asyncProperty(fc.oneof(shardArb, damagedArb), fc.boolean(), fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 5000 }),
    async (raw, zip, cut, padding) => {
      // Sometimes a gzip "bomb": the payload padded with zeros past its size.
      const body = padding > 2000 ? new Uint8Array(raw.length + padding * 100) : raw;
      body.set(raw);
      let input = zip ? gzipSync(body) : body;
      if (zip && cut) input = input.subarray(0, Math.max(0, input.length - cut));
      const maxBytes = raw.length;
      c.tried++;
      await countInflated(async (seen) => {
        try {
          const out = await inflate(input, 'p', { maxBytes });
          assert.ok(out.length <= maxBytes, `${out.length} > ${maxBytes}`);
          decodeShard(out, 'p');
          c.accepted++;
        } catch (e) {
          expectShardError(e);
          c.clean++;
        }
        // One chunk of slack: readAll stops at the first chunk that crosses the bound.
        assert.ok(seen.bytes <= maxBytes + 65536, `inflated ${seen.bytes} for a bound of ${maxBytes}`);
      });
    }), runs(150));
  report(t, c);
});

// ---- manifest loader ------------------------------------------------------------

const entryArb = fc.record({
  name: fc.oneof(fc.constantFrom('a.bin.gz', 'b.bin.gz', 'c.bin.gz', 'd.bin.gz', '../x', '', 'toString', '__proto__'), fc.string({ maxLength: 8 })),
  split: fc.constantFrom('train', 'test', 'val', undefined),
  first: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constant(1.5), fc.constant(NaN)),
  count: fc.oneof(fc.integer({ min: -1, max: 6 }), fc.constant(2e6)),
}, { requiredKeys: ['name', 'split', 'first', 'count'] });
// Shards that tile their splits (valid), then maybe one `first` or `count` nudged.
const tiledArb = fc.record({
  train: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
  test: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }),
  nudge: fc.option(fc.tuple(fc.nat(), fc.boolean(), fc.integer({ min: -2, max: 2 })), { nil: undefined }),
  declare: fc.boolean(),
}).map(({ train, test, nudge, declare }) => {
  const shards = [];
  const totals = {};
  for (const [split, counts] of [['train', train], ['test', test]]) {
    let first = 0;
    counts.forEach((count, k) => { shards.push({ name: `${split}-0${k}.bin.gz`, split, first, count }); first += count; });
    totals[split] = first;
  }
  if (nudge) {
    const [i, which, d] = nudge;
    shards[i % shards.length][which ? 'first' : 'count'] += d;
  }
  return { version: 1, rows: 2, cols: 2, shards, ...(declare && { splits: { train: totals.train } }) };
});
const manifestArb = fc.oneof(
  tiledArb, tiledArb,
  fc.record({ version: fc.constantFrom(1, 1, 2, undefined), rows: fc.constantFrom(2, 2, 0, 5000), cols: fc.constant(2), shards: fc.array(entryArb, { maxLength: 5 }),
    splits: fc.option(fc.record({ train: fc.integer({ min: 0, max: 12 }) }), { nil: undefined }) }),
  fc.anything(),
);

test('validateManifest: a ShardError, or shards that tile every split exactly', (t) => {
  const c = tally();
  fc.assert(fc.property(manifestArb, (m) => {
    c.tried++;
    try {
      validateManifest(m);
    } catch (e) {
      expectShardError(e);
      c.clean++;
      return;
    }
    c.accepted++;
    for (const split of ['train', 'test']) {
      const list = m.shards.filter((s) => s.split === split).sort((a, b) => a.first - b.first);
      let end = 0;
      for (const s of list) { assert.equal(s.first, end); end += s.count; }
      if (split === 'train' && m.splits?.train !== undefined) assert.equal(m.splits.train, end);
    }
  }), runs(3000));
  report(t, c);
});

test('loadShards: bad shards are reported one by one, never a rejection', async () => {
  const good = encodeShard({ pixels: new Uint8Array(2 * 4), labels: new Uint8Array([1, 2]), rows: 2, cols: 2 });
  const manifest = { version: 1, rows: 2, cols: 2, shards: [
    { name: 'train-00', split: 'train', first: 0, count: 2 }, { name: 'train-01', split: 'train', first: 2, count: 2 }, { name: 'test-00', split: 'test', first: 0, count: 2 }] };
  const bodyArb = fc.oneof(damagedArb, fc.constant(good), fc.constant(gzipSync(good)), fc.uint8Array({ maxLength: 64 }),
    fc.constant(null), fc.constant('text'), fc.constant(new Response('nope', { status: 404 })));
  await fc.assert(fc.asyncProperty(fc.array(bodyArb, { minLength: 3, maxLength: 3 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    async (bodies, throws) => {
      const names = manifest.shards.map((s) => s.name);
      const errors = [];
      const out = await loadShards({ manifest, fetchShard: async (name) => {
        const i = names.indexOf(name);
        if (throws[i]) throw new Error('network down');
        return bodies[i] instanceof Response ? bodies[i].clone() : bodies[i];
      } }, { onError: (e) => errors.push(e) });
      assert.equal(out.loaded.length + out.failed.length, 3);
      for (const e of errors) expectShardError(e);
    }), runs(200));
});

// ---- URL hash -------------------------------------------------------------------

// Candidate texts for settings; only what the preset's parser accepts is kept,
// so every generated state is valid by construction.
const TEXTS = ['0', '1', '2', '5', '0.1', '0.5', '1e-3', '0.01', '100', '50,50', '100,100,100', '20', '300', '1000', 'he', 'xavier', 'relu', 'sigmoid', 'tanh',
  'sigmoid,relu', 'true', 'false', 'sgd', 'momentum', 'adagrad', 'adam', 'book', 'inverted', 'forward', '-6,-2', '0.01,he', '1,0.1', '3', '7'];
const validStateArb = fc.record({
  preset: fc.constantFrom(...EXPERIMENT_NAMES),
  seed: fc.nat({ max: 4294967295 }),
  edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TEXTS)), { maxLength: 6 }),
  hide: fc.array(fc.nat(), { maxLength: 3 }),
  lang: fc.constantFrom(null, ...LANGS),
  workers: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
}).map(({ preset, seed, edits, hide, lang, workers }) => {
  const settings = { ...defaultsFor(preset), seed };
  const keys = Object.keys(settings);
  for (const [k, text] of edits) {
    const key = keys[k % keys.length];
    try { settings[key] = parseExperimentSetting(preset, key, text); } catch { /* not valid for this key: keep */ }
  }
  const controls = EXPERIMENTS[preset].controls;
  return { preset, settings, hide: new Set(hide.map((i) => controls[i % controls.length])), lang, page: workers ? { workers } : {} };
});

test('URL hash: parse(format(state)) is the state, for every valid state', () => {
  fc.assert(fc.property(validStateArb, (state) => {
    const hash = writeHash(state);
    const { state: back, problems } = readHash(hash);
    assert.deepEqual(problems, [], hash);
    assert.deepEqual(back, state, hash);
  }), runs(1000));
});

const KEYS = ['preset', 'lang', 'workers', 'seed', 'lr', 'hidden', 'epochs', 'dropout_hide', 'toString', '__proto__', 'constructor', ...ALL_CONTROLS];
const hashArb = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), fc.oneof(fc.constantFrom(...TEXTS, '%', '%zz', '', 'NaN', '1e400', '-0'), fc.string({ maxLength: 6 }))), { maxLength: 6 })
    .map((pairs) => `#${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
);

test('URL hash: any text gives a valid state and notices, never an exception', (t) => {
  const c = tally();
  fc.assert(fc.property(hashArb, (hash) => {
    const { state, problems } = readHash(hash);
    c.tried++;
    if (problems.length) c.clean++;
    else c.accepted++;
    assert.ok(EXPERIMENT_NAMES.includes(state.preset));
    assert.ok(Array.isArray(problems) && problems.every((p) => typeof p === 'string'));
    assert.equal(Object.getPrototypeOf(state.settings), Object.prototype);
    // Whatever was read is a state the link writer and reader agree on.
    const again = readHash(writeHash(state));
    assert.deepEqual(again.problems, []);
    assert.deepEqual(again.state, state);
  }), runs(3000));
  report(t, c);
  // Unknown keys are always reported.
  fc.assert(fc.property(fc.stringMatching(/^[a-z]{1,8}$/).filter((k) => !KEYS.includes(k) && !Object.keys(defaultsFor('sandbox')).includes(k)),
    (key) => readHash(`#${key}=1`).problems.length === 1), runs(500));
});

// ---- config validator ----------------------------------------------------------------

const configValueArb = fc.oneof(fc.anything(), fc.double(), fc.integer(), fc.boolean(), fc.constantFrom('he', 'xavier', 'relu', 'adam', 'book', 'forward', 1e-50, -0, 2 ** 32),
  fc.array(fc.integer({ min: -1, max: 1100 }), { maxLength: 12 }));

test('makeConfig: a complete valid config or a ConfigError naming the key', (t) => {
  const cnt = tally();
  fc.assert(fc.property(fc.dictionary(fc.oneof(fc.constantFrom(...CONFIG_KEYS), fc.constantFrom('toString', '__proto__', 'valueOf'), fc.string({ maxLength: 5 })), configValueArb, { maxKeys: 4 }),
    (partial) => {
      let c;
      cnt.tried++;
      try {
        c = makeConfig(partial);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError: ${e?.name}: ${e?.message}`);
        cnt.clean++;
        return;
      }
      cnt.accepted++;
      assert.deepEqual(Object.keys(c).sort(), [...CONFIG_KEYS].sort());
      assert.equal(Object.getPrototypeOf(c), Object.prototype);
      for (const k of CONFIG_KEYS) {
        const v = c[k];
        const t = CONFIG_SCHEMA[k].type;
        if (t === 'int') assert.ok(Number.isInteger(v), k);
        if (t === 'number') assert.ok(Number.isFinite(v) && (v === 0 || Math.fround(v) !== 0), k);
        if (t === 'bool') assert.equal(typeof v, 'boolean', k);
        if (t === 'widths') assert.ok(v.every((w) => Number.isInteger(w) && w >= 1 && w <= 1024), k);
      }
    }), runs(3000));
  report(t, cnt);
});

test('parseConfigValue: a ConfigError or a value that formats and parses back to itself', (t) => {
  const c = tally();
  fc.assert(fc.property(fc.constantFrom(...CONFIG_KEYS), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...TEXTS, 'NaN', 'Infinity', '1e400', '1e-50', '0x10', ' 5 ', '')),
    (key, text) => {
      let v;
      c.tried++;
      try {
        v = parseConfigValue(key, text);
      } catch (e) {
        if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError: ${e?.name}: ${e?.message}`);
        c.clean++;
        return;
      }
      c.accepted++;
      assert.deepEqual(parseConfigValue(key, formatConfigValue(key, v)), v);
      makeConfig({ [key]: v });
    }), runs(3000));
  report(t, c);
});
