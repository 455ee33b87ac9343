// Heavy embeds on one page, in headless Chromium: a blog post with two
// `optimizers` elements mounted at once (four optimizers each, every curve
// redrawn from its first point on every progress message). Both must plot
// their first points and keep training far past the point where the page
// froze before (charts.js set() emptied the data with length = 0, which
// Chart.js did not see, so each point it pushed after shifted every old
// element: O(n^2) a message; the page froze at ~1,500 points an element and
// headless Chromium closed it). Progress, not time: the test waits for
// points, so a slow machine makes it slower, never red.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, ARTIFACTS } from './browser-harness.mjs';

const { server, open, clean } = browserSuite();
const POINTS = 3000; // per element: twice where the page froze before the fix

const POST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Two heavy embeds</title>
<script type="module" src="/embed.js"></script></head>
<body><h1>Optimizers, twice</h1>
<dlfs-playground preset="optimizers"></dlfs-playground>
<dlfs-playground preset="optimizers" lr-adam="0.003"></dlfs-playground>
</body></html>`;

const pointsOf = (page) => page.evaluate(() => [...document.querySelectorAll('dlfs-playground')]
  .map((e) => Number(e.shadowRoot?.querySelector('.dlfs')?.dataset.points ?? 0)));

test('two optimizers embeds mounted at once both plot and keep training; the page stays alive', { timeout: 300000 }, async () => {
  const url = `${server.origin}/examples/two-heavy-embeds.html`;
  const { page, seen } = await open('about:blank', { viewport: { width: 760, height: 1800 } });
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  await page.route(url, (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: POST }));
  await page.goto(url);
  const first = { timeout: 120000, polling: 250 };
  await page.waitForFunction(() => {
    const els = [...document.querySelectorAll('dlfs-playground')];
    return els.length === 2 && els.every((e) => Number(e.shadowRoot?.querySelector('.dlfs')?.dataset.points) > 0);
  }, null, first);
  console.log(`# first points: ${(await pointsOf(page)).join(', ')}`);
  try {
    await page.waitForFunction((n) => [...document.querySelectorAll('dlfs-playground')]
      .every((e) => Number(e.shadowRoot.querySelector('.dlfs').dataset.points) >= n), POINTS, { timeout: 150000, polling: 500 });
  } catch (err) {
    const stuck = await Promise.race([pointsOf(page), new Promise((r) => setTimeout(() => r('no answer: the page is frozen'), 5000))]);
    throw new Error(`the embeds did not reach ${POINTS} points each (now: ${stuck}; crashed: ${crashed})`, { cause: err });
  }
  const later = await pointsOf(page);
  console.log(`# points drawn: ${later.join(', ')}`);
  assert.ok(!crashed, 'the page did not crash');
  // Both run on (the shared pool alternates them), and the page answers.
  for (const n of later) assert.ok(n >= POINTS);
  await page.screenshot({ path: join(ARTIFACTS, 'embed-two-optimizers.png') });
  clean(seen);
  await page.close();
});
