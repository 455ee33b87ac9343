// runner.js: runs a preset's jobs on the page's workers (farm.js) the
// interactive way: each job is opened on a worker and advanced in small
// chunks that the main thread asks for, so it can pause (stop asking), step
// (ask for one epoch), change lr / weight decay / dropout between chunks,
// and draw every increment as it arrives. pool.js's run() trains each job to
// its end inside the worker, which is right for the CLI but cannot pause.
//
// Jobs and results are presets.js's, so presets.runPreset() can use
// runner.execute as its `execute` and assemble exactly what the CLI does.

const CHUNK_MS = 50; // worker time per chunk: pause and live changes act within ~2 chunks
const MAX_GROWTH = 4; // chunk size grows at most this much per chunk (first chunk: 1 iteration)

export class CancelledError extends Error {
  constructor() { super('cancelled'); this.name = 'CancelledError'; }
}

export class JobError extends Error {
  constructor(message, info = {}) {
    super(message);
    this.name = 'JobError';
    Object.assign(this, info); // code, key of the engine error; job index
  }
}

// A session's messages as a queue one can await.
function mailbox() {
  const queue = [];
  let waiting = null;
  return {
    push(m) {
      if (waiting) { const w = waiting; waiting = null; w(m); } else queue.push(m);
    },
    next() {
      return queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => { waiting = r; });
    },
  };
}

export class Runner {
  // farm: farm.js's Farm; workers: how many this runner may use.
  // onProgress(index, job, message) per chunk, the message's `lossFirst` set to
  // the index of its first loss point; onResult(index, job, result);
  // onHist(index, job, {layers}) answers histograms();
  // onSpeed({samplesPerSec, workers}) about once a second while training;
  // onPredict(index, job, {request, probs, first}) answers predict().
  // keepNets: a finished job's net stays open (for predict()) until cancel().
  constructor(farm, { workers = 1, onProgress, onResult, onHist, onSpeed, onPredict, keepNets = false }) {
    this.farm = farm;
    this.maxWorkers = workers;
    this.onProgress = onProgress;
    this.onResult = onResult;
    this.onHist = onHist;
    this.onSpeed = onSpeed;
    this.onPredict = onPredict;
    this.keepNets = keepNets;
    this.kept = new Set(); // finished jobs whose nets are still open
    this.paused = false;
    this.waiters = new Set(); // loops waiting while paused: fn(kind)
    this.open = new Set(); // sessions with their job
    this.cancelled = false;
    this.live = {}; // live settings so far: every job gets them, also one opened later
    this.samples = 0;
    this.since = performance.now();
  }

  pause() { this.paused = true; }

  resume() {
    this.paused = false;
    this.samples = 0; // the speed is measured from here, not across the pause
    this.since = performance.now();
    for (const w of [...this.waiters]) w('run');
  }

  // While paused: every running job trains one more epoch.
  step() {
    for (const w of [...this.waiters]) w('step');
  }

  // Live settings for every training job, from its next step. A job that is
  // still opening (or catching up with a preview) gets them once it has: sent
  // earlier, the worker would apply them from iteration 0.
  set(values) {
    Object.assign(this.live, values);
    for (const s of this.open) if (s.job.kind === 'train' && s.started) s.post({ type: 'set', ...values });
  }

  // Ask every training job for its hidden layers' activation histograms over
  // the first `count` images of its training set (answered via onHist); asked
  // only after its first chunk, so the first thing plotted is its curve.
  histograms({ count = 1000, bins = 30, lo = 0, hi = 1, ranges } = {}) {
    for (const s of this.open) if (s.job.kind === 'train' && s.started) s.post({ type: 'hist', data: s.trainKey, count, bins, lo, hi, ranges });
  }

  // Ask every training job's net (running or kept) for class probabilities
  // of images [first, first + count) of its data set `data` ('test'), or of
  // `pixels` (count x 784 bytes); answered via onPredict with `request`.
  predict(request, { data, first = 0, count = 1, pixels } = {}) {
    for (const s of [...this.open, ...this.kept]) {
      if (s.job.kind !== 'train' || !s.started) continue;
      if (pixels) s.post({ type: 'predict', request, pixels });
      else if (s.keys[data]) s.post({ type: 'predict', request, data: s.keys[data], first, count });
    }
  }

  cancel() {
    this.cancelled = true;
    for (const s of [...this.kept]) s.close();
    this.kept.clear();
    for (const s of [...this.open]) s.close();
    this.open.clear();
    for (const w of [...this.waiters]) w('cancel');
  }

  get activeWorkers() { return new Set([...this.open].map((s) => s.worker)).size; }

  _gate() {
    if (this.cancelled) return Promise.resolve('cancel');
    if (!this.paused) return Promise.resolve('run');
    return new Promise((resolve) => {
      const w = (kind) => { this.waiters.delete(w); resolve(kind); };
      this.waiters.add(w);
    });
  }

  _count(samples) {
    this.samples += samples;
    const now = performance.now();
    if (now - this.since >= 1000) {
      this.onSpeed?.({ samplesPerSec: (this.samples * 1000) / (now - this.since), workers: this.activeWorkers });
      this.samples = 0;
      this.since = now;
    }
  }

  // Run `jobs` (reading `datasets`: name -> {key, pixels, labels}); resolves
  // to their results in job order. fastForward[i]: iterations job i trains in
  // its first chunk, regardless of pause (to catch up with a preview).
  async execute(jobs, datasets, { fastForward = [] } = {}) {
    const results = new Array(jobs.length);
    let next = 0;
    const workers = await this.farm.lease(Math.max(1, Math.min(this.maxWorkers, jobs.length)));
    const loop = async (w) => {
      while (next < jobs.length) {
        if (this.cancelled) throw new CancelledError();
        const index = next++;
        results[index] = await this._one(w, index, jobs[index], datasets, fastForward[index] ?? 0, jobs.length > 1);
      }
    };
    try {
      await Promise.all(workers.map(loop));
    } catch (err) {
      this.cancel(); // one job failed: the others stop too
      throw err;
    }
    if (this.cancelled) throw new CancelledError();
    return results;
  }

  // One job on worker w; `named`: errors name the job (when there are several).
  async _one(w, index, job, datasets, fastForward, named) {
    const box = mailbox();
    const session = this.farm.open(w, job, datasets, (m) => {
      if (m.type === 'hist') this.onHist?.(index, job, m);
      else if (m.type === 'predict') this.onPredict?.(index, job, m);
      else box.push(m);
    });
    let closed = false;
    const s = {
      job,
      trainKey: job.kind === 'train' ? datasets[job.train].key : null,
      keys: job.kind === 'train' ? Object.fromEntries([job.train, ...job.evals.map((e) => e.data)].map((n) => [n, datasets[n].key])) : {},
      worker: w,
      started: false, // opened and caught up: live settings may go straight to it
      post: session.post,
      close: () => {
        if (closed === true) return; // a kept net (closed === 'kept') still closes
        closed = true;
        session.close();
        box.push({ type: 'cancelled' });
      },
    };
    this.open.add(s);
    // The next message of `type`; progress that was still in flight when a run
    // diverged (the worker stops early) is skipped while waiting for the result.
    const receive = async (type) => {
      for (;;) {
        const m = await box.next();
        if (m.type === 'cancelled' || this.cancelled) throw new CancelledError();
        if (m.type === 'error') {
          const what = named && job.label ? `${job.label}: ` : '';
          throw new JobError(`${what}${m.error.message}`, { code: m.error.code, key: m.error.key, job: index });
        }
        if (m.type === type) return m;
        if (m.type !== 'progress') throw new JobError(`worker sent ${m.type} while ${type} was expected`, { job: index });
      }
    };
    try {
      const opened = await receive('opened');
      const total = opened.total;
      const perEpoch = Math.max(1, Math.ceil(opened.iterPerEpoch ?? 1));
      const batch = job.config?.batchSize ?? 0;
      let done = 0;
      let lossSeen = 0;
      // The first job starts with one iteration (its first point at once); later
      // jobs start at the chunk size the earlier ones settled on.
      let chunk = this.chunk ?? 1;
      let asked = 0; // iterations asked for so far
      const sent = []; // send times of the advances not answered yet (at most 2, so the worker never waits for us)
      let lastAt = 0;
      const ask = (n) => {
        n = Math.min(n, total - asked);
        if (n <= 0) return false;
        s.post({ type: 'advance', iterations: n });
        asked += n;
        sent.push(performance.now());
        return true;
      };
      if (fastForward > 0) ask(fastForward);
      // Live settings made so far apply from here (after catching up with a preview).
      if (job.kind === 'train' && Object.keys(this.live).length) s.post({ type: 'set', ...this.live });
      s.started = true;
      while (done < total) {
        while (sent.length < 2 && asked < total) {
          const gate = sent.length ? (this.paused ? 'hold' : 'run') : await this._gate();
          if (gate === 'cancel') throw new CancelledError();
          if (gate === 'hold') break;
          if (gate === 'step') { ask(perEpoch); break; }
          ask(chunk);
        }
        if (!sent.length) continue;
        const m = await receive('progress');
        const now = performance.now();
        const began = Math.max(sent.shift(), lastAt); // when the worker started on this chunk
        lastAt = now;
        const n = m.done - done;
        done = m.done;
        m.lossFirst = lossSeen;
        lossSeen += m.loss?.length ?? 0;
        this._count(n * batch);
        this.onProgress?.(index, job, m);
        // Size chunks from the time they take, growing slowly from one
        // iteration so that the first point appears at once.
        if (n > 0) {
          chunk = Math.max(1, Math.min(chunk * MAX_GROWTH, Math.round((n * CHUNK_MS) / Math.max(0.05, now - began))));
          this.chunk = chunk;
        }
        if (done >= total) break; // finished, or diverged (the worker reports done = total)
      }
      s.post({ type: 'result' });
      const { result } = await receive('result');
      this.onResult?.(index, job, result);
      if (this.keepNets && !this.cancelled) { this.kept.add(s); closed = 'kept'; }
      return result;
    } finally {
      this.open.delete(s);
      if (!closed) { closed = true; session.close(); }
    }
  }
}
