// engine-args.test.mjs: the JS API refuses what it used to coerce (issue 8,
// case 5). Every bad argument is an error that names the argument and shows
// what was given (NaN, Infinity, 1n, "0.2" as such); a disposed handle throws
// on use; a link that gives a key twice says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, EngineError } from '../web/engine/engine.js';
import { ConfigError, makeConfig, parseConfigValue } from '../web/engine/config.js';
import { readHash } from '../web/ui/links.js';
import { syntheticImages } from './helpers.mjs';

const engine = await loadEngine();
const synth = syntheticImages(500, 5);
const small = { hidden: [12], batchSize: 25, trainSize: 500, lr: 0.1 };

function freshRun() {
  const data = engine.createData({ capacity: 500 });
  data.append(synth.pixels, synth.labels);
  const run = engine.createRun(small);
  run.setTrain(data);
  return { data, run };
}

// fn throws an error naming `key` whose message matches `re`.
function refuses(fn, key, re, what) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof EngineError || e instanceof ConfigError, `${what}: ${e?.name}: ${e?.message}`);
    assert.equal(e.key, key, `${what}: key of "${e.message}"`);
    assert.match(e.message, re, what);
    return true;
  }, what);
}

test('train(n) takes a whole number of iterations and nothing else', () => {
  const { data, run } = freshRun();
  for (const [n, shown] of [[NaN, 'NaN'], [undefined, 'undefined'], [2.9, '2.9'], [2 ** 32 + 3, '4294967299'], [-1, '-1'], ['3', '"3"'], [Infinity, 'Infinity'], [3n, '3n']]) {
    refuses(() => run.train(n), 'iterations', new RegExp(`iterations: must be an integer from 0 to 2147483647 \\(got ${shown}\\)`), `train(${shown})`);
  }
  assert.equal(run.iterations, 0, 'a refused call trains nothing');
  run.train(3);
  assert.equal(run.iterations, 3);
  run.dispose();
  data.dispose();
});

test('live setters take finite numbers, not booleans, strings or arrays', () => {
  const { data, run } = freshRun();
  for (const [setter, key] of [['setLr', 'lr'], ['setWeightDecay', 'weightDecay'], ['setDropout', 'dropout']]) {
    for (const [v, shown] of [[true, 'true'], ['0.2', '"0.2"'], [[0.3], '\\[0.3\\]'], [null, 'null'], [1n, '1n']]) {
      refuses(() => run[setter](v), key, new RegExp(`${key}: must be a number \\(got ${shown}\\)`), `${setter}(${shown})`);
    }
  }
  refuses(() => run.setLr(NaN), 'lr', /lr: must be a finite number > 0 \(got NaN\)/, 'setLr(NaN)');
  assert.equal(run.config.lr, 0.1, 'nothing was stored');
  refuses(() => run.setLr(1e-50), 'lr', /lr: 1e-50 is too small for float32 and would become 0/, 'setLr(1e-50)');
  run.setLr(0.2);
  assert.equal(run.config.lr, 0.2);
  run.dispose();
  data.dispose();
});

test('createData and append refuse what they used to truncate or wrap', () => {
  for (const [opts, key, shown] of [[{ capacity: '10' }, 'capacity', '"10"'], [{ capacity: 10.7 }, 'capacity', '10.7'], [{}, 'capacity', 'undefined'],
    [{ capacity: 10, features: 784.5 }, 'features', '784.5'], [{ capacity: 10, classes: '10' }, 'classes', '"10"']]) {
    refuses(() => engine.createData(opts), key, new RegExp(`${key}: must be an integer .*\\(got ${shown}\\)`), JSON.stringify(opts));
  }
  const d = engine.createData({ capacity: 3, features: 4, classes: 10 });
  refuses(() => d.append([1, 2, 3, 300.7], [1]), 'pixels', /pixels: every value must be an integer from 0 to 255 \(got 300\.7 at 3\)/, 'pixel 300.7');
  refuses(() => d.append([1, 2, 3, -1], [1]), 'pixels', /got -1 at 3/, 'pixel -1');
  refuses(() => d.append(new Uint8Array(4), [-255]), 'labels', /labels: every value must be an integer from 0 to 9 \(got -255 at 0\)/, 'label -255');
  refuses(() => d.append(new Uint8Array(4), new Float32Array([1.5])), 'labels', /got 1\.5 at 0/, 'label 1.5');
  refuses(() => d.append('abcd', 'a'), 'pixels', /pixels: must be a Uint8Array or an array of integers/, 'string pixels');
  assert.equal(d.count, 0, 'nothing committed');
  d.append([0, 1, 2, 255], [9]);
  d.append(new Uint8Array(4), new Uint8Array([3]));
  assert.equal(d.count, 2);
  d.dispose();
});

test('config values: 1n, NaN, Infinity and 1e400 are shown as given; float32 underflow is named', () => {
  refuses(() => makeConfig({ lr: 1n }), 'lr', /lr: must be a finite number \(got 1n\)/, 'lr: 1n');
  refuses(() => makeConfig({ lr: NaN }), 'lr', /\(got NaN\)/, 'lr: NaN');
  refuses(() => makeConfig({ weightDecay: -Infinity }), 'weightDecay', /\(got -Infinity\)/, 'weightDecay: -Infinity');
  refuses(() => parseConfigValue('lr', '1e400'), 'lr', /\(got "1e400"\)/, 'lr=1e400');
  refuses(() => makeConfig({ seed: 2 ** 53 + 0.5 }), 'seed', /\(got 9007199254740992\)/, 'seed');
  refuses(() => makeConfig({ lr: 1e-50 }), 'lr', /lr: 1e-50 is too small for float32 and would become 0/, 'lr: 1e-50');
  refuses(() => makeConfig({ dropout: 1e-50 }), 'dropout', /dropout: 1e-50 is too small for float32 and would become 0/, 'dropout: 1e-50');
  refuses(() => makeConfig({ init: 1e-60 }), 'init', /init: 1e-60 is too small for float32/, 'init: 1e-60');
  refuses(() => engine.createRun(small, { inputSize: 784.9 }), 'inputSize', /inputSize: must be an integer .*\(got 784\.9\)/, 'inputSize 784.9');
  refuses(() => engine.createRun(small, { outputSize: '10' }), 'outputSize', /\(got "10"\)/, 'outputSize "10"');
  makeConfig({ lr: 1e-40 }); // subnormal in float32 but not 0: allowed
});

test('evaluate names its own range, not trainSize', () => {
  const { data, run } = freshRun();
  refuses(() => run.evaluate(data, 490, 20), 'count', /evaluate: images 490\.\.509 requested but the data set holds 500/, 'evaluate(490, 20)');
  refuses(() => run.evaluate(data, -1, 5), 'first', /first: must be an integer from 0/, 'first -1');
  refuses(() => run.evaluate(data, 0, 2.5), 'count', /count: must be an integer from 1/, 'count 2.5');
  refuses(() => run.evaluate({}, 0, 5), 'data', /data: must be a DataSet/, 'not a data set');
  const r = run.evaluate(data, 480, 20);
  assert.ok(r.accuracy >= 0 && r.accuracy <= 1);
  run.dispose();
  data.dispose();
});

test('predict and read name a bad count or range (they used to throw a ReferenceError)', () => {
  const { data, run } = freshRun();
  for (const [n, shown] of [[0, '0'], [NaN, 'NaN'], [2.5, '2.5'], ['3', '"3"']]) {
    refuses(() => run.predict(data, 0, n), 'count', new RegExp(`count: must be an integer from 1 to 2147483647 \\(got ${shown}\\)`), `predict(count ${shown})`);
  }
  refuses(() => run.predict({ count: 3 }, 0, 3), 'data', /data: must be a DataSet/, 'predict on a non-DataSet');
  assert.equal(run.predict(data, 0, 2).length, 2 * 10);
  assert.throws(() => data.read(499, 2), (e) => e instanceof EngineError && /data: images 499\.\.501 of 500/.test(e.message));
  assert.equal(data.read(498, 2).labels.length, 2);
  run.dispose();
  data.dispose();
});

test('a disposed data set or run throws on use; training never reads freed memory', async () => {
  const { data, run } = freshRun();
  run.train(1);
  data.dispose();
  assert.throws(() => run.train(1), (e) => e instanceof EngineError && /train: the run's training data set was disposed/.test(e.message));
  assert.throws(() => data.count, (e) => e instanceof EngineError && /data set used after dispose\(\)/.test(e.message));
  assert.throws(() => data.append(new Uint8Array(784), [1]), /data set used after dispose\(\)/);
  const other = engine.createData({ capacity: 500 });
  other.append(synth.pixels, synth.labels);
  assert.throws(() => run.setTrain(data), /data set used after dispose\(\)/);
  run.setTrain(other);
  const evalSet = engine.createData({ capacity: 100 });
  evalSet.append(synth.pixels.subarray(0, 100 * 784), synth.labels.subarray(0, 100));
  run.setEval(0, evalSet, 100);
  evalSet.dispose();
  assert.throws(() => run.train(1), /evaluation data set in slot 0 was disposed/);
  run.setEval(0, null);
  run.train(1);
  assert.equal(run.iterations, 2);
  run.dispose();
  other.dispose();
  assert.throws(() => run.train(1), /run: used after dispose\(\)/);
  data.dispose(); // twice is fine
  run.dispose();
  const e2 = await loadEngine({ wasmModule: engine.module });
  e2.dispose();
  assert.throws(() => e2.createData({ capacity: 1 }), /engine: used after dispose\(\)/);
  assert.throws(() => e2.createRun(small), /engine: used after dispose\(\)/);
});

test('a link giving a key twice reports it', () => {
  const { state, problems } = readHash('#preset=overfit&lr=0.1&lr=0.5&seed=3');
  assert.equal(state.settings.lr, 0.1);
  assert.equal(state.settings.seed, 3);
  assert.deepEqual(problems, ['lr is given 2 times; the first (0.1) is used']);
  assert.deepEqual(readHash('#preset=overfit&preset=dropout').problems, ['preset is given 2 times; the first (overfit) is used']);
});
