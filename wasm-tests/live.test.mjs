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
  ['search', { trials: 12, epochs: 3 }],
]) {
  test(`${name}: the live points are the assembled output (nothing redrawn at the end)`, async () => {
    const { output, results, events, bestBeforeLast } = await liveRun(name, overrides);
    assert.deepEqual(events, [], 'finish redrew nothing');
    for (const s of output.series) assert.deepEqual(results.series.get(s.name).values, Array.from(s.values), s.name);
    if (name === 'search') assert.ok(bestBeforeLast > 0, 'best curves were drawn before the last trial ended');
  });
}
