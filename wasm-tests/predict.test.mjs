// What the page's learning aids ask the net: class probabilities for test
// digits (the strip, the confusion matrix) and for a drawn digit (the pad),
// through engine.js's Run.predict and the worker's 'predict' message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { loadEngine } from '../web/engine/engine.js';
import { engineWithMnist } from './helpers.mjs';

const argmax = (p, i) => {
  let best = 0;
  for (let k = 1; k < 10; k++) if (p[i * 10 + k] > p[i * 10 + best]) best = k;
  return best;
};

test('predict: rows of probabilities whose argmax is the accuracy evaluate() reports, on real MNIST', async () => {
  const { engine, train, test: testSet } = await engineWithMnist({ train: 2000, test: 1000 });
  const run = engine.createRun({ hidden: [50], trainSize: 2000, batchSize: 100, lr: 0.1, seed: 3 });
  run.setTrain(train);
  run.train(100);
  const probs = run.predict(testSet, 0, 1000); // more than one eval batch
  assert.equal(probs.length, 10000);
  const { mnist } = await engineWithMnist({ train: 1, test: 1 }); // the labels, from the shards
  let correct = 0;
  for (let i = 0; i < 1000; i++) {
    let sum = 0;
    for (let k = 0; k < 10; k++) sum += probs[i * 10 + k];
    assert.ok(Math.abs(sum - 1) < 1e-5, `row ${i} sums to ${sum}`);
    correct += argmax(probs, i) === mnist.test.labels[i];
  }
  const { accuracy } = run.evaluate(testSet, 0, 1000);
  assert.equal(Math.fround(correct / 1000), accuracy); // the engine reports float32
  assert.ok(accuracy > 0.8, `a net trained for 100 steps reads digits (${accuracy})`);
  assert.throws(() => run.predict(testSet, 999, 2), /not enough|images/i);
  run.dispose();
});

test('worker: predict answers for a stored data set and for drawn pixels, also after the run has ended', async () => {
  const { mnist } = await engineWithMnist({ train: 1, test: 1 });
  const w = new Worker(new URL('../web/workers/worker.js', import.meta.url));
  const inbox = [];
  let wake = () => {};
  w.on('message', (m) => { inbox.push(m); wake(); });
  const next = async (type) => {
    for (;;) {
      const i = inbox.findIndex((m) => m.type === type || m.type === 'error' || m.type === 'refused');
      if (i >= 0) return inbox.splice(i, 1)[0];
      await new Promise((r) => { wake = r; });
    }
  };
  try {
    w.postMessage({ type: 'init', wasmModule: (await loadEngine()).module });
    await next('ready');
    const n = 1000;
    w.postMessage({ type: 'data', name: 'tr', key: 'tr', first: 0, capacity: n, pixels: mnist.train.pixels.slice(0, n * 784), labels: mnist.train.labels.slice(0, n) });
    await next('data');
    w.postMessage({ type: 'data', name: 'te', key: 'te', first: 0, capacity: 200, pixels: mnist.test.pixels.slice(0, 200 * 784), labels: mnist.test.labels.slice(0, 200) });
    await next('data');
    const job = { kind: 'train', config: { hidden: [50], trainSize: n, batchSize: 100, lr: 0.1 }, train: 'tr', evals: [{ data: 'te' }], iterations: 51, evalFrom: 0 }; // the last epoch point is recorded after the last step
    // keep: the finished net stays open on the worker for 'predict' until 'cancel'.
    w.postMessage({ type: 'run', id: 1, job, keep: true });
    const { result } = await next('result');
    // The run is over but its job is kept: the net still answers.
    w.postMessage({ type: 'predict', id: 1, request: 'strip', data: 'te', first: 0, count: 500 });
    const a = await next('predict');
    assert.equal(a.request, 'strip');
    assert.equal(a.probs.length, 200 * 10, 'count is capped at the set size');
    let correct = 0;
    for (let i = 0; i < 200; i++) correct += argmax(a.probs, i) === mnist.test.labels[i];
    assert.equal(Math.fround(correct / 200), result.evals[0].acc.at(-1), 'the same net as the last epoch point');
    // A drawn digit: the first test image's pixels give the first row.
    w.postMessage({ type: 'predict', id: 1, request: 'pad', pixels: mnist.test.pixels.slice(0, 784) });
    const b = await next('predict');
    assert.deepEqual(Array.from(b.probs), Array.from(a.probs.slice(0, 10)));
    w.postMessage({ type: 'predict', id: 1, data: 'nope' });
    const refused = await next('refused');
    assert.equal(refused.request, 'predict');
    assert.match(refused.error.message, /"nope" has not been sent/);
    // A kept net is no longer trained: live requests are refused; cancel frees it.
    w.postMessage({ type: 'set', id: 1, lr: 0.01 });
    assert.match((await next('refused')).error.message, /has finished/);
    w.postMessage({ type: 'cancel', id: 1 });
    w.postMessage({ type: 'predict', id: 1, request: 'gone', data: 'te' });
    assert.match((await next('refused')).error.message, /no job 1/);
  } finally {
    await w.terminate();
  }
});
