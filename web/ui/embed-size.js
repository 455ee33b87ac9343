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
import { EXPERIMENTS, EXPERIMENT_NAMES } from '../experiments/experiments.js';

// px: padding round the embed, gap between rows, the title row, the row of controls.
export const COMPACT = { pad: 8, gap: 8, head: 36, row: 64 };
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

// A figure's height in px; charts marked half may sit two to a row when wide.
const FIGURE = { loss: 220, accuracy: 220, scatter: 240, histograms: 160, grid: 380, best: 260, table: 180, trajectories: 400, bars: 220 };
const HALF = new Set(['loss', 'accuracy', 'scatter']);

// The controls in the row of a compact embed when the author hid none: the
// one or two the experiment is about (the others wait in the menu).
const ROW_CONTROLS = {
  sandbox: ['lr', 'optimizer'],
  activations: ['activation', 'init'],
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
// and the rows of charts, each one chart or two half ones side by side.
export function compactPlan({ preset, charts, hasRow, wide }) {
  const rows = [];
  for (const id of chartsFor(preset, charts)) {
    const last = rows[rows.length - 1];
    if (wide && HALF.has(id) && last?.ids.length === 1 && HALF.has(last.ids[0])) last.ids.push(id);
    else rows.push({ ids: [id], px: FIGURE[id] });
  }
  const { pad, gap, head, row } = COMPACT;
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
  // Presets of one view share their heights: one selector for them all
  // (no preset attribute means the sandbox).
  const byView = new Map();
  for (const preset of EXPERIMENT_NAMES) byView.set(EXPERIMENTS[preset].view, [...(byView.get(EXPERIMENTS[preset].view) ?? []), preset]);
  for (const [view, presets] of byView) {
    const any = [...presets.map((p) => `[preset="${p}"]`), ...(presets.includes('sandbox') ? [':not([preset])'] : [])];
    const presetSel = any.length > 1 ? `:is(${any.join(', ')})` : any[0];
    for (const charts of [null, ...choices(CHART_IDS[view])]) {
      const selector = `dlfs-playground:not(:defined)${presetSel}${charts ? `[charts="${charts.join(',')}"]` : ':not([charts])'}`;
      const h = (hasRow, wide) => compactPlan({ preset: presets[0], charts, hasRow, wide }).height;
      const key = [h(true, true), h(false, true), h(true, false), h(false, false)].join();
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
