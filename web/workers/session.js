// session.js: one run of one experiment with one set of settings, from
// "wait for the shards it needs" to "done": presets.runPreset plans the jobs
// and assembles the result (exactly as the CLI), runner.js trains them on the
// page's workers, live.js feeds the increments into results.js.
//
// A single-net experiment whose training shard is in but whose test shards
// are not yet starts at once on the training data alone (the loss curve needs
// nothing else), then, when the test shards arrive, reopens the same seeded
// job with its evaluations and fast-forwards it to where the preview was:
// training is deterministic, so the curve is the one the CLI computes.
import { runPreset, sliceDatasets, specEnd, epochPeriod } from '../experiments/presets.js';
import { Runner, CancelledError } from './runner.js';
import { liveAdapter } from '../experiments/live.js';
import { EXPERIMENTS, histRange, histRanges } from '../experiments/experiments.js';

const HIST_MS = 400; // activation histograms of a training net, this often

// The images each split must hold for data set specs (presets.js's).
function needsOf(specs) {
  const req = { train: 0, test: 0 };
  for (const s of Object.values(specs)) {
    req[s.split] = Math.max(req[s.split], specEnd(s));
  }
  return req;
}

export class Session {
  // name: experiments.js's; settings: resolved; farm, data: the page's;
  // results: results.js store; workers: how many to use.
  // onState({state, detail}): state is 'waiting' (detail: missing shard names),
  //   'running', 'paused', 'done' (detail: {diverged}) or 'error' (detail: the Error);
  // onProgress({done, total, epoch, epochs, iteration, runs, runsDone}); onSpeed({samplesPerSec, workers}).
  // onPredict({request, probs, first}) answers predict().
  constructor({ name, settings, farm, data, results, workers, onState, onProgress, onSpeed, onPredict }) {
    Object.assign(this, { name, settings, farm, data, results, onState, onProgress, onSpeed, onPredict });
    this.x = EXPERIMENTS[name];
    this.workers = this.x.view === 'single' ? 1 : workers;
    this.adapter = liveAdapter(this.x.view, results);
    this.pauses = new Set();
    this.liveValues = {};
    this.runners = new Set();
    this.abort = new AbortController();
    this.state = 'idle';
    this.runsDone = 0;
  }

  _set(state, detail) {
    this.state = state;
    this.detail = detail;
    this.onState?.({ state, detail });
  }

  get paused() { return this.pauses.size > 0; }

  // Pause for a reason ('user', 'hidden'); training continues when no reason is left.
  pause(reason) {
    this.pauses.add(reason);
    for (const r of this.runners) r.pause();
    if (this.state === 'running') this._set('paused');
  }

  resume(reason) {
    this.pauses.delete(reason);
    if (this.paused) return;
    for (const r of this.runners) r.resume();
    if (this.state === 'paused') this._set('running');
  }

  step() { for (const r of this.runners) r.step(); }

  // lr / weightDecay / dropout for the running net, from its next step; kept
  // for a runner that starts later (the preview hands over to the real run).
  live(values) {
    Object.assign(this.liveValues, values);
    for (const r of this.runners) r.set(values);
  }

  // The current net's class probabilities (runner.predict); a single net
  // stays available for this after its run has finished.
  predict(request, what) {
    for (const r of this.runners) r.predict(request, what);
    this.finished?.predict(request, what);
  }

  cancel() {
    this.abort.abort(new CancelledError());
    this.finished?.cancel();
    for (const r of this.runners) r.cancel();
    clearInterval(this.histTimer);
  }

  _runner(extra = {}) {
    const r = new Runner(this.farm, {
      workers: this.workers,
      onProgress: (i, job, m) => { this.adapter.onProgress(i, job, m); this._progress(job, m); },
      onResult: (i, job, res) => { this.runsDone++; this.adapter.onResult(i, job, res); this._progress(job, null); },
      onHist: (i, job, m) => { this.lastHist = m.layers; this.adapter.onHist(i, job, m); },
      onPredict: (i, job, m) => this.onPredict?.(m),
      keepNets: this.x.view === 'single',
      onSpeed: this.onSpeed,
      ...extra,
    });
    if (this.paused) r.pause();
    if (Object.keys(this.liveValues).length) r.set(this.liveValues);
    this.runners.add(r);
    return r;
  }

  // m: a job's progress message, or null when a job has finished.
  _progress(job, m) {
    const p = { ...this.lastProgress, runs: this.jobCount ?? 1, runsDone: this.runsDone };
    if (this.x.view === 'single' && m) {
      const period = epochPeriod(job.config.trainSize, job.config.batchSize);
      // A diverged run counts as done, but the readout says where it stopped.
      p.iteration = m.divergedAt ?? m.done;
      p.epoch = p.iteration ? Math.floor((p.iteration - 1) / period) + 1 : 0;
      p.epochs = this.settings.epochs;
      p.diverged = m.divergedAt !== undefined;
    }
    this.lastProgress = p;
    this.onProgress?.(p);
  }

  async start() {
    const { signal } = this.abort;
    this._set(this.paused ? 'paused' : 'running');
    if (this.x.view === 'single') {
      const [lo, hi] = histRange(this.settings.activation);
      this.histTimer = setInterval(() => {
        // ReLU is unbounded: each layer's range follows its last spread (histRanges).
        const ranges = this.settings.activation === 'relu' ? histRanges(this.lastHist) : undefined;
        if (!this.paused) for (const r of this.runners) r.histograms({ lo, hi, ranges });
      }, HIST_MS);
    }
    try {
      const output = await runPreset(this.x.preset, this.settings, {
        parts: 1,
        execute: (jobs, specs, info) => this._execute(jobs, specs, info, signal),
      });
      this.results.finish(output);
      this._set('done', { diverged: output.summary?.diverged || output.series.some((s) => s.diverged) });
    } catch (err) {
      if (err instanceof CancelledError || signal.aborted) return;
      this._set('error', err);
    } finally {
      clearInterval(this.histTimer);
    }
  }

  // presets.runPreset's `execute`: wait for the data, then train.
  async _execute(jobs, specs, { stage }, signal) {
    this.adapter.setStage(stage);
    this.jobCount = jobs.length;
    this.runsDone = 0;
    const need = needsOf(specs);
    await this.data.manifestReady();
    let fastForward = [];
    if (this.x.view === 'single' && jobs.length === 1 && this.data.missing(need).length) {
      fastForward = [await this._preview(jobs[0], specs, need, signal)];
    }
    if (this.data.missing(need).length) this._set('waiting', this.data.missing(need));
    await this.data.need(need, { signal });
    if (this.state === 'waiting') this._set(this.paused ? 'paused' : 'running');
    const runner = this._runner();
    try {
      return await runner.execute(jobs, sliceDatasets(specs, this.data.mnist()), { fastForward });
    } finally {
      this.runners.delete(runner);
      if (runner.kept.size) this.finished = runner; // its net answers predict() until cancel()
    }
  }

  // Train the job on its training data alone until the rest of its data is
  // in; returns how many iterations it got through.
  async _preview(job, specs, need, signal) {
    const trainSpecs = { [job.train]: specs[job.train] };
    const trainNeed = needsOf(trainSpecs);
    if (this.data.missing(trainNeed).length) this._set('waiting', this.data.missing(trainNeed));
    await this.data.need(trainNeed, { signal });
    if (!this.data.missing(need).length) return 0;
    if (this.state === 'waiting') this._set(this.paused ? 'paused' : 'running');
    let done = 0;
    this.previewing = true;
    const preview = this._runner({
      onProgress: (i, j, m) => { done = m.done; this.adapter.onProgress(i, j, m); this._progress(j, m); },
      onResult: () => {},
    });
    const previewJob = { ...job, evals: [], evalFrom: 0 };
    const running = preview.execute([previewJob], sliceDatasets(trainSpecs, this.data.mnist())).catch((err) => {
      if (!(err instanceof CancelledError)) throw err;
    });
    try {
      await Promise.race([this.data.need(need, { signal, release: false }), running]);
      await this.data.need(need, { signal });
    } finally {
      preview.cancel();
      running.catch(() => {}); // whatever the cancelled preview still reports is moot
      this.runners.delete(preview);
      this.previewing = false;
    }
    return done;
  }
}
