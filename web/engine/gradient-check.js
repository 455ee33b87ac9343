// gradient-check.js: the handle of a numerical gradient check (dlfs_gradcheck_*,
// csrc/gradcheck.c; meaningful in dlfs_f64.wasm), made by engine.gradientCheck().
// It reaches C and the heap only through its engine (check, x, heap), like
// engine.js's DataSet and Run.
import { ABI } from './abi.js';

const GC_KINDS = ['W', 'b', 'gamma', 'beta'];
const GC_FIELDS = 12; // DLFS_GC_FIELDS

export class GradientCheck {
  constructor(engine, ptr) {
    this.engine = engine;
    this.ptr = ptr;
  }

  // Difference up to `entries` more parameters; returns how many are left.
  step(entries) {
    const e = this.engine;
    e.check(e.x.dlfs_gradcheck_step(this.ptr, entries, e._out));
    return e.heap.i32[e._out >> 2];
  }

  // Per tensor, in the book's key order: {name: 'W1', size, checked, meanAbsDiff, relError, relErrorRichardson,
  // maxAbsBackprop, maxAbsDiff, kinks, zeroInTheory}; and the loss differentiated.
  results() {
    const e = this.engine;
    const x = e.x;
    const out = x.malloc(GC_FIELDS * 8);
    if (!out) e.check(ABI.status.E_NOMEM.code);
    try {
      const tensors = [];
      let loss = NaN;
      for (let k = 0; k < x.dlfs_gradcheck_tensors(this.ptr); k++) {
        e.check(x.dlfs_gradcheck_result(this.ptr, k, out));
        const f = e.heap.f64.subarray(out >> 3, (out >> 3) + GC_FIELDS);
        tensors.push({
          name: `${GC_KINDS[f[1]]}${f[0]}`, size: f[2], checked: f[3], meanAbsDiff: f[4], relError: f[5],
          maxAbsBackprop: f[6], maxAbsDiff: f[7], kinks: f[8], zeroInTheory: f[9] === 1, relErrorRichardson: f[11],
        });
        loss = f[10];
      }
      return { loss, tensors };
    } finally {
      x.free(out);
    }
  }

  dispose() {
    if (this.ptr) this.engine.x?.dlfs_gradcheck_destroy(this.ptr);
    this.ptr = 0;
  }
}
