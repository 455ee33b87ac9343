// inflate.js: read a stream up to a bound, and gunzip a shard
// (DecompressionStream, in browsers and Node 20) up to the size its manifest
// entry implies, so a gzip bomb stops early.
import { ShardError, asBytes } from './shard-format.js';

// Thrown by readAll past its bound; inflate() and the loader name the shard.
export class TooLarge extends Error {}

// Read a ReadableStream to one Uint8Array. Done by hand (not via Response)
// so it behaves identically everywhere and we control the error wrapping.
// Past `maxBytes` it cancels the stream (a gzip bomb stops inflating there).
export async function readAll(stream, maxBytes = Infinity) {
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
