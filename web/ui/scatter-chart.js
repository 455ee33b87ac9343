// scatter-chart.js: the search's trials on log-log axes (learning rate x
// weight decay), coloured by validation accuracy, one marker shape per round.
// Split from charts.js by job; it builds on the same ChartBase.
import { ChartBase, axisTitle, baseOptions } from './charts.js';
import { fmt } from './format.js';
import { INK } from './theme.js';

// Colour for a share v in [0, 1] of the way from the worst trial's accuracy
// to the best one's: pale grey-blue to deep green, so the good region stands
// out even when every trial is far from 100% (the table has the numbers).
// On a dark background the ramp runs the other way: dim to bright green.
export function rampColor(v, theme) {
  const x = Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0));
  const light = theme === 'dark' ? 30 + 40 * x : 78 - 50 * x;
  return `hsl(${(210 - 90 * x).toFixed(0)}, ${(30 + 50 * x).toFixed(0)}%, ${light.toFixed(0)}%)`;
}

// Log-axis ticks, written one way (1e-5, 2e-5, 0.01 never): the powers of
// ten, and on an axis narrower than about a decade also the 2s and 5s, so a
// narrowed search still has labels.
const logTicks = {
  callback(v) {
    const e = Math.floor(Math.log10(v) + 1e-9);
    const m = Math.round(v / 10 ** e);
    const narrow = Math.log10(this.max / this.min) < 1.3;
    if (Math.abs(v - m * 10 ** e) > 1e-9 * v) return '';
    return m === 1 || (narrow && (m === 2 || m === 5)) ? `${m}e${e}` : '';
  },
};

// How each search round is drawn: the outline colour and the marker.
const ROUND_STYLE = [{ color: '#1f77b4', style: 'circle' }, { color: '#ff7f0e', style: 'triangle' }, { color: '#9467bd', style: 'rect' }, { color: '#8c564b', style: 'rectRot' }];

// The search's scatter: learning rate × weight decay (both log), each point
// filled by its validation accuracy (relative to all trials shown) and
// outlined by its round (round 1, then the narrowed round 2, ...).
export class ScatterChart extends ChartBase {
  constructor(canvas, { t, title, xLabel, yLabel, theme = 'light' }) {
    const opts = baseOptions({
      ink: INK[theme],
      legend: false,
      x: { type: 'logarithmic', title: axisTitle(xLabel), ticks: logTicks },
      y: { type: 'logarithmic', title: axisTitle(yLabel), ticks: logTicks },
    });
    opts.plugins.decimation.enabled = false;
    // Trials come in any order: with parsing off Chart.js takes data as sorted
    // by x and reads the axis range off the first and last points.
    opts.normalized = false;
    opts.parsing = true;
    opts.interaction = { mode: 'nearest', intersect: true };
    opts.plugins.tooltip.callbacks = {
      title: () => '',
      label: (c) => {
        const tr = c.raw.trial;
        return t('tip.trial', { lr: fmt(tr.lr), wd: fmt(tr.weightDecay), acc: tr.diverged ? t('diverged') : fmt(tr.valAcc) });
      },
    };
    opts.elements.point = { radius: 4, borderWidth: 0 };
    super(canvas, { type: 'scatter', data: { datasets: [] }, options: opts }, (c) => c.summary(), t);
    this.title = title;
    this.theme = theme;
    this.trials = []; // this round's
    this.earlier = []; // earlier rounds', each trial with its .round
    this.round = 1;
  }

  // Trials of earlier rounds, shown with this round's (reset() keeps them).
  setEarlier(trials, round) {
    this.earlier = trials;
    this.round = round;
    this._rebuild();
  }

  reset() {
    this.trials = [];
    this._rebuild();
  }

  // trials: [{lr, weightDecay, valAcc}]; colours are relative to the trials so far.
  append(trials) {
    for (const tr of trials) this.trials.push({ ...tr, round: this.round });
    this._rebuild();
  }

  _rebuild() {
    const all = [...this.earlier, ...this.trials];
    const accs = all.map((tr) => tr.valAcc ?? 0);
    const lo = Math.min(...accs);
    const span = Math.max(...accs) - lo || 1;
    const rounds = [...new Set(all.map((tr) => tr.round))].sort((a, b) => a - b);
    this.chart.data.datasets = rounds.map((r) => {
      const own = all.filter((tr) => tr.round === r);
      const st = ROUND_STYLE[(r - 1) % ROUND_STYLE.length];
      return {
        label: this.t('search.round', { n: r }),
        data: own.map((tr) => ({ x: tr.lr, y: tr.weightDecay, trial: tr })),
        pointBackgroundColor: own.map((tr) => rampColor(((tr.valAcc ?? 0) - lo) / span, this.theme)),
        backgroundColor: st.color,
        pointBorderColor: rounds.length > 1 ? st.color : 'transparent',
        borderColor: st.color,
        pointBorderWidth: rounds.length > 1 ? 1.5 : 0,
        pointStyle: st.style,
        pointRadius: rounds.length > 1 ? 5 : 4,
      };
    });
    this.chart.options.plugins.legend.display = rounds.length > 1;
    this.changed();
  }

  summary() {
    const t = this.t;
    const all = [...this.earlier, ...this.trials];
    if (!all.length) return t('alt.empty', { chart: this.title });
    const best = all.reduce((a, b) => ((b.valAcc ?? -1) > (a.valAcc ?? -1) ? b : a));
    const rounds = new Set(all.map((tr) => tr.round)).size;
    return `${t('alt.scatter', { chart: this.title, n: all.length, best: fmt(best.valAcc), lr: fmt(best.lr), wd: fmt(best.weightDecay) })}${rounds > 1 ? ` ${t('alt.rounds', { rounds, n: this.trials.length })}` : ''}`;
  }
}
