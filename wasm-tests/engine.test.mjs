// The engine module's contract: config errors, data validation, curves,
// determinism, divergence and disposal, through web/engine/engine.js only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, EngineError } from '../web/engine/engine.js';
import { ConfigError, makeConfig, parseConfigValue } from '../web/engine/config.js';
import { ABI } from '../web/engine/abi.js';
import { syntheticImages } from './helpers.mjs';

const engine = await loadEngine();
const synth = syntheticImages(500, 3);
const data = engine.createData({ capacity: 500 });
data.append(synth.pixels, synth.labels);

const small = { hidden: [20, 20], batchSize: 25, trainSize: 500, lr: 0.1 };

function trained(config, iterations) {
  const run = engine.createRun({ ...small, ...config });
  run.setTrain(data).setEval(0, data, 200);
  run.train(iterations);
  const out = { loss: Array.from(run.lossCurve), acc: Array.from(run.evalAccuracy(0)) };
  run.dispose();
  return out;
}

test('config: unknown keys and wrong types are rejected with the key named', () => {
  assert.throws(() => makeConfig({ learningRate: 0.1 }), (e) => e instanceof ConfigError && /learningRate: unknown setting/.test(e.message));
  assert.throws(() => makeConfig({ batchSize: 10.5 }), /batchSize: must be an integer/);
  assert.throws(() => makeConfig({ activation: 'gelu' }), /activation: must be one of relu, sigmoid, tanh/);
  assert.throws(() => makeConfig({ init: -1 }), /init: must be 'he', 'xavier' or a finite standard deviation > 0/);
  assert.throws(() => makeConfig({ hidden: [] }), /hidden: must list 1 to 10/);
  assert.throws(() => makeConfig({ hidden: [100, 2000] }), /hidden: every width must be an integer from 1 to 1024/);
  assert.throws(() => makeConfig({ batchNorm: 'yes' }), /batchNorm: must be true or false/);
  assert.equal(parseConfigValue('hidden', '100,50').length, 2);
  assert.equal(parseConfigValue('init', '0.01'), 0.01);
  assert.throws(() => parseConfigValue('lr', 'fast'), /lr: not a number/);
});

test('engine: out-of-range values are rejected by C with the setting, range and value', () => {
  // createRunFrom hands the values to C as they are (no JS range check), so
  // every rejection here is dlfs_config_check's: an EngineError carrying C's status.
  const cases = [
    [{ lr: 0 }, 'E_LR', /^lr: must be a finite number > 0 \(got 0\)$/],
    [{ lr: -1 }, 'E_LR', /^lr: .*\(got -1\)$/],
    [{ dropout: 1 }, 'E_DROPOUT', /^dropout: must be a ratio with 0 <= dropout < 1.*\(got 1\)$/],
    [{ dropout: -0.1 }, 'E_DROPOUT', /^dropout: .*\(got -0.1\)$/],
    [{ weightDecay: -1e-3 }, 'E_WEIGHT_DECAY', /^weightDecay: must be a finite number >= 0/],
    [{ batchSize: 0 }, 'E_BATCH_SIZE', /^batchSize: must be an integer from 1 to 1024 \(got 0\)$/],
    [{ batchSize: 1025 }, 'E_BATCH_SIZE', /^batchSize: must be an integer from 1 to 1024 \(got 1025\)$/],
    [{ hidden: [100, 2000] }, 'E_HIDDEN_WIDTH', /^hidden: every width must be an integer from 1 to 1024/],
    [{ evalBatch: 10001 }, 'E_EVAL_BATCH', /^evalBatch: must be an integer from 1 to 10000 \(got 10001\)$/],
  ];
  for (const [cfg, id, re] of cases) {
    assert.throws(() => engine.createRunFrom({ ...makeConfig(small), ...cfg }),
      (e) => e instanceof EngineError && e.id === id && e.key === Object.keys(cfg)[0] && re.test(e.message), JSON.stringify(cfg));
    // The JS check, where there is one, refuses with C's very words.
    try { makeConfig({ ...small, ...cfg }); } catch (e) {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.message, engine.statusMessage(ABI.status[id].code) + ` (got ${JSON.stringify(Object.values(cfg)[0])})`);
    }
  }
  const run = engine.createRun(small);
  assert.throws(() => run.setLr(Number.NaN), /lr: must be a finite number > 0/);
  assert.throws(() => run.setDropout(0.5), /dropout: .*run created without dropout/);
  assert.throws(() => run.train(1), (e) => e.code === 'error' && /no training data/.test(e.message));
  run.setTrain(data);
  assert.throws(() => run.setEval(4, data), /slot: must be an integer from 0 to 3 \(got 4\)/);
  run.dispose();
  run.dispose(); // twice is safe
  assert.throws(() => run.train(1), /used after dispose/);
});

test('data: bad labels are refused and nothing is committed; capacity is enforced', () => {
  const d = engine.createData({ capacity: 3 });
  const img = new Uint8Array(784);
  d.append(img, Uint8Array.of(9));
  assert.throws(() => d.append(new Uint8Array(784 * 2), Uint8Array.of(1, 10)), /label is outside/);
  assert.equal(d.count, 1);
  assert.throws(() => d.append(new Uint8Array(784 * 3), Uint8Array.of(1, 2, 3)), /capacity/);
  assert.throws(() => d.append(new Uint8Array(783), Uint8Array.of(1)), /pixel bytes/);
  assert.equal(d.count, 1);
  const run = engine.createRun({ ...small, trainSize: 2 });
  run.setTrain(d);
  assert.throws(() => run.train(1), /more images requested than are loaded/);
  d.append(img, Uint8Array.of(4));
  run.train(3);
  assert.equal(run.iterations, 3);
  run.dispose();
  d.dispose();
});

test('determinism: same seed gives identical curves, another seed different ones', () => {
  for (const extra of [{}, { batchNorm: true, dropout: 0.3, weightDecay: 0.01 }, { optimizer: 'adam', lr: 0.001, shuffle: true }]) {
    const a = trained({ seed: 11, ...extra }, 60);
    const b = trained({ seed: 11, ...extra }, 60);
    const c = trained({ seed: 12, ...extra }, 60);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.loss, c.loss);
  }
});

test("epochs: recorded when i % (trainSize / batchSize) == 0 after the update, as the book", () => {
  // 500 / 25 = 20 iterations per epoch: iterations 0, 20, 40 -> 3 points after 41 iterations.
  const r = engine.createRun({ ...small, seed: 2 });
  r.setTrain(data).setEval(0, data, 100);
  r.train(41);
  assert.equal(r.iterPerEpoch, 20);
  assert.equal(r.evalAccuracy(0).length, 3);
  assert.equal(r.lossCurve.length, 41);
  // The first point is the accuracy after one update, so it equals evaluate() then.
  const q = engine.createRun({ ...small, seed: 2 });
  q.setTrain(data);
  q.train(1);
  assert.equal(q.evaluate(data, 0, 100).accuracy, r.evalAccuracy(0)[0]);
  // A non-integer iter_per_epoch (book: 500/30 = 16.67) ends epochs at i*30 % 500 == 0.
  const f = engine.createRun({ ...small, batchSize: 30 });
  f.setTrain(data).setEval(0, data, 50);
  f.train(51);
  assert.ok(Math.abs(f.iterPerEpoch - 500 / 30) < 1e-5);
  assert.equal(f.evalAccuracy(0).length, 2); // i = 0 and i = 50
  for (const x of [r, q, f]) x.dispose();
});

test('live settings change the run from the next step on', () => {
  const base = engine.createRun({ ...small, seed: 5 });
  const live = engine.createRun({ ...small, seed: 5 });
  for (const r of [base, live]) r.setTrain(data);
  base.train(5);
  live.train(5);
  assert.deepEqual(Array.from(base.lossCurve), Array.from(live.lossCurve));
  live.setLr(0.5);
  live.setWeightDecay(0.1);
  base.train(5);
  live.train(5);
  assert.notDeepEqual(Array.from(base.lossCurve), Array.from(live.lossCurve));
  base.dispose();
  live.dispose();
});

test('decay curve: the ½λ‖W‖² inside each loss point, so loss − decay is the cross-entropy', () => {
  const plain = engine.createRun({ ...small, seed: 6 });
  const wd = engine.createRun({ ...small, seed: 6, weightDecay: 0.1 });
  for (const r of [plain, wd]) { r.setTrain(data); r.train(10); }
  assert.equal(wd.decayCurve.length, 10);
  assert.ok(Array.from(plain.decayCurve).every((d) => d === 0));
  assert.ok(Array.from(wd.decayCurve).every((d) => d > 0));
  // Iteration 0 sees the same initial weights: the cross-entropy is the plain run's loss.
  const ce0 = wd.lossCurve[0] - wd.decayCurve[0];
  assert.ok(Math.abs(ce0 - plain.lossCurve[0]) <= 1e-5 * wd.lossCurve[0], `${ce0} vs ${plain.lossCurve[0]}`);
  // Switched on live: the term appears from the next point on.
  plain.setWeightDecay(0.1);
  plain.train(3);
  assert.deepEqual(Array.from(plain.decayCurve).map((d) => d > 0), [...Array(10).fill(false), true, true, true]);
  plain.dispose();
  wd.dispose();
});

test('divergence: a huge learning rate stops the run, curves stay readable, nothing crashes', () => {
  const run = engine.createRun({ ...small, init: 10, lr: 1e4, seed: 1 });
  run.setTrain(data);
  let err;
  try { run.train(200); } catch (e) { err = e; }
  assert.ok(err instanceof EngineError, 'expected the run to diverge');
  assert.equal(err.code, 'diverged');
  assert.equal(run.diverged, true);
  const n = run.iterations;
  assert.equal(run.lossCurve.length, n);
  assert.ok(Array.from(run.lossCurve).every(Number.isFinite));
  assert.throws(() => run.train(1), (e) => e.code === 'diverged');
  run.dispose();
});

test('curves survive memory growth (views are rebuilt)', () => {
  const run = engine.createRun({ ...small, seed: 9 });
  run.setTrain(data);
  run.train(10);
  const before = Array.from(run.lossCurve);
  const heapBefore = engine.heap.u8.buffer;
  // More images than the heap has room for: the heap must grow.
  const capacity = Math.ceil(heapBefore.byteLength / 785) + 1000;
  const big = engine.createData({ capacity });
  assert.ok(engine.x.memory.buffer.byteLength > heapBefore.byteLength + 784 * 1000, 'the heap grew');
  assert.equal(heapBefore.byteLength, 0, 'the old buffer was detached by the growth');
  assert.notEqual(engine.heap.u8.buffer, heapBefore, 'the views were rebuilt');
  assert.deepEqual(Array.from(run.lossCurve), before);
  big.dispose();
  run.dispose();
});

test('activation histogram: counts add up and match the layer size', () => {
  const run = engine.createRun({ ...small, activation: 'sigmoid', init: 1 });
  const h = run.activationHistogram(data, 1, { count: 100, bins: 30 });
  assert.equal(h.counts.length, 30);
  assert.equal(h.counts.reduce((a, b) => a + b, 0) + h.below + h.above, 100 * 20);
  assert.equal(h.below, 0); // sigmoid outputs lie in [0, 1]
  assert.ok(h.mean > 0 && h.mean < 1);
  assert.throws(() => run.activationHistogram(data, 2), /invalid argument/);
  run.dispose();
});
