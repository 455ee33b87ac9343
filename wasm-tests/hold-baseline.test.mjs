// pool.js's held baselines: a pinned run A's no-regularisation twin waits on
// its worker while nothing draws it (app.js: B's twin, or B itself, stands
// for it), and goes on where it was when it is drawn again. Holding must not
// change what it computes: the same seed gives the same curves.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool } from '../scripts/lib/threads.js';
import { resolveSettings, runPreset, sliceDatasets } from '../web/experiments/presets.js';
import { EXPERIMENTS } from '../web/experiments/experiments.js';
import { realMnist } from './helpers.mjs';

const pool = await createPool({ size: 2 });
after(() => pool.close());
const data = await realMnist();
const settingsWith = (more) => resolveSettings(EXPERIMENTS['weight-decay'].preset, { ...EXPERIMENTS['weight-decay'].defaults, epochs: 4, testSize: 300, baseline: true, ...more });

// One weight-decay run with its twin; control(run, {own, base}) drives it
// (base: the twin's iterations so far, own: the run's; updated on progress).
async function twinRun(control = () => {}, settings = settingsWith({})) {
  let seen;
  const output = await runPreset(EXPERIMENTS['weight-decay'].preset, settings, {
    parts: 1,
    execute: (jobs, specs) => {
      const done = { own: 0, base: 0, ownFinished: false, baseAtOwnEnd: null };
      seen = done;
      let run;
      const listen = {
        onProgress: (i, job, m) => { done[job.baseline ? 'base' : 'own'] = m.done; control(run, done, 'progress'); },
        onResult: (i, job) => {
          if (job.baseline) return;
          done.ownFinished = true;
          done.baseAtOwnEnd = done.base;
          control(run, done, 'own finished');
        },
      };
      run = pool.start(jobs, sliceDatasets(specs, data), { ...listen, holdBaselines: control.holdFromStart, together: control.together });
      control(run, done, 'started');
      return run.done;
    },
  });
  return { output, seen };
}

const reference = await twinRun();

test('a baseline held from the start trains nothing, through pause and resume, until it is let go; then it ends as if never held', async () => {
  let cycled = false;
  const control = (run, done, what) => {
    // The reader pauses and resumes the page: the held twin stays held.
    if (what === 'progress' && !cycled && done.own > 0) { cycled = true; run.pause(); run.step(); run.resume(); }
    if (what === 'own finished') run.holdBaselines(false);
  };
  control.holdFromStart = true;
  const { output, seen } = await twinRun(control);
  assert.ok(cycled, 'the run was paused, stepped and resumed while its twin was held');
  assert.equal(seen.baseAtOwnEnd, 0, 'the twin did not train while held');
  assert.deepEqual(output, reference.output, 'the same curves and summary as a twin never held');
});

test('a baseline held and let go mid-run goes on where it was: the same curves', async () => {
  let held = false;
  const control = (run, done, what) => {
    if (what === 'progress' && !held && done.base > 0) { held = true; run.holdBaselines(true); }
    if (what === 'own finished') run.holdBaselines(false);
  };
  const { output } = await twinRun(control);
  assert.ok(held);
  assert.deepEqual(output, reference.output);
});

// The page's single runs keep their nets in step (together: Infinity, experiments.js):
// a held twin must not be waited for, or run A's own net would stop with it.
test('in a comparison kept in step, a held twin is not waited for: the run\'s own net trains to its end', { timeout: 120000 }, async () => {
  // Batches of 1: 1,200 iterations, long enough for the hold to land mid-run.
  const long = settingsWith({ batchSize: 1 });
  const unheld = await twinRun(() => {}, long);
  let mid = false;
  const control = (run, done, what) => {
    // Held once the two have moved a little together; let go when the run's own net has finished.
    if (what === 'progress' && !mid && done.base > 0 && done.own > 0) { mid = true; run.holdBaselines(true); }
    if (what === 'own finished') run.holdBaselines(false);
  };
  control.together = Infinity;
  const { output, seen } = await twinRun(control, long);
  assert.ok(mid && seen.ownFinished);
  assert.ok(seen.baseAtOwnEnd < 1200, `the twin was held mid-run (at ${seen.baseAtOwnEnd} of 1200)`);
  assert.deepEqual(output, unheld.output);
});
