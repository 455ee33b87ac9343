// shards.js: loading the MNIST shards a manifest lists, in browsers and Node 20
// (only globals both provide: fetch, DecompressionStream, Blob, URL), each
// decoded and checked (shard-format.js) after gunzipping (inflate.js). The
// public face of data/: the codec and inflate are re-exported from here.
// Node-only disk loading lives in scripts/lib/shards-node.js.
import { validateManifest, shardBytes } from './manifest-check.js';
import { ShardError, MAX_DIM, asBytes, decodeShard } from './shard-format.js';
import { TooLarge, inflate, readAll } from './inflate.js';

export { validateManifest, inflate };
export {
  SHARD_MAGIC, SHARD_VERSION, HEADER_BYTES, MAX_COUNT, MAX_DIM, NUM_CLASSES,
  ShardError, fnv1a32, encodeShard, shardChecksum, decodeShard,
} from './shard-format.js';

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
