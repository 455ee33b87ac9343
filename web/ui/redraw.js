// redraw.js: when the charts (charts.js's ChartBase: redraw(), pointCount(),
// drawnPoints, lastDraw, visible) redraw. Training delivers points about
// every 50 ms to several charts at once; the page must stay responsive and
// the first point must show at once:
//   - one chart per task: a task that redraws several charts blocks input
//     for their sum (Lighthouse's total blocking time counts every task over
//     50 ms, after slowing the CPU 4x);
//   - a chart whose first points are waiting goes first, at once; after that
//     each chart redraws at most every REDRAW_MS while points stream in;
//   - a chart out of view redraws at most every HIDDEN_MS (a phone shows one
//     chart at a time), and at once when it scrolls into view; one that has
//     never been drawn is made (its Chart.js construction, the costliest
//     draw) HIDDEN_MS after it was asked for, so the charts in view and the
//     first point have the page to themselves while it loads.
const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
// With reduced motion the charts still update, but at a calm pace.
const REDRAW_MS = reducedMotion ? 500 : 200;
const HIDDEN_MS = 2000;

const dirty = new Set();
const redrawListeners = new Set();
let timer = 0; // a setTimeout for the next due chart
let queued = false; // a task is posted to redraw the next due chart
const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;

// When chart `c` may redraw next (ms, performance.now(); negative: at once, lowest first).
function dueAt(c) {
  if (c.lastDraw === -Infinity && !c.visible) return c.askedAt + HIDDEN_MS; // never drawn, out of view
  if (!c.drawnPoints && c.pointCount() > 0) return -2; // its first points: before all else
  if (c.lastDraw === -Infinity) return -1; // never drawn (its axes): next
  return c.lastDraw + (c.visible ? REDRAW_MS : HIDDEN_MS);
}

// Redraw the most urgent due chart, then schedule the next: one chart per task.
function step() {
  queued = false;
  const now = performance.now();
  let next = null;
  for (const c of dirty) if (!next || dueAt(c) < dueAt(next)) next = c;
  if (!next) return;
  if (dueAt(next) <= now) {
    dirty.delete(next);
    next.redraw();
    redrawn();
  }
  schedule();
}

// A step in a task of its own, at once (a message: a 0 ms timeout may wait 4 ms).
function post() {
  if (queued) return;
  queued = true;
  clearTimeout(timer);
  if (channel) channel.port2.postMessage(0); else timer = setTimeout(step, 0);
}
if (channel) channel.port1.onmessage = step;
// Under Node (the tests import the chart components) an idle port must not keep the process alive.
channel?.port1.unref?.();

// After a step: a step at once if a chart is due, else a timer for the first that will be.
function schedule() {
  if (queued || !dirty.size) return;
  const now = performance.now();
  let due = Infinity;
  for (const c of dirty) due = Math.min(due, dueAt(c));
  clearTimeout(timer);
  if (due <= now) post();
  else timer = setTimeout(post, due - now);
}

// Called after each redraw (the app counts what is on screen).
export function onRedraw(listener) {
  redrawListeners.add(listener);
  return () => redrawListeners.delete(listener);
}

export function redrawn() {
  for (const l of redrawListeners) l();
}

// Chart `c` has new points or settings: redraw it when due (decided in a
// step of its own: `c` may still be under construction here).
export function scheduleRedraw(c) {
  c.askedAt ??= performance.now();
  if (dirty.has(c)) return;
  dirty.add(c);
  post();
}

// Forget a pending redraw of `c`; returns whether one was pending.
export function cancelRedraw(c) { return dirty.delete(c); }

// Which charts are in view (c.visible).
const byCanvas = new WeakMap();
const views = typeof IntersectionObserver === 'function' ? new IntersectionObserver((entries) => {
  for (const e of entries) {
    const c = byCanvas.get(e.target);
    if (!c) continue;
    c.visible = e.isIntersecting;
    if (c.visible && dirty.has(c)) post();
  }
}) : null;

export function observeChart(c) {
  c.visible = !views; // until the observer's first report (within a frame): out of view
  c.askedAt = performance.now();
  byCanvas.set(c.canvas, c);
  views?.observe(c.canvas);
}

export function unobserveChart(c) { views?.unobserve(c.canvas); }

