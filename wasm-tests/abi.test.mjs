// The JS view of the C API (web/engine/abi.js, generated from dlfs.wasm's
// table, csrc/abi.c) checked against what C itself does: every config field
// offset, enum value, status key and limit. A field moved in dlfs.h without
// the generator, or a limit changed in C only, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../web/engine/engine.js';
import { ABI } from '../web/engine/abi.js';
import { readAbi } from '../web/engine/abi-table.js';
import { CONFIG_KEYS, CONFIG_SCHEMA, defaultConfig, makeConfig } from '../web/engine/config.js';

const engine = await loadEngine();
const x = engine.x;
const S = ABI.status;
const F = ABI.config;
const L = ABI.limits;
const cfg = x.malloc(ABI.configWords * 4);

// A C-default config (dlfs_config_default) with `field` (word offset + index) set to v.
function cDefaultWith(field, v, index = 0) {
  x.dlfs_config_default(cfg);
  poke(field, v, index);
}
function poke(field, v, index = 0) {
  const { i32, f32 } = engine.heap;
  (F[field].type === 'f32' ? f32 : i32)[(cfg >> 2) + F[field].offset + index] = v;
}
const check = () => ABI.statusById[x.dlfs_config_check(cfg)];

test('abi.js is what this dlfs.wasm reports', () => {
  assert.deepEqual(readAbi(x), ABI);
  assert.equal(x.dlfs_config_words(), ABI.configWords);
});

test('config: the fields tile the struct, one 4-byte word each', () => {
  const owner = new Array(ABI.configWords).fill(null);
  for (const [name, f] of Object.entries(F)) {
    for (let i = 0; i < f.count; i++) {
      assert.equal(owner[f.offset + i], null, `${name} overlaps ${owner[f.offset + i]}`);
      owner[f.offset + i] = name;
    }
  }
  assert.deepEqual(owner.filter((o) => o === null), [], 'every word belongs to a field');
  assert.equal(F.hidden.count, L.maxHidden);
});

test('config: every field offset is the one C reads (each invalid value is refused by its own status)', () => {
  x.dlfs_config_default(cfg);
  assert.equal(check(), 'OK');
  const cases = [
    ['input_size', [0, L.inputSizeMax + 1], 'E_INPUT_SIZE'],
    ['output_size', [L.outputSizeMin - 1, L.outputSizeMax + 1], 'E_OUTPUT_SIZE'],
    ['n_hidden', [0, L.maxHidden + 1], 'E_HIDDEN_COUNT'],
    ['activation', [-1, ABI.enums.activation.length], 'E_ACTIVATION'],
    ['init', [-1, ABI.enums.init.length], 'E_INIT'],
    ['batch_norm', [2], 'E_BATCH_NORM'],
    ['dropout', [1, -0.5, NaN], 'E_DROPOUT'],
    ['dropout_mode', [2], 'E_DROPOUT_MODE'],
    ['weight_decay', [-1, Infinity], 'E_WEIGHT_DECAY'],
    ['optimizer', [ABI.enums.optimizer.length], 'E_OPTIMIZER'],
    ['lr', [0, NaN], 'E_LR'],
    ['batch_size', [0, L.batchSizeMax + 1], 'E_BATCH_SIZE'],
    ['train_size', [0, L.trainSizeMax + 1], 'E_TRAIN_SIZE'],
    ['shuffle', [2], 'E_SHUFFLE'],
    ['max_iterations', [0, L.maxIterationsMax + 1], 'E_MAX_ITERATIONS'],
    ['eval_batch', [0, L.evalBatchMax + 1], 'E_EVAL_BATCH'],
    ['loss_mode', [ABI.enums.lossMode.length], 'E_LOSS_MODE'],
  ];
  for (const [field, bad, id] of cases) {
    for (const v of bad) {
      cDefaultWith(field, v);
      assert.equal(check(), id, `${field} = ${v}`);
    }
  }
  // Every word of hidden[]: with all ten layers in use, a zero width anywhere is refused.
  for (let l = 0; l < F.hidden.count; l++) {
    x.dlfs_config_default(cfg);
    poke('n_hidden', L.maxHidden);
    for (let k = 0; k < F.hidden.count; k++) poke('hidden', 5, k);
    assert.equal(check(), 'OK');
    poke('hidden', 0, l);
    assert.equal(check(), 'E_HIDDEN_WIDTH', `hidden[${l}]`);
    poke('hidden', L.hiddenWidthMax + 1, l);
    assert.equal(check(), 'E_HIDDEN_WIDTH', `hidden[${l}]`);
  }
  // init_std only matters for init = std.
  cDefaultWith('init', ABI.enums.init.indexOf('std'));
  poke('init_std', 0);
  assert.equal(check(), 'E_INIT');
  poke('init_std', 0.5);
  assert.equal(check(), 'OK');
});

test('config: what engine.js writes for the defaults is C\'s default struct, word for word', () => {
  const js = x.malloc(ABI.configWords * 4);
  x.dlfs_config_default(cfg);
  // C's default keeps a std of 0.01 for when init becomes 'std'; JS writes it only then.
  engine.writeConfig(js, { ...defaultConfig(), init: 'he' });
  const { i32 } = engine.heap;
  for (let w = 0; w < ABI.configWords; w++) {
    if (w === F.init_std.offset) continue;
    assert.equal(i32[(js >> 2) + w], i32[(cfg >> 2) + w], `word ${w} (${Object.keys(F).find((k) => w >= F[k].offset && w < F[k].offset + F[k].count)})`);
  }
  engine.writeConfig(js, { ...defaultConfig(), init: 0.01 });
  assert.equal(engine.heap.f32[(js >> 2) + F.init_std.offset], engine.heap.f32[(cfg >> 2) + F.init_std.offset]);
  assert.equal(engine.heap.i32[(js >> 2) + F.init.offset], ABI.enums.init.indexOf('std'));
  x.free(js);
});

test('enums: every name JS writes is accepted by C at its field, and config.js offers exactly those', () => {
  const fields = { activation: 'activation', dropoutMode: 'dropout_mode', optimizer: 'optimizer', lossMode: 'loss_mode' };
  for (const [key, field] of Object.entries(fields)) {
    assert.deepEqual(CONFIG_SCHEMA[key].values, ABI.enums[key]);
    ABI.enums[key].forEach((name, v) => {
      cDefaultWith(field, v);
      assert.equal(check(), 'OK', `${key} ${name}`);
      const js = x.malloc(ABI.configWords * 4);
      engine.writeConfig(js, { ...defaultConfig(), [key]: name });
      assert.equal(engine.heap.i32[(js >> 2) + F[field].offset], v);
      x.free(js);
    });
  }
  for (const name of ['xavier', 'he']) {
    cDefaultWith('init', ABI.enums.init.indexOf(name));
    assert.equal(check(), 'OK');
  }
});

test('curves: the ids JS reads are the curves C records', () => {
  const data = engine.createData({ capacity: 200 });
  const px = new Uint8Array(200 * 784).map((_, i) => (i * 7) & 255);
  data.append(px, new Uint8Array(200).map((_, i) => i % 10));
  const run = engine.createRun({ hidden: [8], batchSize: 20, trainSize: 200 });
  run.setTrain(data).setEval(1, data, 100);
  run.train(25); // 10 iterations per epoch: epoch points at 0, 10, 20
  assert.equal(run.lossCurve.length, 25);
  assert.equal(run.evalAccuracy(1).length, 3);
  assert.equal(run.evalLoss(1).length, 3);
  assert.ok(run.evalAccuracy(1).every((a) => a >= 0 && a <= 1));
  assert.ok(run.evalLoss(1).every((l) => l > 0.5), 'a loss, not an accuracy');
  assert.ok(run.evalAccuracy(0).every(Number.isNaN), 'slot 0 has no eval set: its epoch points are NaN');
  assert.throws(() => run.setEval(L.maxEvalSlots, data), (e) => e.id === 'E_ARG');
  run.setEval(L.maxEvalSlots - 1, data);
  run.dispose();
  data.dispose();
});

test('statuses: one id per code, keys are config keys and lead their messages', () => {
  assert.equal(ABI.statusById.length, L.statusCount);
  ABI.statusById.forEach((id, code) => {
    assert.equal(S[id].code, code);
    assert.equal(engine.statusMessage(code), S[id].message);
    if (S[id].key) {
      assert.ok(S[id].message.startsWith(`${S[id].key}: `), id);
      assert.ok(CONFIG_KEYS.includes(S[id].key) || ['inputSize', 'outputSize'].includes(S[id].key), id);
    }
  });
  assert.equal(engine.statusMessage(L.statusCount), 'unknown status');
  // Every config key with a C range has the status that names it.
  for (const key of CONFIG_KEYS) {
    if (key === 'seed' || CONFIG_SCHEMA[key].type === 'number') continue;
    assert.ok(Object.values(S).some((s) => s.key === key), key);
  }
});

test('limits: each bound is the last value C accepts', () => {
  const data = (capacity, features, classes) => {
    const st = x.dlfs_data_create(capacity, features, classes, cfg);
    if (st === 0) x.dlfs_data_destroy(engine.heap.i32[cfg >> 2]);
    return ABI.statusById[st];
  };
  assert.equal(data(1, L.inputSizeMax, L.outputSizeMax), 'OK');
  assert.equal(data(1, L.inputSizeMax + 1, 10), 'E_ARG');
  assert.equal(data(1, 784, L.outputSizeMax + 1), 'E_ARG');
  assert.equal(data(1, 784, L.outputSizeMin - 1), 'E_ARG');
  assert.equal(data(L.dataCapacityMax + 1, 784, 10), 'E_ARG');
  const ok = { inputSize: L.inputSizeMax, outputSize: L.outputSizeMax };
  for (const [key, v] of [['batchSize', L.batchSizeMax], ['trainSize', L.trainSizeMax], ['evalBatch', L.evalBatchMax],
    ['maxIterations', 1000], ['hidden', Array(L.maxHidden).fill(L.hiddenWidthMax)]]) {
    engine.createRunFrom({ ...makeConfig({ hidden: [4] }), [key]: v }, key === 'hidden' ? {} : ok).dispose();
  }
  cDefaultWith('max_iterations', L.maxIterationsMax);
  assert.equal(check(), 'OK');
  const hist = (samples, width, layers, bins) => {
    const n = Math.min(layers, L.maxHidden);
    const ints = x.malloc(n * (bins + 2) * 4 + 16), floats = x.malloc(n * 8 + 16);
    const st = x.dlfs_activation_histograms(samples, width, layers, 0, 2, 0, 1, bins, 0, 1,
      ints, ints + n * bins * 4, ints + n * bins * 4 + n * 4, floats, floats + n * 4);
    x.free(ints); x.free(floats);
    return ABI.statusById[st];
  };
  assert.equal(hist(L.histSamplesMax, 1, 1, L.histBinsMax), 'OK');
  assert.equal(hist(L.histSamplesMax + 1, 1, 1, 4), 'E_ARG');
  assert.equal(hist(4, L.hiddenWidthMax, 1, 4), 'OK');
  assert.equal(hist(4, L.hiddenWidthMax + 1, 1, 4), 'E_ARG');
  assert.equal(hist(4, 2, L.maxHidden, 4), 'OK');
  assert.equal(hist(4, 2, L.maxHidden + 1, 4), 'E_ARG');
  assert.equal(hist(4, 2, 1, L.histBinsMax + 1), 'E_ARG');
});
