// worker.js: one WASM engine instance in a Node worker_thread or a browser
// module Web Worker, training the jobs pool.js sends it. The worker paces
// itself: it advances every job it holds round-robin, the same number of
// iterations each per round, so the runs of one comparison progress together,
// and posts each job's new points about every PROGRESS_MS.
//
// Protocol (protocol.js names the message types). main -> worker:
//   {type:'init', wasmModule}                          <- {type:'ready'} | {type:'fatal', message}
//   {type:'data', name, key, first, capacity, pixels, labels, features?}
//        append images [first, first + n) to data set `name` (first = 0 (re)creates it)
//        <- {type:'data', name, key, count}
//   {type:'drop', name}                                free a data set
//   {type:'run', id, job, paused?, live?, skip?, keep?}  start job `id`: first `skip`
//        iterations at once (catching up with a preview), then the `live`
//        settings, then paced training (held while paused). keep: a finished
//        train job's net stays open for 'predict' until 'cancel'
//   {type:'pause', id} / {type:'resume', id}
//   {type:'step', id, epochs}                         while paused: that many more epochs
//   {type:'set', id, lr?, weightDecay?, dropout?}     live settings, from the next step
//   {type:'hist', id, data, count, bins, lo, hi, ranges?}  the run's hidden activations now,
//        over the first `count` images of data set `data` (capped at the set's size
//        and max(evalBatch, batchSize)), as histograms of `bins` over [lo, hi]
//        (or ranges: [[lo, hi] per layer])
//        <- {type:'hist', id, layers: [{counts, below, above, mean, std, lo, hi}]}
//   {type:'predict', id, request, data?, first?, count?, pixels?}   class probabilities
//        of the job's net now (running, or finished and kept), for images
//        [first, first + count) of data set `data`, or for `pixels` (count x 784
//        bytes: a drawn digit)  <- {type:'predict', id, request, probs: Float32Array(count x 10), first}
//   {type:'cancel', id}                               stop and free job `id` (a kept one too)
// worker -> main:
//   {type:'progress', id, done, total, lossFirst, loss, epochs}  new points since
//        the last one: loss (Float32Array) from index lossFirst; epochs: {first,
//        acc: [...], loss: [...]} per eval slot (NaN where not evaluated)
//   {type:'result', id, result}   the job is finished (after its last progress)
//   {type:'error', id, error: {name, message, code, key}}  the job failed and is
//        freed (bad config, missing data, ...); id null for a bad data message
//   {type:'refused', id, request, error}  a pause/resume/step/set/hist/predict/cancel was
//        refused (a bad live value, a job that has finished); the job, if any, goes on
//
// Jobs (see web/experiments/jobs.js): {kind:'train', config, train, evals:[{data, count?}],
// iterations, evalFrom, loss}, {kind:'activations', params} and {kind:'gradcheck', ...}
// (gradcheck-session.js). A train result is
// {iterations, diverged, divergedAt?, loss?: Float32Array, evals: [{acc, loss}]};
// a run that diverges is a result with diverged: true, not an error.
import { loadEngine } from '../engine/engine.js';
import { GradcheckSession, loadFloat64Engine } from './gradcheck-session.js';

const ROUND_MS = 20; // one round-robin pass over the jobs: messages get through this often
const PROGRESS_MS = 50; // increments are posted this often

// ---- the port: worker_threads' parentPort in Node, the worker scope in browsers ----
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof self === 'undefined';
const port = await (async () => {
  if (isNode) {
    const { parentPort } = await import('node:worker_threads');
    return { post: (m, t) => parentPort.postMessage(m, t), listen: (fn) => parentPort.on('message', fn) };
  }
  return { post: (m, t) => self.postMessage(m, t), listen: (fn) => self.addEventListener('message', (e) => fn(e.data)) };
})();

// Let queued messages in between rounds: setImmediate in Node; a MessageChannel
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
const jobs = new Map(); // id -> TrainJob | ActivationsJob, in arrival order

const errorInfo = (e) => ({ name: e?.name ?? 'Error', message: e?.message ?? String(e), code: e?.code, key: e?.key });

function dataset(name) {
  const d = datasets.get(name);
  if (!d) throw new Error(`data set "${name}" has not been sent to this worker`);
  return d.data;
}

function inUse(name) {
  for (const j of jobs.values()) if (!j.kept && j.uses.includes(name)) return true;
  return false;
}

// A data set is replaced or dropped: the finished nets kept with it go too.
function dropKept(name) {
  for (const j of [...jobs.values()]) if (j.kept && j.uses.includes(name)) close(j.id);
}

// One network trained step by step; eval sets attach at iteration evalFrom.
class TrainJob {
  constructor(id, job) {
    this.id = id;
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
    this.msPerIteration = 0; // measured; 0 until the first slice
  }

  get done() { return this.diverged ? this.total : this.run.iterations; }

  // Train up to n more steps (never past `total`).
  advance(n) {
    let left = Math.min(n, this.total - this.done);
    try {
      while (left > 0) {
        const done = this.run.iterations;
        if (!this.attached && done >= this.job.evalFrom) {
          this.job.evals.forEach((e, slot) => this.run.setEval(slot, dataset(e.data), e.count ?? 0));
          this.attached = true;
        }
        const k = this.attached ? left : Math.min(left, this.job.evalFrom - done);
        this.run.train(k);
        left -= k;
      }
    } catch (e) {
      if (e.code !== 'diverged') throw e;
      this.diverged = true;
      this.divergedAt = this.run.iterations;
    }
  }

  // The points recorded since the last call.
  increments() {
    const lossFirst = this.sentLoss;
    const loss = this.run.lossCurve.slice(lossFirst);
    this.sentLoss += loss.length;
    const slots = this.job.evals.map((_, slot) => slot);
    const acc = slots.map((slot) => this.run.evalAccuracy(slot).slice(this.sentEpochs));
    const eloss = slots.map((slot) => this.run.evalLoss(slot).slice(this.sentEpochs));
    const epochs = { first: this.sentEpochs, acc, loss: eloss };
    this.sentEpochs += acc[0]?.length ?? 0;
    return { lossFirst, loss, epochs };
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
class ActivationsJob {
  constructor(id, job) {
    this.id = id;
    this.job = job;
    this.total = 1;
    this.done = 0;
    this.uses = [];
    this.msPerIteration = 0;
  }

  advance() {
    if (!this.done) this.layers = engine.activationHistograms(this.job.params);
    this.done = 1;
  }

  increments() { return {}; }
  set() { throw new Error('an activations job has no live settings'); }
  histograms() { throw new Error('an activations job has no run to look into'); }
  result() { return { layers: this.layers }; }
  dispose() {}
}

// A job still training (a finished, kept net answers only predict and cancel).
function job(id) {
  const j = held(id);
  if (j.kept) throw new Error(`worker: job ${id} has finished`);
  return j;
}

function held(id) {
  const j = jobs.get(id);
  if (!j) throw new Error(`worker: no job ${id}`);
  return j;
}

function close(id) {
  jobs.get(id)?.dispose();
  jobs.delete(id);
}

function postProgress(j) {
  const inc = j.increments?.() ?? {};
  const transfer = [inc.loss, ...(inc.epochs?.acc ?? []), ...(inc.epochs?.loss ?? [])].filter(Boolean).map((a) => a.buffer);
  port.post({ type: 'progress', id: j.id, done: j.done, total: j.total, ...(j.diverged && { divergedAt: j.divergedAt }), ...inc }, transfer);
  j.posted = performance.now();
}

function finish(j) {
  postProgress(j);
  const result = j.result();
  const arrays = [result.loss, ...(result.evals ?? []).flatMap((e) => [e.acc, e.loss])].filter(Boolean);
  port.post({ type: 'result', id: j.id, result }, arrays.map((a) => a.buffer));
  // A kept net stays for 'predict' (no longer trained or posted) until 'cancel'.
  if (j.keep && j.predict) j.kept = true;
  else close(j.id);
}

// Advance job j by n iterations; a job that fails is reported and freed.
function advance(j, n) {
  try {
    const from = j.done;
    const t0 = performance.now();
    j.advance(n);
    if (j.done > from) j.msPerIteration = (performance.now() - t0) / (j.done - from);
    if (j.done >= j.total) finish(j);
  } catch (e) {
    close(j.id);
    port.post({ type: 'error', id: j.id, error: errorInfo(e) });
  }
}

// ---- the pacing loop: round-robin over the runnable jobs ----
const runnable = (j) => !j.kept && (!j.paused || j.stepLeft > 0);
let looping = false;

async function loop() {
  if (looping) return;
  looping = true;
  try {
    for (;;) {
      const ready = [...jobs.values()].filter(runnable);
      if (!ready.length) return;
      // The same iteration count for every job this round, sized so that the
      // round takes about ROUND_MS. A job not measured yet counts as a whole
      // round: the first round is one iteration each, so a job that arrives a
      // moment later starts (nearly) level with the others.
      const perRound = ready.reduce((t, j) => t + (j.msPerIteration || ROUND_MS), 0);
      const n = Math.max(1, Math.floor(ROUND_MS / perRound));
      for (const j of ready) {
        if (jobs.get(j.id) !== j) continue; // cancelled meanwhile
        const k = j.paused ? Math.min(n, j.stepLeft) : n;
        if (j.paused) j.stepLeft -= k;
        advance(j, k);
      }
      const now = performance.now();
      for (const j of jobs.values()) {
        if (j.kept) continue;
        if (j.done > (j.postedDone ?? 0) && (now - (j.posted ?? 0) >= PROGRESS_MS || (j.paused && !j.stepLeft))) {
          j.postedDone = j.done;
          postProgress(j);
        }
      }
      await yieldToEvents();
    }
  } finally {
    looping = false;
  }
}

function receiveData(m) {
  const features = m.features ?? 784;
  let d = datasets.get(m.name);
  if (m.first === 0) {
    if (d && inUse(m.name)) throw new Error(`data set "${m.name}" is in use by a running job`);
    dropKept(m.name);
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
    if (inUse(m.name)) throw new Error(`data set "${m.name}" is in use by a running job`);
    dropKept(m.name);
    datasets.get(m.name)?.data.dispose();
    datasets.delete(m.name);
  },
  async run(m) {
    if (!engine) throw new Error('worker: init first');
    if (jobs.has(m.id)) throw new Error(`worker: job ${m.id} is already running`);
    const kind = m.job?.kind;
    if (kind === 'gradcheck' && m.job.precision === 'float64') f64Engine = await loadFloat64Engine();
    const j = kind === 'train' ? new TrainJob(m.id, m.job)
      : kind === 'activations' ? new ActivationsJob(m.id, m.job)
        : kind === 'gradcheck' ? new GradcheckSession(m.job, m.job.precision === 'float64' ? f64Engine : engine, dataset(m.job.train))
          : null;
    if (!j) throw new Error(`worker: unknown job kind ${JSON.stringify(kind)}`);
    j.id = m.id;
    j.paused = !!m.paused;
    j.stepLeft = 0;
    j.keep = !!m.keep;
    jobs.set(m.id, j);
    if (m.skip > 0) advance(j, m.skip);
    if (jobs.get(m.id) !== j) return;
    if (m.live && Object.keys(m.live).length) j.set(m.live);
    if (j.done > 0) { j.postedDone = j.done; postProgress(j); }
    loop();
  },
  pause(m) { job(m.id).paused = true; },
  resume(m) {
    const j = job(m.id);
    j.paused = false;
    j.stepLeft = 0;
    loop();
  },
  step(m) {
    const j = job(m.id);
    const perEpoch = j.run ? Math.max(1, Math.ceil(j.run.iterPerEpoch)) : 1;
    if (j.paused) j.stepLeft += perEpoch * (m.epochs ?? 1);
    loop();
  },
  set(m) {
    const { type, id, ...values } = m;
    job(id).set(values);
  },
  hist(m) { port.post({ type: 'hist', id: m.id, layers: job(m.id).histograms(m) }); },
  predict(m) {
    const j = held(m.id);
    if (!j.predict) throw new Error('worker: this job has no net to ask');
    const out = j.predict(m);
    port.post({ type: 'predict', id: m.id, request: m.request, ...out }, [out.probs.buffer]);
  },
  cancel(m) { close(m.id); },
};

port.listen(async (m) => {
  const handler = handlers[m?.type];
  try {
    if (!handler) throw new Error(`worker: unknown message type ${JSON.stringify(m?.type)}`);
    await handler(m);
  } catch (e) {
    const failed = m?.type === 'run' || m?.id === undefined || m?.id === null;
    port.post(failed ? { type: 'error', id: m?.id ?? null, error: errorInfo(e) } : { type: 'refused', id: m.id, request: m.type, error: errorInfo(e) });
  }
});
