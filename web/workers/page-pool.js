// page-pool.js: the page's pool (pool.js) on module Web Workers, shared by
// every playground on the page so that two embeds never start more engines
// than the machine has cores, and a data set sent to a worker is reused by
// whichever playground needs it next. The main thread compiles dlfs.wasm once
// and hands the module to each worker; it never touches an engine heap.
import { Pool } from './pool.js';
import { startModuleWorker } from './module-worker.js';

const MAX_WORKERS = 8;

// A module Web Worker behind the face pool.js's workers expect.
const spawnWebWorker = (url) => (onMessage, onDeath) => {
  const w = startModuleWorker(url);
  w.addEventListener('message', (e) => onMessage(e.data));
  w.addEventListener('error', (e) => {
    e.preventDefault();
    onDeath(e.message || 'the worker failed to load');
  });
  return { post: (m, t) => w.postMessage(m, t ?? []), terminate: () => w.terminate() };
};

// dlfs.wasm uses WebAssembly SIMD128 (Chrome 91, Firefox 89, Safari 16.4 and
// later). Where it is missing the compiler would only say "invalid opcode":
// this smallest SIMD function (i32.const 0, i8x16.splat, i8x16.popcnt) tells first.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

function compile(wasmUrl) {
  if (!WebAssembly.validate(SIMD_PROBE)) {
    const missing = Promise.reject(new Error('this browser has no WebAssembly SIMD, which the engine needs (Chrome 91, Firefox 89, Safari 16.4 or later)'));
    missing.catch(() => {}); // reported by the runs that need the engine, not as an unhandled rejection
    return missing;
  }
  return WebAssembly.compileStreaming(fetch(wasmUrl)).catch(async () => {
    // compileStreaming needs the application/wasm type; some hosts send another.
    const res = await fetch(wasmUrl);
    if (!res.ok) throw new Error(`dlfs.wasm: HTTP ${res.status}`);
    return WebAssembly.compile(await res.arrayBuffer());
  });
}

const pools = new Map();

// The page's pool for this worker script (one per page, shared by all playgrounds).
export function pagePool({ workerUrl, wasmUrl }) {
  const k = String(workerUrl);
  if (!pools.has(k)) {
    const size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS));
    pools.set(k, new Pool({ spawn: spawnWebWorker(workerUrl), wasm: compile(wasmUrl), size }));
  }
  return pools.get(k);
}
