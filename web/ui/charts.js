// charts.js: the playground's Chart.js components. Each one owns one canvas
// and has append() / set() (the scatter also reset()); none redraws on its own schedule.
// Training delivers points about every 50 ms to several charts at once, so
// appends only mark a chart dirty, and redraw.js's scheduler calls redraw()
// (one chart per task, paced). A redraw is update('none'), following
// Chart.js's performance advice: no animation, pre-parsed {x, y} data
// (parsing: false, normalized), min-max decimation for long curves, no
// points, fixed tick rotation.
import { cancelRedraw, observeChart, redrawn, scheduleRedraw, unobserveChart } from './redraw.js';
import { fmt } from './format.js';
import { COLORS, INK, seriesColor } from './theme.js';

export { COLORS };
export { onRedraw } from './redraw.js';

const ALT_MS = 500; // text alternatives: how often at most they are rewritten

// Chart.js, by far the most code the page runs, is its own module (its own
// chunk in the release): asked for once the page has painted after the first
// component was made, so that neither its download nor its evaluation stands
// between the page's text and the reader; until it is in, components wait as
// PendingCharts (below). A failed load is retried by the next redraw.
let Chart = null;
let loading = null;
const AFTER_PAINT_FALLBACK_MS = 300; // a hidden tab paints nothing: load anyway
function loadChartLib() {
  loading ??= new Promise((resolve) => {
    const go = () => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(go, AFTER_PAINT_FALLBACK_MS);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(go, 0));
  }).then(() => import('./chart-lib.js')).then((m) => { Chart = m.Chart; }, (err) => {
    loading = null;
    console.error('charts: Chart.js did not load', err);
  });
  return loading;
}

// Tick labels as Chart.js's own numeric and logarithmic formatters write them
// in English ("0.5", "1,000", "2.5E-5"), without Intl.NumberFormat: Chart.js
// builds one per label precision, and the first one on a page costs tens of
// milliseconds (locale data) inside the first chart's first draw.
export function tickLabel(value, index, ticks) {
  if (value === 0) return '0';
  if (this?.type === 'logarithmic') {
    const remain = ticks[index].significand || value / 10 ** Math.floor(Math.log10(value));
    if (![1, 2, 3, 5, 10, 15].includes(remain) && !(index > 0.8 * ticks.length)) return '';
  }
  let delta = value;
  let scientific = false;
  if (ticks.length > 1) {
    const maxTick = Math.max(Math.abs(ticks[0].value), Math.abs(ticks[ticks.length - 1].value));
    scientific = maxTick < 1e-4 || maxTick > 1e15;
    delta = ticks.length > 3 ? ticks[2].value - ticks[1].value : ticks[1].value - ticks[0].value;
    if (Math.abs(delta) >= 1 && value !== Math.floor(value)) delta = value - Math.floor(value);
  }
  const log = Math.log10(Math.abs(delta));
  const decimals = Number.isNaN(log) ? 1 : Math.max(Math.min(-Math.floor(log), 20), 0);
  if (scientific) return value.toExponential(decimals).replace('e+', 'E').replace('e', 'E');
  const [whole, frac] = Math.abs(value).toFixed(decimals).split('.');
  const sign = value < 0 && /[1-9]/.test(whole + (frac ?? '')) ? '-' : '';
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

// ink: theme.js's INK[theme], the colours of text and grid on the theme's background.
export function baseOptions({ x = {}, y = {}, legend = true, title, ink = INK.light }) {
  const axis = (a) => ({
    grid: { color: ink.grid, ...(a.grid ?? {}) },
    border: { color: ink.grid },
    title: { color: ink.text, ...(a.title ?? {}) },
  });
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: true,
    // Hover and touch only: a tooltip with the values under the pointer
    // (Chart.js does no event work while nobody points at a chart).
    events: ['mousemove', 'mouseout', 'touchstart', 'touchmove'],
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      decimation: { enabled: true, algorithm: 'min-max' },
      legend: { display: legend, labels: { boxWidth: 12, boxHeight: 2, color: ink.text } },
      title: { display: !!title, text: title, color: ink.title },
      tooltip: { enabled: true, animation: false, callbacks: { label: (c) => `${c.dataset.label ?? ''} ${fmt(c.parsed.y)}`.trim(), title: (items) => (items.length ? fmt(items[0].parsed.x) : '') } },
    },
    elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
    scales: {
      x: { type: 'linear', ...x, ...axis(x), ticks: { maxRotation: 0, minRotation: 0, autoSkipPadding: 8, color: ink.text, callback: tickLabel, ...(x.ticks ?? {}) } },
      y: { type: 'linear', ...y, ...axis(y), ticks: { maxRotation: 0, minRotation: 0, color: ink.text, callback: tickLabel, ...(y.ticks ?? {}) } },
    },
  };
}

export const axisTitle = (text) => (text ? { display: true, text } : { display: false });

// Vertical dashed lines with a label where a setting changed live (chart.$markers).
const markerPlugin = {
  id: 'dlfsMarkers',
  afterDatasetsDraw(chart) {
    const marks = chart.$markers;
    if (!marks?.length) return;
    const { ctx, chartArea: a, scales: { x } } = chart;
    ctx.save();
    ctx.strokeStyle = '#6e7781';
    ctx.fillStyle = '#57606a';
    ctx.setLineDash([3, 3]);
    ctx.font = '11px system-ui, sans-serif';
    marks.forEach((m, i) => {
      const px = x.getPixelForValue(m.x);
      if (px < a.left || px > a.right) return;
      ctx.beginPath();
      ctx.moveTo(px, a.top);
      ctx.lineTo(px, a.bottom);
      ctx.stroke();
      ctx.fillText(m.label, Math.min(px + 3, a.right - ctx.measureText(m.label).width), a.top + 11 + 12 * (i % 3));
    });
    ctx.restore();
  },
};

// Until its first redraw a component holds this stand-in for its Chart: the
// same data and options objects the Chart will be made from, so a component
// (or a view) may set series and options before; making a Chart lays out and
// draws it, and a view of many charts would otherwise do all that in one
// task. redraw.js makes them one per task, those with points first.
class PendingChart {
  constructor(config) {
    this.config = config;
    this.data = config.data;
    this.options = config.options;
  }

  destroy() {}
}

const PENDING_STYLE = { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%' };

// Shared by every component: owns the Chart, its canvas's text alternative,
// and the redraw scheduling.
export class ChartBase {
  constructor(canvas, config, describe, t) {
    this.canvas = canvas;
    this.describe = describe;
    this.t = t; // the translator of the playground that owns this chart (several may differ in language)
    this.drawnPoints = 0; // points on screen as of the last redraw
    this.lastDraw = -Infinity;
    this.chart = new PendingChart(config);
    // Until then the blank canvas fills its box without sizing it: its
    // default 300x150 would widen a narrow grid cell or a flex box.
    Object.assign(canvas.style, PENDING_STYLE);
    observeChart(this);
    loadChartLib();
    this.changed(); // made and drawn (and its text alternative written) by the scheduler
  }

  // The text alternative summarises every point, so it is rewritten at most
  // once per ALT_MS (plus once after the last change), not on every redraw.
  // The canvas is an image (role img) from its first drawing and its first
  // text alternative on: an image without one would be an error for a
  // screen reader (and axe), and until then there is nothing to see.
  _alt() {
    if (this._altTimer) return;
    const wait = ALT_MS - (performance.now() - (this._altAt ?? -Infinity));
    this._altTimer = setTimeout(() => {
      this._altTimer = null;
      this._altAt = performance.now();
      if (!this.chart) return;
      this.canvas.setAttribute('aria-label', this.describe(this));
      this.canvas.setAttribute('role', 'img');
    }, Math.max(0, wait));
  }

  changed() { scheduleRedraw(this); }

  redraw() {
    if (!this.chart) return;
    if (!Chart && this.chart instanceof PendingChart) {
      loadChartLib().then(() => { if (Chart) this.changed(); });
      return;
    }
    this.lastDraw = performance.now();
    if (this.chart instanceof PendingChart) {
      const { config, $markers } = this.chart;
      for (const k of Object.keys(PENDING_STYLE)) this.canvas.style[k] = '';
      this.chart = new Chart(this.canvas, config); // lays out and draws (when the canvas is in a document)
      this.chart.$markers = $markers;
      if (!this.chart.attached) this.chart.update('none');
    } else this.chart.update('none');
    this.drawnPoints = this.pointCount();
    this._alt();
  }

  // Redraw now if points are waiting (before the canvas is read, e.g. for a PNG).
  flush() {
    if (!cancelRedraw(this)) return;
    this.redraw();
    redrawn();
  }

  pointCount() {
    return this.chart.data.datasets.reduce((n, d) => n + d.data.length, 0);
  }

  destroy() {
    cancelRedraw(this);
    unobserveChart(this);
    clearTimeout(this._altTimer);
    this.chart?.destroy();
    this.chart = null;
  }
}

// Lines over a linear x axis: loss per iteration, accuracy per epoch, the
// small multiples. Series are {id, label, color, dash}; data is kept in our
// own arrays that Chart.js reads directly (decimation never copies them back).
export class LineChart extends ChartBase {
  constructor(canvas, { t, title, xLabel, yLabel, yMin, yMax, xMax, small = false, theme = 'light' }) {
    const opts = baseOptions({
      ink: INK[theme],
      title: small ? title : undefined,
      legend: !small,
      // x from 0 (iterations and epochs count from 0), so an empty chart is not drawn over -1..1.
      x: { min: 0, suggestedMax: xMax, title: axisTitle(small ? '' : xLabel), ticks: { display: !small, maxTicksLimit: 6 } },
      y: { title: axisTitle(small ? '' : yLabel), min: yMin, max: yMax, ticks: { maxTicksLimit: small ? 3 : 6 } },
    });
    if (small) opts.plugins.title.font = { size: 11, weight: 'normal' };
    super(canvas, { type: 'line', data: { datasets: [] }, options: opts, plugins: [markerPlugin] }, (c) => c.summary(), t);
    this.label = title;
    this.theme = theme;
    this.points = new Map();
    this.chart.$markers = [];
  }

  // Mark x (a live change took effect there) with a labelled vertical line.
  addMarker(x, label) {
    this.chart.$markers.push({ x, label });
    this.changed();
  }

  // A loss that explodes (1e10) flattens everything else on a linear axis.
  setLogScale(on) {
    const y = this.chart.options.scales.y;
    if (on) { this.linearMin ??= y.min; y.type = 'logarithmic'; y.min = undefined; } else { y.type = 'linear'; y.min = this.linearMin; }
    this.changed();
  }

  // Replace the series (and drop all data).
  setSeries(defs) {
    this.points.clear();
    this.chart.data.datasets = defs.map((d, i) => this._dataset(d, i));
    this.changed();
  }

  // One more series (one that turned out to be needed while the run goes on).
  addSeries(def) {
    this.chart.data.datasets.push(this._dataset(def, this.chart.data.datasets.length));
    this.changed();
  }

  // A def with axis: 'right' is drawn against its own y axis on the right
  // (a term ten times the others' size, e.g. ½λ‖W‖² beside the cross-entropy).
  _dataset(d, i) {
    if (d.axis === 'right' && !this.chart.options.scales.right) {
      const y = this.chart.options.scales.y;
      this.chart.options.scales.right = { type: 'linear', position: 'right', min: 0, grid: { display: false }, border: y.border, ticks: { ...y.ticks, color: seriesColor(d.color ?? COLORS[i % COLORS.length], this.theme) } };
    }
    const data = [];
    this.points.set(d.id, data);
    const color = seriesColor(d.color ?? COLORS[i % COLORS.length], this.theme);
    return {
      id: d.id, label: d.label, data,
      borderColor: color,
      backgroundColor: color,
      borderDash: d.dash ? [5, 4] : undefined,
      borderWidth: d.width ?? (d.dash ? 1.25 : 1.5),
      indexAxis: 'x',
      ...(d.axis === 'right' && { yAxisID: 'right' }),
    };
  }

  // Append values at x = x0, x0 + 1, ... to series `id`.
  append(id, x0, values) {
    const data = this.points.get(id);
    if (!data) return;
    for (let i = 0; i < values.length; i++) data.push({ x: x0 + i, y: values[i] });
    this.changed();
  }

  // Replace series `id`'s data with [[x, y], ...]: a new array for the
  // dataset, which Chart.js takes up at its next update (it resyncs its
  // elements once). Emptying the old array with length = 0 and pushing went
  // unnoticed by Chart.js, which listens to push on a drawn chart's arrays:
  // it kept every old element and each push shifted all of them, O(n) a point
  // and O(n^2) a set; the optimizers view, which sets its curves on every
  // progress message, froze the page after ~10 s (two such embeds: the
  // browser closed it). (Splicing and pushing into the old array instead
  // broke the weight-decay test: Chart.js's push listener counts from the
  // data it shows, which decimation may have swapped for its own.)
  set(id, points) {
    if (!this.points.has(id)) return;
    const data = points.map(([x, y]) => ({ x, y }));
    this.points.set(id, data);
    const dataset = this.chart.data.datasets.find((d) => d.id === id);
    if (dataset) dataset.data = data;
    this.changed();
  }

  pointCount() {
    let n = 0;
    for (const d of this.points.values()) n += d.length;
    return n;
  }

  summary() {
    const t = this.t;
    const parts = [];
    for (const d of this.chart.data.datasets) {
      const pts = this.points.get(d.id);
      if (!pts?.length) continue;
      // Over finite points only: a diverged run's NaN would leave "min ∞, max −∞".
      let min = NaN;
      let max = NaN;
      for (const p of pts) {
        if (!Number.isFinite(p.y)) continue;
        if (!(p.y >= min)) min = p.y;
        if (!(p.y <= max)) max = p.y;
      }
      parts.push(t('alt.series', { name: d.label, n: pts.length, last: fmt(pts[pts.length - 1].y), min: fmt(min), max: fmt(max) }));
    }
    return parts.length ? t('alt.line', { chart: this.label, series: parts.join('; ') }) : t('alt.empty', { chart: this.label });
  }
}

// One layer's activation histogram: bin counts over [lo, hi), as the book's
// plt.hist(a.flatten(), 30, range=(0, 1)).
export class HistogramChart extends ChartBase {
  // belowLabel(share): a title suffix for the share below lo (a ReLU layer's zeros).
  // counts: label the y axis with bin counts (small embeds leave them out: the shape tells).
  // clipFirst: scale the y axis to the other bins when the first towers over them
  // (ReLU's zeros over the book's (0, 1): the book's script has plt.ylim for it).
  constructor(canvas, { t, title, lo = 0, hi = 1, color = COLORS[0], belowLabel, theme = 'light', counts = true, clipFirst = false }) {
    const opts = baseOptions({
      ink: INK[theme],
      legend: false,
      title,
      x: { min: lo > 0 && lo < hi * 1e-3 ? 0 : lo, max: hi, offset: false, grid: { display: false }, ticks: { maxTicksLimit: 3 } }, // from 0: see set()
      // No horizontal grid: with one, Chart.js resolves the grid's options
      // once per bar that starts on it (every bar: they start at 0), which
      // made a histogram's redraw several times a line chart's.
      y: { beginAtZero: true, grid: { display: false }, ticks: { maxTicksLimit: 3, display: counts } },
    });
    opts.plugins.title.font = { size: 11, weight: 'normal' };
    opts.plugins.decimation.enabled = false;
    super(canvas, {
      type: 'bar',
      data: { datasets: [{ data: [], backgroundColor: seriesColor(color, theme), barPercentage: 1, categoryPercentage: 1, grouped: false }] },
      options: opts,
    }, (c) => c.summary(), t);
    this.title = title;
    this.lo = lo;
    this.hi = hi;
    this.stats = null;
    this.belowLabel = belowLabel;
    this.clipFirst = clipFirst;
  }

  // counts[bins]; stats {below, above, mean, std} as the engine reports them.
  // stats.lo / stats.hi, when given, move the x axis (a training ReLU net's ranges follow its spread).
  set(counts, stats) {
    if (Number.isFinite(stats?.lo) && Number.isFinite(stats?.hi) && (stats.lo !== this.lo || stats.hi !== this.hi)) {
      this.lo = stats.lo;
      this.hi = stats.hi;
      // A range from just above 0 (ReLU's zeros counted apart) is drawn from 0.
      Object.assign(this.chart.options.scales.x, { min: this.lo < this.hi * 1e-3 ? 0 : this.lo, max: this.hi });
    }
    const w = (this.hi - this.lo) / counts.length;
    this.chart.data.datasets[0].data = Array.from(counts, (c, i) => ({ x: this.lo + (i + 0.5) * w, y: c }));
    if (this.clipFirst) {
      const rest = Math.max(0, ...Array.prototype.slice.call(counts, 1));
      this.clipped = rest > 0 && counts[0] > 2 * rest;
      const step = 10 ** Math.floor(Math.log10(1.25 * rest)) / 2; // a round top: 1,500 rather than 1,698
      this.chart.options.scales.y.max = this.clipped ? Math.ceil((1.25 * rest) / step) * step : undefined;
    }
    this.stats = { ...stats, total: counts.reduce((a, b) => a + b, 0) + (stats?.below ?? 0) + (stats?.above ?? 0) };
    if (this.belowLabel && this.stats.total) this.chart.options.plugins.title.text = `${this.title} · ${this.belowLabel(`${Math.round((100 * (stats.below ?? 0)) / this.stats.total)}%`)}`;
    this.changed();
  }

  summary() {
    const t = this.t;
    if (!this.stats) return t('alt.empty', { chart: this.title });
    const { mean, std, below = 0, above = 0, total } = this.stats;
    return t('alt.layer', { chart: this.title, mean: fmt(mean), std: fmt(std), outside: fmt(total ? (100 * (below + above)) / total : 0) });
  }
}

