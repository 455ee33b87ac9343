// jobs.js: what the experiments' plans are made of. A plan is
//   {datasets(settings), stages: [(settings, previousStages, {parts}) => jobs], live?}
// and each experiment module pairs it with assemble(settings, stageResults)
// -> {series, summary}; these are the jobs and the arithmetic on their results
// that several experiments share.
import { CONFIG_SCHEMA } from '../engine/config.js';

// A job is a plain object web/workers/worker.js runs:
//   {kind: 'train', label, config, train, evals: [{data}], iterations, evalFrom, loss}
//     trains `iterations` steps on data set `train`, attaching the eval sets only
//     from iteration `evalFrom` on (epoch points before it are NaN, cheaply);
//   {kind: 'activations', label, params}  engine.activationHistograms(params).

export function engineConfig(settings, extra) {
  const c = {};
  for (const k of Object.keys(CONFIG_SCHEMA)) if (k in settings && k !== 'seed') c[k] = settings[k];
  return { ...c, ...extra };
}

export function trainJob(label, config, { iterations, evalFrom = 0, evals = [], loss = false, train = 'train' }) {
  return { kind: 'train', label, config: { ...config, maxIterations: iterations }, train, evals, iterations, evalFrom, loss };
}

// A run whose cost is evaluation at every epoch (overfit: 10,000 test images per
// epoch against 300 training images) splits into `parts` jobs by blocks of epochs:
// each replays the same seeded training, bit for bit, and evaluates only its
// block, so the curves are those of one run whatever the number of parts.
// A later block also replays the earlier epochs' training, so with
// `trainPerEval` (an epoch's training cost over its evaluation's, T / E) the
// blocks are sized for equal cost: block k evaluates [b_k, b_k+1) and costs
// b_k+1 T + (b_k+1 - b_k) E; equal costs give b_k+1 = c + a b_k with
// a = E / (T + E), so b_k = c (1 - a^k) / (1 - a) and b_n = epochs fixes c.
// 0 gives equal numbers of epochs.
export function epochBlocks(epochs, parts, trainPerEval = 0) {
  const n = Math.max(1, Math.min(parts, epochs));
  const a = 1 / (1 + trainPerEval);
  const at = (k) => (a === 1 ? k / n : (1 - a ** k) / (1 - a ** n)) * epochs;
  const ends = Array.from({ length: n + 1 }, (_, k) => Math.floor(at(k) + 1e-9));
  for (let k = 1; k <= n; k++) ends[k] = Math.min(epochs - (n - k), Math.max(ends[k], ends[k - 1] + 1));
  return Array.from({ length: n }, (_, k) => [ends[k], ends[k + 1]]);
}

// Exact accuracy from the engine's float32 (correct / count recovered): the book's value.
export const exactAcc = (acc, count) => Math.round(acc * count) / count;
// Float32 losses printed to the digits that identify them (9 significant).
export const loss9 = (x) => Number(x.toPrecision(9));

// Stitch the epoch blocks of split jobs back into one curve per eval slot.
// A run that diverged stops its curves at its last finite epoch in every part.
export function stitchEpochs(results, blocks, slot, count) {
  const values = [];
  for (let k = 0; k < blocks.length; k++) {
    const acc = results[k].evals[slot].acc;
    const [from, to] = blocks[k];
    for (let e = from; e < Math.min(to, acc.length); e++) values.push(exactAcc(acc[e], count));
    if (acc.length < to) break;
  }
  return values;
}

// Live points, in the final form assemble gives them: epoch points of eval slot
// `slot` in a progress message (none while the job does not evaluate yet: NaN).
export function epochPoints(name, m, slot, count) {
  const acc = m.epochs?.acc?.[slot];
  if (!acc?.length || !Array.from(acc).every(Number.isFinite)) return [];
  return [{ name, x: 'epoch', x0: m.epochs.first, values: Array.from(acc, (a) => exactAcc(a, count)) }];
}

export function divergence(results) {
  const d = results.find((r) => r.diverged);
  return d ? { diverged: true, divergedAt: d.divergedAt } : { diverged: false };
}

export const mean = (xs) => (xs.length ? loss9(xs.reduce((a, b) => a + b, 0) / xs.length) : null);


// Loss curves (init, optimizers): one series per job, named by its label, and
// per name the first loss, the mean of the last 100 (where the book's smoothed
// plot ends), what `more(values)` adds, the mean, and where it diverged.
export function lossCurves(jobs, results, more = () => ({})) {
  const series = [];
  const loss = {};
  results.forEach((r, j) => {
    const name = jobs[j].label;
    const values = Array.from(r.loss, loss9);
    series.push({ name, x: 'iteration', values, ...(r.diverged && { diverged: true }) });
    loss[name] = {
      first: values[0] ?? null,
      last100: mean(values.slice(-100)),
      ...more(values),
      mean: mean(values),
      ...(r.diverged ? { diverged: true, divergedAt: r.divergedAt } : {}),
    };
  });
  return { series, summary: { loss } };
}

// Live points of a loss curve, in the form lossCurves gives them.
// f(loss, i): what to plot of each loss point (the cross-entropy: loss - decay).
export const lossPoints = (name, m, f = (l) => l) => (m.loss?.length ? [{ name, x: 'iteration', x0: m.lossFirst, values: Array.from(m.loss, (l, i) => loss9(f(l, i))) }] : []);
