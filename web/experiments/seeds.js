// seeds.js: the seeds and small maths every experiment shares: hashing,
// the plans' PRNG, and the engine's epoch arithmetic.
//
// Seeds: every job's seed is derived from the preset seed and the job's index
// in its comparison group, never from the worker that runs it, so results are
// bit-identical whatever the worker count. Runs the book compares on "the same
// batches" (init's three nets; each BatchNorm scale's pair) share one seed: the
// engine draws batches, init and dropout from separate streams of the seed.

// A 32-bit hash of a few words (murmur3's finaliser per word): seeds for runs
// and streams that are unrelated to each other even for neighbouring inputs.
export function hash32(...words) {
  let h = 0x9e3779b9;
  for (const w of words) {
    h = Math.imul(h ^ (w >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const STREAM_RUN = 1; // engine seeds of runs
export const STREAM_HYPER = 2; // search: lr and weight decay of a trial
export const STREAM_SPLIT = 3; // search: the one shuffle of its data

export const deriveSeed = (seed, index) => hash32(seed, STREAM_RUN, index);

// mulberry32: uniform doubles in [0, 1) from a 32-bit seed (for plans, not for training).
export function uniforms(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gcd = (a, b) => (b ? gcd(b, a % b) : a);

// The engine ends an epoch after iteration i when i % (trainSize / batchSize) == 0
// in real arithmetic (the book's train loops), i.e. every `period` iterations.
export function epochPeriod(trainSize, batchSize) {
  return batchSize >= trainSize ? 1 : trainSize / gcd(trainSize, batchSize);
}
// Iterations that record `epochs` epoch points: the last one is iteration (epochs - 1) * period.
export const iterationsForEpochs = (epochs, period) => (epochs - 1) * period + 1;

// np.logspace(0, -4, 16): the book's 16 BatchNorm weight scales.
export function logspace(start, stop, n) {
  return Array.from({ length: n }, (_, k) => 10 ** (n === 1 ? start : start + (k * (stop - start)) / (n - 1)));
}
