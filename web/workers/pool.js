// pool.js: the one scheduler. It spreads a run's jobs (presets.js's) over
// workers (worker.js: Web Workers in the page, worker_threads under Node;
// `spawn` makes one), sends each the data its jobs read, and relays what the
// workers push: progress about every 50 ms, then each job's result. The CLI,
// the benchmark, the tests and the page all run jobs through it; the page also
// pauses, steps, changes live settings and asks for histograms.
//
// Results come back in job order whatever the number of workers, and a job's
// result depends only on the job (its seed is in its config), so they are
// bit-identical for any worker count or interleaving. Data sets are named by
// their content key (e.g. "train[0:300]") on the workers, so runs of several
// playgrounds share a worker without clobbering each other's data, and a later
// run over the same data sends nothing.
//
//   const pool = new Pool({ spawn, wasm, size });
//   const run = pool.start(jobs, datasets, { onProgress, onResult, together });
//   run.pause(); run.step(); run.set({ lr: 0.1 }); run.resume(); run.cancel();
//   const results = await run.done;
import { dataPieces } from './data-pieces.js';

const SPARE_SETS = 3; // unused data sets a worker keeps for reuse
const SPEED_MS = 1000; // onSpeed is called about this often
// In a comparison (together: Infinity) a job that gets this share of its total
// ahead of the slowest waits for it: each worker already advances its own jobs
// in step, and this keeps the workers in step too (three nets on two workers
// would otherwise run at two speeds). It costs no time: the comparison ends
// with its most loaded worker either way.
const LEAD = 0.005;

// A job failed (its engine error's code and key attached, and its index) or
// its worker died.
export class JobError extends Error {
  constructor(message, info = {}) {
    super(message);
    this.name = 'JobError';
    Object.assign(this, info);
  }
}

export class CancelledError extends Error {
  constructor() { super('cancelled'); this.name = 'CancelledError'; }
}

let nextId = 1;

// One worker: its engine, the data it holds, the jobs it runs.
class PoolWorker {
  // spawn(onMessage, onDeath) -> {post(message, transfer), terminate()}; wasm: a promise of the compiled module.
  constructor(index, spawn, wasm) {
    this.index = index;
    this.held = new Map(); // data key -> last use (ms)
    this.jobs = new Map(); // job id -> listener(message)
    this.dead = null;
    this.ready = new Promise((resolve, reject) => {
      this.fail = reject;
      this.handle = spawn((m) => {
        if (m.type === 'ready') resolve(this);
        else if (m.type === 'fatal') this.die(m.message);
        else this.route(m);
      }, (why) => this.die(why));
    });
    this.ready.catch(() => {}); // the failure reaches whoever leases this worker
    wasm.then((wasmModule) => this.dead || this.handle.post({ type: 'init', wasmModule }), (err) => this.die(`dlfs.wasm: ${err.message}`));
  }

  route(m) {
    if (m.type === 'data') return; // acknowledgements: the worker applies data messages in order anyway
    if (m.type === 'error' && (m.id === null || m.id === undefined)) {
      // A data message was refused: every job here may be affected.
      this.held.clear();
      for (const l of this.jobs.values()) l(m);
      return;
    }
    this.jobs.get(m.id)?.(m);
  }

  die(why) {
    if (this.dead) return;
    this.dead = why;
    this.fail(new JobError(`worker ${this.index + 1} could not start: ${why}`));
    for (const l of [...this.jobs.values()]) l({ type: 'died', why });
    this.jobs.clear();
    this.handle?.terminate();
  }

  get load() { return this.jobs.size; }

  post(m, transfer) { if (!this.dead) this.handle.post(m, transfer ?? []); }

  // Make sure this worker holds `sets` ({key, pixels, labels, features}),
  // sending only what it lacks, in transferred pieces; drop the oldest spares.
  ensureData(sets, inUse) {
    const now = performance.now();
    for (const d of sets) {
      if (!this.held.has(d.key)) for (const [message, transfer] of dataPieces(d.key, d)) this.post(message, transfer);
      this.held.set(d.key, now);
    }
    const spare = [...this.held].filter(([k]) => !inUse.has(k)).sort((a, b) => a[1] - b[1]);
    for (const [key] of spare.slice(0, Math.max(0, spare.length - SPARE_SETS))) {
      this.post({ type: 'drop', name: key });
      this.held.delete(key);
    }
  }
}

export class Pool {
  // spawn: as PoolWorker's; wasm: a promise of the compiled dlfs.wasm; size: most workers.
  constructor({ spawn, wasm, size }) {
    Object.assign(this, { spawn, wasm, size });
    this.workers = [];
    this.keysInUse = new Map(); // job id -> data keys it reads
    this.closed = false;
  }

  _worker(i) {
    if (!this.workers[i] || this.workers[i].dead) this.workers[i] = new PoolWorker(i, this.spawn, this.wasm);
    return this.workers[i].ready;
  }

  // `n` workers (at most size), started if need be, least busy first.
  async lease(n) {
    if (this.closed) throw new JobError('pool: closed');
    const all = await Promise.all(Array.from({ length: Math.max(1, Math.min(n, this.size)) }, (_, i) => this._worker(i)));
    return all.sort((a, b) => a.load - b.load || a.index - b.index);
  }

  // Start workers ahead of need: the engine then loads while the data does.
  warm(n) { this.lease(n).catch(() => {}); }

  // Start `jobs` reading `datasets` ({name: {key, pixels, labels, features?}}). Options:
  //   workers    how many workers (default: all)
  //   together   how many jobs run at once, round-robin within each worker (default:
  //              one per worker); Infinity: every job of a comparison progresses together
  //   paused, live, skip[i]   start paused / with live settings / job i's first skip[i]
  //              iterations at once (catching up with a preview)
  //   onProgress(index, job, message)   the worker's progress message (points from lossFirst / epochs.first)
  //   onResult(index, job, result), onHist(index, job, {layers}), onSpeed({samplesPerSec, workers})
  //   keep       a finished training job's net stays open on its worker for
  //              predict() until release() or cancel()
  // A job with `baseline: true` (a comparison net beside the page's run) takes no
  // live settings and answers no hist/predict, and is never kept.
  //   holdBaselines   the baseline jobs wait (Run.holdBaselines)
  //   onPredict(index, job, {request, probs, first}) answers predict()
  start(jobs, datasets = {}, options = {}) { return new Run(this, jobs, datasets, options); }

  // The CLI's form: resolves to the results in job order. onProgress({index, job,
  // done, total, fraction, finished, count, update}); signal: an AbortSignal.
  run(jobs, { datasets, onProgress, signal, ...options } = {}) {
    signal?.throwIfAborted();
    const fractions = new Array(jobs.length).fill(0);
    let finished = 0;
    const run = this.start(jobs, datasets, {
      ...options,
      onProgress: (index, job, m) => {
        fractions[index] = m.done / m.total;
        onProgress?.({ index, job, done: m.done, total: m.total, fraction: fractions.reduce((a, b) => a + b, 0) / jobs.length, finished, count: jobs.length, update: m });
      },
      onResult: (index) => { fractions[index] = 1; finished++; },
    });
    const abort = () => run.cancel(signal.reason);
    signal?.addEventListener('abort', abort);
    return run.done.finally(() => signal?.removeEventListener('abort', abort));
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) w?.die('the pool was closed');
  }
}

// One start(): its jobs in flight, their controls, their results.
class Run {
  constructor(pool, jobs, datasets, { workers = pool.size, together, paused = false, live = {}, skip = [], keep = false, holdBaselines = false, onProgress, onResult, onHist, onSpeed, onPredict }) {
    Object.assign(this, { pool, jobs, datasets, skip, keep, onProgress, onResult, onHist, onSpeed, onPredict });
    this.baselinesHeld = !!holdBaselines;
    this.kept = new Map(); // job id -> in-flight record of a finished net kept for predict()
    this.paused = paused;
    this.live = { ...live };
    this.results = new Array(jobs.length);
    this.next = 0;
    this.finished = 0;
    this.inFlight = new Map(); // job id -> {index, job, worker, trainKey}
    this.over = false;
    this.samples = 0;
    this.since = performance.now();
    this.done = new Promise((resolve, reject) => { this._resolve = resolve; this._reject = reject; });
    this.done.catch(() => {}); // a caller that never awaits does not crash the process
    this._start(Math.max(1, Math.min(workers, jobs.length)), together);
  }

  async _start(n, together) {
    try {
      this.workers = await this.pool.lease(n);
    } catch (e) {
      return this._end(e);
    }
    this.perWorker = Math.max(1, Math.ceil((together ?? this.workers.length) / this.workers.length));
    this.inStep = together === Infinity && this.workers.length > 1;
    if (!this.jobs.length) return this._end();
    this._dispatch();
  }

  _dispatch() {
    while (!this.over && this.next < this.jobs.length) {
      const load = (w) => [...this.inFlight.values()].filter((f) => f.worker === w).length;
      const w = this.workers.filter((x) => !x.dead && load(x) < this.perWorker).sort((a, b) => load(a) - load(b) || a.load - b.load)[0];
      if (!w) return;
      this._send(w, this.next++);
    }
  }

  _send(w, index) {
    const job = this.jobs[index];
    const id = nextId++;
    try {
      // Training and gradient-check jobs read data sets; activation jobs none.
      const names = job.train ? [job.train, ...(job.evals ?? []).map((e) => e.data)] : [];
      const key = (name) => {
        if (!this.datasets[name]) throw new Error(`no data set "${name}"`);
        return this.datasets[name].key;
      };
      const keyed = job.train ? { ...job, train: key(job.train), ...(job.evals && { evals: job.evals.map((e) => ({ ...e, data: key(e.data) })) }) } : job;
      const sets = [...new Set(names)].map((name) => this.datasets[name]);
      const keys = Object.fromEntries(names.map((name) => [name, key(name)]));
      this.inFlight.set(id, { index, job, worker: w, trainKey: keyed.train, keys });
      this.pool.keysInUse.set(id, sets.map((d) => d.key));
      w.jobs.set(id, (m) => this._message(id, m));
      w.ensureData(sets, new Set([...this.pool.keysInUse.values()].flat()));
      const own = job.kind === 'train' && !job.baseline; // a baseline takes no live settings and is not kept
      w.post({ type: 'run', id, job: keyed, paused: this.paused || this._held(job), live: own ? this.live : undefined, skip: this.skip[index] ?? 0, ...(this.keep && own && { keep: true }) });
    } catch (e) {
      this._end(new JobError(`${this._name(index)}: could not be sent to worker ${w.index + 1}: ${e.message}`, { job: index }));
    }
  }

  _name(index) {
    const label = this.jobs[index].label;
    return label ? `job ${index} (${label})` : `job ${index}`;
  }

  _message(id, m) {
    if (m.type === 'predict') {
      const p = this.inFlight.get(id) ?? this.kept.get(id);
      if (p) this.onPredict?.(p.index, p.job, m);
      return;
    }
    const f = this.inFlight.get(id);
    if (!f || this.over) return;
    if (m.type === 'progress') {
      this._count((m.done - (f.done ?? 0)) * (f.job.config?.batchSize ?? 0));
      f.done = m.done;
      this.onProgress?.(f.index, f.job, m);
      if (this.inStep) this._keepInStep();
    } else if (m.type === 'hist') {
      this.onHist?.(f.index, f.job, m);
    } else if (m.type === 'result') {
      if (this.keep && f.job.kind === 'train' && !f.job.baseline) {
        // The worker keeps the net: its listener stays for predict() answers.
        this.kept.set(id, f);
        this.pool.keysInUse.delete(id);
        this.inFlight.delete(id);
      } else this._forget(id);
      this.results[f.index] = m.result;
      this.finished++;
      this.onResult?.(f.index, f.job, m.result);
      if (this.finished === this.jobs.length) this._end();
      else this._dispatch();
    } else if (m.type === 'error') {
      this._end(new JobError(`${this._name(f.index)}: ${m.error.message}`, { code: m.error.code, key: m.error.key, job: f.index }));
    } else if (m.type === 'died') {
      this._end(new JobError(`worker ${f.worker.index + 1} of ${this.pool.size} died while running ${this._name(f.index)}: ${m.why}`, { job: f.index }));
    }
    // 'refused': a control message arrived after its job ended, or a live value
    // the engine refused (the page checks them first); the job goes on.
  }

  _keepInStep() {
    const share = (f) => (f.done ?? 0) / (f.job.iterations ?? 1);
    // A held baseline is not waited for: the others keep step among themselves.
    const moving = [...this.inFlight].filter(([, f]) => !this._held(f.job));
    const slowest = Math.min(...moving.map(([, f]) => share(f)));
    for (const [id, f] of moving) {
      const ahead = share(f) > slowest + LEAD;
      if (ahead !== !!f.held && !this.paused) f.worker.post({ type: ahead ? 'pause' : 'resume', id });
      f.held = ahead;
    }
  }

  _forget(id) {
    const f = this.inFlight.get(id);
    f?.worker.jobs.delete(id);
    this.pool.keysInUse.delete(id);
    this.inFlight.delete(id);
  }

  _end(err) {
    if (this.over) return;
    this.over = true;
    for (const [id, f] of [...this.inFlight]) {
      f.worker.post({ type: 'cancel', id });
      this._forget(id);
    }
    if (err) this._reject(err);
    else this._resolve(this.results);
  }

  _count(samples) {
    this.samples += samples;
    const now = performance.now();
    if (now - this.since >= SPEED_MS) {
      const workers = new Set([...this.inFlight.values()].map((f) => f.worker)).size;
      this.onSpeed?.({ samplesPerSec: (this.samples * 1000) / (now - this.since), workers });
      this.samples = 0;
      this.since = now;
    }
  }

  // trainOnly: the training jobs that follow the page's settings (not a baseline).
  // Held baselines are left out of pause/resume/step: they wait whatever the run does.
  _each(message, trainOnly = false) {
    for (const [id, f] of this.inFlight) {
      if (this._held(f.job)) continue;
      if (!trainOnly || (f.job.kind === 'train' && !f.job.baseline)) f.worker.post({ ...(typeof message === 'function' ? message(f) : message), id });
    }
  }

  pause() {
    this.paused = true;
    this._each({ type: 'pause' });
  }

  resume() {
    this.paused = false;
    for (const f of this.inFlight.values()) f.held = false;
    this.samples = 0; // the speed is measured from here, not across the pause
    this.since = performance.now();
    this._each({ type: 'resume' });
  }

  _held(job) { return this.baselinesHeld && !!job.baseline; }

  // The baseline jobs wait on their workers while `on` (the page: a pinned
  // run's twin that nothing draws, app.js), and go on where they were when it
  // is off. Training is deterministic: holding changes no result.
  holdBaselines(on) {
    if (on === this.baselinesHeld) return;
    this.baselinesHeld = on;
    for (const f of this.inFlight.values()) if (f.job.baseline) f.held = false; // held, not kept in step
    if (this.paused) return; // resume() starts them when it is let go
    for (const [id, f] of this.inFlight) if (f.job.baseline) f.worker.post({ type: on ? 'pause' : 'resume', id });
    // A job that waited for the twin to catch up goes on; a twin let go far behind is waited for.
    if (this.inStep) this._keepInStep();
  }

  // While paused: every running job trains one more epoch.
  step() { this._each({ type: 'step', epochs: 1 }); }

  // Live settings for every training job, from its next step (and for jobs started later).
  set(values) {
    Object.assign(this.live, values);
    this._each({ type: 'set', ...values }, true);
  }

  // Each training job's hidden activations over the first `count` images of its
  // training set, answered through onHist.
  // Asked only once a job has trained, so the first thing plotted is its curve.
  // ranges: [lo, hi] per layer, overriding lo/hi (a ReLU net's follow its spread).
  histograms({ count = 1000, bins = 30, lo = 0, hi = 1, ranges } = {}) {
    for (const [id, f] of this.inFlight) {
      if (f.job.kind === 'train' && !f.job.baseline && f.done > 0) f.worker.post({ type: 'hist', id, data: f.trainKey, count, bins, lo, hi, ranges });
    }
  }

  // Class probabilities from every training job's net, running (once it has
  // trained) or finished and kept: of images [first, first + count) of data set
  // `data` (a name in datasets), or of `pixels` (count x 784 bytes). Answered
  // through onPredict with `request`.
  predict(request, { data, first = 0, count = 1, pixels } = {}) {
    for (const [id, f] of [...this.inFlight, ...this.kept]) {
      if (f.job.kind !== 'train' || f.job.baseline || (!f.done && !this.kept.has(id))) continue;
      if (pixels) f.worker.post({ type: 'predict', id, request, pixels });
      else if (f.keys[data]) f.worker.post({ type: 'predict', id, request, data: f.keys[data], first, count });
    }
  }

  // Free the kept nets (keep).
  release() {
    for (const [id, f] of this.kept) {
      f.worker.post({ type: 'cancel', id });
      f.worker.jobs.delete(id);
    }
    this.kept.clear();
  }

  cancel(reason) {
    this.release();
    this._end(reason ?? new CancelledError());
  }
}
