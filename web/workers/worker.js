// worker.js: one WASM engine instance in a Node worker_thread or a browser
// module Web Worker (`new Worker(url, {type: 'module'})`), running the jobs
// of web/experiments/presets.js and live, interactive training sessions.
//
// Message protocol. Every message is a plain object with a `type`; `id` names a
// session (a job), chosen by the sender and unique per worker.
//
// main -> worker
//   {type:'init', wasmModule}                 compile-once module (or wasmBytes)
//        <- {type:'ready'} | {type:'fatal', message}
//   {type:'data', name, key, first, capacity, pixels, labels, features?}
//        append images [first, first + n) to data set `name`; first = 0 (re)creates
//        it with room for `capacity` images (refused while a session uses it).
//        Large sets arrive in pieces; a job may start before the last piece when it
//        needs only the first images (train waits for nothing: it fails if short).
//        <- {type:'data', name, key, count}
//   {type:'drop', name}                       free a data set
//   {type:'run', id, job}                     open, train to the end in ~100 ms
//        chunks (yielding between them, so 'cancel' and 'set' get through), then
//        <- {type:'progress', ...}*  {type:'result', id, result}
//   {type:'open', id, job}                    open without training (live use)
//        <- {type:'opened', id, total, iterPerEpoch}
//   {type:'advance', id, iterations}          train that many more steps now
//        <- {type:'progress', ...}
//   {type:'set', id, lr?, weightDecay?, dropout?}   live settings, from the next step
//   {type:'hist', id, data, count, bins, lo, hi}     the run's hidden activations now,
//        over the first `count` images of data set `data` (at most the set's size
//        and max(evalBatch, batchSize)), as histograms of `bins` over [lo, hi]
//        (or ranges: [[lo, hi] per layer])
//        <- {type:'hist', id, layers: [{counts, below, above, mean, std, lo, hi}]}
//   {type:'predict', id, data?, first?, count?, pixels?}   class probabilities of
//        the run's net now, for images [first, first + count) of data set `data`, or
//        for `pixels` (count x 784 bytes: a drawn digit)
//        <- {type:'predict', id, request, probs: Float32Array(count x 10), first}
//   {type:'result', id}                       <- {type:'result', id, result}
//   {type:'cancel', id} / {type:'close', id}  free the session (a 'run' stops at its
//        next chunk)  <- {type:'cancelled', id} for cancel
//
// worker -> main, besides the replies above
//   {type:'progress', id, done, total, loss, epochs}  after every chunk; loss: the
//        new per-iteration loss points (Float32Array), epochs: {first, acc: [...],
//        loss: [...]} the new epoch points per eval slot (NaN where not evaluated)
//   {type:'error', id, error: {name, message, code, key}}  a job failed (bad
//        config, missing data, ...); id null for a bad message
//
// Jobs (see preset-plans.js): {kind:'train', config, train, evals:[{data, count?}],
// iterations, evalFrom, loss}, {kind:'activations', params} and {kind:'gradcheck', ...}
// (gradcheck-session.js). A train result is
// {iterations, diverged, divergedAt?, loss?: Float32Array, evals: [{acc, loss}]};
// a run that diverges is a result with diverged: true, not an error.
import { loadEngine } from '../engine/engine.js';
import { GradcheckSession, loadFloat64Engine } from './gradcheck-session.js';

const CHUNK_SECONDS = 0.1;

// ---- the port: worker_threads' parentPort in Node, the worker scope in browsers ----
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof self === 'undefined';
const port = await (async () => {
  if (isNode) {
    const { parentPort } = await import('node:worker_threads');
    return { post: (m, t) => parentPort.postMessage(m, t), listen: (fn) => parentPort.on('message', fn) };
  }
  return { post: (m, t) => self.postMessage(m, t), listen: (fn) => self.addEventListener('message', (e) => fn(e.data)) };
})();

// Let queued messages in between chunks: setImmediate in Node; a MessageChannel
// round trip in browsers (setTimeout(0) is clamped to 4 ms when nested).
const yieldToEvents = typeof setImmediate === 'function'
  ? () => new Promise((r) => setImmediate(r))
  : () => new Promise((r) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); r(); };
    ch.port2.postMessage(0);
  });

let engine = null;
let f64Engine = null; // loaded by the first float64 gradient check (gradcheck-session.js)
const datasets = new Map(); // name -> {key, data}
const sessions = new Map(); // id -> session

const errorInfo = (e) => ({ name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.code, key: e?.key });

function dataset(name) {
  const d = datasets.get(name);
  if (!d) throw new Error(`data set "${name}" has not been sent to this worker`);
  return d.data;
}

function inUse(name) {
  for (const s of sessions.values()) if (s.uses.includes(name)) return true;
  return false;
}

// ---- sessions ----

// One network trained step by step; eval sets attach at iteration evalFrom.
class TrainSession {
  constructor(job) {
    this.job = job;
    this.total = job.iterations;
    this.uses = [job.train, ...job.evals.map((e) => e.data)];
    this.run = engine.createRun(job.config);
    try {
      this.run.setTrain(dataset(job.train));
      job.evals.forEach((e) => dataset(e.data)); // fail now, not at evalFrom
    } catch (e) {
      this.run.dispose();
      throw e;
    }
    this.attached = false;
    this.diverged = false;
    this.sentLoss = 0;
    this.sentEpochs = 0;
  }

  get done() { return this.diverged ? this.total : this.run.iterations; }

  attach() {
    this.job.evals.forEach((e, slot) => this.run.setEval(slot, dataset(e.data), e.count ?? 0));
    this.attached = true;
  }

  // Train up to n more steps (never past `total`); returns the new curve points.
  advance(n) {
    let left = Math.min(n, this.total - this.done);
    try {
      while (left > 0) {
        const done = this.run.iterations;
        if (!this.attached && done >= this.job.evalFrom) this.attach();
        const k = this.attached ? left : Math.min(left, this.job.evalFrom - done);
        this.run.train(k);
        left -= k;
      }
    } catch (e) {
      if (e.code !== 'diverged') throw e;
      this.diverged = true;
      this.divergedAt = this.run.iterations;
    }
    return this.increments();
  }

  increments() {
    const loss = this.run.lossCurve.slice(this.sentLoss);
    this.sentLoss += loss.length;
    const slots = this.job.evals.map((_, slot) => slot);
    const acc = slots.map((slot) => this.run.evalAccuracy(slot).slice(this.sentEpochs));
    const eloss = slots.map((slot) => this.run.evalLoss(slot).slice(this.sentEpochs));
    const epochs = { first: this.sentEpochs, acc, loss: eloss };
    this.sentEpochs += acc[0]?.length ?? 0;
    return { loss, epochs };
  }

  // ranges[layer] = [lo, hi], when given, overrides lo/hi per layer.
  histograms({ data, count = 1000, bins = 30, lo = 0, hi = 1, ranges }) {
    const d = dataset(data);
    const c = this.run.config;
    const n = Math.min(count, d.count, Math.max(c.evalBatch, c.batchSize));
    return c.hidden.map((_, layer) => {
      const [l, h] = ranges?.[layer] ?? [lo, hi];
      return { ...this.run.activationHistogram(d, layer, { count: n, bins, lo: l, hi: h }), lo: l, hi: h };
    });
  }

  // predict.c's probabilities for stored images, or for pixels sent along.
  predict({ data, first = 0, count = 1, pixels }) {
    if (pixels) {
      const n = Math.floor(pixels.length / 784);
      const d = engine.createData({ capacity: Math.max(1, n) });
      try {
        d.append(pixels, new Uint8Array(n));
        return { probs: this.run.predict(d, 0, n), first: 0 };
      } finally {
        d.dispose();
      }
    }
    const d = datasets.get(data)?.data;
    if (!d) throw new Error(`data set "${data}" has not been sent to this worker`);
    const n = Math.min(count, d.count - first);
    return { probs: this.run.predict(d, first, n), first };
  }

  set(values) {
    if ('lr' in values) this.run.setLr(values.lr);
    if ('weightDecay' in values) this.run.setWeightDecay(values.weightDecay);
    if ('dropout' in values) this.run.setDropout(values.dropout);
  }

  result() {
    const evals = this.job.evals.map((_, slot) => ({ acc: this.run.evalAccuracy(slot).slice(), loss: this.run.evalLoss(slot).slice() }));
    return {
      iterations: this.run.iterations,
      diverged: this.diverged,
      ...(this.diverged && { divergedAt: this.divergedAt }),
      ...(this.job.loss && { loss: this.run.lossCurve.slice() }),
      evals,
    };
  }

  dispose() { this.run.dispose(); }
}

// The activation-distribution experiment: one step, no state.
class ActivationsSession {
  constructor(job) {
    this.job = job;
    this.total = 1;
    this.done = 0;
    this.uses = [];
  }

  advance() {
    if (!this.done) this.layers = engine.activationHistograms(this.job.params);
    this.done = 1;
    return {};
  }

  set() { throw new Error('an activations job has no live settings'); }
  histograms() { throw new Error('an activations job has no run to look into'); }
  result() { return { layers: this.layers }; }
  dispose() {}
}

function open(id, job) {
  if (!engine) throw new Error('worker: init first');
  if (sessions.has(id)) throw new Error(`worker: session ${id} is already open`);
  const s = job?.kind === 'train' ? new TrainSession(job)
    : job?.kind === 'activations' ? new ActivationsSession(job)
      : job?.kind === 'gradcheck' ? new GradcheckSession(job, job.precision === 'float64' ? f64Engine : engine, dataset(job.train))
        : null;
  if (!s) throw new Error(`worker: unknown job kind ${JSON.stringify(job?.kind)}`);
  sessions.set(id, s);
  return s;
}

function session(id) {
  const s = sessions.get(id);
  if (!s) throw new Error(`worker: no open session ${id}`);
  return s;
}

function close(id) {
  sessions.get(id)?.dispose();
  sessions.delete(id);
}

function postProgress(id, s, inc) {
  const transfer = [inc.loss, ...(inc.epochs?.acc ?? []), ...(inc.epochs?.loss ?? [])].filter(Boolean).map((a) => a.buffer);
  port.post({ type: 'progress', id, done: s.done, total: s.total, ...(s.diverged && { divergedAt: s.divergedAt }), ...inc }, transfer);
}

function postResult(id, result) {
  const arrays = [result.loss, ...(result.evals ?? []).flatMap((e) => [e.acc, e.loss])].filter(Boolean);
  port.post({ type: 'result', id, result }, arrays.map((a) => a.buffer));
}

// A whole job in chunks sized to ~CHUNK_SECONDS from the measured speed. A job
// that fails is freed; the worker stays usable.
async function runToEnd(id, job) {
  if (job?.kind === 'gradcheck' && job.precision === 'float64') f64Engine = await loadFloat64Engine();
  const s = open(id, job);
  try {
    let chunk = 1;
    while (s.done < s.total) {
      const t0 = performance.now();
      postProgress(id, s, s.advance(chunk));
      const seconds = (performance.now() - t0) / 1000;
      chunk = Math.max(1, Math.min(chunk * 4, Math.round((chunk * CHUNK_SECONDS) / Math.max(seconds, 1e-4))));
      await yieldToEvents();
      if (sessions.get(id) !== s) return; // cancelled or closed meanwhile
    }
    postResult(id, s.result());
  } finally {
    if (sessions.get(id) === s) close(id);
  }
}

function receiveData(m) {
  const features = m.features ?? 784;
  let d = datasets.get(m.name);
  if (m.first === 0) {
    if (d && inUse(m.name)) throw new Error(`data set "${m.name}" is in use by an open job`);
    d?.data.dispose();
    d = { key: m.key, data: engine.createData({ capacity: m.capacity, features }) };
    datasets.set(m.name, d);
  } else if (!d || d.key !== m.key || d.data.count !== m.first) {
    throw new Error(`data set "${m.name}": piece at ${m.first} does not follow what this worker holds`);
  }
  d.data.append(m.pixels, m.labels);
  port.post({ type: 'data', name: m.name, key: m.key, count: d.data.count });
}

const handlers = {
  async init(m) {
    try {
      engine = await loadEngine(m.wasmModule ? { wasmModule: m.wasmModule } : { wasmBytes: m.wasmBytes });
      port.post({ type: 'ready' });
    } catch (e) {
      port.post({ type: 'fatal', message: `engine failed to load: ${e.message}` });
    }
  },
  data: receiveData,
  drop(m) {
    if (inUse(m.name)) throw new Error(`data set "${m.name}" is in use by an open job`);
    datasets.get(m.name)?.data.dispose();
    datasets.delete(m.name);
  },
  run: (m) => runToEnd(m.id, m.job),
  async open(m) {
    if (m.job?.kind === 'gradcheck' && m.job.precision === 'float64') f64Engine = await loadFloat64Engine();
    const s = open(m.id, m.job);
    port.post({ type: 'opened', id: m.id, total: s.total, iterPerEpoch: s.run?.iterPerEpoch ?? null });
  },
  advance(m) {
    const s = session(m.id);
    postProgress(m.id, s, s.advance(m.iterations));
  },
  set(m) {
    const s = session(m.id);
    const { type, id, ...values } = m;
    s.set(values);
  },
  hist(m) {
    const s = session(m.id);
    port.post({ type: 'hist', id: m.id, layers: s.histograms(m) });
  },
  predict(m) {
    const s = session(m.id);
    if (!s.predict) throw new Error('worker: this job has no net to ask');
    const out = s.predict(m);
    port.post({ type: 'predict', id: m.id, request: m.request, ...out }, [out.probs.buffer]);
  },
  result(m) {
    const s = session(m.id);
    postResult(m.id, s.result());
  },
  cancel(m) {
    close(m.id);
    port.post({ type: 'cancelled', id: m.id });
  },
  close: (m) => close(m.id),
};

port.listen(async (m) => {
  const handler = handlers[m?.type];
  try {
    if (!handler) throw new Error(`worker: unknown message type ${JSON.stringify(m?.type)}`);
    await handler(m);
  } catch (e) {
    port.post({ type: 'error', id: m?.id ?? null, error: errorInfo(e) });
  }
});
