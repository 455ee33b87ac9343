// live.js: while a preset runs, turn each job's increments (runner.js's
// progress messages and results) into the preset's named series in
// results.js, so the charts fill as the workers train. The names are the
// CLI's; at the end the preset's assembled output replaces these live values
// (Results.finish), so what is exported is exactly what the CLI prints.

const finite = (values) => Array.from(values).every(Number.isFinite);

// Epoch points of eval slot `slot` in a progress message, appended to `name`
// (points the job does not evaluate, before its evalFrom, arrive as NaN: skipped).
function appendEpochs(results, name, m, slot) {
  const e = m.epochs;
  const acc = e?.acc?.[slot];
  if (!acc?.length || !finite(acc)) return;
  results.appendSeries(name, 'epoch', e.first, acc);
}

export function liveAdapter(view, results) {
  let stage = 1;
  const byKind = {
    // One net: loss per iteration and accuracy per epoch on each eval set ('train', 'test').
    single: {
      progress(index, job, m) {
        if (m.loss?.length) results.appendSeries('loss', 'iteration', m.lossFirst, m.loss);
        job.evals.forEach((e, slot) => appendEpochs(results, e.data, m, slot));
      },
      hist(index, job, m) { m.layers.forEach((h, l) => results.setHistogram(l, h)); },
    },
    // Three nets, one loss curve each, named by the job (std=0.01, Xavier, He).
    init: {
      progress(index, job, m) {
        if (m.loss?.length) results.appendSeries(job.label, 'iteration', m.lossFirst, m.loss);
      },
    },
    // 32 nets: bn@i / plain@i, training accuracy per epoch.
    batchnorm: {
      progress(index, job, m) { appendEpochs(results, job.label, m, 0); },
    },
    // Stage 1: each finished trial is a point; stage 2: the best trials' curves.
    search: {
      progress(index, job, m) {
        if (stage !== 2) return;
        appendEpochs(results, `best${index + 1}/val`, m, 0);
        appendEpochs(results, `best${index + 1}/train`, m, 1);
      },
      result(index, job, r) {
        if (stage !== 1) return;
        const last = (slot) => r.evals[slot].acc[r.evals[slot].acc.length - 1];
        results.addTrials([{
          trial: index, lr: job.config.lr, weightDecay: job.config.weightDecay,
          ...(r.diverged ? { valAcc: null, trainAcc: null, diverged: true } : { valAcc: last(0), trainAcc: last(1) }),
        }]);
      },
    },
    // Four nets, one loss curve each, named by the job (SGD, Momentum, AdaGrad, Adam).
    optimizers: {
      progress(index, job, m) {
        if (m.loss?.length) results.appendSeries(job.label, 'iteration', m.lossFirst, m.loss);
      },
    },
    // No jobs (the toy problem) or nothing to show until the end (the gradient check's table).
    optimizers2d: {},
    gradcheck: {},
    // No training: each job's result is its layers' histograms, numbered
    // job-major (activation x init x layer) so that every pair has its own.
    activations: {
      result(index, job, r) { r.layers.forEach((h, l) => results.setHistogram(index * r.layers.length + l, h)); },
    },
  };
  const a = byKind[view];
  return {
    setStage(k) { stage = k; },
    onProgress: (i, job, m) => a.progress?.(i, job, m),
    onResult: (i, job, r) => a.result?.(i, job, r),
    onHist: (i, job, m) => a.hist?.(i, job, m),
  };
}
