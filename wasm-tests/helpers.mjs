// helpers.mjs: what several test files need: the engine, real MNIST from the
// shards that scripts/build.sh made, and a few tiny synthetic data sets.
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../web/engine/engine.js';
import { loadMnist } from '../scripts/lib/shards-node.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DATA_DIR = fileURLToPath(new URL('../web/data', import.meta.url));

let mnist;
// Real MNIST (60,000 + 10,000), loaded once per test process.
export function realMnist() {
  mnist ??= loadMnist(DATA_DIR).catch((err) => {
    throw new Error(`real MNIST shards missing or bad in ${DATA_DIR} (run ./scripts/build.sh): ${err.message}`);
  });
  return mnist;
}

export async function engineWithMnist({ train = 60000, test = 10000 } = {}) {
  const m = await realMnist();
  const engine = await loadEngine();
  const trainSet = engine.createData({ capacity: train });
  trainSet.append(m.train.pixels.subarray(0, train * 784), m.train.labels.subarray(0, train));
  const testSet = engine.createData({ capacity: test });
  testSet.append(m.test.pixels.subarray(0, test * 784), m.test.labels.subarray(0, test));
  return { engine, train: trainSet, test: testSet, mnist: m };
}

// n synthetic images (generated data is for unit tests only): deterministic bytes.
export function syntheticImages(n, seed = 1) {
  const pixels = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < pixels.length; i++) pixels[i] = next() >>> 24;
  for (let i = 0; i < n; i++) labels[i] = (next() >>> 24) % 10;
  return { pixels, labels };
}

// Counts the bytes every DecompressionStream hands out while fn(seen) runs (to
// show that inflating stops at its bound); the original is back afterwards.
export async function countInflated(fn) {
  const Original = globalThis.DecompressionStream;
  const seen = { bytes: 0 };
  globalThis.DecompressionStream = class {
    constructor(format) {
      const d = new Original(format);
      this.writable = d.writable;
      this.readable = d.readable.pipeThrough(new TransformStream({ transform(c, ctl) { seen.bytes += c.length; ctl.enqueue(c); } }));
    }
  };
  try {
    return await fn(seen);
  } finally {
    globalThis.DecompressionStream = Original;
  }
}

// The fidelity tests' runner: presets on real MNIST over a pool of two Node
// workers (closed after the file), seed 1 unless overridden.
export async function presetRunner() {
  const [{ after }, { createPool }, { resolveSettings, runPreset }, { executeWith }] = await Promise.all([
    import('node:test'), import('../scripts/lib/threads.js'), import('../web/experiments/presets.js'), import('../scripts/lab.mjs'),
  ]);
  const mnist = await realMnist();
  const pool = await createPool({ size: 2 });
  after(() => pool.close());
  return (name, overrides = {}) => runPreset(name, resolveSettings(name, { seed: 1, ...overrides }), {
    parts: pool.size,
    execute: executeWith(pool, mnist),
  });
}
