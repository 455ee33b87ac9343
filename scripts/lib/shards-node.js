// Node-only helpers for reading the MNIST shards from disk (CLI and tests).
// Kept apart from shards.js so that file never imports node:* modules and
// stays loadable in the browser. Decoding and validation are NOT duplicated
// here: everything goes through loadShards() in shards.js, so Node exercises
// the exact code path the page uses (DecompressionStream, checksums, order).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadShards, validateManifest, ShardError } from '../../web/data/shards.js';

/** Read and validate `dir/manifest.json`; throws a ShardError naming it. */
export async function readManifest(dir) {
  const file = path.join(dir, 'manifest.json');
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ShardError(file, `manifest missing (${err.code ?? err.message}); run node scripts/make-shards.mjs`, { cause: err });
  }
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new ShardError(file, `manifest is not valid JSON (${err.message})`, { cause: err });
  }
  return validateManifest(manifest, file);
}

/**
 * loadShards() over a directory: same callbacks and result as loadShards in
 * shards.js. Shard files are read raw (still gzipped) and inflated by the
 * shared loader. A missing file is reported via onError like any bad shard.
 * @param {string} dir directory holding manifest.json and *.bin.gz
 * @param {Parameters<typeof loadShards>[1]} [opts] {onShard, onError, onProgress, signal}
 */
export async function loadShardsFromDir(dir, opts = {}) {
  const manifest = await readManifest(dir);
  return loadShards({ manifest, fetchShard: shardReader(dir) }, opts);
}

// Reads a shard file raw; a missing or unreadable one is a ShardError naming it.
function shardReader(dir) {
  return async (name) => {
    try {
      return await readFile(path.join(dir, name));
    } catch (err) {
      throw new ShardError(name, `missing or unreadable (${err.code ?? err.message})`, { cause: err });
    }
  };
}

/**
 * Load all of MNIST into contiguous arrays, shards placed by their `first`
 * index (load order is train-00, test-*, train-01.., so append order would
 * be wrong). A gap would silently misalign images and labels, so any failed
 * shard makes this reject with an Error listing every failure.
 * @param {string} dir
 * @param {{onProgress?: Function}} [opts]
 * @returns {Promise<{
 *   rows: number, cols: number,
 *   train: {pixels: Uint8Array, labels: Uint8Array, count: number},
 *   test:  {pixels: Uint8Array, labels: Uint8Array, count: number},
 * }>} pixels: count*rows*cols uint8 (0..255), labels: count uint8 (0..9)
 */
export async function loadMnist(dir, { onProgress } = {}) {
  const manifest = await readManifest(dir);
  const { rows, cols } = manifest;
  if (!Number.isInteger(rows) || !Number.isInteger(cols)) {
    throw new ShardError(path.join(dir, 'manifest.json'), 'invalid manifest: no rows/cols');
  }
  const imageBytes = rows * cols;

  // Size each split from the manifest so shards can be copied straight into
  // place as they arrive (no second concatenation pass).
  const splits = {};
  for (const s of manifest.shards) {
    const end = s.first + s.count;
    splits[s.split] = Math.max(splits[s.split] ?? 0, end);
  }
  const out = { rows, cols };
  for (const [split, count] of Object.entries(splits)) {
    out[split] = { pixels: new Uint8Array(count * imageBytes), labels: new Uint8Array(count), count };
  }
  const covered = Object.fromEntries(Object.keys(splits).map((k) => [k, 0]));

  const summary = await loadShards({
    manifest,
    fetchShard: shardReader(dir),
  }, {
    onProgress,
    onShard(shard) {
      const dst = out[shard.split];
      dst.pixels.set(shard.pixels, shard.first * imageBytes);
      dst.labels.set(shard.labels, shard.first);
      covered[shard.split] += shard.count;
    },
  });

  if (summary.failed.length) {
    throw new Error(`MNIST shards in ${dir} failed to load:\n  ` + summary.failed.map((f) => f.message).join('\n  '));
  }
  // Overlapping or gappy manifests would leave zero-filled holes.
  for (const [split, count] of Object.entries(splits)) {
    if (covered[split] !== count) {
      throw new Error(`MNIST shards in ${dir}: ${split} shards cover ${covered[split]} images, expected ${count} (gaps or overlaps in manifest)`);
    }
  }
  for (const split of ['train', 'test']) {
    if (!out[split]) throw new Error(`MNIST shards in ${dir}: no ${split} shards`);
  }
  return out;
}
