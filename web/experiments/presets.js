// presets.js: the experiments of the book's chapter 6 by name, shared by the
// Node CLI (scripts/lab.mjs) and the page. Each experiment is one module
// (activations.js, init.js, ...) exporting
//   settings   what it accepts, with the book's defaults (settings.js)
//   plan       the data sets it reads, its stages of independent jobs (jobs.js), live points
//   assemble   (settings, stageResults) -> {series, summary}
//   series     (settings) -> its series names, which views and live drawing use
// Nothing here touches the DOM, Node or the WASM heap: jobs are run by
// web/workers/worker.js, spread by web/workers/pool.js.
import { ConfigError } from '../engine/config.js';
import { own } from '../engine/own.js';
import { describeSettings, parseSettingOf, resolveSettingsOf } from './settings.js';
import * as activations from './activations.js';
import * as init from './init.js';
import * as batchnorm from './batchnorm.js';
import * as overfit from './overfit.js';
import * as weightDecay from './weight-decay.js';
import * as dropout from './dropout.js';
import * as optimizers2d from './optimizers-2d.js';
import * as optimizers from './optimizers.js';
import * as gradientCheck from './gradient-check.js';
import * as search from './search.js';

const PRESETS = {
  activations, init, batchnorm, overfit, 'weight-decay': weightDecay, dropout,
  'optimizers-2d': optimizers2d, optimizers, 'gradient-check': gradientCheck, search,
};

export const PRESET_NAMES = Object.freeze(Object.keys(PRESETS));

// The experiment module of a preset; a ConfigError for an unknown name.
export function presetModule(name) {
  const p = own(PRESETS, name);
  if (!p) throw new ConfigError(null, `unknown preset ${JSON.stringify(name)}; presets are ${PRESET_NAMES.join(', ')}`);
  return p;
}

export const describePreset = (name) => describeSettings(name, presetModule(name).settings);
export const parseSetting = (name, key, text) => parseSettingOf(name, presetModule(name).settings, key, text);
export const resolveSettings = (name, overrides = {}) => resolveSettingsOf(name, presetModule(name).settings, overrides);
// A preset's series names for these settings (see each module's `series`).
export const seriesNames = (name, settings) => presetModule(name).series(settings);

// How a preset's increments become its named series while it runs (live.js),
// in the final form its assembly gives them: {progress?(settings, job, message),
// result?(settings, job, index, resultsSoFar)}.
export const livePlan = (name) => presetModule(name).plan.live ?? {};

export { hash32, deriveSeed, epochPeriod, iterationsForEpochs, logspace } from './seeds.js';
export { initLabel } from './settings.js';
export { sliceDatasets, specEnd } from './datasets.js';
export { compareTrials } from './search.js';

// ---- running a preset ------------------------------------------------------------------

// Plan and run a preset. `execute(jobs, datasets, info)` runs independent jobs
// (e.g. pool.run) and resolves to their results in job order; `datasets` are the
// specs of the data they read (see sliceDatasets). `parts`: into how many jobs a
// single evaluation-heavy run may split (the worker count; results do not depend on it).
export async function runPreset(name, settings, { execute, parts = 1 }) {
  const { plan, assemble } = presetModule(name);
  const datasets = plan.datasets(settings);
  const stageResults = [];
  for (let k = 0; k < plan.stages.length; k++) {
    const jobs = plan.stages[k](settings, stageResults, { parts });
    const results = jobs.length ? await execute(jobs, datasets, { stage: k + 1, stages: plan.stages.length }) : [];
    stageResults.push({ jobs, results });
  }
  const { series, summary } = assemble(settings, stageResults);
  return { preset: name, settings, series, summary };
}

// The jobs of a preset's first stage, for checking every engine config before
// anything runs (the CLI creates each once to let the engine validate it).
export function firstStageJobs(name, settings, parts = 1) {
  const first = presetModule(name).plan.stages[0];
  return first ? first(settings, [], { parts }) : [];
}
