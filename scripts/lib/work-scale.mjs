// work-scale.mjs: how much work a preset's settings ask for, against the
// book's own settings for it, so the CLI can say up front when a run is far
// beyond the book's scale (samples=100000 nodes=1024 layers=10 is ~20,000
// times the book's activation experiment: minutes, not a second).
// Counted in multiply-adds of the dense layers, which dominate every preset.
import { firstStageJobs, resolveSettings } from '../../web/experiments/presets.js';

function trainJobWork(job, settings) {
  const c = job.config;
  const widths = [784, ...c.hidden, 10];
  let params = 0;
  for (let l = 1; l < widths.length; l++) params += widths[l - 1] * widths[l];
  const perEpoch = Math.max(c.trainSize / c.batchSize, 1);
  const epochs = Math.max(1, Math.floor((job.iterations - 1) / perEpoch) + 1);
  // Forward and backward passes of each step (~3x a forward pass)...
  let work = 3 * job.iterations * c.batchSize * params;
  // ...and a forward pass over every eval set each epoch.
  for (const e of job.evals ?? []) work += epochs * (e.data === 'test' ? settings.testSize ?? 10000 : c.trainSize) * params;
  return work;
}

function jobWork(job, settings) {
  if (job.kind === 'activations') {
    const p = job.params;
    return p.samples * p.width * p.width * p.layers;
  }
  return job.kind === 'train' ? trainJobWork(job, settings) : 0;
}

/** Work of a preset's first stage with `settings`, as a multiple of the book's settings' work. */
export function workRatio(preset, settings) {
  const work = (s) => firstStageJobs(preset, s).reduce((sum, job) => sum + jobWork(job, s), 0);
  return work(settings) / work(resolveSettings(preset));
}

/** A warning for settings far beyond the book's scale, or null. */
export function scaleWarning(preset, settings, limit = 30) {
  const ratio = workRatio(preset, settings);
  if (!(ratio > limit)) return null;
  const times = ratio >= 100 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(0);
  return `warning: these settings ask for about ${times} times the work of the book's ${preset} experiment; expect it to take that much longer (progress follows on stderr)`;
}
