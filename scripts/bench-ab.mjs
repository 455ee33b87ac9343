#!/usr/bin/env node
// bench-ab.mjs: A/B of several dlfs.wasm builds (or eval batch sizes) with real
// MNIST, interleaved in one process and timed in this process's CPU time, so a
// loaded machine slows every variant alike. Prints per variant the rate over all
// rounds and the best single round (the quiet-machine estimate), each as a ratio
// to the first variant.
//
//   node scripts/bench-ab.mjs train|eval|search ROUNDS name=path/to/dlfs.wasm[:evalBatch] ...
//
// train, eval: A6 (784-100x6-10) training steps / test-set evaluation.
// search: whole trials of the search preset as a worker runs them (create the
//   run, train 50 epochs evaluating both sets every epoch, read the curves,
//   free it), two trials per round, the preset's own jobs in order. A build
//   that predates lossMode 'none' runs them with 'forward'.
// e.g. node scripts/bench-ab.mjs eval 25 old=build/base/dlfs.wasm new=build/wasm/dlfs.wasm
import { readFileSync } from 'node:fs';
import { loadEngine } from '../web/engine/engine.js';
import { loadMnistOrExplain } from './lab.mjs';
import { resolveSettings } from '../web/experiments/presets.js';
import * as search from '../web/experiments/search.js';

const [mode, roundsText, ...specs] = process.argv.slice(2);
const rounds = Number(roundsText);
if (!['train', 'eval', 'search'].includes(mode) || !(rounds >= 1) || !specs.length || specs.some((s) => !s.includes('='))) {
  console.error('usage: node scripts/bench-ab.mjs train|eval|search ROUNDS name=path/to/dlfs.wasm[:evalBatch] ...');
  process.exit(2);
}
const A6 = { hidden: [100, 100, 100, 100, 100, 100], init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 60000, maxIterations: 10000000 };
const ITER = 40; // training iterations per round
const TRIALS = 2; // search trials per round
const mnist = await loadMnistOrExplain();

// The search preset's data sets (its images of the training set) and jobs.
const settings = resolveSettings('search');
const searchSpecs = search.plan.datasets(settings);
const searchJobs = search.plan.stages[0](settings);
function searchData(engine) {
  const sets = {};
  for (const [name, { indices }] of Object.entries(searchSpecs)) {
    const px = new Uint8Array(indices.length * 784), lb = new Uint8Array(indices.length);
    indices.forEach((i, k) => { px.set(mnist.train.pixels.subarray(i * 784, (i + 1) * 784), k * 784); lb[k] = mnist.train.labels[i]; });
    sets[name] = engine.createData({ capacity: indices.length });
    sets[name].append(px, lb);
  }
  return sets;
}
function runTrial(v, job) {
  let run;
  try {
    run = v.engine.createRun(v.oldAbi ? { ...job.config, lossMode: 'forward' } : job.config);
  } catch (e) {
    if (v.oldAbi || job.config.lossMode !== 'none') throw e;
    v.oldAbi = true;
    return runTrial(v, job);
  }
  run.setTrain(v.sets[job.train]);
  job.evals.forEach((e, slot) => run.setEval(slot, v.sets[e.data], 0));
  try { run.train(job.iterations); } catch (e) { if (e.code !== 'diverged') throw e; }
  job.evals.forEach((_, slot) => run.evalAccuracy(slot).slice());
  run.dispose();
}

const variants = [];
for (const spec of specs) {
  const [name, rest] = spec.split('=');
  const [path, evalBatch] = rest.split(':');
  const engine = await loadEngine({ wasmBytes: readFileSync(path) });
  const v = { name, engine, ms: 0, items: 0, best: 0 };
  if (mode === 'search') {
    v.sets = searchData(engine);
    runTrial(v, searchJobs[0]); // warm-up
  } else {
    v.train = engine.createData({ capacity: mnist.train.count });
    v.train.append(mnist.train.pixels, mnist.train.labels);
    v.test = engine.createData({ capacity: mnist.test.count });
    v.test.append(mnist.test.pixels, mnist.test.labels);
    v.run = engine.createRun({ ...A6, ...(evalBatch ? { evalBatch: Number(evalBatch) } : {}) });
    v.run.setTrain(v.train);
    v.run.train(200); // warm-up: tier-up of the hot wasm functions
    v.run.evaluate(v.test);
  }
  variants.push(v);
}
const cpuMs = (u) => (u.user + u.system) / 1000;
for (let r = 0; r < rounds; r++)
  for (const v of variants) {
    const u0 = process.cpuUsage();
    let items;
    if (mode === 'train') v.run.train(ITER), (items = ITER * A6.batchSize);
    else if (mode === 'eval') v.run.evaluate(v.test), (items = v.test.count);
    else {
      for (let t = 0; t < TRIALS; t++) runTrial(v, searchJobs[(r * TRIALS + t) % searchJobs.length]);
      items = TRIALS;
    }
    const ms = cpuMs(process.cpuUsage(u0));
    v.ms += ms;
    v.items += items;
    v.best = Math.max(v.best, items / ms);
  }
const [first] = variants;
const unit = { train: 'samples', eval: 'images', search: 'trials' }[mode];
console.log(`${mode === 'search' ? 'search trials' : `A6 ${mode}`}, ${rounds} interleaved rounds, CPU time of this process (${unit}/s)`);
const show = (x) => (mode === 'search' ? (x * 1000).toFixed(3) : Math.round(x * 1000).toLocaleString('en-US'));
for (const v of variants) {
  const all = v.items / v.ms, f = first.items / first.ms;
  console.log(`  ${v.name.padEnd(14)} all rounds ${show(all).padStart(9)} x${(all / f).toFixed(3)}   best round ${show(v.best).padStart(9)} x${(v.best / first.best).toFixed(3)}${v.oldAbi ? "   (lossMode 'forward': this build predates 'none')" : ''}`);
}
for (const v of variants) v.engine.dispose();
