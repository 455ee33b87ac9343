// manifest-check.js: the manifest fields the shard loader (shards.js) relies
// on, and where its shards sit in their split, checked against each other.
// Images are placed by each shard's `first`, so a shard that starts before
// its neighbour ends would overwrite it and one that starts after would leave
// blank images labelled 0; a count check alone cannot see either (two shards
// at first 0 still add up to 60,000).
// shards.js imports this module and this one its constants (used only
// inside functions, so the cycle is harmless).
import { ShardError, SHARD_VERSION, MAX_COUNT, MAX_DIM } from './shard-format.js';

// Shard names go into URLs and file paths, so only allow plain file names.
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Check the manifest fields the loader depends on; throws a ShardError naming
 * the manifest. Returns the manifest for chaining.
 */
export function validateManifest(manifest, label = 'manifest.json') {
  const bad = (what) => { throw new ShardError(label, `invalid manifest: ${what}`); };
  if (!manifest || typeof manifest !== 'object') bad('not a JSON object');
  if (manifest.version !== undefined && manifest.version !== SHARD_VERSION) {
    bad(`format version ${manifest.version}, this loader reads version ${SHARD_VERSION} (rebuild with scripts/make-shards.mjs)`);
  }
  if (!Array.isArray(manifest.shards) || manifest.shards.length === 0) bad('no "shards" array');
  const seen = new Set();
  for (const s of manifest.shards) {
    if (!s || typeof s.name !== 'string' || !NAME_RE.test(s.name)) bad(`bad shard name ${JSON.stringify(s?.name)}`);
    if (seen.has(s.name)) bad(`duplicate shard ${s.name}`);
    seen.add(s.name);
    if (s.split !== 'train' && s.split !== 'test') bad(`shard ${s.name}: split must be "train" or "test"`);
    if (!Number.isInteger(s.first) || s.first < 0) bad(`shard ${s.name}: bad "first"`);
    if (!Number.isInteger(s.count) || s.count < 1 || s.count > MAX_COUNT) bad(`shard ${s.name}: bad "count"`);
    if (s.bytes !== undefined && (!Number.isInteger(s.bytes) || s.bytes < 0)) bad(`shard ${s.name}: bad "bytes"`);
  }
  for (const k of ['rows', 'cols']) {
    if (manifest[k] !== undefined && (!Number.isInteger(manifest[k]) || manifest[k] < 1 || manifest[k] > MAX_DIM)) bad(`bad "${k}"`);
  }
  checkShardRanges(manifest.shards, manifest.splits && typeof manifest.splits === 'object' ? manifest.splits : undefined, bad);
  return manifest;
}

const span = (s) => `images ${s.first}..${s.first + s.count - 1}`;

// Throws via `bad(message)` (shards.js's manifest error) naming the shard.
// `splits` (optional, {train: 60000, ...}) is each split's declared size.
function checkShardRanges(shards, splits, bad) {
  const bySplit = new Map();
  for (const s of shards) {
    if (!bySplit.has(s.split)) bySplit.set(s.split, []);
    bySplit.get(s.split).push(s);
  }
  for (const [split, list] of bySplit) {
    list.sort((a, b) => a.first - b.first);
    let end = 0;
    let prev = null;
    for (const s of list) {
      if (s.first < end) bad(`shard ${s.name}: ${span(s)} overlap ${prev.name} (${span(prev)})`);
      if (s.first > end) bad(`shard ${s.name}: starts at image ${s.first}, leaving a gap (images ${end}..${s.first - 1} are in no shard)`);
      end = s.first + s.count;
      prev = s;
    }
    const declared = splits && Object.hasOwn(splits, split) ? splits[split] : undefined;
    if (declared !== undefined && declared !== end) bad(`${split} shards hold ${end} images but "splits" says ${declared}`);
  }
}

// The exact size of an inflated shard with `count` images of rows x cols
// (shards.js's format: 24-byte header, pixels, one label byte per image).
export const shardBytes = (count, rows, cols) => 24 + count * (rows * cols + 1);
