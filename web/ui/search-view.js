// search-view.js: the search as the whole procedure the book teaches (6.5.3):
// search a wide range, narrow it to the best trials' range ("narrow to the
// best k"), search again inside it. views.js's SearchView draws one round;
// this adds the earlier rounds to its scatter (outlined by round), a colour
// legend for validation accuracy, a line per round with its range, and the
// narrowing action, which the page turns into a new round (app.js).
import { SearchView } from './views.js';
import { el } from './dom.js';
import { rampColor } from './scatter-chart.js';

const exp = (v) => String(v).replace('-', '−');

// The best k trials' range as exponents (rounded outwards to 0.05 of a
// decade), the book's step 4; null if fewer than two trials learned.
export function narrowedRange(trials, k) {
  const good = trials.filter((tr) => !tr.diverged && Number.isFinite(tr.valAcc)).sort((a, b) => b.valAcc - a.valAcc).slice(0, k);
  if (good.length < 2) return null;
  const span = (key) => {
    const logs = good.map((tr) => Math.log10(tr[key]));
    let lo = Math.floor(Math.min(...logs) * 20) / 20;
    let hi = Math.ceil(Math.max(...logs) * 20) / 20;
    if (hi - lo < 0.1) { lo -= 0.05; hi += 0.05; } // a range, not a point
    return [Number(lo.toFixed(2)), Number(hi.toFixed(2))];
  };
  return { lrRange: span('lr'), weightDecayRange: span('weightDecay'), from: good.length };
}

export class SearchRoundsView extends SearchView {
  // opts.rounds: earlier rounds [{settings, trials}]; opts.onNarrow(ranges).
  constructor(container, opts) {
    super(container, opts);
    const { t } = this;
    const s = opts.settings;
    this.settings = s;
    this.rounds = opts.rounds ?? [];
    this.roundNo = this.rounds.length + 1;
    // The axes span every round's search range, so a narrowed round shows as a smaller box inside the first.
    const all = [...this.rounds.map((r) => r.settings), s];
    const scales = this.scatter.chart.options.scales;
    scales.x.min = 10 ** Math.min(...all.map((r) => r.lrRange[0]));
    scales.x.max = 10 ** Math.max(...all.map((r) => r.lrRange[1]));
    scales.y.min = 10 ** Math.min(...all.map((r) => r.weightDecayRange[0]));
    scales.y.max = 10 ** Math.max(...all.map((r) => r.weightDecayRange[1]));
    this.scatter.setEarlier(this.rounds.flatMap((r, i) => r.trials.map((tr) => ({ ...tr, round: i + 1 }))), this.roundNo);

    const ramp = el('span', { class: 'ramp', role: 'img', 'aria-label': `${t('search.legend')}: ${t('search.legendLo')} → ${t('search.legendHi')}` });
    // The points' own colours in this theme (a dark page runs dim to bright, a light one pale to deep).
    ramp.style.backgroundImage = `linear-gradient(to right, ${[0, 0.5, 1].map((v) => rampColor(v, this.theme)).join(', ')})`;
    const legend = el('div', { class: 'ramp-legend' },
      el('span', { text: `${t('search.legend')}:` }), el('span', { text: t('search.legendLo') }), ramp, el('span', { text: t('search.legendHi') }));
    const lines = [...this.rounds.map((r) => r.settings), s].map((rs, i) => el('li', {
      text: t('search.rounds', { n: i + 1, lrLo: exp(rs.lrRange[0]), lrHi: exp(rs.lrRange[1]), wdLo: exp(rs.weightDecayRange[0]), wdHi: exp(rs.weightDecayRange[1]), trials: rs.trials }),
    }));
    this.narrow = el('button', { type: 'button', class: 'btn primary', 'data-action': 'narrow', disabled: '', text: t('search.narrow', { k: s.good }), title: t('search.narrowHelp') });
    this.narrow.addEventListener('click', () => {
      const r = narrowedRange(this.scatter.trials, s.good);
      if (r) opts.onNarrow?.({ lrRange: r.lrRange, weightDecayRange: r.weightDecayRange }, { settings: s, trials: this.scatter.trials });
    });
    const tools = el('div', { class: 'row narrow' }, this.narrow, el('span', { class: 'search-note', text: t('search.narrowHelp') }));
    // Right under the scatter, before the round's "best range" note.
    this.range.before(legend, el('ul', { class: 'search-note rounds' }, ...lines), tools);
  }

  handle(event) {
    super.handle(event);
    if (event.type === 'trials' || event.type === 'summary') {
      // Narrowing needs every trial of this round ranked.
      const ready = this.scatter.trials.length >= this.settings.trials && !!narrowedRange(this.scatter.trials, this.settings.good);
      this.narrow.disabled = !ready;
    }
  }

  // Trials drawn so far in this round and in all (the page exposes them; tests read them).
  searchState() {
    return { round: this.roundNo, trials: this.scatter.trials.length, all: this.scatter.earlier.length + this.scatter.trials.length };
  }
}

