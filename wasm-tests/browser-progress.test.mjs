// The runs of one comparison progress together in the page (the pool's push
// model: workers pace themselves and advance their jobs round-robin), and the
// search draws its best curves as trials finish. Measured as relative
// progress (point counts against each other, trials done against trials
// planned), never as speed, so a loaded machine slows the test, not fails it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, ARTIFACTS } from './browser-harness.mjs';

const { server, open, clean, WAIT } = browserSuite({ timeout: 120000, polling: 50 });

// The playground's points per series, from its data-series attribute.
const seriesPoints = (page) => page.evaluate(() => Object.fromEntries((document.querySelector('.dlfs').dataset.series || '')
  .split(';').filter(Boolean).map((kv) => { const i = kv.lastIndexOf('='); return [kv.slice(0, i), Number(kv.slice(i + 1))]; })));

test('init: 5 s after the first point, all three loss curves have points, within 2x of each other', async (t) => {
  const { page, seen } = await open(`${server.origin}/#preset=init`);
  await page.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, WAIT);
  await page.waitForTimeout(5000);
  const counts = await seriesPoints(page);
  const names = ['std=0.01', 'Xavier', 'He'];
  for (const n of names) assert.ok(counts[n] > 0, `${n} has points: ${JSON.stringify(counts)}`);
  const c = names.map((n) => counts[n]);
  t.diagnostic(`points 5 s after the first: ${JSON.stringify(counts)}`);
  assert.ok(Math.max(...c) <= 2 * Math.min(...c), `point counts within 2x: ${JSON.stringify(counts)}`);
  await page.screenshot({ path: join(ARTIFACTS, 'page-init-together.png'), fullPage: true });
  clean(seen);
  await page.close();
});

test('search: the best-k panels show curves before the last trial ends', async (t) => {
  const { page, seen } = await open(`${server.origin}/#preset=search&trials=20&epochs=10`);
  // Best curves come from finished trials; the trial counter is written on its own
  // progress message, which may land a frame after the first curve: wait for both.
  await page.waitForFunction(() => {
    const d = document.querySelector('.dlfs')?.dataset ?? {};
    return /best1\/val=[1-9]/.test(d.series ?? '') && Number(d.runsDone) > 0;
  }, null, WAIT);
  const d = await page.evaluate(() => ({ ...document.querySelector('.dlfs').dataset }));
  assert.equal(d.runs, '20');
  t.diagnostic(`first best curve drawn with ${d.runsDone} of 20 trials done`);
  assert.ok(Number(d.runsDone) < 20, `best curves while ${d.runsDone} of 20 trials are done`);
  await page.waitForFunction(() => document.querySelector('.dlfs').dataset.state === 'done', null, WAIT);
  const counts = await seriesPoints(page);
  assert.equal(Object.keys(counts).filter((n) => /^best\d+\/val$/.test(n)).length, 20);
  await page.screenshot({ path: join(ARTIFACTS, 'page-search-best.png'), fullPage: true });
  clean(seen);
  await page.close();
});
