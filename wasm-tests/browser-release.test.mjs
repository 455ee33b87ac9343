// The release build (dist/, scripts/build-site.sh) in Chromium and Firefox
// through one driver interface (browsers.mjs): served from a sub-path of a
// bare static server that sends no special headers, and of one that sends
// `Access-Control-Allow-Origin: *`; the page, the blog example and embeds on
// another origin all train, with no console errors, nothing fetched from
// elsewhere, and no serious or critical axe-core findings in either language.
// Screenshots go to artifacts/<browser>-*.png. Waits are for conditions.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servePlain, ARTIFACTS, DIST } from './browser-harness.mjs';
import { BROWSERS, startBrowser, axeProblems } from './browsers.mjs';

const SUB = '/blog/dlfs/'; // any sub-path
let plain; // no special headers
let cors; // Access-Control-Allow-Origin: *
let hostDir;
let host; // someone else's blog, another origin

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: run ./scripts/build-site.sh (test.sh does)');
  plain = await servePlain({ root: DIST, prefix: SUB });
  cors = await servePlain({ root: DIST, prefix: SUB, headers: { 'Access-Control-Allow-Origin': '*' } });
  hostDir = await mkdtemp(join(tmpdir(), 'dlfs-host-'));
  // The blog: two custom elements from the CORS host, the iframe plain from
  // the bare host and sandboxed (scripts only: an opaque origin) from the CORS host.
  await writeFile(join(hostDir, 'index.html'), `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>블로그</title><link rel="icon" href="data:,">
<script type="module" src="${cors.base}embed.js"></script></head>
<body><main><h1>다른 곳의 블로그</h1>
<dlfs-playground preset="overfit" controls="weightDecay" lang="ko"></dlfs-playground>
<dlfs-playground preset="dropout" controls="dropout" lang="en"></dlfs-playground>
<iframe class="plain" src="${plain.base}embed.html#preset=dropout&amp;lang=ko" title="플레이그라운드" width="100%" height="900"></iframe>
<iframe class="sandboxed" sandbox="allow-scripts" src="${cors.base}embed.html#preset=overfit&amp;lang=en" title="playground" width="100%" height="900"></iframe>
</main></body></html>`);
  host = await servePlain({ root: hostDir });
});

after(async () => {
  await Promise.all([plain?.close(), cors?.close(), host?.close()]);
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

const points = () => Number(document.querySelector('.dlfs')?.dataset.points) > 0;
const elementPoints = (k) => Number(document.querySelectorAll('dlfs-playground')[k]?.shadowRoot?.querySelector('.dlfs')?.dataset.points) > 0;

function clean(page) {
  assert.deepEqual(page.seen.foreign, [], 'no request may leave the allowed origins');
  assert.deepEqual(page.seen.errors, [], 'no console errors or failed requests');
}

async function noAxeProblems(frame, what) {
  const problems = await axeProblems(frame);
  assert.deepEqual(problems, [], `${what}: serious or critical axe-core findings`);
}

for (const name of BROWSERS) {
  describe(name, () => {
    let browser;
    before(async () => { browser = await startBrowser(name); });
    after(async () => { await browser?.close(); });

    test(`${name}: the page from a sub-path of a bare static host plots its first point; axe finds nothing serious in English or Korean`, async () => {
      for (const lang of ['en', 'ko']) {
        const page = await browser.newPage({ origins: [plain.origin] });
        await page.goto(`${plain.base}#lang=${lang}`);
        await page.waitFor(points);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        assert.equal(await page.evaluate(() => document.querySelector('.dlfs').dataset.state), 'running');
        // Only the release's files were fetched: the bundle, not the development modules.
        assert.ok(page.seen.urls.some((u) => /\/main-[A-Z2-7]{8}\.js$/.test(u)), 'the bundled page script');
        assert.ok(!page.seen.urls.some((u) => /\/(ui|workers|engine)\//.test(u)), 'no development module');
        await noAxeProblems(page, `page (${lang})`);
        await page.screenshot(join(ARTIFACTS, `${name}-dist-page-${lang}.png`));
        if (lang === 'en') {
          // Every tab builds its charts from the bundle (Chart.js's ES module build, not the UMD file web/ uses).
          const tabs = await page.evaluate(() => [...document.querySelectorAll('[role="tab"]')].map((t) => t.dataset.preset));
          assert.ok(tabs.length >= 8, `tabs: ${tabs}`);
          for (const preset of tabs) {
            await page.evaluate((p) => { location.hash = `#preset=${p}&lang=en`; }, preset);
            await page.waitFor((p) => document.querySelector('[role="tab"][aria-selected="true"]')?.dataset.preset === p
              && document.querySelectorAll('.dlfs canvas').length > 0 && ['running', 'waiting', 'done'].includes(document.querySelector('.dlfs').dataset.state), preset);
          }
        }
        clean(page);
        await page.close();
      }
    });

    test(`${name}: the blog example in dist/: two custom elements and the iframe train; axe finds nothing serious`, async () => {
      const page = await browser.newPage({ origins: [plain.origin] });
      await page.goto(`${plain.base}examples/blog.html`);
      for (const k of [0, 1]) {
        await page.evaluate((i) => document.querySelectorAll('dlfs-playground')[i].scrollIntoView(), k);
        await page.waitFor(elementPoints, k);
      }
      await noAxeProblems(page, 'blog example (Korean) with its two elements');
      await page.evaluate(() => document.querySelector('iframe.playground').scrollIntoView());
      const frame = await page.frame((u) => u.includes('/embed.html'));
      await frame.waitFor(points);
      await noAxeProblems(frame, 'iframe embed (Korean)');
      await page.screenshot(join(ARTIFACTS, `${name}-dist-blog.png`));
      clean(page);
      await page.close();
    });

    test(`${name}: a blog on another origin: two custom elements (CORS host), an iframe (bare host) and a sandboxed iframe (CORS host) train`, async () => {
      const page = await browser.newPage({ origins: [host.origin, plain.origin, cors.origin] });
      await page.goto(`${host.origin}/`);
      for (const k of [0, 1]) {
        await page.evaluate((i) => document.querySelectorAll('dlfs-playground')[i].scrollIntoView(), k);
        await page.waitFor(elementPoints, k);
      }
      // The English element follows its own lang attribute on a Korean blog.
      assert.equal(await page.evaluate(() => document.querySelectorAll('dlfs-playground')[1].shadowRoot.querySelector('[role="tab"], button')?.closest('[lang]')?.lang ?? 'en'), 'en');
      await noAxeProblems(page, 'two custom elements on another origin');
      for (const [cls, base] of [['plain', plain.base], ['sandboxed', cors.base]]) {
        await page.evaluate((c) => document.querySelector(`iframe.${c}`).scrollIntoView(), cls);
        const frame = await page.frame((u) => u.startsWith(`${base}embed.html`));
        await frame.waitFor(points);
        await noAxeProblems(frame, `${cls} iframe on another origin`);
      }
      assert.equal(await page.evaluate(() => document.querySelector('iframe.sandboxed').getAttribute('sandbox')), 'allow-scripts');
      await page.screenshot(join(ARTIFACTS, `${name}-cross-origin-blog.png`));
      clean(page);
      await page.close();
    });

    test(`${name}: without CORS the custom element on another origin cannot load, and the page says so in the console only`, async () => {
      // Module scripts from another origin need CORS: this is the host's
      // configuration (README), and the iframe is the way for hosts without it.
      const dir = await mkdtemp(join(tmpdir(), 'dlfs-nocors-'));
      await writeFile(join(dir, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>b</title><link rel="icon" href="data:,"><script type="module" src="${plain.base}embed.js"></script></head><body><dlfs-playground preset="dropout"></dlfs-playground></body></html>`);
      const h = await servePlain({ root: dir });
      try {
        const page = await browser.newPage({ origins: [h.origin, plain.origin] });
        await page.goto(`${h.origin}/`);
        await page.waitFor(() => document.readyState === 'complete');
        assert.equal(await page.evaluate(() => !!customElements.get('dlfs-playground')), false);
        await page.close();
      } finally {
        await h.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
