// The page's live drawing is the final result: each experiment run through the
// pool with live.js feeding results.js, then the assembled output (exactly the
// CLI's) handed to Results.finish, which must find nothing left to redraw.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPool } from '../scripts/lib/threads.js';
import { resolveSettings, runPreset, sliceDatasets } from '../web/experiments/presets.js';
import { EXPERIMENTS } from '../web/experiments/experiments.js';
import { liveAdapter } from '../web/experiments/live.js';
import { Results } from '../web/ui/results.js';
import { realMnist } from './helpers.mjs';

const pool = await createPool({ size: 2 });
after(() => pool.close());
const data = await realMnist();

async function liveRun(name, overrides) {
  const settings = resolveSettings(EXPERIMENTS[name].preset, { ...EXPERIMENTS[name].defaults, ...overrides });
  const results = new Results();
  const adapter = liveAdapter(name, settings, results);
  let bestBeforeLast = null;
  const output = await runPreset(EXPERIMENTS[name].preset, settings, {
    execute: (jobs, specs, { stage }) => {
      adapter.setStage(stage);
      let finished = 0;
      return pool.start(jobs, sliceDatasets(specs, data), {
        together: EXPERIMENTS[name].together,
        onProgress: adapter.onProgress,
        onResult: (i, job, r) => {
          adapter.onResult(i, job, r);
          if (++finished === jobs.length - 1) bestBeforeLast = [...results.series.keys()].filter((n) => n.startsWith('best')).length;
        },
      }).done;
    },
  });
  const events = [];
  results.subscribe((e) => events.push(e));
  results.finish(output);
  return { output, results, events: events.filter((e) => e.type === 'series'), bestBeforeLast };
}

for (const [name, overrides] of [
  ['init', { iterations: 120 }],
  ['batchnorm', { epochs: 3, scales: [1, 0.01] }],
  ['sandbox', { epochs: 3, trainSize: 1000 }],
  ['weight-decay', { epochs: 3, testSize: 500 }], // with its baseline (the page's default)
  ['search', { trials: 12, epochs: 3 }],
]) {
  test(`${name}: the live points are the assembled output (nothing redrawn at the end)`, async () => {
    const { output, results, events, bestBeforeLast } = await liveRun(name, overrides);
    assert.deepEqual(events, [], 'finish redrew nothing');
    for (const s of output.series) assert.deepEqual(results.series.get(s.name).values, Array.from(s.values), s.name);
    if (name === 'search') assert.ok(bestBeforeLast > 0, 'best curves were drawn before the last trial ended');
    if (name === 'weight-decay') {
      assert.ok(output.series.some((s) => s.name === 'baseline test'), 'the baseline is part of the output');
      // The loss is drawn as cross-entropy and the ½λ‖W‖² term apart, the baseline's beside them.
      const [ce, decay, base] = ['loss', 'decay', 'baseline loss'].map((n) => results.series.get(n)?.values ?? []);
      assert.ok(ce.length > 0 && ce.length === decay.length && ce.length === base.length, `${ce.length} ${decay.length} ${base.length}`);
      assert.ok(decay.every((d) => d > 0) && decay[decay.length - 1] < decay[0], 'λ = 0.1 shrinks the weights');
      // The same initial weights: the same first cross-entropy, up to the float32 sum it was taken from.
      assert.ok(Math.abs(ce[0] - base[0]) <= 1e-5 * base[0], `${ce[0]} vs ${base[0]}`);
    }
  });
}
