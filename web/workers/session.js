// session.js: one run of one experiment with one set of settings, from
// "wait for the shards it needs" to "done": presets.runPreset plans the jobs
// and assembles the result (exactly as the CLI), the page's pool (pool.js)
// trains them, live.js feeds the increments into results.js.
//
// A single-net experiment whose training shard is in but whose test shards
// are not yet starts at once on the training data alone (the loss curve needs
// nothing else), then, when the test shards arrive, restarts the same seeded
// job with its evaluations, its first iterations caught up at once: training
// is deterministic, so the curve is the one the CLI computes.
import { runPreset, sliceDatasets, specEnd, epochPeriod } from '../experiments/presets.js';
import { CancelledError } from './pool.js';
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
  // name: experiments.js's; settings: resolved; pool, data: the page's;
  // results: results.js store; workers: how many to use.
  // onState({state, detail}): state is 'waiting' (detail: missing shard names),
  //   'running', 'paused', 'done' (detail: {diverged}) or 'error' (detail: the Error);
  // onProgress({done, total, epoch, epochs, iteration, runs, runsDone}); onSpeed({samplesPerSec, workers}).
  // onPredict({request, probs, first}) answers predict().
  constructor({ name, settings, pool, data, results, workers, onState, onProgress, onSpeed, onPredict }) {
    Object.assign(this, { name, settings, pool, data, results, onState, onProgress, onSpeed, onPredict });
    this.x = EXPERIMENTS[name];
    this.workers = Math.min(workers, this.x.workers ?? workers);
    this.adapter = liveAdapter(name, settings, results);
    this.pauses = new Set();
    this.liveValues = {};
    this.runs = new Set(); // pool runs in flight
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
    for (const r of this.runs) r.pause();
    if (this.state === 'running') this._set('paused');
  }

  resume(reason) {
    this.pauses.delete(reason);
    if (this.paused) return;
    for (const r of this.runs) r.resume();
    if (this.state === 'paused') this._set('running');
  }

  step() { for (const r of this.runs) r.step(); }

  // lr / weightDecay / dropout for the running net, from its next step; kept
  // for a run that starts later (the preview hands over to the real run).
  live(values) {
    Object.assign(this.liveValues, values);
    for (const r of this.runs) r.set(values);
  }

  // The baseline (no-regularisation twin) waits while `on`: app.js holds a
  // pinned run's twin while B's curves stand for it (pool.js's holdBaselines).
  holdBaseline(on) {
    this.baselineHeld = on;
    for (const r of this.runs) r.holdBaselines(on);
  }

  // The current net's class probabilities (pool.js's Run.predict); a single net
  // stays available for this after its run has finished.
  predict(request, what) {
    for (const r of this.runs) r.predict(request, what);
    this.finished?.predict(request, what);
  }

  cancel() {
    this.abort.abort(new CancelledError());
    this.finished?.release();
    this.finished = null;
    for (const r of this.runs) r.cancel();
    clearInterval(this.histTimer);
  }

  // Start jobs on the pool, paused and with live settings as the session is.
  _start(jobs, datasets, { skip, onProgress, onResult } = {}) {
    const run = this.pool.start(jobs, datasets, {
      workers: this.workers,
      together: this.x.together,
      paused: this.paused,
      live: this.liveValues,
      holdBaselines: this.baselineHeld,
      skip,
      // The readouts follow the page's own net, not its baseline.
      onProgress: onProgress ?? ((i, job, m) => { this.adapter.onProgress(i, job, m); if (!job.baseline) this._progress(job, m); }),
      onResult: onResult ?? ((i, job, res) => { this.runsDone++; this.adapter.onResult(i, job, res); this._progress(job, null); }),
      onHist: (i, job, m) => { this.lastHist = m.layers; this.adapter.onHist(i, job, m); },
      onPredict: (i, job, m) => this.onPredict?.(m),
      // A single net stays open after its run, for predict() (the digits under its charts).
      keep: this.x.view === 'single',
      onSpeed: this.onSpeed,
    });
    this.runs.add(run);
    run.done.finally(() => {
      this.runs.delete(run);
      // Its kept net answers predict() until the session is cancelled (or a later run finishes).
      if (run.kept.size && !this.abort.signal.aborted) {
        if (this.finished !== run) this.finished?.release();
        this.finished = run;
      }
    }).catch(() => {});
    return run;
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
        if (!this.paused) for (const r of this.runs) r.histograms({ lo, hi, ranges });
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
    let skip = [];
    // The page's own net previews (a baseline beside it waits for the data).
    const own = jobs.filter((j) => !j.baseline);
    if (this.x.view === 'single' && own.length === 1 && this.data.missing(need).length) {
      skip[jobs.indexOf(own[0])] = await this._preview(own[0], specs, need, signal);
    }
    if (this.data.missing(need).length) this._set('waiting', this.data.missing(need));
    await this.data.need(need, { signal });
    if (this.state === 'waiting') this._set(this.paused ? 'paused' : 'running');
    signal.throwIfAborted();
    return this._start(jobs, sliceDatasets(specs, this.data.mnist()), { skip }).done;
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
    const preview = this._start([{ ...job, evals: [], evalFrom: 0 }], sliceDatasets(trainSpecs, this.data.mnist()), {
      onProgress: (i, j, m) => { done = m.done; this.adapter.onProgress(i, j, m); this._progress(j, m); },
      onResult: () => {},
    });
    const running = preview.done.catch((err) => {
      if (!(err instanceof CancelledError)) throw err;
    });
    try {
      await Promise.race([this.data.need(need, { signal, release: false }), running]);
      await this.data.need(need, { signal });
    } finally {
      preview.cancel();
    }
    return done;
  }
}
