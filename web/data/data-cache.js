// data-cache.js: MNIST for every playground on the page, loaded once.
// Several embeds on one page share one DataSource per manifest URL (the
// module is evaluated once per page, so the map below is page-wide).
//
// The download, gunzip and checks run in a worker (shard-loader.js); this
// side keeps the decoded images, in shards.js's load order (train-00, the
// test shards, the rest). Only train-00 is fetched at first: everything else
// waits for release(), which the app calls once the first point is plotted
// or an experiment needs more. That keeps the bytes before the first point to
// train-00 and the code; a second visit takes the shards from the browser's
// HTTP cache (the server marks them cacheable).
import { shardLoadOrder, ShardError } from './shards.js';
import { startModuleWorker } from '../workers/module-worker.js';
import { SHARD_LOADER_URL, MANIFEST_URL, BUILT_MANIFEST } from '../site/host.js';

const sources = new Map();

// After the next frame is painted (a hidden page paints none: at most FALLBACK_MS).
const FALLBACK_MS = 300;
function afterPaint() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FALLBACK_MS);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(() => { clearTimeout(timer); resolve(); }, 0));
  });
}

export function dataSource(manifestUrl) {
  const key = String(manifestUrl);
  if (!sources.has(key)) sources.set(key, new DataSource(key));
  return sources.get(key);
}

class DataSource {
  constructor(manifestUrl) {
    this.manifestUrl = manifestUrl;
    this.shards = new Map(); // name -> {split, first, count} of each shard that is in
    this.failed = new Map(); // name -> ShardError
    this.splits = {}; // split -> {pixels, labels, count}: MNIST as presets.sliceDatasets reads it
    this.manifest = null;
    this.progress = { loadedBytes: 0, totalBytes: 0, shardsDone: 0, shardsTotal: 0 };
    this.fatal = null; // the manifest itself could not be read
    this.listeners = new Set();
    this.waiters = new Set();
    this.released = false;
  }

  // listener({type: 'manifest' | 'progress' | 'shard' | 'error' | 'fatal', ...})
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  _emit(event) {
    for (const l of this.listeners) l(event);
    for (const w of [...this.waiters]) w();
  }

  start() {
    if (this.worker) return;
    this.worker = startModuleWorker(SHARD_LOADER_URL);
    this.worker.addEventListener('message', (e) => this._onMessage(e.data));
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      this._onMessage({ type: 'fatal', shard: 'shard-loader.js', problem: e.message || 'the data worker failed to start' });
    });
    const known = this.manifestUrl === String(MANIFEST_URL) ? BUILT_MANIFEST : null;
    const first = known ? this._fetchFirst(known) : false;
    this.worker.postMessage({ type: 'start', manifestUrl: this.manifestUrl, manifest: known, first });
    if (this.released) this.worker.postMessage({ type: 'release' });
  }

  // With the manifest built in (the release), the first shard is fetched
  // here, once the page has painted what is already in it (main.js starts
  // this while the app still loads, the custom element when it mounts): the
  // shard's request is then in flight while the app arrives, instead of
  // leaving the link idle for a round trip after it.
  // The bytes go to the worker, which checks and inflates them as if it had
  // fetched them; on any failure it fetches the shard itself and reports
  // what went wrong. Returns the shard's name, or false.
  _fetchFirst(manifest) {
    let name;
    try {
      name = shardLoadOrder(manifest.shards)[0].name;
    } catch {
      return false; // the worker's own check of the manifest says what is wrong
    }
    afterPaint()
      .then(() => fetch(new URL(name, this.manifestUrl)))
      .then((res) => (res.ok ? res.arrayBuffer() : null))
      .catch(() => null)
      .then((bytes) => this.worker.postMessage({ type: 'first', name, bytes }, bytes ? [bytes] : []));
    return name;
  }

  // Let the shards after the first one stream in.
  release() {
    if (this.released) return;
    this.released = true;
    this.worker?.postMessage({ type: 'release' });
  }

  _onMessage(m) {
    if (m.type === 'manifest') {
      this.manifest = m.manifest;
      this._emit({ type: 'manifest', manifest: m.manifest });
    } else if (m.type === 'shard') {
      this._place(m.shard);
      this._emit({ type: 'shard', name: m.shard.name });
    } else if (m.type === 'error') {
      const error = new ShardError(m.shard, m.problem);
      this.failed.set(m.shard, error);
      this._emit({ type: 'error', error });
    } else if (m.type === 'progress') {
      this.progress = m.progress;
      this._emit({ type: 'progress', progress: m.progress });
    } else if (m.type === 'fatal') {
      this.fatal = new ShardError(m.shard, m.problem);
      this._emit({ type: 'fatal', error: this.fatal });
    }
  }

  // Copy a shard into its split's contiguous arrays; `count` is how many
  // images from 0 are in without a gap.
  _place(shard) {
    const { split, first, count } = shard;
    const entries = this.manifest.shards.filter((e) => e.split === split);
    const total = this.manifest.splits?.[split] ?? Math.max(...entries.map((e) => e.first + e.count));
    const f = shard.rows * shard.cols;
    const sp = (this.splits[split] ??= { pixels: new Uint8Array(total * f), labels: new Uint8Array(total), count: 0, features: f });
    sp.pixels.set(shard.pixels, first * f);
    sp.labels.set(shard.labels, first);
    this.shards.set(shard.name, { split, first, count });
    const spans = [...this.shards.values()].filter((e) => e.split === split).sort((a, b) => a.first - b.first);
    sp.count = 0;
    for (const e of spans) if (e.first === sp.count) sp.count = e.first + e.count;
  }

  // MNIST so far, as presets.sliceDatasets expects it: {train, test}, each {pixels, labels, count}.
  mnist() {
    const empty = { pixels: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };
    return { train: this.splits.train ?? empty, test: this.splits.test ?? empty };
  }

  // A promise for the first moment `ok()` holds (checked on every event),
  // rejected with `fail()`'s error when that returns one, or on abort.
  _until(ok, fail, signal) {
    this.start();
    return new Promise((resolve, reject) => {
      const check = () => {
        const err = signal?.aborted ? signal.reason : this.fatal ?? fail?.();
        if (err) { this.waiters.delete(check); reject(err); return; }
        const value = ok();
        if (value) { this.waiters.delete(check); resolve(value); }
      };
      this.waiters.add(check);
      signal?.addEventListener('abort', check, { once: true });
      check();
    });
  }

  // Resolves once the manifest is read (what missing() and need() plan with).
  manifestReady() { return this._until(() => this.manifest); }

  // The manifest entries holding the first `train` training and `test` test images.
  _entries({ train = 0, test = 0 }) {
    if (!this.manifest) return null;
    return this.manifest.shards.filter((s) => (s.split === 'train' ? s.first < train : s.first < test));
  }

  // Resolves when the shards holding the first `train` training and `test`
  // test images are in; rejects with the ShardError of one that failed.
  // Asking for more than the first shard releases the stream, unless
  // `release` is false (a preview that trains on the first shard while the
  // first point is still to be drawn).
  need(req, { signal, release = true } = {}) {
    return this._until(() => {
      const entries = this._entries(req);
      if (!entries) return false;
      if (release && entries.some((e) => e.name !== shardLoadOrder(this.manifest.shards)[0].name)) this.release();
      return entries.every((e) => this.shards.has(e.name));
    }, () => {
      const bad = this._entries(req)?.find((e) => this.failed.has(e.name));
      return bad && this.failed.get(bad.name);
    }, signal);
  }

  // Names of the shards a request needs that are not in yet (for "waiting for ...").
  missing(req) {
    return (this._entries(req) ?? []).filter((e) => !this.shards.has(e.name)).map((e) => e.name);
  }
}
