// threads.js: the pool (web/workers/pool.js) on Node worker_threads, for the
// CLI, the benchmark and the tests: each thread one WASM instance
// (web/workers/worker.js) with its own copy of the data.
//
//   const pool = await createPool({ size: 2 });
//   const results = await pool.run(jobs, { datasets, onProgress, signal });
//   pool.close();
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { Pool, JobError } from '../../web/workers/pool.js';
import { loadEngine } from '../../web/engine/engine.js';

// A worker thread behind the face pool.js's workers expect.
export const spawnThread = (url) => (onMessage, onDeath) => {
  const w = new Worker(url);
  w.on('message', onMessage);
  w.on('error', (e) => onDeath(e.message));
  w.on('messageerror', (e) => onDeath(`message could not be read (${e.message})`));
  w.on('exit', (code) => onDeath(`exited with code ${code}`));
  return { post: (m, t) => w.postMessage(m, t), terminate: () => w.terminate() };
};

// A pool of `size` threads (default: the cores), all started before it resolves.
export async function createPool({ size = availableParallelism(), wasmUrl, workerUrl } = {}) {
  if (!Number.isInteger(size) || size < 1) throw new JobError(`pool: size must be an integer >= 1 (got ${size})`);
  const wasm = loadEngine(wasmUrl ? { wasmUrl } : {}).then((e) => e.module);
  const pool = new Pool({ spawn: spawnThread(workerUrl ?? new URL('../../web/workers/worker.js', import.meta.url)), wasm, size });
  try {
    await pool.lease(size);
  } catch (e) {
    pool.close();
    throw e;
  }
  return pool;
}
