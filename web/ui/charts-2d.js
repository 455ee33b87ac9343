// charts-2d.js: the chart components of section 6.1 and the gradient check,
// on charts.js's ChartBase (redraw scheduling, text alternatives):
//   TrajectoryChart  one optimizer's path over the contour lines of
//                    f(x, y) = x^2/20 + y^2 (figure 6-8's subplots)
//   LogBarChart      one bar per parameter tensor on a log scale, one colour per series
import { ChartBase, COLORS, baseOptions } from './charts.js';
import { INK, seriesColor } from './theme.js';
import { fmt } from './format.js';

// Contour levels of f: its level sets are ellipses x^2/(20c) + y^2/c = 1.
const LEVELS = [0.25, 0.5, 1, 2, 3, 4, 5, 6, 7];
const ellipse = (c, n = 96) => Array.from({ length: n + 1 }, (_, k) => {
  const a = (2 * Math.PI * k) / n;
  return { x: Math.sqrt(20 * c) * Math.cos(a), y: Math.sqrt(c) * Math.sin(a) };
});

export class TrajectoryChart extends ChartBase {
  constructor(canvas, { t, title, color = COLORS[1], theme = 'light' }) {
    const ink = INK[theme];
    const opts = baseOptions({
      title, legend: false, ink,
      x: { min: -10, max: 10, ticks: { maxTicksLimit: 5 } },
      y: { min: -10, max: 10, ticks: { maxTicksLimit: 5 } },
    });
    opts.plugins.decimation = { enabled: false };
    opts.plugins.title.font = { size: 12, weight: 'normal' };
    const contours = LEVELS.map((c) => ({ data: ellipse(c), showLine: true, borderColor: theme === 'dark' ? '#4a525c' : '#c8c8c8', borderWidth: 1, pointRadius: 0 }));
    const path = { data: [], showLine: true, borderColor: seriesColor(color, theme), backgroundColor: seriesColor(color, theme), borderWidth: 1.5, pointRadius: 2.5 };
    const minimum = { data: [{ x: 0, y: 0 }], pointStyle: 'cross', pointRadius: 6, borderColor: theme === 'dark' ? ink.title : '#333', borderWidth: 1.5 };
    super(canvas, { type: 'scatter', data: { datasets: [...contours, minimum, path] }, options: opts }, (c) => c.summary(), t);
    this.label = title;
    this.path = path.data;
  }

  // The positions before each update (the series <name>/x and <name>/y).
  set(xs, ys) {
    this.path.length = 0;
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) this.path.push({ x: xs[i], y: ys[i] });
    this.changed();
  }

  pointCount() { return this.path.length; }

  summary() {
    const p = this.path;
    if (!p.length) return this.t('alt.empty', { chart: this.label });
    const last = p[p.length - 1];
    return this.t('alt.trajectory', { chart: this.label, n: p.length, x0: fmt(p[0].x), y0: fmt(p[0].y), x: fmt(last.x), y: fmt(last.y) });
  }
}

export class LogBarChart extends ChartBase {
  // series: [{id, label, color}]; labels: the categories (W1, b1, ...).
  constructor(canvas, { t, title, yLabel, labels, series, theme = 'light' }) {
    const ink = INK[theme];
    const opts = baseOptions({ title: undefined, legend: true, ink });
    opts.parsing = true;
    opts.normalized = false;
    opts.plugins.decimation = { enabled: false };
    opts.scales = {
      x: { type: 'category', grid: { color: ink.grid }, ticks: { maxRotation: 90, autoSkip: false, color: ink.text } },
      // Powers of ten only, as 1e-8 (the default prints every digit of 0.00000001).
      y: { type: 'logarithmic', grid: { color: ink.grid }, title: { display: !!yLabel, text: yLabel, color: ink.text }, ticks: { color: ink.text, callback: (v) => (Number.isInteger(Math.log10(v)) ? `1e${Math.log10(v)}` : '') } },
    };
    const datasets = series.map((s, i) => ({ id: s.id, label: s.label, data: [], backgroundColor: seriesColor(s.color ?? COLORS[i % COLORS.length], theme) }));
    super(canvas, { type: 'bar', data: { labels, datasets }, options: opts }, (c) => c.summary(), t);
    this.label = title;
  }

  // values: one per category; 0 and non-finite values draw no bar (log scale).
  set(id, values) {
    const d = this.chart.data.datasets.find((x) => x.id === id);
    if (!d) return;
    d.data = values.map((v) => (Number.isFinite(v) && v > 0 ? v : null));
    this.changed();
  }

  pointCount() { return this.chart.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0); }

  summary() {
    const { labels, datasets } = this.chart.data;
    const parts = datasets.filter((d) => d.data.length).map((d) => `${d.label}: ${labels.map((l, i) => `${l} ${d.data[i] === null ? '0' : fmt(d.data[i])}`).join(', ')}`);
    return parts.length ? this.t('alt.line', { chart: this.label, series: parts.join('; ') }) : this.t('alt.empty', { chart: this.label });
  }
}
