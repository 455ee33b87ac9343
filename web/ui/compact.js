// compact.js: the embeds' layout (custom element and iframe): charts first,
// one row of the essential controls, and the rest behind a small menu:
//   [title · status ........................ Play  More ▾]
//   [ chart | chart ]                 (the `charts=` choice)
//   [ control | control ]             (one row; scrolls sideways if it must)
// The menu holds the description, step and reset, the speed and data
// readouts, the other controls, the exports and Pin as A, and the link to
// the full playground. It opens over the charts, so opening it moves nothing.
// Its height is embed-size.js's plan, fixed before the charts draw.
import { el } from './dom.js';
import { BASE } from '../site/host.js';
import { COMPACT, NARROW_MEDIA, chartsFor, controlPlaces, planForState } from './embed-size.js';

// Build the compact DOM of Playground `pg` into pg.root, filling pg.ui as
// the page's layout does (play, status, notice, charts, controls, ...).
export function renderCompact(pg) {
  const { root, ui } = pg;
  const { t, state } = pg.app;
  ui.chartIds = chartsFor(state.preset, state.page.charts);
  for (const [key, px] of Object.entries(COMPACT)) root.style.setProperty(`--dlfs-${key}`, `${px}px`);
  const places = controlPlaces(state.preset, state.hide);

  const [play, step, reset] = pg._transport();
  ui.status = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  ui.notice = el('span', { class: 'notice', 'aria-live': 'polite' });
  const head = el('div', { class: 'embed-head' },
    el('h2', { text: t(`preset.${state.preset}`) }),
    el('div', { class: 'statusline' }, ui.status, ui.notice),
    play,
    menu(pg, { step, reset, more: places.menu }));

  ui.hashNotice = el('div', { class: 'notice warn', role: 'alert' });
  if (pg.app.problems.length) ui.hashNotice.textContent = t('hash.bad', { problems: pg.app.problems.join('; ') });
  ui.dataErrors = el('div', { class: 'notice error', role: 'alert' });
  ui.charts = el('div', { class: 'charts-area', role: 'group', 'aria-label': t(`preset.${state.preset}`) });
  root.append(head, ui.hashNotice, ui.dataErrors, ui.charts);
  if (places.row.length) {
    ui.controls = pg._controls(places.row);
    ui.controls.classList.add('ctl-row');
    ui.controls.setAttribute('role', 'group');
    ui.controls.setAttribute('aria-label', t('settings'));
    root.append(ui.controls);
  }
  watchScreen(pg);
  fitCompact(pg);
}

// The menu: a <details> whose panel opens over the charts. Escape and a
// click elsewhere close it.
function menu(pg, { step, reset, more }) {
  const { ui } = pg;
  const { t } = pg.app;
  const details = el('details', { class: 'menu' });
  const summary = el('summary', { class: 'btn', text: t('menu') });
  const panel = el('div', { class: 'menu-panel' });
  panel.append(el('p', { class: 'about', text: t(`about.${pg.app.state.preset}`) }));
  panel.append(el('div', { class: 'transport' }, step, reset), pg._readouts(), pg._dataBar());
  if (more.length) panel.append(el('h3', { text: t('settings') }), pg._controls(more));
  const { tools, note } = pg._tools();
  panel.append(tools);
  if (note) panel.append(note);
  ui.fullLink = el('a', { href: new URL(`index.html${pg.app.hash()}`, BASE).href, target: '_blank', rel: 'noopener', text: t('openFull') });
  panel.append(el('p', { class: 'full-link' }, ui.fullLink));
  details.append(summary, panel);
  details.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !details.open) return;
    details.open = false;
    summary.focus();
  });
  // A click outside the menu (in this playground or on the page around it) closes it.
  const outside = (e) => { if (details.open && !e.composedPath().includes(details)) details.open = false; };
  details.addEventListener('toggle', () => {
    if (details.open) document.addEventListener('click', outside, true);
    else document.removeEventListener('click', outside, true);
  });
  return details;
}

// Re-plan when the screen turns narrow or wide (a rotated phone, a resized window).
function watchScreen(pg) {
  if (pg.unwatchScreen || typeof matchMedia !== 'function') return;
  const query = matchMedia(NARROW_MEDIA);
  const refit = () => fitCompact(pg);
  query.addEventListener('change', refit);
  pg.unwatchScreen = () => query.removeEventListener('change', refit);
}

// Size the embed and lay its figures out as planned: the whole height, one
// grid row per planned row (heights in proportion, so notices that appear
// above the charts take their room from the charts, not from the page), and
// each figure put in its planned cell by name. Only figures are placed: the
// view's other children (the run's badges) lie over the grid (styles.css),
// never in a cell of their own, which would push the figures into rows the
// plan has no room for.
export function fitCompact(pg) {
  const plan = planForState(pg.app.state);
  pg.root.style.height = `${plan.height}px`;
  const grid = pg.view?.root;
  if (grid) {
    grid.style.gridTemplateColumns = plan.wide ? 'repeat(2, minmax(0, 1fr))' : 'minmax(0, 1fr)';
    grid.style.gridTemplateRows = plan.rows.map((r) => `minmax(0, ${r.px}fr)`).join(' ');
    const figures = [...grid.querySelectorAll(':scope > figure[data-chart]')];
    plan.rows.forEach((r, i) => r.ids.forEach((id, j) => {
      const k = figures.findIndex((f) => f.dataset.chart === id);
      // A planned figure the view did not draw is a bug in the plan (embed-size.js's BODY).
      if (k < 0) return console.error(`compact plan: no figure "${id}" for row ${i + 1}`);
      const [fig] = figures.splice(k, 1);
      fig.style.gridRow = String(i + 1);
      fig.style.gridColumn = r.ids.length === 1 ? '1 / -1' : String(j + 1);
    }));
    // ... and a drawn figure the plan has no room for, too.
    if (figures.length) console.error(`compact plan: no room for ${figures.map((f) => f.dataset.chart).join(', ')}`);
  }
  pg.onSize?.(plan.height);
}
