// farm.js: the page's training workers (web/workers/worker.js), shared by every
// playground on the page so that two embeds never start more engines than
// the machine has cores, and a data set sent to a worker is reused by
// whichever playground needs it next. The main thread compiles dlfs.wasm once
// and hands the module to each worker; it never touches an engine heap.
//
// Data sets are named by their content key (presets.js's `key`, e.g.
// "train[0:300]"), so sessions of different playgrounds can share a worker
// without clobbering each other's "train". Workers keep a few unused sets
// for reuse and drop the oldest beyond that.
import { dataPieces } from './data-pieces.js';
import { startModuleWorker } from './module-worker.js';

const SPARE_SETS = 3; // unused data sets a worker keeps for reuse

let nextId = 1;
const newSessionId = () => nextId++;

class FarmWorker {
  // wasm: a promise of the compiled module; the worker's script loads meanwhile.
  constructor(index, url, wasm) {
    this.index = index;
    this.held = new Map(); // key -> last use (ms)
    this.sessions = new Map(); // id -> listener(message)
    this.dead = null;
    this.w = startModuleWorker(url);
    this.ready = new Promise((resolve, reject) => {
      this.fail = reject; // dying before 'ready' fails whoever waits for it
      this.w.addEventListener('message', (e) => {
        const m = e.data;
        if (m.type === 'ready') resolve(this);
        else if (m.type === 'fatal') this._die(m.message);
        else this._route(m);
      });
      this.w.addEventListener('error', (e) => {
        e.preventDefault();
        this._die(e.message || 'the worker failed to load');
      });
    });
    wasm.then((wasmModule) => this.w.postMessage({ type: 'init', wasmModule }), (err) => this._die(`dlfs.wasm: ${err.message}`));
  }

  _route(m) {
    if (m.type === 'data') return; // acknowledgements: the worker applies data messages in order anyway
    if (m.type === 'error' && (m.id === null || m.id === undefined)) {
      // A data message was refused: every session here may be affected.
      this.held.clear();
      for (const l of this.sessions.values()) l(m);
      return;
    }
    this.sessions.get(m.id)?.(m);
  }

  _die(why) {
    if (this.dead) return;
    this.dead = why;
    this.fail?.(new Error(why));
    for (const l of this.sessions.values()) l({ type: 'error', error: { name: 'WorkerError', message: `worker ${this.index + 1} stopped: ${why}` } });
    this.sessions.clear();
    this.w.terminate();
  }

  get load() { return this.sessions.size; }

  post(m, transfer) { this.w.postMessage(m, transfer ?? []); }

  // Make sure this worker holds `sets` ({key, pixels, labels, features}),
  // sending only what it lacks, in transferred pieces.
  ensureData(sets, inUse) {
    const now = performance.now();
    for (const d of sets) {
      if (this.held.has(d.key)) { this.held.set(d.key, now); continue; }
      for (const [message, transfer] of dataPieces(d.key, d)) this.post(message, transfer);
      this.held.set(d.key, now);
    }
    this._dropSpare(inUse);
  }

  _dropSpare(inUse) {
    const spare = [...this.held].filter(([k]) => !inUse.has(k)).sort((a, b) => a[1] - b[1]);
    for (const [key] of spare.slice(0, Math.max(0, spare.length - SPARE_SETS))) {
      this.post({ type: 'drop', name: key });
      this.held.delete(key);
    }
  }
}

class Farm {
  constructor({ workerUrl, wasmUrl }) {
    this.workerUrl = workerUrl;
    this.wasm = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(async () => {
      // compileStreaming needs the application/wasm type; some hosts send another.
      const res = await fetch(wasmUrl);
      if (!res.ok) throw new Error(`dlfs.wasm: HTTP ${res.status}`);
      return WebAssembly.compile(await res.arrayBuffer());
    });
    this.workers = [];
    this.keysInUse = new Map(); // session id -> [keys]
  }

  _inUse() { return new Set([...this.keysInUse.values()].flat()); }

  _worker(i) {
    if (!this.workers[i] || this.workers[i].dead) this.workers[i] = new FarmWorker(i, this.workerUrl, this.wasm);
    return this.workers[i].ready;
  }

  // Start `n` workers ahead of need: the engine then loads while the data does.
  warm(n) {
    this.lease(n).catch(() => {}); // a failure resurfaces, with its message, when a session leases
  }

  // `n` workers for a session, least busy first (spawning up to `n`).
  async lease(n) {
    const all = await Promise.all(Array.from({ length: n }, (_, i) => this._worker(i)));
    return all.sort((a, b) => a.load - b.load || a.index - b.index);
  }

  // Open a session (one job) on worker `w`. `datasets` maps the job's data
  // names to {key, pixels, labels}; the job is rewritten to use the keys.
  // `listener` gets the worker's messages for it. Returns {id, worker, post(message), close()}.
  open(w, job, datasets, listener) {
    const id = newSessionId();
    const names = job.train ? [job.train, ...(job.evals ?? []).map((e) => e.data)] : [];
    const sets = [...new Set(names)].map((n) => datasets[n]);
    const keyed = job.train
      ? { ...job, train: datasets[job.train].key, ...(job.evals && { evals: job.evals.map((e) => ({ ...e, data: datasets[e.data].key })) }) }
      : job;
    this.keysInUse.set(id, sets.map((d) => d.key));
    w.sessions.set(id, listener);
    try {
      w.ensureData(sets, this._inUse());
      w.post({ type: 'open', id, job: keyed });
    } catch (e) {
      listener({ type: 'error', id, error: { name: e.name, message: e.message } });
    }
    return {
      id,
      worker: w,
      post: (m) => w.post({ ...m, id }),
      close: () => {
        if (!w.dead) w.post({ type: 'close', id });
        w.sessions.delete(id);
        this.keysInUse.delete(id);
      },
    };
  }
}

const farms = new Map();

// The page's farm for this worker script (one per page, shared by all playgrounds).
export function getFarm({ workerUrl, wasmUrl }) {
  const k = String(workerUrl);
  if (!farms.has(k)) farms.set(k, new Farm({ workerUrl, wasmUrl }));
  return farms.get(k);
}
