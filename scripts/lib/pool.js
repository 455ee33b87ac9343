// pool.js: spreads independent jobs over N Node worker_threads (web/workers/worker.js),
// each one WASM instance with its own copy of the data; used by the CLI, the
// benchmark and the tests. The page runs the same jobs (presets.js) through the
// same worker protocol with farm.js, which can also pause, step and take live
// settings.
//
// Results come back in job order whatever the number of workers, and a job's
// result depends only on the job (its seed is in its config), so they are
// bit-identical for any worker count. Jobs are handed out one at a time to
// whichever worker is free. Data sets are sent in pieces before a worker's
// first job and kept there under their content key, so a later run over the
// same data sends nothing.
//
//   const pool = await createPool({ size: 2 });
//   const results = await pool.run(jobs, { datasets, onProgress, signal });
//   pool.close();
import { dataPieces } from '../../web/workers/data-pieces.js';
import { loadEngine } from '../../web/engine/engine.js';

export class PoolError extends Error {
  constructor(message, extra = {}) {
    super(message);
    this.name = 'PoolError';
    Object.assign(this, extra); // code/key of a job's engine error, job index
  }
}

const defaultSize = async () => (await import('node:os')).availableParallelism();

// One worker behind a small face: post(), and callbacks for messages and death.
async function spawn(url, onMessage, onDeath) {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(url);
  w.on('message', onMessage);
  w.on('error', (e) => onDeath(e.message));
  w.on('messageerror', (e) => onDeath(`message could not be read (${e.message})`));
  w.on('exit', (code) => onDeath(`exited with code ${code}`));
  return { post: (m, t) => w.postMessage(m, t), terminate: () => w.terminate() };
}

class Slot {
  constructor(pool, index) {
    this.pool = pool;
    this.index = index;
    this.held = new Map(); // data set name -> content key
    this.job = null; // the job it runs: {id, onMessage(m), onDeath(why)}
    this.dead = null; // why, once dead
  }

  async start() {
    let ready;
    const started = new Promise((resolve, reject) => { ready = { resolve, reject }; });
    this.handle = await spawn(this.pool.workerUrl, (m) => {
      if (m.type === 'ready') ready.resolve();
      else if (m.type === 'fatal') ready.reject(new PoolError(`worker ${this.index + 1}: ${m.message}`));
      else if (m.type === 'error' && m.id === null) {
        // A data piece was refused: forget what we think it holds, fail the job.
        this.held.clear();
        this.job?.onMessage({ ...m, id: this.job.id });
      } else if (this.job && m.id === this.job.id) this.job.onMessage(m);
    }, (why) => {
      if (this.dead || this.pool.closed) return;
      this.dead = why;
      ready.reject(new PoolError(`worker ${this.index + 1} could not start: ${why}`));
      this.job?.onDeath(why);
    });
    this.handle.post({ type: 'init', wasmModule: this.pool.wasmModule });
    await started;
  }

  // Send the data sets this worker does not hold yet, in pieces (transferred).
  sendData(datasets) {
    for (const [name, d] of Object.entries(datasets)) {
      if (this.held.get(name) === d.key) continue;
      for (const [message, transfer] of dataPieces(name, d)) this.handle.post(message, transfer);
      this.held.set(name, d.key);
    }
  }
}

export async function createPool({ size, wasmModule, wasmUrl, workerUrl } = {}) {
  const pool = new Pool();
  pool.size = size ?? (await defaultSize());
  if (!Number.isInteger(pool.size) || pool.size < 1) throw new PoolError(`pool: size must be an integer >= 1 (got ${size})`);
  pool.wasmModule = wasmModule ?? (await loadEngine(wasmUrl ? { wasmUrl } : {})).module;
  pool.workerUrl = workerUrl ?? new URL('../../web/workers/worker.js', import.meta.url);
  pool.slots = Array.from({ length: pool.size }, (_, i) => new Slot(pool, i));
  try {
    await Promise.all(pool.slots.map((s) => s.start()));
  } catch (e) {
    pool.close();
    throw e;
  }
  return pool;
}

class Pool {
  constructor() {
    this.closed = false;
    this.nextId = 1;
    this.queue = Promise.resolve();
  }

  // Run jobs; resolves to their results in job order. Options:
  //   datasets   {name: {key, pixels, labels, features?}} every job may read
  //   onProgress ({index, job, done, total, fraction, finished, count, update}) after
  //              every chunk of any job (update: the worker's progress message)
  //   signal     an AbortSignal: cancels the remaining work and rejects
  // Rejects with a PoolError when a job fails (its engine error's code and key
  // attached) or a worker dies; other jobs of the run are cancelled then.
  run(jobs, options = {}) {
    const turn = this.queue.then(() => this.runNow(jobs, options));
    this.queue = turn.catch(() => {});
    return turn;
  }

  async runNow(jobs, { datasets = {}, onProgress, signal } = {}) {
    if (this.closed) throw new PoolError('pool: closed');
    signal?.throwIfAborted();
    // Workers that died in an earlier run are replaced; they start with no data.
    await Promise.all(this.slots.map(async (s, i) => {
      if (!s.dead) return;
      s.handle?.terminate();
      this.slots[i] = new Slot(this, i);
      await this.slots[i].start();
    }));

    const results = new Array(jobs.length);
    const fractions = new Array(jobs.length).fill(0);
    let next = 0;
    let finished = 0;
    return new Promise((resolve, reject) => {
      let over = false;
      const end = (err) => {
        if (over) return;
        over = true;
        signal?.removeEventListener('abort', abort);
        for (const s of this.slots) {
          if (s.job && !s.dead) s.handle.post({ type: 'cancel', id: s.job.id });
          s.job = null;
        }
        if (err) reject(err);
        else resolve(results);
      };
      const abort = () => end(signal.reason ?? new PoolError('cancelled', { code: 'cancelled' }));
      signal?.addEventListener('abort', abort);

      const dispatch = (slot) => {
        if (over) return;
        if (next >= jobs.length) {
          slot.job = null;
          if (finished === jobs.length) end();
          return;
        }
        const index = next++;
        const id = this.nextId++;
        const job = jobs[index];
        slot.job = {
          id,
          onMessage: (m) => {
            if (m.type === 'progress') {
              fractions[index] = m.done / m.total;
              onProgress?.({ index, job, done: m.done, total: m.total, fraction: fractions.reduce((a, b) => a + b, 0) / jobs.length, finished, count: jobs.length, update: m });
            } else if (m.type === 'result') {
              results[index] = m.result;
              fractions[index] = 1;
              finished++;
              dispatch(slot);
            } else if (m.type === 'error') {
              const what = job.label ? `job ${index} (${job.label})` : `job ${index}`;
              end(new PoolError(`${what}: ${m.error.message}`, { code: m.error.code, key: m.error.key, job: index }));
            }
          },
          onDeath: (why) => end(new PoolError(`worker ${slot.index + 1} of ${this.slots.length} died while running job ${index}${job.label ? ` (${job.label})` : ''}: ${why}`, { job: index })),
        };
        try {
          slot.sendData(datasets);
          slot.handle.post({ type: 'run', id, job });
        } catch (e) {
          end(new PoolError(`job ${index}: could not be sent to worker ${slot.index + 1}: ${e.message}`, { job: index }));
        }
      };
      for (const s of this.slots) {
        if (s.dead) continue;
        dispatch(s);
      }
      if (jobs.length === 0) end();
    });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots ?? []) {
      s.job?.onDeath('the pool was closed');
      s.handle?.terminate();
    }
  }
}
