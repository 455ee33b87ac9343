#!/usr/bin/env node
// bench-ab.mjs: A/B of several dlfs.wasm builds (or eval batch sizes) on A6 with real
// MNIST, interleaved in one process and timed in this process's CPU time, so a
// loaded machine slows every variant alike. Prints per variant the rate over all
// rounds and the best single round (the quiet-machine estimate), each as a ratio
// to the first variant.
//
//   node scripts/bench-ab.mjs train|eval ROUNDS name=path/to/dlfs.wasm[:evalBatch] ...
//
// e.g. node scripts/bench-ab.mjs eval 25 old=build/base/dlfs.wasm new=build/wasm/dlfs.wasm
import { readFileSync } from 'node:fs';
import { loadEngine } from '../web/engine/engine.js';
import { loadMnistOrExplain } from './lab.mjs';

const [mode, roundsText, ...specs] = process.argv.slice(2);
const rounds = Number(roundsText);
if (!['train', 'eval'].includes(mode) || !(rounds >= 1) || !specs.length || specs.some((s) => !s.includes('='))) {
  console.error('usage: node scripts/bench-ab.mjs train|eval ROUNDS name=path/to/dlfs.wasm[:evalBatch] ...');
  process.exit(2);
}
const A6 = { hidden: [100, 100, 100, 100, 100, 100], init: 'he', optimizer: 'sgd', lr: 0.01, batchSize: 100, trainSize: 60000, maxIterations: 10000000 };
const ITER = 40; // training iterations per round
const mnist = await loadMnistOrExplain();
const variants = [];
for (const spec of specs) {
  const [name, rest] = spec.split('=');
  const [path, evalBatch] = rest.split(':');
  const engine = await loadEngine({ wasmBytes: readFileSync(path) });
  const train = engine.createData({ capacity: mnist.train.count });
  train.append(mnist.train.pixels, mnist.train.labels);
  const test = engine.createData({ capacity: mnist.test.count });
  test.append(mnist.test.pixels, mnist.test.labels);
  const run = engine.createRun({ ...A6, ...(evalBatch ? { evalBatch: Number(evalBatch) } : {}) });
  run.setTrain(train);
  run.train(200); // warm-up: tier-up of the hot wasm functions
  run.evaluate(test);
  variants.push({ name, run, test, ms: 0, items: 0, best: 0 });
}
const cpuMs = (u) => (u.user + u.system) / 1000;
for (let r = 0; r < rounds; r++)
  for (const v of variants) {
    const u0 = process.cpuUsage();
    let items;
    if (mode === 'train') v.run.train(ITER), (items = ITER * A6.batchSize);
    else v.run.evaluate(v.test), (items = v.test.count);
    const ms = cpuMs(process.cpuUsage(u0));
    v.ms += ms;
    v.items += items;
    v.best = Math.max(v.best, items / ms);
  }
const [first] = variants;
console.log(`A6 ${mode}, ${rounds} interleaved rounds, CPU time of this process (${mode === 'train' ? 'samples' : 'images'}/s)`);
for (const v of variants) {
  const all = v.items / v.ms, f = first.items / first.ms;
  console.log(`  ${v.name.padEnd(14)} all rounds ${Math.round(all * 1000).toLocaleString('en-US').padStart(9)} x${(all / f).toFixed(3)}   best round ${Math.round(v.best * 1000).toLocaleString('en-US').padStart(9)} x${(v.best / first.best).toFixed(3)}`);
}
for (const v of variants) v.run.dispose();
