// activations-view.js: the activations experiment as the book's figures
// 6-10 to 6-14: for each activation shown, one figure with a row per initial
// weight scale and a column per layer (4 x 5 = 20 histograms at once), each
// the book's plt.hist(a.flatten(), 30, range=...) with the share of values
// outside that range written under it.
import { View, figure, chartBox } from './views.js';
import { HistogramChart, COLORS } from './charts.js';
import { el } from './dom.js';
import { initLabel, histRangeOf } from '../experiments/presets.js';

const ACT_NAMES = { sigmoid: 'Sigmoid', relu: 'ReLU', tanh: 'tanh' };
const pct = (v) => `${(100 * v).toFixed(v > 0 && v < 0.001 ? 2 : 1)}%`;

export class ActivationsView extends View {
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    const s = opts.settings;
    this.hist = []; // job-major: activation x init x layer, as live.js numbers them
    this.notes = [];
    const narrow = typeof matchMedia === 'function' && matchMedia('(max-width: 480px)').matches;
    this.short = narrow && this.compact;
    for (const activation of s.activations) {
      const [lo, hi] = histRangeOf(s, activation);
      const title = t('acts.grid', { activation: ACT_NAMES[activation] ?? activation, range: `(${lo}, ${hi})` });
      const fig = figure(this.root, { title, t, id: 'histograms' });
      const grid = el('div', { class: 'acts-grid' });
      grid.style.setProperty('--cols', String(s.layers));
      grid.append(el('span'));
      for (let k = 0; k < s.layers; k++) grid.append(el('span', { class: 'col-head', text: t('chart.layer', { k: k + 1 }) }));
      const charts = [];
      s.inits.forEach((init, row) => {
        const name = initLabel(init);
        grid.append(el('span', { class: 'row-head', text: name }));
        for (let k = 0; k < s.layers; k++) {
          const cell = el('div', { class: 'cell' });
          grid.append(cell);
          const chart = new HistogramChart(chartBox(cell), {
            t, title: `${ACT_NAMES[activation] ?? activation}, ${name}, ${t('chart.layer', { k: k + 1 })}`, lo, hi, color: COLORS[row % COLORS.length], theme: this.theme, counts: !this.compact,
            clipFirst: activation === 'relu', // half of a ReLU layer is 0: its bar would flatten the rest
          });
          chart.chart.options.plugins.title.display = false; // the row and column heads say it
          if (narrow) chart.chart.options.scales.y.ticks.display = false; // no room for counts on a phone
          const note = el('div', { class: 'outside' });
          cell.append(note);
          this.hist.push(chart);
          this.notes.push(note);
          charts.push(chart);
          this.charts.add(chart);
        }
      });
      fig.append(grid);
      // Deep sigmoid layers look jagged, in NumPy too (the book's script gives
      // bars in steps of 1000): each unit's output hardly varies from one input
      // to the next, so all 1000 values of a unit land in one bin.
      if (activation === 'sigmoid' && s.layers > 2) fig.append(el('p', { class: 'legend-note', text: t('acts.jagged', { samples: s.samples }) }));
      this._exportable(fig, title, charts, s.layers);
    }
  }

  handle(event) {
    super.handle(event);
    if (event.type !== 'histogram') return;
    const h = event.hist;
    const total = h.counts.reduce((a, b) => a + b, 0) + h.below + h.above;
    const note = this.notes[event.layer];
    if (!note || !total) return;
    const chart = this.hist[event.layer];
    const share = pct((h.below + h.above) / total);
    note.textContent = this.t('acts.outside', { share }) + (chart?.clipped ? ` · ${this.t('acts.firstBin', { share: pct(h.counts[0] / total) })}` : '');
    // A compact embed on a phone has 50 px a cell: the share alone, the words in its title.
    note.title = note.textContent;
    if (this.short) note.textContent = share;
  }

  // Histograms drawn so far (the page exposes it; tests count them).
  filled() { return this.hist.filter((c) => c.stats).length; }
}
