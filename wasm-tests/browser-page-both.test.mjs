// browser-page-both.test.mjs: the parts of browser.test.mjs (Chromium only,
// through Playwright) that need no browser-specific tooling, run in every
// browser of browsers.mjs (Chromium and Firefox ESR) on the development
// tree (web/, unbundled modules): the page plots its first point from real
// MNIST with no errors and nothing fetched from elsewhere, says what its
// charts show, labels its controls, and falls back to the defaults with a
// message on a bogus link. What stays Chromium-only there needs Playwright's
// clipboard permissions, downloads, keyboard and locators, a reload from the
// HTTP cache, or a served corrupted tree; the embeds from another origin run
// in both browsers on dist/ in browser-release.test.mjs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS } from './browser-harness.mjs';
import { BROWSERS, pageSuite, startBrowser } from './browsers.mjs';

const { server, clean, waitState } = pageSuite();

for (const name of BROWSERS) {
  describe(name, () => {
    let browser;
    before(async () => { browser = await startBrowser(name); });
    after(async () => { await browser?.close(); });

    test(`${name}: the page plots its first point from real MNIST, its charts say what they show, every control is labelled`, async () => {
      const page = await browser.newPage({ origins: [server.origin] });
      try {
        await page.goto(`${server.origin}/`);
        await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.points) > 0);
        const s = await page.evaluate(() => ({ ...document.querySelector('.dlfs').dataset, url: location.href }));
        assert.ok(['running', 'done'].includes(s.state), s.state);
        assert.match(s.url, /#preset=sandbox&.*seed=1/, 'the state is written to the hash');
        await waitState(page, () => /loss \d+ points, last \d/.test(document.querySelector('canvas[aria-label^="Training loss"]')?.getAttribute('aria-label')));
        const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select, button')]
          .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).length);
        assert.equal(unlabeled, 0, 'every control has a label');
        // A drawn chart is an image with a text alternative; one not drawn yet is neither.
        const images = await page.evaluate(() => [...document.querySelectorAll('canvas[role="img"]')].filter((c) => !c.getAttribute('aria-label')).length);
        assert.equal(images, 0, 'no image without a text alternative');
        await page.screenshot(join(ARTIFACTS, `page-sandbox-${name}.png`));
        clean(page.seen);
      } finally {
        await page.close();
      }
    });

    test(`${name}: a bogus link shows a message and falls back to the defaults`, async () => {
      const page = await browser.newPage({ origins: [server.origin] });
      try {
        await page.goto(`${server.origin}/#preset=nope&lr=fast&bogus=1`);
        await waitState(page, () => !!document.querySelector('.dlfs .notice.warn[role="alert"]')?.textContent);
        const { text, tab } = await page.evaluate(() => ({
          text: document.querySelector('.dlfs .notice.warn[role="alert"]').textContent,
          tab: document.querySelector('[role="tab"][aria-selected="true"]')?.textContent,
        }));
        assert.match(text, /could not be read/);
        assert.match(text, /unknown preset "nope"/);
        assert.match(text, /bogus: unknown setting/);
        assert.equal(tab, 'Sandbox');
        await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.points) > 0);
        assert.match(await page.evaluate(() => location.hash), /^#preset=sandbox&seed=1&/);
        clean(page.seen);
      } finally {
        await page.close();
      }
    });
  });
}
