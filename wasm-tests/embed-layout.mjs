// embed-layout.mjs: what browser-embed-layout.test.mjs asks of a compact
// embed once it has plotted, as one function that runs in the embed's own
// document (an iframe's) or on its shadow root (a custom element's):
// the list of what is wrong with its layout, [] when nothing is.
//   - every visible chart has room: its canvas at least `minChart` px tall
//     (a small multiple, a cell of a grid: at least `minCell` px and not much
//     flatter than `cellAspect`), and within its box;
//   - no two of the title row, the notices, the figures and the row of
//     controls overlap, nor do the parts of one figure or the cells of a grid;
//   - nothing is clipped: the embed, a figure or the row of controls hides no
//     content (a box that scrolls on purpose may; a one-line text that ends
//     in "…" may), and nothing visible lies outside the embed's box;
//   - nothing scrolls up and down inside the embed (a table whose rows must
//     all show, cut to its first two), except a list marked as one that
//     scrolls (data-scrolls: the search's ranked trials);
//   - the status line is readable: at least min(160 px, 45 % of the embed) wide;
//   - dark: every box that scrolls has dark scrollbars (its color-scheme is
//     dark and its scrollbar-color set), in an iframe the document's too;
//   - on a phone (`narrow`), the buttons, sliders and menus a thumb aims at
//     are at least 44 px tall (a checkbox: its label and box together);
//   - the menu, opened, lies inside the embed and does not scroll sideways.
// Boxes are compared with 1 px of slack (sub-pixel rounding).

// Runs in the page (page.evaluate): no closures over test code.
export function layoutProblems({ where, minChart, minCell, cellAspect, narrow }) {
  const root = where === 'element'
    ? document.querySelector('dlfs-playground')?.shadowRoot?.querySelector('.dlfs')
    : document.querySelector('.dlfs');
  if (!root) return ['no playground root'];
  const problems = [];
  const box = (e) => e.getBoundingClientRect();
  const shown = (e) => {
    if (!e.getClientRects().length) return false;
    const r = box(e);
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  };
  const label = (e) => {
    if (e.dataset?.chart) return `figure[${e.dataset.chart}]`;
    const cls = [...(e.classList ?? [])].join('.');
    return `${e.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${e.dataset?.key ? `[${e.dataset.key}]` : ''}`;
  };
  const px = (r) => `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}`;
  const overlaps = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const within = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const apart = (items, where) => {
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const [a, b] = [box(items[i]), box(items[j])];
        if (overlaps(a, b)) problems.push(`${where}: ${label(items[i])} (${px(a)}) overlaps ${label(items[j])} (${px(b)})`);
      }
    }
  };
  const rootBox = box(root);

  // The blocks of the embed: its title row, notices, figures and row of controls.
  const blocks = [];
  for (const c of root.children) {
    if (!shown(c)) continue;
    if (c.classList.contains('charts-area')) blocks.push(...[...c.querySelectorAll(':scope > .charts > figure')].filter(shown));
    else blocks.push(c);
  }
  apart(blocks, 'embed');
  // Inside each figure its caption, chart boxes, grids and notes; inside each grid its cells.
  for (const fig of root.querySelectorAll('figure')) {
    if (!shown(fig)) continue;
    const parts = [...fig.children].filter(shown);
    apart(parts, label(fig));
    for (const p of parts) if (!within(box(p), box(fig))) problems.push(`${label(fig)}: ${label(p)} (${px(box(p))}) sticks out of the figure (${px(box(fig))})`);
  }
  for (const grid of root.querySelectorAll('.multiples, .acts-grid')) {
    if (shown(grid)) apart([...grid.children].filter(shown), `${label(grid.closest('figure'))} grid`);
  }

  // Every chart has room.
  // (A chart squeezed to nothing in a figure that shows is the worst case.)
  for (const chartBox of root.querySelectorAll('figure .chart-box')) {
    if (!shown(chartBox.closest('figure'))) continue;
    const canvas = chartBox.querySelector('canvas');
    const c = canvas && box(canvas);
    const fig = label(chartBox.closest('figure'));
    if (!shown(chartBox) || !c || !c.width || !c.height) { problems.push(`${fig}: a chart box of no size (${px(box(chartBox))})`); continue; }
    const cell = chartBox.closest('.multiples, .acts-grid');
    if (!cell && c.height < minChart) problems.push(`${fig}: its chart is ${Math.round(c.height)} px tall (< ${minChart})`);
    if (cell && (c.height < minCell || c.height < c.width * cellAspect)) problems.push(`${fig}: a grid cell's chart is ${Math.round(c.width)}x${Math.round(c.height)} px (< ${minCell} px tall or flatter than ${cellAspect})`);
    if (!within(c, box(chartBox))) problems.push(`${fig}: a canvas (${px(c)}) outside its box (${px(box(chartBox))})`);
  }

  // Nothing clipped, nothing outside the embed or sticking out of its parent
  // (text cut short on purpose, ending in "…", is not clipped).
  // (What a box that scrolls on purpose holds may lie beyond it: the box itself may not.)
  const clips = (v) => v === 'hidden' || v === 'clip';
  const scrolls = (e) => /auto|scroll/.test(`${getComputedStyle(e).overflowX} ${getComputedStyle(e).overflowY}`);
  const scrollers = [...root.querySelectorAll('*')].filter(scrolls);
  for (const e of [root, ...root.querySelectorAll('*')]) {
    if (e.closest('details:not([open]) > :not(summary)') || e.closest('.sr-only') || !shown(e)) continue;
    if (scrollers.some((s) => s !== e && s.contains(e))) continue;
    const cs = getComputedStyle(e);
    const clamped = cs.getPropertyValue('-webkit-line-clamp') !== 'none' && cs.getPropertyValue('-webkit-line-clamp') !== '';
    if (clips(cs.overflowY) && e.scrollHeight > e.clientHeight + 1 && !clamped) problems.push(`${label(e)}: ${e.scrollHeight - e.clientHeight} px of its content clipped at the bottom`);
    if (clips(cs.overflowX) && e.scrollWidth > e.clientWidth + 1 && cs.textOverflow !== 'ellipsis') problems.push(`${label(e)}: ${e.scrollWidth - e.clientWidth} px of its content clipped at the side`);
    if (e === root) continue;
    if (!within(box(e), rootBox)) problems.push(`${label(e)} (${px(box(e))}) lies outside the embed (${px(rootBox)})`);
    const parent = e.parentElement;
    const cut = getComputedStyle(parent).textOverflow === 'ellipsis'; // a line cut short on purpose
    if (cs.position !== 'absolute' && !cut && shown(parent) && !within(box(e), box(parent))) problems.push(`${label(e)} (${px(box(e))}) sticks out of ${label(e.parentElement)} (${px(box(e.parentElement))})`);
  }
  // Nothing scrolls up and down but a list that says it does.
  for (const s of scrollers) {
    if (!shown(s) || s.closest('details:not([open]) > :not(summary)') || s.closest('[data-scrolls]')) continue;
    if (/auto|scroll/.test(getComputedStyle(s).overflowY) && s.scrollHeight > s.clientHeight + 1) {
      problems.push(`${label(s)} in ${label(s.closest('figure') ?? root)}: scrolls, showing ${s.clientHeight} of its ${s.scrollHeight} px`);
    }
  }

  // The status line has room to be read.
  const status = root.querySelector('.statusline');
  const need = Math.min(160, 0.45 * rootBox.width);
  if (!status || !shown(status) || box(status).width < need) problems.push(`the status line is ${status ? Math.round(box(status).width) : 0} px wide (< ${Math.round(need)})`);

  // Dark scrollbars in a dark embed.
  if (root.dataset.theme === 'dark') {
    const dark = (e) => /dark/.test(getComputedStyle(e).colorScheme) && getComputedStyle(e).scrollbarColor !== 'auto';
    for (const s of scrollers) if (!dark(s)) problems.push(`${label(s)}: light scrollbars in the dark theme (color-scheme ${getComputedStyle(s).colorScheme}, scrollbar-color ${getComputedStyle(s).scrollbarColor})`);
    if (where === 'frame' && !/dark/.test(getComputedStyle(document.documentElement).colorScheme)) problems.push(`the frame's document is not dark (color-scheme ${getComputedStyle(document.documentElement).colorScheme})`);
  }

  // Targets a thumb can hit on a phone.
  if (narrow) {
    const targets = root.querySelectorAll('.embed-head button, .embed-head summary, .ctl-row button, .ctl-row select, .ctl-row input');
    for (const e of targets) {
      if (!shown(e) || e.closest('details:not([open]) > :not(summary)')) continue;
      let r = box(e);
      if (e.type === 'checkbox' && e.labels?.[0]) {
        const l = box(e.labels[0]);
        r = { height: Math.max(r.bottom, l.bottom) - Math.min(r.top, l.top) };
      }
      if (r.height < 44 - 0.5) problems.push(`${label(e)}${e.id ? `#${e.id}` : ''}: a ${Math.round(r.height)} px tall target on a phone (< 44)`);
    }
  }
  // The menu, opened, lies inside the embed and does not scroll sideways
  // (its panel came out wider than planned, past a phone's left edge).
  const menu = root.querySelector('details.menu');
  if (menu) {
    menu.open = true;
    const panel = menu.querySelector('.menu-panel');
    if (!within(box(panel), rootBox)) problems.push(`the open menu (${px(box(panel))}) lies outside the embed (${px(rootBox)})`);
    if (panel.scrollWidth > panel.clientWidth + 1) problems.push(`the open menu scrolls sideways (${panel.scrollWidth} > ${panel.clientWidth} px)`);
    menu.open = false;
  }
  return [...new Set(problems)];
}
