// browser-teach-both.test.mjs: the essentials of browser-teach.test.mjs
// (issue 9's teaching features, Chromium only there, through Playwright) in
// every browser of browsers.mjs (Chromium and Firefox ESR): a regularised
// run's no-regularisation twin drawn beside it, the ½λ‖W‖² term on its own
// right-hand axis, a pinned run A that trains on beside B (with one twin for
// both), and the book's 12 activation/init pairs at once. Only evaluate and
// waitFor: clicks and slider moves are DOM events sent from the page.
// Waits are for conditions, never for times.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS } from './browser-harness.mjs';
import { BROWSERS, pageSuite, startBrowser } from './browsers.mjs';

const { server, clean, waitState } = pageSuite();

// A chart's datasets: label, points, dashed, axis.
const datasets = (page, aria) => page.evaluate((a) => window.Chart.getChart(document.querySelector(`canvas[aria-label^="${a}"]`))
  ?.data.datasets.map((d) => ({ label: d.label, n: d.data.length, dash: !!d.borderDash?.length, axis: d.yAxisID ?? 'y' })) ?? [], aria);

for (const name of BROWSERS) {
  describe(name, () => {
    let browser;
    before(async () => { browser = await startBrowser(name); });
    after(async () => { await browser?.close(); });

    test(`${name}: weight decay draws its twin dashed, ½λ‖W‖² on the right axis; pinned A trains on beside B with one twin for both`, async () => {
      const page = await browser.newPage({ origins: [server.origin] });
      try {
        // Batches of 10: 2000 iterations, so A is still training when it is pinned.
        await page.goto(`${server.origin}/#preset=sandbox&lr=0.1&epochs=20&batchSize=10&weightDecay=0.1&lang=en`);
        await waitState(page, () => {
          // Points per series ("name=count;..." in data-series).
          const s = Object.fromEntries((document.querySelector('.dlfs')?.dataset.series ?? '').split(';').filter(Boolean)
            .map((kv) => [kv.slice(0, kv.lastIndexOf('=')), Number(kv.slice(kv.lastIndexOf('=') + 1))]));
          return s['baseline train'] >= 1 && s.train >= 1 && s.decay >= 2;
        });
        const loss = await datasets(page, 'Training loss');
        const byLabel = Object.fromEntries(loss.map((d) => [d.label, d]));
        assert.deepEqual(Object.keys(byLabel).sort(), ['cross-entropy', 'cross-entropy, no regularisation', '½λ‖W‖² (right axis)'].sort());
        assert.equal(byLabel['½λ‖W‖² (right axis)'].axis, 'right');
        assert.equal(byLabel['cross-entropy'].axis, 'y');
        assert.equal(byLabel['cross-entropy, no regularisation'].dash, true, 'the twin is dashed');
        assert.equal(await page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Training loss"]')).options.scales.right?.position), 'right');
        const acc = await datasets(page, 'Accuracy');
        assert.deepEqual(acc.map((d) => [d.label, d.dash]), [['train', false], ['test', false], ['train, no regularisation', true], ['test, no regularisation', true]]);
        // Pin A while it trains: it goes on, and its twin is drawn once, named as both runs'.
        await page.evaluate(() => document.querySelector('[data-action="pin"]').click());
        await waitState(page, () => /A is pinned .*still training/.test(document.querySelector('.dlfs .legend-note')?.textContent));
        const pinnedAt = (await datasets(page, 'Accuracy')).find((d) => d.label === 'A · train')?.n ?? 0;
        // λ one step down (0.05): run B starts beside A.
        await page.evaluate(() => {
          const r = document.querySelector('.ctl[data-key="weightDecay"] input[type="range"]');
          r.value = String(Number(r.value) - 1);
          r.dispatchEvent(new Event('input', { bubbles: true }));
        });
        await waitState(page, () => /weightDecay=0\.05/.test(location.hash));
        await waitState(page, (n) => (window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]'))?.data.datasets.find((d) => d.label === 'A · train')?.data.length ?? 0) > n, pinnedAt);
        const labels = (await datasets(page, 'Accuracy')).map((d) => d.label).sort();
        assert.deepEqual(labels, ['A · test', 'A · train', 'A/B · test, no regularisation', 'A/B · train, no regularisation', 'B · test', 'B · train']);
        await page.screenshot(join(ARTIFACTS, `teach-pin-${name}.png`));
        clean(page.seen);
      } finally {
        await page.close();
      }
    });

    test(`${name}: the book's 12 activation/init pairs at once, tanh over (-1, 1)`, async () => {
      const page = await browser.newPage({ origins: [server.origin] });
      try {
        // What the page's "all three" choice writes (binding('activations', 'activationSet')).
        await page.goto(`${server.origin}/#preset=activations&activations=sigmoid,relu,tanh&bookRanges=true&lang=en`);
        await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.filled) >= 60);
        const captions = await page.evaluate(() => [...document.querySelectorAll('figcaption')].map((c) => c.textContent));
        assert.ok(/Sigmoid.*\(0, 1\)/.test(captions[0]) && /ReLU.*\(0, 1\)/.test(captions[1]) && /tanh.*\(-1, 1\)/.test(captions[2]), captions.join(' | '));
        assert.equal(await page.evaluate(() => document.querySelectorAll('.acts-grid canvas').length), 60);
        clean(page.seen);
      } finally {
        await page.close();
      }
    });
  });
}
