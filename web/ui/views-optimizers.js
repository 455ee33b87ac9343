// views-optimizers.js: the views of section 6.1's two experiments and the
// gradient check (see views.js for what a view is).
//   Optimizers2dView  figure 6-8: one subplot per optimizer, its path over the contours
//   OptimizersView    figure 6-9: four loss curves smoothed as smooth_curve, raw ones faint behind
//   GradcheckView     the per-tensor table and a log-scale bar chart, float64 and float32
import { View, figure, chartBox, tableFigure } from './views.js';
import { LineChart, COLORS } from './charts.js';
import { TrajectoryChart, LogBarChart } from './charts-2d.js';
import { fmt } from './format.js';
import { el } from './dom.js';
import { smoothCurve } from '../experiments/smooth-curve.js';

export class Optimizers2dView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    const { fig, grid } = this._multiples(t('chart.trajectories'), 'grid2', 'trajectories');
    this.paths = {};
    this.xy = {};
    // Series name -> [optimizer, 'x' | 'y'] (optimizers-2d.js names them).
    this.axisOf = new Map(Object.entries(opts.series.paths).flatMap(([name, p]) => [[p.x, [name, 'x']], [p.y, [name, 'y']]]));
    const charts = Object.keys(opts.series.paths).map((name, i) => {
      const chart = new TrajectoryChart(chartBox(grid), { t, title: name, color: COLORS[[1, 0, 2, 4][i]], theme: this.theme });
      this.paths[name] = chart;
      this.charts.add(chart);
      return chart;
    });
    this._exportable(fig, t('chart.trajectories'), charts, 2);
  }

  handle(event) {
    if (event.type !== 'series') return;
    const [name, axis] = this.axisOf.get(event.name) ?? [];
    if (!name) return;
    const xy = (this.xy[name] ??= { x: [], y: [] });
    xy[axis] = Array.from(event.values);
    this.paths[name].set(xy.x, xy.y);
  }
}

// Faint: the colour at about a third of its opacity (8-digit hex).
const faint = (c) => `${c}55`;

export class OptimizersView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    const fig = figure(this.root, { title: t('chart.optimizers'), t, id: 'loss' });
    this.chart = new LineChart(chartBox(fig), { t, title: t('chart.optimizers'), xLabel: t('axis.iteration'), yLabel: t('axis.loss'), yMin: 0, yMax: 1, xMax: opts.settings.iterations - 1, theme: this.theme });
    const defs = [];
    this.names = opts.series.loss;
    this.names.forEach((name, i) => {
      defs.push({ id: `${name}/raw`, label: `${name} (${t('series.raw')})`, color: faint(COLORS[i]), width: 1 });
      defs.push({ id: name, label: name, color: COLORS[i], width: 2 });
    });
    this.chart.setSeries(defs);
    // A compact embed's legend names the four smoothed curves only: eight
    // entries took three lines of a phone's chart (the raw ones are faint behind).
    if (this.compact) this.chart.chart.options.plugins.legend.labels.filter = (item) => !item.text.endsWith(`(${t('series.raw')})`);
    this.charts.add(this.chart);
    this._exportable(fig, t('chart.optimizers'), [this.chart]);
    this.raw = {};
  }

  handle(event) {
    if (event.type !== 'series' || !this.names.includes(event.name)) return;
    const raw = (this.raw[event.name] ??= []);
    if (event.replace || event.x0 === 0) raw.length = 0;
    for (const v of event.values) raw.push(v);
    this.chart.set(`${event.name}/raw`, raw.map((y, i) => [i, y]));
    // smooth_curve reflects the curve's ends, so the tail changes as points arrive: redo it all.
    this.chart.set(event.name, smoothCurve(raw).map((y, i) => [i, y]));
  }
}

// [header key, precision shown over it, class, cell]. `extra` columns and the
// note give way on a phone's compact embed (styles.css): there the note's
// mark follows the parameter's name, and the legend below explains it.
const COLUMNS = [
  ['table.tensor', null, '', (k) => k],
  ['table.entries', null, 'extra', (k, s) => String(s.float64[k].size)],
  ['table.meanAbs', 'float64', '', (k, s) => fmt(s.float64[k].meanAbsDiff)],
  ['table.rel', 'float64', '', (k, s) => relText(s.float64[k].relError)],
  ['table.rich', 'float64', 'extra', (k, s) => relText(s.float64[k].relErrorRichardson)],
  ['table.meanAbs', 'float32', '', (k, s) => fmt(s.float32[k].meanAbsDiff)],
  ['table.rel', 'float32', '', (k, s) => relText(s.float32[k].relError)],
];
const relText = (v) => (v === null || Number.isNaN(v) ? '—' : fmt(v));

export class GradcheckView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    const headers = [...COLUMNS.map(([k, over]) => (over ? [over, t(k)] : t(k))), t('table.note')];
    const { fig: tableFig, tbody } = tableFigure(t('chart.gradcheckTable'), headers, { className: 'gradcheck' });
    [...COLUMNS, [null, null, 'note']].forEach(([, , cls], i) => { if (cls) tableFig.querySelectorAll('th')[i].className = cls; });
    this.tbody = tbody;
    this.root.append(tableFig);
    this.note = el('p', { class: 'legend-note' });
    tableFig.append(this.note);
    this.barsFig = figure(this.root, { title: t('chart.gradcheckBars'), t, id: 'bars' });
    this.barsBox = this.barsFig;
  }

  handle(event) {
    if (event.type !== 'summary' || !event.summary.float64) return;
    const s = event.summary;
    const { t } = this;
    this.tbody.replaceChildren(...s.keys.map((k) => {
      const row = el('tr');
      const r = s.float64[k];
      const mark = r.zeroInTheory ? '*' : r.kinks ? '**' : '';
      for (const [, , cls, cell] of COLUMNS) row.append(el('td', cls ? { class: cls, text: cell(k, s) } : { text: cell(k, s) }));
      if (mark) row.firstChild.dataset.mark = mark; // shown where the note column is not (styles.css)
      row.append(el('td', { class: 'note', text: r.zeroInTheory ? t('gc.zero') : r.kinks ? t('gc.kinks', { n: r.kinks }) : '' }));
      return row;
    }));
    this.note.textContent = t('gc.note', { loss: fmt(s.loss.float64) });
    this.note.title = this.note.textContent; // a compact embed shows its first lines
    if (!this.bars) {
      this.bars = new LogBarChart(chartBox(this.barsBox), {
        t, title: t('chart.gradcheckBars'), yLabel: t('axis.meanAbs'), labels: s.keys,
        series: [{ id: 'float64', label: 'float64', color: COLORS[0] }, { id: 'float32', label: 'float32', color: COLORS[3] }],
        theme: this.theme,
      });
      this.charts.add(this.bars);
      this._exportable(this.barsFig, t('chart.gradcheckBars'), [this.bars]);
    }
    for (const p of ['float64', 'float32']) this.bars.set(p, s.keys.map((k) => s[p][k].meanAbsDiff));
  }
}
