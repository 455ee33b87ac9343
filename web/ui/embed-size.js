// embed-size.js: the compact layout of the embeds (custom element, iframe)
// as numbers, so that the space an embed takes is known before it mounts.
// The element reserves this height while it waits to come into view, the
// mounted playground has exactly this height (its charts share what is left
// after the title row and the row of controls), and the iframe posts it to
// its host: nothing on the blog moves when the playground arrives.
// These numbers are the layout's one source: the playground writes them as
// CSS custom properties (--dlfs-*) that styles.css sizes the rows with, and
// web/embed.css (written from reservationCss() by scripts/make-embed-css.mjs)
// reserves the same heights on the blog before any script has run.
// No DOM access here, so Node can test it.
import { EXPERIMENTS, EXPERIMENT_NAMES, defaultsFor } from '../experiments/experiments.js';
import { tensorCount } from '../experiments/gradient-check.js';

// px: padding round the embed, gap between rows, the title row, the row of
// controls (a label, a slider or a menu, and two lines of help: controls.js).
// On a phone (NARROW_MEDIA) the title row is two: the title and 44 px
// buttons a thumb can hit, then the status under them (a phone's column left
// the status a few px beside them); the row of controls has 44 px sliders.
export const COMPACT = { pad: 8, gap: 8, head: 36, row: 96, headNarrow: 64, rowNarrow: 112 };
// On a screen narrower than this, charts stack one per row. The screen's
// width, not the embed's: a stylesheet can know it before the embed exists.
export const NARROW_MEDIA = '(max-width: 519px)';
export const isWide = () => typeof matchMedia !== 'function' || !matchMedia(NARROW_MEDIA).matches;

// The charts each view can show (the `charts=` attribute / hash key picks
// some, in this order), and the ones a compact embed shows when not told.
export const CHART_IDS = {
  single: ['loss', 'accuracy', 'histograms'],
  init: ['loss'],
  activations: ['histograms'],
  batchnorm: ['grid'],
  search: ['scatter', 'best', 'table'],
  optimizers2d: ['trajectories'],
  optimizers: ['loss'],
  gradcheck: ['table', 'bars'],
};
const DEFAULT_CHARTS = { single: ['loss', 'accuracy'], search: ['scatter', 'table'] };
export const ALL_CHART_IDS = [...new Set(Object.values(CHART_IDS).flat())];

// What a figure needs, in px: its frame (1 px border and 4 + 6 px padding:
// styles.css) and caption row (a 24 px PNG button and 2 px below), then its
// body, which depends on the chart, the screen and sometimes the settings.
// A line chart gets 190 px: legend, axes and a plot a reader can follow.
const FRAME = 12;
const CAPTION = 28;
const LINE = 190;
// Small multiples (one chart per cell): `n` cells in `cols` columns of `cell`
// px rows with 6 px between them (styles.css's .multiples gap).
const cells = (n, cols, cell) => { const rows = Math.ceil(n / cols); return rows * cell + (rows - 1) * 6; };
const GC_HEAD = 3 * 15 + 5;
const GC_ROW = 20;
const GC_NOTE = 2 + 2 * 15;
// Per chart id: (wide, settings, view) -> the body's px. Cell heights keep
// each small chart readable: its title, ticks and curve.
const BODY = {
  loss: () => LINE,
  accuracy: () => LINE,
  bars: () => LINE,
  // The single run's activation histograms: three layers to a row, wide and
  // narrow alike (an iframe's height stays right on a phone: the blog
  // example's accuracy + histograms frame); the activations experiment's figure is the
  // book's grid, a head row and a row per initial weight scale, each cell a
  // histogram over its "outside the range" line (5 columns of 50 px on a phone).
  histograms: (wide, s, view) => (view === 'activations'
    ? 18 + 4 + cells(s.inits.length, 1, wide ? 96 : 84) + 18
    : cells(s.hidden.length, 3, 110)),
  // The book's 4 x 4 BatchNorm figure: 4 columns when wide, 2 on a phone.
  grid: (wide, s) => cells(s.scales.length, wide ? 4 : 2, wide ? 100 : 88),
  // The search's scatter with its colour legend, this round's range, the
  // "narrow" button and the good range under it.
  scatter: (wide) => (wide ? 300 : 330),
  best: (wide, s) => cells(s.best, wide ? 5 : 3, 72),
  // The search's ranked trials scroll (all of them, best first); the gradient
  // check's table shows every row: a header of up to three 15 px lines, a
  // 20 px row per parameter tensor (styles.css fixes both), and two lines of
  // its note; on a phone also a second line of its caption, which its table,
  // unlike a chart, cannot give up.
  table: (wide, s, view) => (view === 'gradcheck' ? GC_HEAD + GC_ROW * tensorCount(s) + GC_NOTE + (wide ? 0 : 16) : 170),
  // Figure 6-8's four optimizers, two by two.
  trajectories: (wide) => cells(4, 2, wide ? 170 : 150),
};
// Figures that may sit two to a row on a wide screen (the search's scatter beside its table).
const HALF = new Set(['loss', 'accuracy', 'scatter', 'table']);

// The controls in the row of a compact embed when the author hid none: the
// one or two the experiment is about (the others wait in the menu).
const ROW_CONTROLS = {
  sandbox: ['lr', 'optimizer'],
  activations: ['activationSet'],
  init: ['optimizer', 'lr'],
  batchnorm: ['lr', 'activation'],
  overfit: ['weightDecay', 'dropout'],
  'weight-decay': ['weightDecay'],
  dropout: ['dropout'],
  search: ['trials'],
  'optimizers-2d': ['lrSGD', 'lrAdam'],
  optimizers: ['lrSGD', 'lrAdam'],
  'gradient-check': ['batchNorm', 'dropout'],
};

// The charts a compact embed of `preset` shows: the chosen ones this view
// has (in the view's order), else its defaults.
export function chartsFor(preset, chosen) {
  const view = EXPERIMENTS[preset].view;
  const ids = CHART_IDS[view];
  const picked = ids.filter((id) => chosen?.includes(id));
  return picked.length ? picked : (DEFAULT_CHARTS[view] ?? ids);
}

// Which controls go in the row and which in the menu. Controls the author
// hid (state.hide) are in neither. With none hidden, the row holds the
// experiment's essentials and the menu the rest; once the author has chosen,
// the row holds exactly the chosen ones.
export function controlPlaces(preset, hide) {
  const shown = EXPERIMENTS[preset].controls.filter((k) => !hide.has(k));
  if (hide.size) return { row: shown, menu: [] };
  const row = shown.filter((k) => ROW_CONTROLS[preset].includes(k));
  return { row, menu: shown.filter((k) => !row.includes(k)) };
}

// The compact layout on a wide or a narrow screen:
//   {height, wide, rows: [{ids, px}]}: the whole height (padding included)
// and the rows of figures, each one figure or two half ones side by side.
// `settings` (the preset's defaults when not given) size the figures whose
// cells follow them (layers, weight scales, best trials), and the
// activations experiment has a figure per activation shown.
export function compactPlan({ preset, charts, hasRow, wide, settings = defaultsFor(preset) }) {
  const view = EXPERIMENTS[preset].view;
  const rows = [];
  const ids = chartsFor(preset, charts).flatMap((id) => (view === 'activations' ? settings.activations.map(() => id) : [id]));
  for (const id of ids) {
    const last = rows[rows.length - 1];
    const px = FRAME + CAPTION + BODY[id](wide, settings, view);
    if (wide && HALF.has(id) && last?.ids.length === 1 && HALF.has(last.ids[0])) {
      last.ids.push(id);
      last.px = Math.max(last.px, px);
    } else rows.push({ ids: [id], px });
  }
  const { pad, gap } = COMPACT;
  const [head, row] = wide ? [COMPACT.head, COMPACT.row] : [COMPACT.headNarrow, COMPACT.rowNarrow];
  const chartsPx = rows.reduce((sum, r) => sum + r.px, 0) + gap * (rows.length - 1);
  const height = 2 * pad + head + gap + chartsPx + (hasRow ? gap + row : 0);
  return { height, wide, rows };
}

// The same for a playground's state (as links.js reads it from a hash or attributes).
export function planForState(state, wide = isWide()) {
  return compactPlan({
    preset: state.preset,
    charts: state.page.charts,
    hasRow: controlPlaces(state.preset, state.hide).row.length > 0,
    wide,
    settings: state.settings,
  });
}

// Every non-empty choice of `ids`, in their order.
const choices = (ids) => Array.from({ length: 2 ** ids.length - 1 }, (_, m) => ids.filter((_, i) => ((m + 1) >> i) & 1));

// CSS that gives <dlfs-playground> its planned height until its script has
// defined it: per preset, per charts="..." (written in the view's order),
// with and without the row of controls (controls=""), wide and narrow. Each
// selector is written once: it sets four custom properties, and four rules
// pick the one that applies (where no selector matches, the property is
// unset and the height stays auto).
const RESERVE = { wide: '--dlfs-wide', wideBare: '--dlfs-wide-bare', narrow: '--dlfs-narrow', narrowBare: '--dlfs-narrow-bare' };
export function reservationCss() {
  const groups = new Map(); // the four heights -> selectors
  // Presets of one view with the same heights (their settings can differ:
  // the sandbox's two hidden layers, overfit's six) share one selector
  // (no preset attribute means the sandbox).
  const heights = (preset, charts) => {
    const h = (hasRow, wide) => compactPlan({ preset, charts, hasRow, wide }).height;
    return [h(true, true), h(false, true), h(true, false), h(false, false)].join();
  };
  const alike = new Map(); // view and heights -> presets
  for (const preset of EXPERIMENT_NAMES) {
    const view = EXPERIMENTS[preset].view;
    const key = `${view}:${[null, ...choices(CHART_IDS[view])].map((c) => heights(preset, c)).join(';')}`;
    alike.set(key, [...(alike.get(key) ?? []), preset]);
  }
  for (const presets of alike.values()) {
    const any = [...presets.map((p) => `[preset="${p}"]`), ...(presets.includes('sandbox') ? [':not([preset])'] : [])];
    const presetSel = any.length > 1 ? `:is(${any.join(', ')})` : any[0];
    for (const charts of [null, ...choices(CHART_IDS[EXPERIMENTS[presets[0]].view])]) {
      const selector = `dlfs-playground:not(:defined)${presetSel}${charts ? `[charts="${charts.join(',')}"]` : ':not([charts])'}`;
      const key = heights(presets[0], charts);
      groups.set(key, [...(groups.get(key) ?? []), selector]);
    }
  }
  const vars = (key) => {
    const [wide, wideBare, narrow, narrowBare] = key.split(',');
    return `${RESERVE.wide}: ${wide}px; ${RESERVE.wideBare}: ${wideBare}px; ${RESERVE.narrow}: ${narrow}px; ${RESERVE.narrowBare}: ${narrowBare}px;`;
  };
  const any = 'dlfs-playground:not(:defined)';
  return `/* embed.css: room for each <dlfs-playground> before its script arrives, so
   the blog does not move when it does. Optional; link it before the element:
     <link rel="stylesheet" href="https://HOST/embed.css">
   Written by scripts/make-embed-css.mjs from web/ui/embed-size.js: do not edit.
   Per preset and charts: the height with the row of controls and without it
   (controls=""), on a wide screen and on a narrow one. */
dlfs-playground { display: block; }
${[...groups].map(([key, sels]) => `${sels.join(',\n')} { ${vars(key)} }`).join('\n')}
${any} { height: var(${RESERVE.wide}); }
${any}[controls=""] { height: var(${RESERVE.wideBare}); }
@media ${NARROW_MEDIA} {
  ${any} { height: var(${RESERVE.narrow}); }
  ${any}[controls=""] { height: var(${RESERVE.narrowBare}); }
}
`;
}
