// blog-embeds.mjs: web/examples/blog.html's embeds as the browser tests and
// scripts/bench-page.mjs measure them: the height each reserves before it
// mounts and has once it plots, and the page's layout shift (CLS's sum:
// shifts right after user input do not count).
import { launch } from './browser-harness.mjs';

const WAIT = { timeout: 60000, polling: 100 };

// An init script: record layout shifts from the page's very start.
export const RECORD_SHIFTS = () => {
  window.shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.shifts.push({ value: e.value, sources: e.sources?.map((s) => s.node?.nodeName ?? '?') });
  }).observe({ type: 'layout-shift', buffered: true });
};

// Heights (CSS px, border included) of the custom elements and the iframe, in page order.
export const embedHeights = (page) => page.evaluate(() => [...document.querySelectorAll('dlfs-playground, iframe.playground')]
  .map((e) => Math.round(e.getBoundingClientRect().height * 10) / 10));

// Scroll to each embed in turn and wait until it plots (the iframe: also
// until embed-host.js has fitted it). Returns the iframe's Frame.
export async function visitEmbeds(page) {
  const n = await page.locator('dlfs-playground').count();
  for (let i = 0; i < n; i++) {
    await page.locator('dlfs-playground').nth(i).scrollIntoViewIfNeeded();
    await page.waitForFunction((k) => Number(document.querySelectorAll('dlfs-playground')[k].shadowRoot.querySelector('.dlfs')?.dataset.points) > 0, i, WAIT);
  }
  await page.locator('iframe.playground').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('iframe.playground').style.height !== '', null, WAIT);
  const frame = page.frames().find((f) => f.url().includes('/embed.html'));
  await frame.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, WAIT);
  return frame;
}

export async function layoutShift(page) {
  const shifts = await page.evaluate(() => window.shifts);
  return { cls: shifts.reduce((s, e) => s + e.value, 0), shifts };
}

// One cold visit of the blog example `width` px wide: {reserved, mounted, cls, shifts}.
export async function measureBlog(origin, { width = 760, height = 900 } = {}) {
  const b = await launch({ viewport: { width, height } });
  try {
    const page = await b.context.newPage();
    await page.addInitScript(RECORD_SHIFTS);
    await page.goto(`${origin}/examples/blog.html`);
    await page.waitForFunction(() => customElements.get('dlfs-playground'));
    const reserved = await embedHeights(page);
    await visitEmbeds(page);
    return { reserved, mounted: await embedHeights(page), ...(await layoutShift(page)) };
  } finally {
    await b.close();
  }
}
