// views.js: which charts each experiment shows, and how the run's named
// series (the CLI's names, from the experiment's module: opts.series) land in
// them. A view is built from the settings,
// fed events from results.js, and rebuilt (and replayed) when the language
// changes or run A is pinned; it never talks to workers.
import { LineChart, HistogramChart, COLORS } from './charts.js';
import { ScatterChart } from './scatter-chart.js';
import { fmt } from './format.js';
import { el } from './dom.js';
import { histRange } from '../experiments/experiments.js';
import { compareTrials, hasBaseline } from '../experiments/presets.js';
import { badgeBox, logToggle } from './failures.js';
import { learned } from './teach.js';
import { PIN_COLORS, pinnedBaseline } from './pins.js';

// <figure> with a caption and a PNG button. Chart.js needs a positioned
// parent with a definite height to size itself: that is .chart-box.
// `id` names the chart for the `charts=` choice (embed-size.js's CHART_IDS).
export function figure(parent, { title, t, id }) {
  const fig = el('figure', { 'data-chart': id });
  const cap = el('figcaption');
  cap.append(el('span', { text: title }));
  fig.pngButton = el('button', { class: 'btn png', text: t('png') });
  fig.pngButton.type = 'button';
  fig.pngButton.setAttribute('aria-label', t('png.title', { chart: title }));
  cap.append(fig.pngButton);
  fig.append(cap);
  parent.append(fig);
  return fig;
}

export function chartBox(parent) {
  const box = el('div', { class: 'chart-box' });
  const canvas = el('canvas');
  box.append(canvas);
  parent.append(box);
  return canvas;
}

export const PIN = 'A · ';
// A line that stands for both runs' (their no-regularisation twin is one net: pins.js).
const BOTH = 'A/B · ';

// A table under a caption (data-chart="table"), scrolling sideways when narrow:
// its figure and the tbody to fill. A header is a text, or [over, text]: a
// second, smaller line above it (the gradient check's "float64" over "Mean
// |diff|", so that no header needs more than two short lines).
// `scrolls`: a list meant to scroll up and down (the search's every trial);
// other tables show every row (a compact embed plans their room).
export function tableFigure(title, headers, { className, scrolls = false } = {}) {
  const fig = el('figure', { 'data-chart': 'table' });
  const cap = el('figcaption');
  cap.append(el('span', { text: title }));
  const table = el('table', className ? { class: className } : {});
  const head = el('tr');
  for (const h of headers) {
    const th = el('th');
    if (Array.isArray(h)) th.append(el('span', { class: 'th-over', text: h[0] }), ' ', h[1]);
    else th.textContent = h;
    th.scope = 'col';
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  table.append(thead, tbody);
  fig.append(cap, el('div', { class: 'table-wrap', ...(scrolls ? { 'data-scrolls': '' } : {}) }, table));
  return { fig, tbody };
}

// Base: figures with PNG buttons, and series routed to their charts by name.
// A view lives for one run; a new run gets a new view. `charts` (ids) limits
// which charts it shows (null: all); `theme` is 'light' or 'dark'; a compact
// view (the embeds') leaves out what small charts have no room for.
export class View {
  constructor(container, { t, pinned, charts = null, theme = 'light', compact = false }) {
    this.t = t;
    this.theme = theme;
    this.compact = compact;
    this.shows = (id) => !charts || charts.includes(id);
    this.pinned = pinned; // Map name -> {x, values} of run A, or null
    this.pinSkips = new Set(); // A's series not drawn: a line of B's stands for them (s.both)
    this.root = el('div', { class: 'charts' });
    container.replaceChildren(this.root);
    this.routes = new Map(); // series name -> LineChart
    this.charts = new Set(); // every chart, for destroy()
  }

  // A figure's PNG button exports its charts: one canvas, or small multiples
  // composed into one image, `columns` wide.
  _exportable(fig, title, charts, columns = 1) {
    const entry = { title, charts, columns };
    fig.pngButton.addEventListener('click', () => this.onPng?.(entry));
  }

  // A line chart whose series are `series`; pinned run A is overlaid dashed,
  // but for the series in pinSkips. A series with `both` is A's line too;
  // `labelA` names A's copy when B's label says more than A's; `onlyA`: B
  // has no such series, A's is drawn alone.
  // Small charts (multiples) have no caption of their own.
  _lines(parent, { id, title, xLabel, yLabel, yMin, yMax, xMax, series, small = false }) {
    const fig = small ? null : figure(parent, { title, t: this.t, id });
    const canvas = chartBox(small ? parent : fig);
    const chart = new LineChart(canvas, { t: this.t, title, xLabel, yLabel, yMin, yMax, xMax, small, theme: this.theme });
    const defs = [];
    series.forEach((s, i) => {
      const color = s.color ?? COLORS[i % COLORS.length];
      if (s.onlyA) return;
      defs.push({ id: s.name, label: this.pinned ? `${s.both ? BOTH : 'B · '}${s.label}` : s.label, color, dash: s.dash, axis: s.axis });
      this.routes.set(s.name, chart);
    });
    if (this.pinned) {
      series.forEach((s, i) => {
        if (!this.pinned.has(s.name) || this.pinSkips.has(s.name)) return;
        defs.push({ id: PIN + s.name, label: PIN + (s.labelA ?? s.label), color: PIN_COLORS[i % PIN_COLORS.length], dash: true, width: 1.25, axis: s.axis });
        this.routes.set(PIN + s.name, chart); // a run pinned while training keeps appending (pins.js)
      });
    }
    chart.setSeries(defs);
    if (this.pinned) for (const d of defs) if (d.id.startsWith(PIN)) chart.append(d.id, 0, this.pinned.get(d.id.slice(PIN.length)).values);
    this.charts.add(chart);
    if (fig) this._exportable(fig, title, [chart]);
    return chart;
  }

  // A captioned figure holding small multiples; returns the grid element.
  _multiples(title, gridClass, id) {
    const fig = figure(this.root, { title, t: this.t, id });
    const grid = el('div', { class: `multiples ${gridClass}` });
    fig.append(grid);
    return { fig, grid };
  }

  handle(event) {
    if (event.type === 'histogram') return this.hist?.[event.layer]?.set(event.hist.counts, event.hist);
    if (event.type !== 'series') return;
    const chart = this.routes.get(event.name);
    if (event.replace) chart?.set(event.name, Array.from(event.values, (y, i) => [i, y]));
    else chart?.append(event.name, event.x0, event.values);
  }

  destroy() {
    for (const c of this.charts) c.destroy();
    this.root.remove();
  }
}

// Histograms of every hidden layer as small multiples, one figure: built by
// the views that show activations, not a view of its own.
function histograms(view, { layers, lo = 0, hi = 1, belowLabel }) {
  const { t } = view;
  const title = t('chart.histograms');
  const { fig, grid } = view._multiples(title, 'hist', 'histograms');
  // A compact embed sets them three to a row (embed-size.js plans it so).
  grid.style.setProperty('--cols', String(Math.min(layers, 3)));
  const charts = [];
  for (let k = 0; k < layers; k++) {
    const chart = new HistogramChart(chartBox(grid), { t, title: t('chart.layer', { k: k + 1 }), lo, hi, color: COLORS[k % COLORS.length], belowLabel, theme: view.theme, counts: !view.compact });
    charts.push(chart);
    view.charts.add(chart);
  }
  view._exportable(fig, title, charts, Math.min(layers, 5));
  return charts;
}

// One training run: loss per iteration, train/test accuracy per epoch, and
// the activation histogram of every hidden layer (sandbox, overfit, weight-decay, dropout).
export class SingleRunView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    this.badges = badgeBox(this.root); // diverged / dead network, set by the page when the run ends
    // The book's loss with decay is cross-entropy + ½λ‖W‖², mostly the decay
    // term: the two are drawn apart. With weight decay or dropout the same net
    // without either (same seed) is drawn beside, dimmer and dashed. Beside a
    // pinned run A, one twin is drawn when A's and B's are the same net.
    const st = opts.settings;
    const S = opts.series;
    this.decayName = S.decay;
    const decay = st.weightDecay > 0;
    const twin = this.pinned ? pinnedBaseline(opts.pinnedSettings, st) : 'none';
    // B's twin, or A's alone when it is another net and B has none.
    const base = hasBaseline(st) || twin === 'own';
    const onlyA = !hasBaseline(st);
    const baseLabel = (what) => t('series.baseline', { what });
    const dim = (c) => `${c}99`; // the baseline's colour, 60 % opaque
    if (twin === 'shared' || twin === 'b') for (const n of [S.baselineLoss, S.baselineTrain, S.baselineTest]) this.pinSkips.add(n);
    // B's own curves when B is A's twin, else B's twin's: labelled as A's and B's.
    const own = (label) => (twin === 'b' ? { label: baseLabel(label), both: true, labelA: label } : { label });
    const twinOf = (label) => ({ label: baseLabel(label), both: twin === 'shared', onlyA });
    if (this.shows('loss')) {
      const lossLabel = decay ? t('series.ce') : t('axis.loss');
      const series = [{ name: S.loss, ...own(lossLabel), color: COLORS[0] }];
      if (decay) series.push({ name: S.decay, label: t('series.decayRight'), color: COLORS[3], axis: 'right' });
      if (base) series.push({ name: S.baselineLoss, ...twinOf(lossLabel), color: dim(COLORS[0]), dash: true });
      this.loss = this._lines(this.root, { id: 'loss', title: decay ? t('chart.lossCe') : t('chart.loss'), xLabel: t('axis.iteration'), yLabel: t('axis.loss'), yMin: 0, series });
      logToggle(this.loss, t);
    }
    if (this.shows('accuracy')) {
      const series = [{ name: S.train, ...own(t('series.train')), color: COLORS[0] }, { name: S.test, ...own(t('series.test')), color: COLORS[1] }];
      if (base) series.push({ name: S.baselineTrain, ...twinOf(t('series.train')), color: dim(COLORS[0]), dash: true }, { name: S.baselineTest, ...twinOf(t('series.test')), color: dim(COLORS[1]), dash: true });
      this.acc = this._lines(this.root, {
        id: 'accuracy', title: t('chart.accuracy'), xLabel: t('axis.epoch'), yLabel: t('axis.accuracy'), yMin: 0, yMax: 1, xMax: st.epochs - 1, series,
      });
    }
    const [lo, hi] = histRange(opts.settings.activation);
    // ReLU: the units at exactly 0 are counted apart (in the title), so the bars show the spread of the rest.
    const relu = opts.settings.activation === 'relu';
    if (this.shows('histograms')) this.hist = histograms(this, { layers: opts.settings.hidden.length, lo, hi, belowLabel: relu ? (share) => t('hist.zero', { share }) : undefined });
  }

  // λ switched on live: the ½λ‖W‖² term gets its line from its first nonzero point.
  handle(event) {
    const name = this.decayName;
    if (event.name === name && this.loss && !this.routes.has(name) && Array.prototype.some.call(event.values, (v) => v > 0)) {
      this.loss.addSeries({ id: name, label: this.t('series.decayRight'), color: COLORS[3], axis: 'right' });
      this.routes.set(name, this.loss);
    }
    super.handle(event);
  }

  // A live change took effect at this iteration / epoch: mark both curves.
  mark({ iteration, epoch, label }) {
    this.loss?.addMarker(iteration, label);
    this.acc?.addMarker(epoch, label);
  }
}

// The init experiment: three loss curves on one chart.
export class InitView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    this._lines(this.root, {
      id: 'loss', title: t('chart.loss'), xLabel: t('axis.iteration'), yLabel: t('axis.loss'), yMin: 0, xMax: opts.settings.iterations - 1,
      // The experiment names each net's series by its init, as the CLI does.
      series: opts.series.loss.map((name) => ({ name, label: name })),
    });
  }
}

// The book's 4x4 BatchNorm figure: per weight scale, training accuracy per
// epoch with (solid) and without (dashed) BatchNorm.
export class BatchNormView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    const { fig, grid } = this._multiples(t('chart.grid'), 'grid4', 'grid');
    this.epochs = opts.settings.epochs;
    // Series name -> its cell and kind (bn, plain).
    this.cellOf = new Map(opts.series.cells.flatMap((c, i) => Object.entries(c).map(([kind, name]) => [name, { kind, i }])));
    this.boxes = [];
    this.cells = opts.settings.scales.map((scale, i) => {
      const box = el('div', { class: 'cell', 'data-cell': String(i) });
      grid.append(box);
      this.boxes.push({ box, badges: badgeBox(box), marks: {} });
      return this._lines(box, {
        // x over all the epochs from the start, so a cell still training reads as partial.
        title: t('chart.scale', { scale: fmt(scale) }), yMin: 0, yMax: 1, xMax: this.epochs - 1, small: true,
        series: [{ name: opts.series.cells[i].bn, label: 'BatchNorm', color: COLORS[1] }, { name: opts.series.cells[i].plain, label: t('series.plain'), color: COLORS[0], dash: true }],
      });
    });
    this._exportable(fig, t('chart.grid'), this.cells, 4);
  }

  // A cell whose run has all its epochs (or diverged) is marked if it did not learn.
  handle(event) {
    super.handle(event);
    if (event.type === 'series') {
      const { kind, i } = this.cellOf.get(event.name) ?? {};
      const values = this.cells[i]?.points.get(event.name)?.map((p) => p.y) ?? [];
      if (values.length >= this.epochs && learned(values) === 'stuck') this._mark(Number(i), kind, 'badge.noLearn');
    }
    if (event.type === 'summary') {
      (event.summary.final ?? []).forEach((f, i) => {
        for (const kind of ['bn', 'plain']) if (f[`${kind}Diverged`]) this._mark(i, kind, 'badge.diverged.cell');
      });
    }
  }

  _mark(i, kind, key) {
    const b = this.boxes[i];
    b.marks[kind] = key;
    b.box.classList.add('stuck');
    b.box.dataset[kind] = key === 'badge.noLearn' ? 'stuck' : 'diverged';
    const label = (k) => `${k === 'bn' ? 'BN' : this.t('series.plainShort')}: ${this.t(b.marks[k])}`;
    b.badges.set(Object.keys(b.marks).map(label));
  }

  // How many cells have at least one point (the page exposes it; tests watch the grid fill).
  filled() { return this.cells.filter((c) => c.pointCount() > 0).length; }

  // Runs marked as not learning (or diverged), by kind: {bn, plain}.
  stuck() {
    const n = { bn: 0, plain: 0 };
    for (const b of this.boxes) for (const k of Object.keys(b.marks)) n[k]++;
    return n;
  }
}

// The search: scatter of lr x weight decay coloured by validation accuracy,
// the best trials (settings.best, the book's 20) as small multiples, and the ranked table.
export class SearchView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    // The scatter holds the trials the table ranks; it is drawn only when shown.
    const fig = figure(this.shows('scatter') ? this.root : el('div'), { title: t('chart.scatter'), t, id: 'scatter' });
    this.scatter = new ScatterChart(chartBox(fig), { t, title: t('chart.scatter'), xLabel: t('axis.lr'), yLabel: t('axis.wd'), theme: this.theme });
    this.charts.add(this.scatter);
    this._exportable(fig, t('chart.scatter'), [this.scatter]);
    this.range = el('p', { class: 'legend-note' }); // placed below, with the scatter if it shows

    if (this.shows('best')) {
      // The book's 20, or every trial when there are fewer (no cell that can never fill).
      const shown = Math.min(opts.settings.best, opts.settings.trials);
      const title = t('chart.best', { k: shown });
      const best = this._multiples(title, 'best', 'best');
      const cells = [];
      for (let k = 1; k <= shown; k++) {
        cells.push(this._lines(best.grid, {
          title: `#${k}`, yMin: 0, yMax: 1, small: true,
          series: [{ name: opts.series.best[k - 1].val, label: t('series.val'), color: COLORS[1] }, { name: opts.series.best[k - 1].train, label: t('series.train'), color: COLORS[0], dash: true }],
        }));
      }
      this._exportable(best.fig, title, cells, 5);
    }

    const { fig: tableFig, tbody } = tableFigure(t('chart.trials'), ['table.rank', 'table.lr', 'table.wd', 'table.val', 'table.train'].map((k) => t(k)), { scrolls: true });
    this.tbody = tbody;
    (this.shows('scatter') || !this.shows('table') ? fig : tableFig).append(this.range);
    if (this.shows('table')) this.root.append(tableFig);
  }

  handle(event) {
    if (event.type === 'trials') { this.scatter.append(event.trials); this._table(); }
    // The assembled result carries every trial exactly as the CLI reports it.
    if (event.type === 'summary' && event.summary.trials) {
      this.scatter.reset();
      this.scatter.append(event.summary.trials);
      this._table();
    }
    if (event.type === 'summary' && event.summary.goodRange) {
      const r = event.summary.goodRange;
      // No range when every trial diverged: say so, as the CLI does; the table stays.
      this.range.textContent = r.lr
        ? this.t('search.range', { lrLo: fmt(r.lr[0]), lrHi: fmt(r.lr[1]), wdLo: fmt(r.weightDecay[0]), wdHi: fmt(r.weightDecay[1]) })
        : this.t('search.none');
    }
    super.handle(event);
  }

  // Re-rank on every arrival: trials finish in any order, the table is best first.
  _table() {
    const ranked = [...this.scatter.trials].sort(compareTrials);
    this.tbody.replaceChildren(...ranked.map((tr, i) => {
      const row = el('tr');
      const cells = [String(i + 1), fmt(tr.lr), fmt(tr.weightDecay), tr.diverged ? this.t('diverged') : fmt(tr.valAcc), tr.diverged ? '—' : fmt(tr.trainAcc)];
      for (const c of cells) row.append(el('td', { text: c }));
      return row;
    }));
  }
}
