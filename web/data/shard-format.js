// shard-format.js: the MNIST shard file format and its codec (encode, decode,
// checksum). Runs unchanged in browsers and Node; imports nothing.
// inflate.js gunzips shards, shards.js loads them.
//
// ---------------------------------------------------------------------------
// Shard file format, version 1 (all integers little-endian u32)
// ---------------------------------------------------------------------------
//
//   offset  size              field
//   0       4                 magic: ASCII "DLFS" (0x44 0x4C 0x46 0x53)
//   4       4                 format version (= SHARD_VERSION, currently 1)
//   8       4                 count: number of images, 1 .. 1,000,000
//   12      4                 rows:  image height, 1 .. 4096 (28 for MNIST)
//   16      4                 cols:  image width,  1 .. 4096 (28 for MNIST)
//   20      4                 checksum: FNV-1a 32 over the whole payload
//   24      count*rows*cols   pixels, uint8, image-major then row-major
//   ...     count             labels, uint8, each 0..9
//
// The file ends exactly after the labels; trailing bytes are an error, because
// they mean the file is not what the writer produced. The payload (pixels
// followed by labels) is covered by the checksum, the header by the explicit
// field checks below. On disk / over HTTP the shard is gzip-compressed
// (`*.bin.gz`); gzip's own CRC32 guards the compressed stream, the FNV-1a the
// decoded bytes (so a shard served already-inflated is still verified).
//
// Why FNV-1a 32: it is a few lines of code, needs no table, runs at several
// hundred MB/s in JS, and every step `h = (h ^ byte) * prime` is a bijection
// on h, so any single changed byte always changes the final hash.
//
// The manifest (manifest.json, written by scripts/make-shards.mjs) lists the
// shards; see validateManifest() (manifest-check.js) for the fields this loader relies on.

/** ASCII "DLFS" read as a little-endian u32. */
export const SHARD_MAGIC = 0x53464c44;
export const SHARD_VERSION = 1;
export const HEADER_BYTES = 24;
export const MAX_COUNT = 1_000_000;
export const MAX_DIM = 4096;
export const NUM_CLASSES = 10;

/**
 * Every shard problem (decode, inflate, fetch, manifest mismatch) is reported
 * as a ShardError so UIs can show "which shard, what is wrong" uniformly.
 * `.shard` is the shard's name, `.problem` the bare description.
 */
export class ShardError extends Error {
  constructor(shard, problem, options) {
    super(`shard ${shard}: ${problem}`, options);
    this.name = 'ShardError';
    this.shard = shard;
    this.problem = problem;
  }
}

/** FNV-1a 32-bit hash of a byte range, returned as an unsigned 32-bit number. */
export function fnv1a32(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return h >>> 0;
}

// Accept the byte containers callers realistically have (Uint8Array, Node
// Buffer, ArrayBuffer, other typed-array views) without copying.
export function asBytes(data, name) {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new ShardError(name, `expected bytes (Uint8Array/ArrayBuffer), got ${data === null ? 'null' : typeof data}`);
}

function checkDim(value, what, max, name) {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ShardError(name, `${what} ${value} out of range (must be 1..${max})`);
  }
}

/**
 * Build an uncompressed shard. The maker gzips the result itself.
 * @param {{pixels: Uint8Array, labels: Uint8Array, rows: number, cols: number}} shard
 * @returns {Uint8Array}
 */
export function encodeShard({ pixels, labels, rows, cols }) {
  const name = '(encoding)';
  pixels = asBytes(pixels, name);
  labels = asBytes(labels, name);
  const count = labels.length;
  // Validate on the way in too, so a bad source can never produce a shard the
  // decoder would reject later (far from the cause).
  checkDim(rows, 'rows', MAX_DIM, name);
  checkDim(cols, 'cols', MAX_DIM, name);
  checkDim(count, 'count', MAX_COUNT, name);
  if (pixels.length !== count * rows * cols) {
    throw new ShardError(name, `pixels has ${pixels.length} bytes, expected ${count}*${rows}*${cols} = ${count * rows * cols}`);
  }
  for (let i = 0; i < count; i++) {
    if (labels[i] >= NUM_CLASSES) throw new ShardError(name, `label ${labels[i]} at image ${i} is not a digit 0-9`);
  }

  const out = new Uint8Array(HEADER_BYTES + pixels.length + count);
  out.set(pixels, HEADER_BYTES);
  out.set(labels, HEADER_BYTES + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, SHARD_MAGIC, true);
  view.setUint32(4, SHARD_VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, rows, true);
  view.setUint32(16, cols, true);
  view.setUint32(20, fnv1a32(out.subarray(HEADER_BYTES)), true);
  return out;
}

/** Read the checksum field of an (uncompressed) shard without full validation. */
export function shardChecksum(bytes) {
  const b = asBytes(bytes, '(checksum)');
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(20, true);
}

/**
 * Validate and decode an uncompressed shard. Every check is explicit so the
 * error says precisely what is wrong with which shard.
 * @param {Uint8Array|ArrayBuffer} bytes
 * @param {string} [name] used in error messages and copied to the result
 * @returns {{name: string, count: number, rows: number, cols: number,
 *            checksum: number, pixels: Uint8Array, labels: Uint8Array}}
 *          pixels/labels are views into `bytes` (no copy).
 */
export function decodeShard(bytes, name = '(unnamed shard)') {
  bytes = asBytes(bytes, name);
  if (bytes.length < HEADER_BYTES) {
    throw new ShardError(name, `truncated header (${bytes.length} bytes, need at least ${HEADER_BYTES})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, true);
  if (magic !== SHARD_MAGIC) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (still gzip-compressed? call inflate() first)' : '';
    throw new ShardError(name, `bad magic 0x${magic.toString(16).padStart(8, '0')} (not a DLFS shard)${gz}`);
  }
  const version = view.getUint32(4, true);
  if (version !== SHARD_VERSION) {
    throw new ShardError(name, `unsupported format version ${version} (this loader reads version ${SHARD_VERSION})`);
  }
  const count = view.getUint32(8, true);
  const rows = view.getUint32(12, true);
  const cols = view.getUint32(16, true);
  checkDim(count, 'count', MAX_COUNT, name);
  checkDim(rows, 'rows', MAX_DIM, name);
  checkDim(cols, 'cols', MAX_DIM, name);

  // Plain doubles are exact here: at most 1e6 * 4096 * 4096 ≈ 1.7e13 < 2^53.
  const pixelBytes = count * rows * cols;
  const expected = HEADER_BYTES + pixelBytes + count;
  if (bytes.length < expected) {
    throw new ShardError(name, `truncated payload (${bytes.length} bytes, header says ${expected} for ${count} images of ${rows}x${cols})`);
  }
  if (bytes.length > expected) {
    throw new ShardError(name, `${bytes.length - expected} trailing bytes after the labels (expected exactly ${expected} bytes)`);
  }

  const payload = bytes.subarray(HEADER_BYTES);
  const stored = view.getUint32(20, true);
  const actual = fnv1a32(payload);
  if (stored !== actual) {
    throw new ShardError(name, `checksum mismatch (payload corrupted): header 0x${stored.toString(16).padStart(8, '0')}, computed 0x${actual.toString(16).padStart(8, '0')}`);
  }

  const labels = bytes.subarray(HEADER_BYTES + pixelBytes, expected);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= NUM_CLASSES) {
      throw new ShardError(name, `label ${labels[i]} at image ${i} is not a digit 0-9`);
    }
  }
  return {
    name, count, rows, cols, checksum: stored,
    pixels: bytes.subarray(HEADER_BYTES, HEADER_BYTES + pixelBytes),
    labels,
  };
}
