// Section 6.1's two tabs and the gradient check in Chromium (browser-harness.mjs):
// the 2-D paths follow the sliders at once, the four MNIST loss curves fill
// (raw and smoothed), the gradient check fills its table and bar chart from the
// float64 engine; in English and Korean; screenshots to artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, ARTIFACTS } from './browser-harness.mjs';
import { trajectories2d } from '../web/experiments/optimizers-2d.js';

const { server, open, clean, WAIT } = browserSuite({ timeout: 180000 });
const wait = (page, fn, arg) => page.waitForFunction(fn, arg, WAIT);
const label = (page, prefix) => page.locator(`canvas[aria-label^="${prefix}"]`).first().getAttribute('aria-label');

test('optimizers-2d: four paths over the contours, recomputed as a slider moves', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=optimizers-2d&lang=en`);
  await wait(page, () => document.querySelector('.dlfs')?.dataset.state === 'done' && Number(document.querySelector('.dlfs').dataset.points) >= 120);
  // The text alternative of SGD's subplot gives its last position: the same as the module computes.
  const book = trajectories2d({ lrs: { SGD: 0.95, Momentum: 0.1, AdaGrad: 1.5, Adam: 0.3 }, x0: -7, y0: 2, steps: 30 });
  const fmt = (v) => String(Number(v.toPrecision(3)));
  await wait(page, () => /SGD: 30 positions/.test(document.querySelector('canvas[aria-label^="SGD"]')?.getAttribute('aria-label') ?? ''));
  const sgd = await label(page, 'SGD');
  assert.match(sgd, /from \(-7, 2\)/);
  assert.ok(sgd.includes(fmt(book.SGD.x[29])), `${sgd} vs ${book.SGD.x[29]}`);
  await page.screenshot({ path: join(ARTIFACTS, 'page-optimizers-2d.png'), fullPage: true });
  // Start x one step to the right: -6.5; every path starts there at once.
  const slider = page.locator('.ctl[data-key="x0"] input[type="range"]');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await wait(page, () => /[#&]x0=-6\.5(&|$)/.test(location.hash));
  await wait(page, () => /from \(-6\.5, 2\)/.test(document.querySelector('canvas[aria-label^="Adam"]')?.getAttribute('aria-label') ?? ''));
  clean(seen);
});

test('optimizers: four loss curves on real MNIST, smoothed over the faint raw ones, y from 0 to 1', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=optimizers&iterations=100&lang=ko`);
  await wait(page, () => document.querySelector('.dlfs')?.dataset.state === 'done');
  // 4 raw + 4 smoothed curves of 100 points.
  await wait(page, () => Number(document.querySelector('.dlfs').dataset.points) === 800);
  // Text alternatives are rewritten at most every 500 ms: wait for the one that describes the last points.
  await wait(page, () => ['SGD', 'Momentum', 'AdaGrad', 'Adam'].every((n) => [...document.querySelectorAll('canvas')].some((c) => (c.getAttribute('aria-label') ?? '').startsWith('반복별 훈련 손실') && c.getAttribute('aria-label').includes(`${n} 100개 점`))));
  const alt = await label(page, '반복별 훈련 손실');
  for (const name of ['SGD', 'Momentum', 'AdaGrad', 'Adam']) assert.match(alt, new RegExp(`${name} 100개 점`));
  assert.equal(await page.locator('.ctl[data-key="lrAdam"] output').textContent(), '0.001');
  await page.screenshot({ path: join(ARTIFACTS, 'page-optimizers-ko.png'), fullPage: true });
  clean(seen);
});

test('gradient-check: the table and the log-scale bars, float64 beside float32 (small net, narrow phone)', async () => {
  // A small net keeps the check short; the default tab checks 784-100-100-10.
  const { page, seen } = await open(`${server.origin}/#preset=gradient-check&hidden=10,10&lang=en`, { viewport: { width: 390, height: 844 } });
  await wait(page, () => document.querySelector('.dlfs')?.dataset.state === 'done');
  await wait(page, () => document.querySelectorAll('.dlfs table.gradcheck tbody tr').length === 10);
  const rows = await page.locator('.dlfs table.gradcheck tbody tr').allTextContents();
  assert.match(rows[0], /^W17840/);
  assert.match(rows[1], /^b110.*true gradient is 0 \*/);
  await wait(page, () => /float64: W1 /.test(document.querySelector('canvas[aria-label^="Mean |backprop"]')?.getAttribute('aria-label') ?? ''));
  await page.screenshot({ path: join(ARTIFACTS, 'page-gradient-check-390.png'), fullPage: true });
  clean(seen);
});
