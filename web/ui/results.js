// results.js: what the current run has produced so far, independent of how
// it is drawn: named series (the same names and x kinds as the CLI's JSON),
// per-layer activation histograms, search trials and a summary. Views are
// rebuilt from it (language switch, comparison) and export reads it.

// The series names in a preset's series() tree (nested objects and arrays of
// names), depth first: the order the preset declares them in.
export const namesOf = (tree) => (typeof tree === 'string' ? [tree] : Object.values(tree ?? {}).flatMap(namesOf));

export class Results {
  constructor() {
    this.listeners = new Set();
    this.clear();
  }

  // listener(event): {type: 'series', name, x, x0, values, replace?}
  //   | {type: 'histogram', layer, hist} | {type: 'trials', trials} | {type: 'summary', summary}
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  _emit(event) { for (const l of this.listeners) l(event); }

  // Forget everything (a new run; its view is new too, so nobody is told).
  clear() {
    this.order = [];
    this.cliOrder = null;
    this.series = new Map();
    this.histograms = [];
    this.trials = [];
    this.summary = {};
  }

  // The preset's series names as it declares them (presets.js seriesNames,
  // flattened): exports list series in this order, not in the order the
  // workers happened to report them, so the same run gives the same file.
  declare(names) {
    this.order = names;
  }

  // The series as [name, {x, values, flags}]: once finished, the CLI's series
  // in its order; then the rest (all of them while running) in the declared
  // order; names declared nowhere (the sandbox's page-only loss) last, as they came.
  _ordered() {
    const cli = this.cliOrder ?? [];
    const rank = (n) => {
      const c = cli.indexOf(n);
      if (c >= 0) return c;
      const d = this.order.indexOf(n);
      return cli.length + (d >= 0 ? d : this.order.length);
    };
    return [...this.series].map((e, k) => [e, k]).sort(([a, i], [b, j]) => rank(a[0]) - rank(b[0]) || i - j).map(([e]) => e);
  }

  // Append values to series `name` (x: 'iteration' | 'epoch' | 'bin'); x0 is
  // the index of the first value, so repeated or late increments cannot
  // shift a curve: anything before the series' current end is dropped.
  appendSeries(name, x, x0, values) {
    let s = this.series.get(name);
    if (!s) this.series.set(name, (s = { x, values: [] }));
    const skip = Math.max(0, s.values.length - x0);
    if (x0 > s.values.length) throw new Error(`results: series ${name} has ${s.values.length} points, got an increment at ${x0}`);
    const fresh = skip ? Array.prototype.slice.call(values, skip) : Array.from(values);
    if (!fresh.length) return;
    const at = s.values.length;
    for (const v of fresh) s.values.push(v);
    this._emit({ type: 'series', name, x, x0: at, values: fresh });
  }

  // Replace series `name` with `values` (a live result that supersedes earlier
  // points, e.g. the search's best curves so far).
  setSeries(name, x, values) {
    const s = this.series.get(name);
    if (s && s.values.length === values.length && s.values.every((v, i) => v === values[i])) return;
    this.series.set(name, { x, values: Array.from(values) });
    this._emit({ type: 'series', name, x, x0: 0, values: Array.from(values), replace: true });
  }

  // The preset's assembled output ({series, summary}, exactly the CLI's) at
  // the end of a run. Live points were the engine's float32 values; where a
  // series kept its length they are redrawn only if they changed visibly.
  finish({ series, summary }) {
    for (const { name, x, values, ...flags } of series) {
      if (!this.series.has(name)) this.appendSeries(name, x, 0, values);
      const s = this.series.get(name);
      const visible = s.values.length !== values.length || values.some((v, i) => Math.abs(v - s.values[i]) > 1e-6);
      s.values = Array.from(values);
      s.flags = flags; // e.g. diverged: true, as the CLI marks a series
      if (visible) this._emit({ type: 'series', name, x, x0: 0, values: s.values, replace: true });
    }
    // The CLI's order first, then what only the page records (the sandbox's loss).
    const order = series.map((x) => x.name);
    this.cliOrder = order;
    this.series = new Map([...order.map((n) => [n, this.series.get(n)]), ...[...this.series].filter(([n]) => !order.includes(n))]);
    this.setSummary(summary);
  }

  setHistogram(layer, hist) {
    this.histograms[layer] = hist;
    this._emit({ type: 'histogram', layer, hist });
  }

  addTrials(trials) {
    for (const tr of trials) this.trials.push(tr);
    this._emit({ type: 'trials', trials });
  }

  setSummary(summary) {
    this.summary = { ...this.summary, ...summary };
    this._emit({ type: 'summary', summary: this.summary });
  }

  // Replay everything into one listener (a freshly built view).
  replay(listener) {
    for (const [name, s] of this.series) listener({ type: 'series', name, x: s.x, x0: 0, values: s.values });
    this.histograms.forEach((hist, layer) => hist && listener({ type: 'histogram', layer, hist }));
    if (this.trials.length) listener({ type: 'trials', trials: this.trials });
    if (Object.keys(this.summary).length) listener({ type: 'summary', summary: this.summary });
  }

  // A frozen copy of the series, for pinning run A.
  snapshot() {
    return new Map([...this.series].map(([name, s]) => [name, { x: s.x, values: [...s.values] }]));
  }

  // The CLI's --json shape: {preset, settings, series: [{name, x, values}], summary}.
  toJSON(preset, settings) {
    const series = this._ordered().map(([name, s]) => ({ name, x: s.x, values: s.values, ...s.flags }));
    const summary = { ...this.summary };
    if (this.trials.length && !summary.trials) summary.trials = this.trials;
    return { preset, settings, series, summary };
  }

  // Long format, one row per point: series,x,index,value (spreadsheets pivot it easily).
  toCSV() {
    const rows = ['series,x,index,value'];
    const q = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    for (const [name, s] of this._ordered()) s.values.forEach((v, i) => rows.push(`${q(name)},${s.x},${i},${v}`));
    return `${rows.join('\n')}\n`;
  }
}
