// live.js: while an experiment runs, turn each job's increments (the pool's
// progress messages and results) into named series in results.js, so the
// charts fill as the workers train. The points come from the preset's plan
// (each experiment module's `plan.live`), in the final form its assembly gives them, so the
// assembled output at the end (Results.finish) has nothing left to redraw.
import { livePlan } from './presets.js';
import { EXPERIMENTS } from './experiments.js';

export function liveAdapter(name, settings, results) {
  const x = EXPERIMENTS[name];
  const live = livePlan(x.preset);
  const finished = []; // results so far, by job index
  return {
    setStage() { finished.length = 0; },
    onProgress(index, job, m) {
      for (const p of live.progress?.(settings, job, m) ?? []) results.appendSeries(p.name, p.x, p.x0, p.values);
    },
    onResult(index, job, r) {
      finished[index] = r;
      // The activation-distribution experiment: each job's result is its layers' histograms,
      // numbered job-major (activation x init x layer) so that every pair has its own.
      if (r.layers) r.layers.forEach((h, l) => results.setHistogram(index * r.layers.length + l, h));
      const out = live.result?.(settings, job, index, finished);
      if (out?.trial) results.addTrials([out.trial]);
      for (const s of out?.series ?? []) results.setSeries(s.name, s.x, s.values);
    },
    // A training net's hidden activations (the single-net view asks for them).
    onHist(index, job, m) { m.layers.forEach((h, l) => results.setHistogram(l, h)); },
  };
}
