// MNIST shard format, codec and loader for dlfs-playground.
//
// This module must run unchanged in browsers and in Node 20, so it uses only
// globals both provide (fetch, DecompressionStream, Blob, TextDecoder, URL)
// and imports only manifest-check.js (the manifest's checks). Node-only disk
// loading lives in shards-node.js.
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

import { validateManifest, shardBytes } from './manifest-check.js';

export { validateManifest };

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
function asBytes(data, name) {
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

// Thrown by readAll past its bound; inflate() names the shard.
class TooLarge extends Error {}

// Read a ReadableStream to one Uint8Array. Done by hand (not via Response)
// so it behaves identically everywhere and we control the error wrapping.
// Past `maxBytes` it cancels the stream (a gzip bomb stops inflating there).
async function readAll(stream, maxBytes = Infinity) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      throw new TooLarge();
    }
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.length; }
  return out;
}

function startsWithMagic(b) {
  return b.length >= 4 && b[0] === 0x44 && b[1] === 0x4c && b[2] === 0x46 && b[3] === 0x53;
}

/**
 * Gunzip a shard with DecompressionStream('gzip').
 * Accepts bytes (Uint8Array/ArrayBuffer) or a ReadableStream (e.g. a fetch
 * Response body). If the bytes already start with the "DLFS" magic they are
 * returned as-is: some static servers send `.gz` files with
 * `Content-Encoding: gzip`, and then fetch has inflated them for us.
 * `maxBytes` bounds the inflated size (the loader passes what the manifest
 * entry implies): past it, inflating stops and a ShardError says so.
 * @param {Uint8Array|ArrayBuffer|ReadableStream} input
 * @param {string} [name] shard name for error messages
 * @param {{maxBytes?: number}} [options]
 * @returns {Promise<Uint8Array>}
 */
export async function inflate(input, name = '(unnamed shard)', { maxBytes = Infinity } = {}) {
  const tooLarge = () => new ShardError(name, `inflates to more than ${maxBytes} bytes, the size its manifest entry implies (a corrupt or hostile file?)`);
  let bytes;
  if (input && typeof input.getReader === 'function') {
    try {
      bytes = await readAll(input, maxBytes);
    } catch (err) {
      if (err instanceof TooLarge) throw tooLarge();
      throw new ShardError(name, `read failed (${err?.message ?? err})`, { cause: err });
    }
  } else {
    bytes = asBytes(input, name);
  }
  if (startsWithMagic(bytes)) {
    if (bytes.length > maxBytes) throw tooLarge();
    return bytes;
  }
  if (typeof DecompressionStream !== 'function') {
    throw new ShardError(name, 'this runtime has no DecompressionStream; pass already-inflated bytes');
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    // Checked up front for a clearer message than zlib's "incorrect header check".
    throw new ShardError(name, `not gzip data and not a DLFS shard (${bytes.length} bytes; an HTML error page?)`);
  }
  try {
    return await readAll(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')), maxBytes);
  } catch (err) {
    if (err instanceof TooLarge) throw tooLarge();
    throw new ShardError(name, `gzip stream corrupted or truncated (${err?.message ?? err})`, { cause: err });
  }
}

/**
 * The order shards are loaded in: the first training shard (so training can
 * start), then every test shard (so test accuracy can be measured early),
 * then the remaining training shards; each group in index order.
 * @returns {object[]} manifest entries (same objects, new array)
 */
export function shardLoadOrder(shards) {
  const byFirst = (a, b) => a.first - b.first;
  const train = shards.filter((s) => s.split === 'train').sort(byFirst);
  const test = shards.filter((s) => s.split === 'test').sort(byFirst);
  return [...train.slice(0, 1), ...test, ...train.slice(1)];
}

// Bytes from whatever fetchShard produced: a Response, a stream or bytes.
async function bodyBytes(result, name) {
  if (result && typeof result.arrayBuffer === 'function' && 'ok' in result) {
    if (!result.ok) throw new ShardError(name, `missing (HTTP ${result.status}${result.statusText ? ' ' + result.statusText : ''})`);
    return result.body ? result.body : new Uint8Array(await result.arrayBuffer());
  }
  return result;
}

/**
 * Fetch the manifest and all shards, validating each one.
 *
 * `source` is either
 *   - a manifest URL (string or URL): the manifest and the shards are fetched
 *     with fetch(); shard URLs are resolved relative to the manifest URL; or
 *   - an object {manifest?, manifestUrl?, fetchShard?}: `manifest` is an
 *     already-parsed manifest (else it is fetched from manifestUrl);
 *     `fetchShard(name, entry) -> Promise<Uint8Array|ArrayBuffer|ReadableStream|Response>`
 *     returns the (gzip-compressed, or already inflated) shard, e.g. read from
 *     disk in Node. A rejection means the shard is missing.
 *
 * A shard that is missing, corrupt or disagrees with the manifest is reported
 * through onError(ShardError, info) and skipped; loading continues and shards
 * already delivered stay valid. Only a missing/invalid manifest rejects.
 * Exceptions thrown by the callbacks themselves propagate (caller bugs should
 * not be disguised as data errors). onShard may return a promise; it is awaited,
 * so shards are delivered strictly one at a time in load order.
 *
 * @param {string|URL|{manifest?: object, manifestUrl?: string|URL,
 *         fetchShard?: (name: string, entry: object) => Promise<any>}} source
 * @param {{
 *   onShard?: (shard: ReturnType<typeof decodeShard> & {split: string, first: number}, info: {entry: object, index: number, total: number}) => any,
 *   onError?: (error: ShardError, info: {entry: object, index: number, total: number}) => any,
 *   onProgress?: (p: {loadedBytes: number, totalBytes: number, shardsDone: number, shardsTotal: number}) => any,
 *   signal?: AbortSignal,
 * }} [callbacks]
 *   Progress: loadedBytes = compressed bytes actually received so far;
 *   totalBytes = sum of the manifest's `bytes`; shardsDone counts loaded and
 *   failed shards. Called once before the first shard and after each shard.
 * @returns {Promise<{manifest: object, loaded: string[], failed: {name: string, message: string}[]}>}
 */
export async function loadShards(source, { onShard, onError, onProgress, signal } = {}) {
  const isUrl = typeof source === 'string' || source instanceof URL;
  const opts = isUrl ? { manifestUrl: source } : (source ?? {});
  let manifestUrl = opts.manifestUrl;
  // Resolve against the page in browsers; in Node a relative URL without a
  // base cannot be fetched anyway, so keep it as given (fetch will say so).
  if (manifestUrl !== undefined && typeof location !== 'undefined') {
    manifestUrl = new URL(manifestUrl, location.href);
  }

  let manifest = opts.manifest;
  if (!manifest) {
    if (manifestUrl === undefined) throw new ShardError('manifest.json', 'loadShards needs a manifest URL or {manifest, fetchShard}');
    let res;
    try {
      res = await fetch(manifestUrl, { signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ShardError(String(manifestUrl), `manifest fetch failed (${err?.message ?? err})`, { cause: err });
    }
    if (!res.ok) throw new ShardError(String(manifestUrl), `manifest missing (HTTP ${res.status}); run scripts/make-shards.mjs`);
    try {
      manifest = await res.json();
    } catch (err) {
      throw new ShardError(String(manifestUrl), `manifest is not valid JSON (${err?.message ?? err})`, { cause: err });
    }
  }
  validateManifest(manifest, manifestUrl ? String(manifestUrl) : 'manifest.json');

  const fetchShard = opts.fetchShard ?? ((name) => {
    if (manifestUrl === undefined) throw new Error('no fetchShard and no manifest URL to resolve shard URLs against');
    return fetch(new URL(name, manifestUrl), { signal });
  });

  const order = shardLoadOrder(manifest.shards);
  const total = order.length;
  const totalBytes = order.reduce((n, s) => n + (s.bytes ?? 0), 0);
  const expectRows = manifest.rows;
  const expectCols = manifest.cols;
  let loadedBytes = 0;
  let shardsDone = 0;
  const loaded = [];
  const failed = [];
  const progress = () => onProgress?.({ loadedBytes, totalBytes, shardsDone, shardsTotal: total });

  // Start a fetch and turn its outcome into a value, so a prefetched shard
  // that fails never becomes an unhandled rejection.
  const start = (entry) => {
    let p;
    try {
      p = Promise.resolve(fetchShard(entry.name, entry));
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.then((value) => ({ value }), (error) => ({ error }));
  };

  progress();
  // Keep one fetch in flight ahead of the one being decoded: overlaps network
  // with inflate+validate while still delivering strictly in order.
  let next = total > 0 ? start(order[0]) : null;
  for (let index = 0; index < total; index++) {
    signal?.throwIfAborted?.();
    const entry = order[index];
    const info = { entry, index, total };
    const pending = next;
    next = index + 1 < total ? start(order[index + 1]) : null;

    let shard;
    try {
      const got = await pending;
      if (got.error) {
        if (signal?.aborted) throw got.error;
        throw got.error instanceof ShardError ? got.error
          : new ShardError(entry.name, `missing or unreadable (${got.error?.message ?? got.error})`, { cause: got.error });
      }
      let body = await bodyBytes(got.value, entry.name);
      // The most this shard may be, inflated (from the manifest's image size, or
      // the format's limit); a server that inflates it for us sends that many.
      const maxBytes = shardBytes(entry.count, expectRows ?? MAX_DIM, expectCols ?? MAX_DIM);
      // Count compressed bytes as received, before inflating.
      if (body && typeof body.getReader === 'function') {
        try {
          body = await readAll(body, Math.max(maxBytes, entry.bytes ?? 0));
        } catch (err) {
          if (signal?.aborted) throw err;
          if (err instanceof TooLarge) throw new ShardError(entry.name, `download is larger than the ${Math.max(maxBytes, entry.bytes ?? 0)} bytes its manifest entry allows`);
          throw new ShardError(entry.name, `download failed (${err?.message ?? err})`, { cause: err });
        }
      }
      body = asBytes(body, entry.name);
      loadedBytes += body.length;
      const raw = await inflate(body, entry.name, { maxBytes });
      shard = decodeShard(raw, entry.name);
      // Cross-check with the manifest: catches a stale shard from an old build
      // or a cache that is internally consistent but not the one listed.
      if (shard.count !== entry.count) {
        throw new ShardError(entry.name, `has ${shard.count} images but the manifest says ${entry.count} (stale shard or manifest?)`);
      }
      if ((expectRows !== undefined && shard.rows !== expectRows) || (expectCols !== undefined && shard.cols !== expectCols)) {
        throw new ShardError(entry.name, `image size ${shard.rows}x${shard.cols} does not match the manifest's ${expectRows}x${expectCols}`);
      }
      if (entry.checksum !== undefined && shard.checksum !== entry.checksum) {
        throw new ShardError(entry.name, `checksum 0x${shard.checksum.toString(16)} differs from the manifest's (stale shard or manifest?)`);
      }
    } catch (err) {
      if (!(err instanceof ShardError)) throw err; // aborts and genuine bugs
      failed.push({ name: entry.name, message: err.message });
      shardsDone++;
      await onError?.(err, info);
      progress();
      continue;
    }

    shard.split = entry.split;
    shard.first = entry.first;
    loaded.push(entry.name);
    shardsDone++;
    await onShard?.(shard, info);
    progress();
  }
  return { manifest, loaded, failed };
}
