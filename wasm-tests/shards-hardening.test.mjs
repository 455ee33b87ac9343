// shards-hardening.test.mjs: a manifest cannot place shards over or apart
// from each other (issue 8, case 2), and a shard cannot inflate past the size
// its manifest entry implies (case 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { mkdtemp, rm, readFile, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { encodeShard, inflate, loadShards, validateManifest, ShardError, HEADER_BYTES } from '../web/data/shards.js';
import { loadMnist } from '../scripts/lib/shards-node.js';
import { DATA_DIR, countInflated } from './helpers.mjs';

const entry = (name, split, first, count) => ({ name, split, first, count });
const manifestOf = (...shards) => ({ version: 1, rows: 28, cols: 28, shards });

test('overlapping, gappy or misplaced shard ranges are manifest errors naming the shard', () => {
  const cases = [
    [manifestOf(entry('train-00', 'train', 0, 5), entry('train-01', 'train', 0, 5)), /train-01.*overlap.*train-00/],
    [manifestOf(entry('train-00', 'train', 0, 5), entry('train-01', 'train', 3, 5)), /train-01.*overlap.*train-00/],
    [manifestOf(entry('train-00', 'train', 0, 5), entry('train-01', 'train', 6, 5)), /train-01.*gap.*images 5\.\.5/],
    [manifestOf(entry('train-00', 'train', 2, 5)), /train-00.*gap.*images 0\.\.1/],
    [manifestOf(entry('test-00', 'test', 0, 5), entry('test-01', 'test', 5, 5), entry('test-02', 'test', 7, 1)), /test-02.*overlap.*test-01/],
    [{ ...manifestOf(entry('train-00', 'train', 0, 5)), splits: { train: 6 } }, /train.*5 images.*splits.*6/],
  ];
  for (const [m, re] of cases) {
    assert.throws(() => validateManifest(m), (e) => e instanceof ShardError && re.test(e.message), JSON.stringify(m.shards));
  }
  // Splits are independent; order in the list does not matter.
  validateManifest(manifestOf(entry('train-01', 'train', 5, 5), entry('test-00', 'test', 0, 3), entry('train-00', 'train', 0, 5)));
});

test('real MNIST with train-01 given first: 0 is refused, naming train-01 (no blank images)', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dlfs-overlap-'));
  try {
    const m = JSON.parse(await readFile(path.join(DATA_DIR, 'manifest.json'), 'utf8'));
    for (const s of m.shards) await copyFile(path.join(DATA_DIR, s.name), path.join(dir, s.name));
    m.shards.find((s) => s.name === 'train-01.bin.gz').first = 0;
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(m));
    await assert.rejects(loadMnist(dir), (e) => e instanceof ShardError && /train-01\.bin\.gz.*overlap.*train-00\.bin\.gz/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a gzip bomb stops inflating at the size the manifest implies', async () => {
  const bomb = gzipSync(Buffer.alloc(256 << 20)); // 256 MiB of zeros in ~250 KB
  const expected = HEADER_BYTES + 5 * 785;
  await countInflated(async (seen) => {
    await assert.rejects(inflate(bomb, 'train-00', { maxBytes: expected }),
      (e) => e instanceof ShardError && e.shard === 'train-00' && /inflates to more than 3949 bytes/.test(e.message));
    assert.ok(seen.bytes < (8 << 20), `inflated ${seen.bytes} bytes before refusing`);

    // Through the loader: the bound comes from the manifest entry.
    seen.bytes = 0;
    const { failed } = await loadShards({ manifest: manifestOf(entry('train-00', 'train', 0, 5)), fetchShard: () => bomb });
    assert.equal(failed.length, 1);
    assert.match(failed[0].message, /^shard train-00: inflates to more than 3949 bytes/);
    assert.ok(seen.bytes < (8 << 20), `loader inflated ${seen.bytes} bytes before refusing`);
  });
  // An honest shard of exactly the bound still loads.
  const good = encodeShard({ pixels: new Uint8Array(5 * 784), labels: new Uint8Array(5), rows: 28, cols: 28 });
  assert.equal((await inflate(gzipSync(good), 'ok', { maxBytes: good.length })).length, good.length);
  // Already-inflated bytes past the bound are refused too, without inflating anything.
  await assert.rejects(inflate(new Uint8Array(good.length + 1).fill(0x44), 'raw', { maxBytes: good.length }), ShardError);
});
