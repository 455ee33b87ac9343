// shard-loader.js: a module Web Worker that downloads, inflates and checks the
// MNIST shards (shards.js's loadShards), so none of that work (about 20 ms of
// gunzip and checksum per shard) lands on the page's main thread. It sends
// each decoded shard's bytes (transferred, not copied) to data-cache.js.
//
// main -> worker: {type:'start', manifestUrl, manifest?, first}, {type:'first', name, bytes}, {type:'release'}
//   (manifest: the release build's copy of the one at manifestUrl, checked like a fetched one;
//   first: the name of the shard whose bytes the page sends in 'first' (null bytes: fetch it here), or false)
// worker -> main: {type:'manifest', manifest} | {type:'shard', shard}
//   | {type:'error', shard, problem} (one bad shard; the rest go on)
//   | {type:'progress', progress} | {type:'fatal', shard, problem} (no usable manifest)
//
// Only the first shard in load order is fetched before 'release': the page
// releases the rest once its first point is drawn, so the bytes before that
// point are the first shard and the code.
import { loadShards, shardLoadOrder, validateManifest, ShardError } from './shards.js';

let release;
const released = new Promise((resolve) => { release = resolve; });
// The first shard's bytes when the page fetches it (data-cache.js's _fetchFirst): null if that failed.
let fromPage;
const pageFirst = new Promise((resolve) => { fromPage = resolve; });

async function readManifest(url) {
  const res = await fetch(url);
  if (!res.ok) throw new ShardError('manifest.json', `missing (HTTP ${res.status})`);
  try {
    return validateManifest(await res.json());
  } catch (err) {
    throw err instanceof ShardError ? err : new ShardError('manifest.json', `not valid JSON (${err.message})`);
  }
}

// first: the name of the shard the page fetches for us, or false.
async function start(manifestUrl, known, pageFetches) {
  let manifest;
  try {
    manifest = known ? validateManifest(known) : await readManifest(manifestUrl);
  } catch (err) {
    const e = err instanceof ShardError ? err : new ShardError('manifest.json', err?.message ?? String(err));
    self.postMessage({ type: 'fatal', shard: e.shard, problem: e.problem });
    return;
  }
  self.postMessage({ type: 'manifest', manifest });
  const first = shardLoadOrder(manifest.shards)[0].name;
  await loadShards({
    manifest,
    fetchShard: async (name) => {
      if (name === first && name === pageFetches) {
        const bytes = await pageFirst;
        if (bytes) return bytes;
      }
      if (name !== first) await released;
      return fetch(new URL(name, manifestUrl));
    },
  }, {
    // pixels and labels are views of one inflated buffer: transfer it once.
    onShard: (shard) => self.postMessage({ type: 'shard', shard }, [shard.pixels.buffer]),
    onError: (error) => self.postMessage({ type: 'error', shard: error.shard, problem: error.problem }),
    onProgress: (progress) => self.postMessage({ type: 'progress', progress }),
  });
}

self.addEventListener('message', (e) => {
  if (e.data.type === 'start') start(e.data.manifestUrl, e.data.manifest, e.data.first);
  else if (e.data.type === 'first') fromPage(e.data.bytes ? new Uint8Array(e.data.bytes) : null);
  else if (e.data.type === 'release') release();
});
