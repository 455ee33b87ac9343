// browser-hardening.test.mjs: the page when things go wrong (issue 8, cases
// 6-8): a search whose every trial diverges, readouts after a divergence, and
// embeds that cannot start (a sandboxed iframe, a custom element from a host
// without CORS) say so visibly, or work.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserSuite, serve, ARTIFACTS } from './browser-harness.mjs';
import { elementSnippet } from '../web/ui/snippet.js';

const { server, open, WAIT } = browserSuite({ timeout: 90000 });

const pageErrors = (seen) => seen.errors.filter((e) => e.startsWith('pageerror'));

// A host page on another origin with `body` as its content (and no CSP of its own).
async function hostPage(body, headers = { 'Content-Security-Policy': '' }) {
  const root = await mkdtemp(join(tmpdir(), 'dlfs-host-'));
  await writeFile(join(root, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A host</title><link rel="icon" href="data:,"></head><body>${body}</body></html>`);
  const host = await serve({ root, headers });
  return { host, close: async () => { await host.close(); await rm(root, { recursive: true, force: true }); } };
}

test('search where every trial diverges: the page says "no trial finished" and keeps the table', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=search&lrRange=5,8&trials=4&epochs=3`);
  await page.waitForFunction(() => document.querySelector('.dlfs')?.dataset.state === 'done', null, WAIT);
  const view = await page.evaluate(() => ({
    status: document.querySelector('.dlfs .status')?.textContent,
    note: document.querySelector('.dlfs .legend-note')?.textContent,
    rows: document.querySelectorAll('.dlfs tbody tr').length,
  }));
  assert.doesNotMatch(view.status ?? '', /Error|Cannot read/, view.status);
  assert.match(view.note, /No trial finished/);
  assert.equal(view.rows, 4);
  assert.deepEqual(pageErrors(seen), []);
  await page.screenshot({ path: join(ARTIFACTS, 'search-all-diverged.png'), fullPage: true });
  await page.close();
});

test('after a divergence the readout says where it stopped, and no chart says "min ∞"', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=sandbox&lr=10000&init=10&epochs=30`);
  await page.waitForFunction(() => document.querySelector('.dlfs')?.dataset.state === 'done', null, WAIT);
  await page.waitForFunction(() => /diverged/.test(document.querySelector('.dlfs .progress-text')?.textContent), null, WAIT);
  const readout = await page.locator('.dlfs .progress-text').textContent();
  const m = /diverged at iteration (\d+) \(epoch (\d+) of 30\)/.exec(readout);
  assert.ok(m, readout);
  assert.ok(Number(m[1]) < 100, `diverged early, readout ${readout}`);
  const labels = await page.evaluate(() => [...document.querySelectorAll('.dlfs canvas[aria-label]')].map((c) => c.getAttribute('aria-label')));
  for (const l of labels) assert.doesNotMatch(l, /∞/, l);

  // The init comparison, every net diverging: its text alternative too.
  await page.evaluate(() => { location.hash = '#preset=init&lr=10000&iterations=30'; });
  await page.waitForFunction(() => document.querySelector('.dlfs')?.dataset.state === 'done', null, WAIT);
  await page.waitForFunction(() => /\d+ points/.test(document.querySelector('.dlfs canvas[aria-label^="Training loss"]')?.getAttribute('aria-label')), null, WAIT);
  const initLabel = await page.locator('.dlfs canvas[aria-label^="Training loss"]').first().getAttribute('aria-label');
  assert.doesNotMatch(initLabel, /∞/, initLabel);
  assert.deepEqual(pageErrors(seen), []);
  await page.screenshot({ path: join(ARTIFACTS, 'diverged-readout.png'), fullPage: true });
  await page.close();
});

test('an iframe sandboxed without allow-same-origin shows which permission is missing', async () => {
  const src = `${server.origin}/embed.html#preset=overfit&lang=en`;
  const { host, close } = await hostPage(`<iframe sandbox="allow-scripts" src="${src}" title="playground" width="900" height="600"></iframe>`);
  try {
    const { page } = await open(`${host.origin}/`, { origins: [host.origin, server.origin] });
    const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
    assert.equal(frame.url(), src);
    await frame.waitForFunction(() => document.querySelector('.notice.error'), null, WAIT);
    const notice = await frame.locator('.notice.error').textContent();
    assert.match(notice, /sandboxed without "allow-same-origin"/);
    assert.ok(await frame.locator('.notice.error').isVisible());
    await page.screenshot({ path: join(ARTIFACTS, 'iframe-sandboxed.png') });
    await page.close();
  } finally {
    await close();
  }
});

test('with CORS from the playground\'s host, the sandboxed iframe still says which permission it needs', async () => {
  // Its modules load then, but no worker of ours can start in an opaque origin under our CSP.
  const pg = await serve({ headers: { 'Access-Control-Allow-Origin': '*' } });
  const src = `${pg.origin}/embed.html#preset=overfit&lang=en`;
  const { host, close } = await hostPage(`<iframe sandbox="allow-scripts" src="${src}" title="playground" width="900" height="600"></iframe>`);
  try {
    const { page, seen } = await open(`${host.origin}/`, { origins: [host.origin, pg.origin] });
    const frame = await (await page.locator('iframe').elementHandle()).contentFrame();
    await frame.waitForFunction(() => /allow-same-origin/.test(document.querySelector('.dlfs .notice.error')?.textContent), null, WAIT);
    assert.ok(await frame.locator('.dlfs .notice.error').first().isVisible());
    assert.deepEqual(pageErrors(seen), []);
    await page.close();
  } finally {
    await close();
    await pg.close();
  }
});

test('a custom element whose host sends no CORS headers still shows a link to the playground', async () => {
  const html = elementSnippet({ base: new URL(`${server.origin}/`), preset: 'overfit', settings: {}, controls: ['lr'], lang: 'en' });
  const { host, close } = await hostPage(`<h1>A blog</h1>${html}`);
  try {
    const { page } = await open(`${host.origin}/`, { origins: [host.origin, server.origin] });
    await page.waitForLoadState('load');
    const link = page.locator('dlfs-playground a');
    assert.ok(await link.isVisible(), 'the fallback link is visible');
    const box = await page.locator('dlfs-playground').boundingBox();
    assert.ok(box.width > 0 && box.height > 0, JSON.stringify(box));
    assert.equal(await link.getAttribute('href'), `${server.origin}/#preset=overfit`);
    await page.screenshot({ path: join(ARTIFACTS, 'element-no-cors.png') });
    await page.close();
  } finally {
    await close();
  }
});
