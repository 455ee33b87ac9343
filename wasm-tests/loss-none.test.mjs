// lossMode 'none' (the search's trials record no loss curve and skip the exact
// weight-decay sum each step) must change nothing the search reports: its own
// trial jobs on real MNIST, run with 'none' and with 'forward', give the same
// epoch curves bit for bit and stop (or not) at the same iteration. The
// engine-level edge cases (a run stopped by the decay term alone) are in
// csrc/tests/test_loss_none.c.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWithMnist } from './helpers.mjs';
import { resolveSettings } from '../web/experiments/presets.js';
import * as search from '../web/experiments/search.js';

const bits = (f32) => Array.from(new Uint32Array(Float32Array.from(f32).buffer));

test("search trials: lossMode 'none' gives the epoch curves of 'forward', bit for bit", async () => {
  const { engine, mnist } = await engineWithMnist({ train: 1, test: 1 });
  // Larger rates than the book's range too, so that some trials diverge.
  const s = { ...resolveSettings('search'), trials: 6, epochs: 12, lrRange: [-2, 3] };
  const sets = {};
  for (const [name, { indices }] of Object.entries(search.plan.datasets(s))) {
    const px = new Uint8Array(indices.length * 784), lb = new Uint8Array(indices.length);
    indices.forEach((i, k) => { px.set(mnist.train.pixels.subarray(i * 784, (i + 1) * 784), k * 784); lb[k] = mnist.train.labels[i]; });
    sets[name] = engine.createData({ capacity: indices.length });
    sets[name].append(px, lb);
  }
  const jobs = search.plan.stages[0](s);
  assert.ok(jobs.every((j) => j.config.lossMode === 'none' && j.config.weightDecay > 0), 'the search asks for no loss curve');
  let diverged = 0;
  for (const job of jobs) {
    const out = {};
    for (const lossMode of ['forward', 'none']) {
      const run = engine.createRun({ ...job.config, lossMode });
      run.setTrain(sets[job.train]);
      job.evals.forEach((e, slot) => run.setEval(slot, sets[e.data], 0));
      let stopped = false;
      try { run.train(job.iterations); } catch (e) { if (e.code !== 'diverged') throw e; stopped = true; }
      out[lossMode] = {
        stopped, iterations: run.iterations, lossPoints: run.lossCurve.length,
        evals: job.evals.map((_, slot) => [bits(run.evalAccuracy(slot)), bits(run.evalLoss(slot))]),
      };
      run.dispose();
    }
    const { forward, none } = out;
    assert.equal(forward.lossPoints, forward.iterations);
    assert.equal(none.lossPoints, 0, "'none' records no loss points");
    assert.deepEqual({ ...none, lossPoints: 0 }, { ...forward, lossPoints: 0 }, job.label);
    diverged += forward.stopped;
  }
  assert.ok(diverged > 0 && diverged < jobs.length, `some trials diverge and some do not (${diverged} of ${jobs.length})`);
  engine.dispose();
});
