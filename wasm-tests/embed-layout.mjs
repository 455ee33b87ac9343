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
//     in "…" may), and nothing visible lies outside the embed's box.
// Boxes are compared with 1 px of slack (sub-pixel rounding).

// Runs in the page (page.evaluate): no closures over test code.
export function layoutProblems({ where, minChart, minCell, cellAspect }) {
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
  return [...new Set(problems)];
}
