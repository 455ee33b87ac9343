// A short real-MNIST run: 784-100-10, SGD, a few hundred steps, must reach
// > 0.90 test accuracy (the book's two-layer net passes 0.90 within its first
// couple of epochs at lr 0.1; see ch04/train_neuralnet.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWithMnist } from './helpers.mjs';

test('784-100-10 SGD on real MNIST reaches > 0.90 test accuracy in 600 steps', async () => {
  const { engine, train, test: testSet } = await engineWithMnist();
  for (const seed of [1, 2]) {
    const run = engine.createRun({ hidden: [100], lr: 0.1, batchSize: 100, seed });
    run.setTrain(train);
    run.train(600);
    const { accuracy, loss } = run.evaluate(testSet);
    assert.ok(accuracy > 0.9, `seed ${seed}: test accuracy ${accuracy}`);
    assert.ok(loss < 0.4, `seed ${seed}: test loss ${loss}`);
    run.dispose();
  }
});
