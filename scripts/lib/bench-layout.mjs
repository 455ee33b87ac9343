// bench-layout.mjs: cumulative layout shift of examples/blog.html (for
// scripts/bench-page.mjs): a reader at 1280x900 scrolls through the post
// while its embeds mount and start plotting; every layout-shift entry not
// caused by input is summed, as the CLS metric does (no session windows).
import { launch, watch } from '../../wasm-tests/browser-harness.mjs';

// Each shift with what moved (the element, from where to where), so a
// figure above 0 says what to fix.
const OBSERVE = () => {
  window.__shifts = [];
  const name = (n) => {
    if (!n) return '?';
    if (n.nodeType !== 1) return `${n.nodeName} in ${name(n.parentElement ?? n.getRootNode()?.host)}`;
    const tag = n.tagName.toLowerCase();
    const attr = n.getAttribute('preset') ?? n.getAttribute('class') ?? n.id;
    return attr ? `${tag}[${String(attr).slice(0, 40)}]` : tag;
  };
  const rect = (r) => `${Math.round(r.y)}+${Math.round(r.height)}`;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__shifts.push({
        value: e.value,
        at: Math.round(e.startTime),
        sources: (e.sources ?? []).map((s) => `${name(s.node)} y ${rect(s.previousRect)} -> ${rect(s.currentRect)}`),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
};

// How many of the post's embeds have plotted a point (elements: their shadow
// root; the iframe: same origin here, so its document is readable).
const STARTED = () => {
  const roots = [...document.querySelectorAll('dlfs-playground')].map((e) => e.shadowRoot?.querySelector('.dlfs'));
  for (const f of document.querySelectorAll('iframe')) roots.push(f.contentDocument?.querySelector('.dlfs'));
  return { embeds: roots.length, started: roots.filter((r) => Number(r?.dataset.points) > 0).length };
};

export async function layoutShift(origin, { timeoutMs = 60000 } = {}) {
  const b = await launch({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await b.context.newPage();
    const seen = await watch(b.context, page, [origin]);
    await page.addInitScript(OBSERVE);
    await page.goto(`${origin}/examples/blog.html`);
    await page.waitForLoadState('load');
    // Scroll down a screenful at a time, lingering until the embeds in view start.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y <= height; y += 600) {
      await page.evaluate((top) => window.scrollTo({ top, behavior: 'instant' }), y);
      await page.waitForTimeout(400);
    }
    const end = Date.now() + timeoutMs;
    let s = await page.evaluate(STARTED);
    while (s.started < s.embeds && Date.now() < end) {
      for (const sel of ['dlfs-playground', 'iframe']) {
        const n = await page.locator(sel).count();
        for (let i = 0; i < n; i++) {
          await page.locator(sel).nth(i).scrollIntoViewIfNeeded();
          await page.waitForTimeout(300);
        }
      }
      s = await page.evaluate(STARTED);
    }
    const shifts = await page.evaluate(() => window.__shifts);
    if (seen.errors.length) throw new Error(`blog example: ${seen.errors.join('; ')}`);
    return { cls: shifts.reduce((a, e) => a + e.value, 0), entries: shifts.length, shifts, ...s };
  } finally {
    await b.close();
  }
}
