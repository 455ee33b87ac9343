// The sparse-input first layer (per-image nonzero lists, csrc/gemm_sparse*.c)
// against the dense path on real MNIST, end to end: the same run trained and
// evaluated once through the lists and once through the dense pixels must give
// the same loss curve, epoch curves, final test loss/accuracy and activation
// histograms, bit for bit. The kernels' own bit-identity over edge shapes is
// tested in csrc/tests/test_gemm_sparse.c.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWithMnist } from './helpers.mjs';

const CONFIGS = {
  'A6 (784-100x6-10, He, SGD)': { hidden: [100, 100, 100, 100, 100, 100], init: 'he', lr: 0.01 },
  'BatchNorm + inverted dropout + Adam + weight decay, book loss': {
    hidden: [100, 50], batchNorm: true, dropout: 0.2, dropoutMode: 'inverted', optimizer: 'adam', lr: 0.001,
    weightDecay: 0.1, lossMode: 'book', shuffle: true,
  },
  'sigmoid, Xavier, momentum, book dropout': {
    hidden: [60, 40], activation: 'sigmoid', init: 'xavier', optimizer: 'momentum', lr: 0.1, dropout: 0.15,
  },
};

const bits = (f32) => Array.from(new Uint32Array(Float32Array.from(f32).buffer));

function trainAndScore(engine, train, testSet, config, sparse) {
  for (const d of [train, testSet]) engine.check(engine.x.dlfs_data_set_sparse(d.ptr, sparse ? 1 : 0));
  assert.equal(engine.x.dlfs_data_sparse(train.ptr), sparse ? 1 : 0, 'the path under test is the one taken');
  assert.equal(engine.x.dlfs_data_sparse(testSet.ptr), sparse ? 1 : 0);
  const run = engine.createRun({ ...config, batchSize: 100, trainSize: 2000, seed: 11, evalBatch: 500, maxIterations: 200 });
  // evalBatch 500: evaluation passes of 500 images, so chunking is exercised too.
  run.setTrain(train);
  run.setEval(0, testSet, 1000);
  run.train(200); // 10 epochs of 20 iterations: 10 evaluations of 1000 test images
  const out = {
    loss: bits(run.lossCurve),
    evalAcc: bits(run.evalAccuracy(0)),
    evalLoss: bits(run.evalLoss(0)),
    final: run.evaluate(testSet),
    hist: run.activationHistogram(testSet, 0, { first: 100, count: 500, bins: 30, lo: 0, hi: 1 }),
  };
  run.dispose();
  return out;
}

test('sparse and dense first layer give bit-identical runs on real MNIST', async () => {
  const { engine, train, test: testSet } = await engineWithMnist();
  for (const [name, config] of Object.entries(CONFIGS)) {
    const sparse = trainAndScore(engine, train, testSet, config, true);
    const dense = trainAndScore(engine, train, testSet, config, false);
    assert.equal(sparse.loss.length, 200, name);
    assert.equal(sparse.evalAcc.length, 10, name);
    assert.deepEqual(sparse.loss, dense.loss, `${name}: loss curve`);
    assert.deepEqual(sparse.evalAcc, dense.evalAcc, `${name}: eval accuracy curve`);
    assert.deepEqual(sparse.evalLoss, dense.evalLoss, `${name}: eval loss curve`);
    assert.ok(Object.is(sparse.final.loss, dense.final.loss) && Object.is(sparse.final.accuracy, dense.final.accuracy),
      `${name}: final test ${JSON.stringify(sparse.final)} vs ${JSON.stringify(dense.final)}`);
    assert.deepEqual(sparse.hist, dense.hist, `${name}: activation histogram`);
    assert.ok(sparse.final.accuracy > 0.5, `${name}: it learned something (${sparse.final.accuracy})`);
  }
  for (const d of [train, testSet]) engine.check(engine.x.dlfs_data_set_sparse(d.ptr, 1));
});

test('dlfs_data_set_sparse rejects bad arguments', async () => {
  const { engine, train } = await engineWithMnist({ train: 100, test: 10 });
  assert.notEqual(engine.x.dlfs_data_set_sparse(train.ptr, 2), 0);
  assert.notEqual(engine.x.dlfs_data_set_sparse(0, 1), 0);
  assert.equal(engine.x.dlfs_data_sparse(0), -1);
  assert.equal(engine.x.dlfs_data_sparse(train.ptr), 1); // MNIST is ~81% zeros: lists in use
});
