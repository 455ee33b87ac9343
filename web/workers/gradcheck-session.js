// gradcheck-session.js: the gradient-check job of worker.js
//   {kind: 'gradcheck', label, precision: 'float64'|'float32', config, train, first, h}
// run on images [first, first + config.batchSize) of data set `train`. The float64
// engine (dlfs_f64.wasm, the same C sources built with -DDLFS_DOUBLE) is loaded the
// first time a float64 job runs in this worker, and only then; the float32 job uses
// the worker's own engine. Progress counts parameters differenced.
import { loadEngine } from '../engine/engine.js';

let f64 = null; // Promise<Engine>, once per worker

export function loadFloat64Engine() {
  f64 ??= loadEngine({ wasmUrl: './dlfs_f64.wasm' }).catch((e) => {
    f64 = null;
    throw new Error(`the float64 engine (dlfs_f64.wasm) failed to load: ${e.message}`);
  });
  return f64;
}

export class GradcheckSession {
  // engine: the float64 engine for a float64 job (loadFloat64Engine), else the worker's.
  // source: the worker's DataSet named job.train.
  constructor(job, engine, source) {
    this.job = job;
    this.uses = [job.train];
    const B = job.config.batchSize;
    const first = job.first ?? 0;
    this.data = engine.createData({ capacity: B, features: source.features });
    try {
      const { pixels, labels } = source.read(first, B);
      this.data.append(pixels, labels);
      this.run = engine.createRun({ ...job.config, trainSize: B });
      this.gc = engine.gradientCheck(this.run, this.data, { first: 0, h: job.h ?? 1e-4 });
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.total = this.gc.step(0);
    this.done = 0;
  }

  advance(n) {
    this.done = this.total - this.gc.step(n);
    return {};
  }

  set() { throw new Error('a gradient check has no live settings'); }
  histograms() { throw new Error('a gradient check has no histograms'); }
  // baseLoss, not loss: worker.js transfers a result's `loss` as a Float32Array curve.
  result() {
    const { loss, tensors } = this.gc.results();
    return { precision: this.job.precision, baseLoss: loss, tensors };
  }

  dispose() {
    this.gc?.dispose();
    this.run?.dispose();
    this.data?.dispose();
  }
}
