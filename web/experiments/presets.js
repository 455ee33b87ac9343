// presets.js: the seven experiments of the book's chapter 6 as data and pure
// functions, shared by the Node CLI (scripts/lab.mjs) and the page. Nothing
// here touches the DOM, Node or the WASM heap: a preset turns its settings
// into independent jobs (run by web/workers/worker.js, spread by web/workers/pool.js) and
// turns their results into {preset, settings, series, summary}.
//
// The presets' settings are preset-settings.js's, their data sets
// preset-data.js's and their plans preset-plans.js's; this module is their
// public face and runs them.
import { PLANS as CH6_PLANS } from './preset-plans.js';
import { GRADCHECK_PLANS } from './preset-plans-gradcheck.js';
import { OPTIMIZER_PLANS } from './preset-plans-optimizers.js';
import { presetDef } from './preset-settings.js';

const PLANS = { ...CH6_PLANS, ...OPTIMIZER_PLANS, ...GRADCHECK_PLANS };

// How a preset's increments become its named series while it runs (live.js),
// in the final form its assembly gives them: {progress?(settings, job, message),
// result?(settings, job, index, resultsSoFar)}.
export const livePlan = (name) => PLANS[name].live ?? {};

export {
  PRESET_NAMES, describePreset, parseSetting, resolveSettings,
  hash32, deriveSeed, epochPeriod, iterationsForEpochs, logspace, initLabel,
} from './preset-settings.js';
export { sliceDatasets, specEnd } from './preset-data.js';
export { compareTrials, hasBaseline, histRangeOf } from './preset-plans.js';

// ---- running a preset ------------------------------------------------------------------

// Plan and run a preset. `execute(jobs, datasets, info)` runs independent jobs
// (e.g. pool.run) and resolves to their results in job order; `datasets` are the
// specs of the data they read (see sliceDatasets). `parts`: into how many jobs a
// single evaluation-heavy run may split (the worker count; results do not depend on it).
export async function runPreset(name, settings, { execute, parts = 1 }) {
  presetDef(name);
  const plan = PLANS[name];
  const datasets = plan.datasets(settings);
  const stageResults = [];
  for (let k = 0; k < plan.stages.length; k++) {
    const jobs = plan.stages[k](settings, stageResults, { parts });
    const results = jobs.length ? await execute(jobs, datasets, { stage: k + 1, stages: plan.stages.length }) : [];
    stageResults.push({ jobs, results });
  }
  const { series, summary } = plan.assemble(settings, stageResults);
  return { preset: name, settings, series, summary };
}

// The jobs of a preset's first stage, for checking every engine config before
// anything runs (the CLI creates each once to let the engine validate it).
export function firstStageJobs(name, settings, parts = 1) {
  presetDef(name);
  const first = PLANS[name].stages[0];
  return first ? first(settings, [], { parts }) : [];
}
