// engine.js: the only code that touches the WebAssembly heap.
//
// It loads dlfs.wasm (reading the file in Node, fetching it in a browser),
// writes configs into the C struct, copies shard bytes straight into buffers
// the C side owns, and turns every non-OK status into an EngineError in one
// place (check()). Curves are read as Float32Array views onto the heap,
// rebuilt whenever memory grows; nothing is copied unless asked.
import { makeConfig } from './config.js';
import { ABI } from './abi.js';
import { readAbi } from './abi-table.js';
import { show, intProblem, numberProblem, bytesProblem } from './api-args.js';
import { EngineError, need } from './errors.js';
import { GradientCheck } from './gradient-check.js';

export { EngineError };

// Everything about the C API comes from abi.js, generated from dlfs.h (csrc/abi.c).
const S = ABI.status;
const CFG = ABI.config;
const E = ABI.enums;

const INT_MAX = 2147483647;
const L = ABI.limits;
// dlfs_init for a config's init: 'xavier', 'he' or a std (DLFS_INIT_STD).
const initKind = (init) => E.init.indexOf(typeof init === 'number' ? 'std' : init);

// Curve ids (dlfs_curve): loss per iteration; per eval slot, accuracy and loss per epoch.
export const CURVE_LOSS = E.curve.indexOf('loss');
export const curveEvalAcc = (slot) => E.curve.indexOf('evalAcc') + 2 * slot;
export const curveEvalLoss = (slot) => E.curve.indexOf('evalLoss') + 2 * slot;
export const EVAL_SLOTS = ABI.limits.maxEvalSlots;

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

async function readWasmBytes(url) {
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`engine: cannot load ${url} (HTTP ${res.status})`);
  return res.arrayBuffer();
}

// Load the engine. Options: wasmUrl (URL or string, default ./dlfs.wasm beside this
// module), or wasmBytes / wasmModule when the caller already has them (workers).
export async function loadEngine(opts = {}) {
  let module = opts.wasmModule;
  if (!module) {
    const bytes = opts.wasmBytes ?? (await readWasmBytes(new URL(opts.wasmUrl ?? './dlfs.wasm', import.meta.url)));
    module = await WebAssembly.compile(bytes);
  }
  const engine = new Engine();
  const instance = await WebAssembly.instantiate(module, {
    env: { emscripten_notify_memory_growth: () => engine._invalidateViews() },
  });
  engine._attach(instance, module);
  return engine;
}

export class Engine {
  _attach(instance, module) {
    this.module = module;
    this.x = instance.exports;
    this.x._initialize?.();
    this._invalidateViews();
    // abi.js was generated from a dlfs.wasm; this one must report the same table.
    if (JSON.stringify(readAbi(this.x)) !== JSON.stringify(ABI)) {
      throw new Error('engine: dlfs.wasm does not match web/engine/abi.js (a stale build); run ./scripts/build.sh');
    }
    // A small scratch area for out-parameters, allocated once.
    this._out = this.x.malloc(64);
    this._cfg = this.x.malloc(ABI.configWords * 4);
    if (!this._out || !this._cfg) throw new Error('engine: out of memory');
  }

  _invalidateViews() { this._views = null; }

  get heap() {
    const buf = this.x.memory.buffer;
    if (!this._views || this._views.buf !== buf) {
      this._views = { buf, u8: new Uint8Array(buf), i32: new Int32Array(buf), f32: new Float32Array(buf), f64: new Float64Array(buf) };
    }
    return this._views;
  }

  statusMessage(status) {
    const p = this.x.dlfs_status_str(status);
    const u8 = this.heap.u8;
    let end = p;
    while (u8[end]) end++;
    return new TextDecoder().decode(u8.subarray(p, end));
  }

  // The one place a status becomes an exception. `context` (a config) lets the
  // message show the offending value.
  check(status, context) {
    if (status === 0) return;
    const e = new EngineError(status, this.statusMessage(status));
    if (context && Object.hasOwn(context, e.key)) e.message += ` (got ${show(context[e.key])})`;
    throw e;
  }

  _takePtr() { return this.heap.i32[this._out >> 2]; }

  // Throws once dispose() has freed the engine's scratch memory.
  get _live() {
    if (!this.x) throw new EngineError(S.E_ARG.code, 'engine: used after dispose()');
    return this.x;
  }

  createData({ capacity, features = 784, classes = 10 } = {}) {
    this._live;
    need('capacity', intProblem(capacity, 1, L.dataCapacityMax));
    need('features', intProblem(features, 1, L.inputSizeMax));
    need('classes', intProblem(classes, L.outputSizeMin, L.outputSizeMax));
    this.check(this.x.dlfs_data_create(capacity, features, classes, this._out));
    return new DataSet(this, this._takePtr(), features, classes);
  }

  // config: the shared config object (see config.js); extras: inputSize/outputSize.
  createRun(config, extras) { return this.createRunFrom(makeConfig(config), extras); }

  // As createRun for a config makeConfig has already completed: its values go
  // to C as they are, so C's dlfs_config_check is what judges their ranges.
  createRunFrom(c, { inputSize = 784, outputSize = 10 } = {}) {
    this._live;
    need('inputSize', intProblem(inputSize, 1, L.inputSizeMax));
    need('outputSize', intProblem(outputSize, L.outputSizeMin, L.outputSizeMax));
    this.writeConfig(this._cfg, c, { inputSize, outputSize });
    this.check(this.x.dlfs_run_create(this._cfg, this._out), c);
    const run = new Run(this, this._takePtr(), c);
    run.classes = outputSize;
    return run;
  }

  // Writes config `c` into the dlfs_config at heap address `ptr`, field by
  // field at abi.js's word offsets.
  writeConfig(ptr, c, { inputSize = 784, outputSize = 10 } = {}) {
    const base = ptr >> 2;
    const { i32, f32 } = this.heap;
    const w = (field, v) => { (CFG[field].type === 'f32' ? f32 : i32)[base + CFG[field].offset] = v; };
    w('input_size', inputSize);
    w('output_size', outputSize);
    w('n_hidden', c.hidden.length);
    for (let l = 0; l < CFG.hidden.count; l++) i32[base + CFG.hidden.offset + l] = c.hidden[l] ?? 0;
    w('activation', E.activation.indexOf(c.activation));
    w('init', initKind(c.init));
    w('init_std', typeof c.init === 'number' ? c.init : 0);
    w('batch_norm', c.batchNorm ? 1 : 0);
    w('dropout', c.dropout);
    w('dropout_mode', E.dropoutMode.indexOf(c.dropoutMode));
    w('weight_decay', c.weightDecay);
    w('optimizer', E.optimizer.indexOf(c.optimizer));
    w('lr', c.lr);
    w('batch_size', c.batchSize);
    w('train_size', c.trainSize);
    w('shuffle', c.shuffle ? 1 : 0);
    w('seed', c.seed | 0); // uint32 bits
    w('max_iterations', c.maxIterations);
    w('eval_batch', c.evalBatch);
    w('loss_mode', E.lossMode.indexOf(c.lossMode));
  }

  // The book's activation-distribution experiment (6.2.2, weight_init_activation_histogram.py):
  // N(0,1) input through `layers` bias-free layers of `width` units. init: 'he', 'xavier' or a std.
  // Per layer: np.histogram counts over [lo, hi], values below/above it, mean and std.
  activationHistograms({ activation = 'sigmoid', init = 1, samples = 1000, width = 100, layers = 5,
    bins = 30, lo = 0, hi = 1, seed = 1 } = {}) {
    const x = this._live;
    need('samples', intProblem(samples, 1, L.histSamplesMax));
    need('width', intProblem(width, 1, L.hiddenWidthMax));
    need('layers', intProblem(layers, 1, L.maxHidden));
    need('bins', intProblem(bins, 1, L.histBinsMax));
    const ints = x.malloc(Math.max(1, layers * (bins + 2)) * 4);
    const floats = x.malloc(Math.max(1, layers * 2) * 4);
    try {
      if (!ints || !floats) this.check(S.E_NOMEM.code);
      const counts = ints, below = ints + layers * bins * 4, above = below + layers * 4;
      const mean = floats, std = floats + layers * 4;
      this.check(x.dlfs_activation_histograms(samples, width, layers, E.activation.indexOf(activation), initKind(init),
        typeof init === 'number' ? init : NaN, seed | 0, bins, lo, hi, counts, below, above, mean, std), { activation, init });
      const { i32, f32 } = this.heap;
      return Array.from({ length: layers }, (_, l) => ({
        counts: Array.from(i32.subarray((counts >> 2) + l * bins, (counts >> 2) + (l + 1) * bins)),
        below: i32[(below >> 2) + l], above: i32[(above >> 2) + l],
        mean: f32[(mean >> 2) + l], std: f32[(std >> 2) + l],
      }));
    } finally {
      x.free(ints);
      x.free(floats);
    }
  }

  // The numerical gradient check (dlfs_gradcheck_*, csrc/dlfs.h) of `run`'s network on
  // images [first, first + batchSize) of `data`: backprop now, central differences
  // (step h) as gc.step(entries) is called. Meaningful in dlfs_f64.wasm.
  gradientCheck(run, data, { first = 0, h = 1e-4 } = {}) {
    this.check(this.x.dlfs_gradcheck_create(run.ptr, data.ptr, first, h, this._out));
    return new GradientCheck(this, this._takePtr());
  }

  dispose() {
    if (!this.x) return;
    this.x.free(this._out);
    this.x.free(this._cfg);
    this.x = null;
  }
}

export class DataSet {
  constructor(engine, ptr, features, classes) {
    this.engine = engine;
    this.ptr = ptr;
    this.features = features;
    this.classes = classes;
  }

  // The handle, or an error once disposed (C would read freed memory).
  get _ptr() {
    if (!this.ptr) throw new EngineError(S.E_ARG.code, 'data set used after dispose()');
    return this.ptr;
  }

  get disposed() { return !this.ptr; }
  get count() { return this.engine.x.dlfs_data_count(this._ptr); }
  get capacity() { return this.engine.x.dlfs_data_capacity(this._ptr); }

  // Copy n images (pixels: n*features bytes, labels: n bytes) into C-owned memory.
  // Labels are validated by C; on error nothing is committed and earlier images stay.
  append(pixels, labels) {
    const { engine, features } = this;
    const ptr = this._ptr;
    need('pixels', bytesProblem(pixels, 255));
    // A Uint8Array's labels are range-checked by C; other arrays here, since
    // -255 or 1.5 would wrap or truncate on the way into bytes.
    need('labels', bytesProblem(labels, this.classes - 1));
    const n = labels.length;
    if (pixels.length !== n * features) {
      throw new EngineError(S.E_ARG.code, `data: ${pixels.length} pixel bytes for ${n} labels of ${features} features`);
    }
    if (n > this.capacity - this.count) engine.check(S.E_DATA_FULL.code);
    const x = engine.x;
    const at = this.count;
    const u8 = engine.heap.u8;
    u8.set(pixels, x.dlfs_data_pixels(ptr) + at * features);
    u8.set(labels, x.dlfs_data_labels(ptr) + at);
    engine.check(x.dlfs_data_commit(ptr, n));
  }

  // Copies of images [first, first + n): {pixels, labels} (e.g. for another engine).
  read(first, n) {
    const { engine, ptr, features } = this;
    if (!(first >= 0 && n >= 0 && first + n <= this.count)) throw new EngineError(S.E_ARG.code, `data: images ${first}..${first + n} of ${this.count}`);
    const u8 = engine.heap.u8;
    const px = engine.x.dlfs_data_pixels(ptr) + first * features, lb = engine.x.dlfs_data_labels(ptr) + first;
    return { pixels: u8.slice(px, px + n * features), labels: u8.slice(lb, lb + n) };
  }

  dispose() {
    if (this.ptr) this.engine.x?.dlfs_data_destroy(this.ptr);
    this.ptr = 0;
  }
}

// A live DataSet's handle; anything else is a named error.
function dataPtr(data, key = 'data') {
  need(key, data instanceof DataSet ? null : `must be a DataSet from createData (got ${show(data)})`);
  return data._ptr;
}

export class Run {
  constructor(engine, ptr, config) {
    this.engine = engine;
    this.ptr = ptr;
    this.config = config;
    // The data sets C holds pointers to: training on a disposed one would read freed memory.
    this._train = null;
    this._evals = [];
  }

  get x() {
    if (!this.ptr) throw new EngineError(S.E_ARG.code, 'run: used after dispose()');
    return this.engine.x;
  }

  setTrain(data) {
    this.engine.check(this.x.dlfs_run_set_train(this.ptr, dataPtr(data)));
    this._train = data;
    return this;
  }

  // Attach an evaluation set to slot 0..3, recorded each epoch over its first `count` images (0 = all).
  setEval(slot, data, count = 0) {
    need('slot', intProblem(slot, 0, EVAL_SLOTS - 1));
    need('count', intProblem(count, 0, INT_MAX));
    this.engine.check(this.x.dlfs_run_set_eval(this.ptr, slot, data ? dataPtr(data) : 0, count));
    this._evals[slot] = data || null;
    return this;
  }

  // Train `iterations` steps. Throws EngineError; code 'diverged' when the run diverged
  // (curves so far stay readable), 'full' when maxIterations is reached.
  train(iterations) {
    const x = this.x;
    need('iterations', intProblem(iterations, 0, INT_MAX));
    if (this._train?.disposed) throw new EngineError(S.E_ARG.code, "train: the run's training data set was disposed; setTrain() another");
    const gone = this._evals.findIndex((d) => d?.disposed);
    if (gone >= 0) throw new EngineError(S.E_ARG.code, `train: the evaluation data set in slot ${gone} was disposed; setEval(${gone}, null) or another`);
    this.engine.check(x.dlfs_run_train(this.ptr, iterations), this.config);
  }

  evaluate(data, first = 0, count = data?.count) {
    const e = this.engine;
    const out = e._out;
    const ptr = dataPtr(data);
    need('first', intProblem(first, 0, INT_MAX));
    need('count', intProblem(count, 1, INT_MAX));
    // Checked here so the message is about this call's range, not C's trainSize.
    if (first + count > data.count) need('count', `images ${first}..${first + count - 1} requested but the data set holds ${data.count}`, 'evaluate');
    e.check(this.x.dlfs_run_evaluate(this.ptr, ptr, first, count, out, out + 4));
    const f32 = e.heap.f32;
    return { loss: f32[out >> 2], accuracy: f32[(out >> 2) + 1] };
  }

  setLr(v) { need('lr', numberProblem(v)); this.engine.check(this.x.dlfs_run_set_lr(this.ptr, v), { lr: v }); this.config.lr = v; }
  setWeightDecay(v) { need('weightDecay', numberProblem(v)); this.engine.check(this.x.dlfs_run_set_weight_decay(this.ptr, v), { weightDecay: v }); this.config.weightDecay = v; }
  setDropout(v) { need('dropout', numberProblem(v)); this.engine.check(this.x.dlfs_run_set_dropout(this.ptr, v), { dropout: v }); this.config.dropout = v; }

  // A view (no copy) onto a curve; valid until the next engine call that may grow memory.
  curve(which) {
    const e = this.engine;
    const p = this.x.dlfs_run_curve(this.ptr, which, e._out);
    const len = e.heap.i32[e._out >> 2];
    return p ? new Float32Array(e.x.memory.buffer, p, len) : new Float32Array(0);
  }

  get lossCurve() { return this.curve(CURVE_LOSS); }
  evalAccuracy(slot) { return this.curve(curveEvalAcc(slot)); }
  evalLoss(slot) { return this.curve(curveEvalLoss(slot)); }
  get iterations() { return this.x.dlfs_run_iterations(this.ptr); }
  get iterPerEpoch() { return this.x.dlfs_run_iter_per_epoch(this.ptr); }
  get diverged() { return this.x.dlfs_run_diverged(this.ptr) === 1; }

  // Class probabilities for images [first, first + count) of data:
  // Float32Array(count * classes), row by row (dlfs_run_predict).
  predict(data, first = 0, count = data?.count) {
    const e = this.engine;
    const x = this.x;
    const { classes } = this;
    const ptr = dataPtr(data);
    need('count', intProblem(count, 1, INT_MAX));
    const probs = x.malloc(count * classes * 4);
    if (!probs) e.check(S.E_NOMEM.code);
    try {
      e.check(x.dlfs_run_predict(this.ptr, ptr, first, count, probs));
      return e.heap.f32.slice(probs >> 2, (probs >> 2) + count * classes);
    } finally {
      x.free(probs);
    }
  }

  // Histogram of hidden layer `layer`'s activations over images [first, first+count).
  activationHistogram(data, layer, { first = 0, count = 1000, bins = 30, lo = 0, hi = 1 } = {}) {
    const e = this.engine;
    const x = this.x;
    need('layer', intProblem(layer, 0, L.maxHidden - 1));
    need('first', intProblem(first, 0, INT_MAX));
    need('count', intProblem(count, 1, INT_MAX));
    need('bins', intProblem(bins, 1, L.histBinsMax));
    const counts = x.malloc(bins * 4);
    if (!counts) e.check(S.E_NOMEM.code);
    try {
      const o = e._out;
      e.check(x.dlfs_run_activation_hist(this.ptr, dataPtr(data), first, count, layer, bins, lo, hi, counts, o, o + 4, o + 8, o + 12));
      const { i32, f32 } = e.heap;
      return {
        counts: Array.from(i32.subarray(counts >> 2, (counts >> 2) + bins)),
        below: i32[o >> 2], above: i32[(o >> 2) + 1], mean: f32[(o >> 2) + 2], std: f32[(o >> 2) + 3],
      };
    } finally {
      x.free(counts);
    }
  }

  dispose() {
    if (this.ptr) this.engine.x?.dlfs_run_destroy(this.ptr);
    this.ptr = 0;
  }
}
