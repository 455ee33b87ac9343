// Embeds that fit a blog, in headless Chromium: the compact layout keeps the
// height it reserved before mounting (no layout shift), the iframe sizes
// itself through its height message, charts=/theme=/font= work, exports sit
// behind the menu, and the share panel warns about loopback URLs. Measured
// heights and layout shift are printed (node --test shows them); screenshots
// go to artifacts/embed-*.png.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserSuite, serve, ARTIFACTS } from './browser-harness.mjs';
import { RECORD_SHIFTS, embedHeights, visitEmbeds, layoutShift } from './blog-embeds.mjs';
import { INK } from '../web/ui/theme.js';

const { server, open: openPage, clean, WAIT } = browserSuite();
// Every page records its layout shifts from the start.
const open = (url, opts = {}) => openPage(url, { initScript: RECORD_SHIFTS, ...opts });

const elementPoints = (page, i) => page.waitForFunction((k) => Number(document.querySelectorAll('dlfs-playground')[k].shadowRoot.querySelector('.dlfs')?.dataset.points) > 0, i, WAIT);

// The blog's column is 720 px at a 760 px window (blog.css: 720 px + 20 px padding each side).
for (const [width, column] of [[760, 720], [390, 350]]) {
  test(`the blog example at a ${column} px column: every embed keeps the height it reserved, nothing shifts, the iframe fits`, async () => {
    const { page, seen } = await open(`${server.origin}/examples/blog.html`, { viewport: { width, height: 900 } });
    await page.waitForFunction(() => customElements.get('dlfs-playground'));
    assert.equal(await page.evaluate(() => document.querySelector('article').getBoundingClientRect().width), column);
    const reserved = await embedHeights(page);
    // The iframe is sized by its height message (embed-host.js), the elements by their plan.
    const frame = await visitEmbeds(page);
    const mounted = await embedHeights(page);
    console.log(`# ${column} px column: reserved ${reserved.join(', ')} px; mounted ${mounted.join(', ')} px (overfit element, batchnorm element, dropout iframe)`);
    assert.deepEqual(mounted, reserved, 'each embed is as tall as the room it reserved');
    // (The BatchNorm grid on a phone: 16 readable charts two to a row, a little over one screen.)
    for (const h of mounted) assert.ok(h >= 250 && h <= (column > 519 ? 700 : 1000), `an embed of sensible height (${h} px)`);

    // No inner scrollbar: the iframe's document fits its box exactly.
    const inside = await frame.evaluate(() => ({ scroll: document.documentElement.scrollHeight, view: window.innerHeight, scrollW: document.documentElement.scrollWidth, viewW: window.innerWidth }));
    assert.ok(inside.scroll <= inside.view, `no vertical scrollbar in the iframe (${inside.scroll} > ${inside.view})`);
    assert.ok(inside.scrollW <= inside.viewW, 'no horizontal scrollbar in the iframe');
    // ... and neither does the blog scroll sideways.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');

    const { cls, shifts } = await layoutShift(page);
    console.log(`# ${column} px column: layout shift ${cls.toFixed(4)} (${shifts.length} shifts${shifts.length ? `: ${JSON.stringify(shifts)}` : ''})`);
    assert.ok(cls < 0.01, `layout shift ≈ 0 (got ${cls})`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, `embed-blog-${column}-ko-light.png`), fullPage: true });
    clean(seen);
    await page.close();
  });
}

test('the dark blog: embeds follow theme="dark" (page, controls and chart ink alike)', async () => {
  const { page, seen } = await open(`${server.origin}/examples/blog.html?theme=dark`, { viewport: { width: 760, height: 900 } });
  await page.locator('dlfs-playground').first().scrollIntoViewIfNeeded();
  await elementPoints(page, 0);
  const look = await page.evaluate(() => {
    const root = document.querySelector('dlfs-playground').shadowRoot.querySelector('.dlfs');
    const chart = window.Chart.getChart(root.querySelector('figure[data-chart="loss"] canvas'));
    return {
      blog: getComputedStyle(document.body).backgroundColor,
      theme: root.dataset.theme,
      bg: getComputedStyle(root).backgroundColor,
      fg: getComputedStyle(root).color,
      ticks: chart.options.scales.x.ticks.color,
      series: chart.data.datasets[0].borderColor,
      font: getComputedStyle(root).fontFamily,
      blogFont: getComputedStyle(document.querySelector('article')).fontFamily,
    };
  });
  assert.equal(look.blog, 'rgb(17, 17, 17)');
  assert.equal(look.theme, 'dark');
  assert.equal(look.bg, 'rgb(13, 17, 23)');
  assert.equal(look.fg, 'rgb(230, 237, 243)');
  assert.equal(look.ticks, INK.dark.text);
  assert.notEqual(look.series, '#1f77b4', 'the series take their dark-background colours');
  // font="inherit" on the first element: the blog's typeface.
  assert.equal(look.font, look.blogFont);
  await page.locator('dlfs-playground').first().screenshot({ path: join(ARTIFACTS, 'embed-element-ko-dark.png') });
  const frameEl = page.locator('iframe.playground');
  await frameEl.scrollIntoViewIfNeeded();
  const frame = page.frames().find((f) => f.url().includes('/embed.html'));
  await frame.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, WAIT);
  assert.equal(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(13, 17, 23)');
  await page.waitForFunction(() => document.querySelector('iframe.playground').style.height !== '', null, WAIT);
  await frameEl.screenshot({ path: join(ARTIFACTS, 'embed-iframe-ko-dark.png') });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, 'embed-blog-720-ko-dark.png'), fullPage: true });
  clean(seen);
  await page.close();
});

// A host page of its own on another origin (no CSP of its own, like most blogs).
async function hostPage(body, { headers = { 'Content-Security-Policy': '' }, pg = server } = {}) {
  const root = await mkdtemp(join(tmpdir(), 'dlfs-host-'));
  await writeFile(join(root, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A host</title><link rel="icon" href="data:,">
<style>body { margin: 0; padding: 16px; background: #111; color: #ddd; font: 16px/1.6 Georgia, serif; } main { max-width: 720px; margin: auto; }</style></head>
<body><main>${body.replaceAll('PG', pg.origin)}</main></body></html>`);
  const host = await serve({ root, headers });
  return { host, close: async () => { await host.close(); await rm(root, { recursive: true, force: true }); } };
}

test('English, auto theme under a dark system setting, charts= and the menu: exports behind it, Escape closes it', async () => {
  const pg = await serve({ headers: { 'Access-Control-Allow-Origin': '*' } });
  const { host, close } = await hostPage(`<h1>A dark blog</h1>
<script type="module" src="PG/embed.js"></script>
<dlfs-playground preset="weight-decay" lang="en" charts="accuracy,loss"></dlfs-playground>
<dlfs-playground preset="overfit" lang="en" charts="accuracy" theme="light"></dlfs-playground>`, { pg });
  try {
    const { page, seen } = await open(`${host.origin}/`, { origins: [host.origin, pg.origin], viewport: { width: 760, height: 1000 }, colorScheme: 'dark' });
    await elementPoints(page, 0);
    await elementPoints(page, 1);
    const info = await page.evaluate(() => [...document.querySelectorAll('dlfs-playground')].map((e) => {
      const root = e.shadowRoot.querySelector('.dlfs');
      return { theme: root.dataset.theme, charts: [...root.querySelectorAll('figure[data-chart]')].map((f) => f.dataset.chart), height: e.getBoundingClientRect().height };
    }));
    assert.deepEqual(info.map((i) => i.theme), ['dark', 'light'], 'auto follows the dark system setting; theme="light" overrides it');
    assert.deepEqual(info[0].charts, ['loss', 'accuracy'], 'the chosen charts, in the view\'s order');
    assert.deepEqual(info[1].charts, ['accuracy']);
    console.log(`# en host at 720 px: weight-decay (loss+accuracy) ${info[0].height} px, overfit (accuracy only) ${info[1].height} px`);

    // The exports wait behind "More": hidden until it opens.
    const el0 = page.locator('dlfs-playground').first();
    const csv = el0.getByRole('button', { name: 'Curves as CSV' });
    assert.equal(await csv.isVisible(), false);
    const before = await el0.boundingBox();
    await el0.getByText('More', { exact: true }).click();
    await csv.waitFor({ state: 'visible' });
    assert.deepEqual(await el0.boundingBox(), before, 'the open menu moves nothing');
    // teach's readout says "images/s" once a rate is measured (no placeholder before it).
    await el0.locator('.menu-panel .speed').filter({ hasText: /images\/s/ }).waitFor();
    assert.match(await el0.locator('.menu-panel .speed').textContent(), /images\/s/);
    await el0.screenshot({ path: join(ARTIFACTS, 'embed-element-en-dark-menu.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
    assert.match(await readFile(await download.path(), 'utf8'), /^series,x,index,value\n/);
    await page.keyboard.press('Escape');
    await csv.waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(ARTIFACTS, 'embed-host-en-dark.png'), fullPage: true });
    clean(seen);
    await page.close();
  } finally {
    await close();
    await pg.close();
  }
});

test('the iframe on another origin posts its height and embed-host.js fits the frame to it', async () => {
  const { host, close } = await hostPage(`<h1>Someone else's blog</h1>
<script>window.heights = []; addEventListener('message', (e) => { if (e.data?.type === 'dlfs-playground:height') window.heights.push(e.data); });</script>
<iframe src="PG/embed.html#preset=overfit&lang=en&theme=dark" title="playground" width="360" height="300" style="border: 2px solid #444; box-sizing: border-box"></iframe>
<script src="PG/embed-host.js" defer></script><p>After the frame.</p>`);
  try {
    const { page, seen } = await open(`${host.origin}/`, { origins: [host.origin, server.origin] });
    const frame = page.frames().find((f) => f.url().includes('/embed.html'));
    await frame.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, WAIT);
    await page.waitForFunction(() => window.heights.length > 0 && document.querySelector('iframe').style.height !== '', null, WAIT);
    const last = await page.evaluate(() => window.heights.at(-1));
    assert.deepEqual(Object.keys(last).sort(), ['height', 'type'], 'the message is {type, height}');
    assert.ok(Number.isInteger(last.height) && last.height > 300, `a height taller than the 300 px the frame started with (${last.height})`);
    const box = await page.evaluate(() => document.querySelector('iframe').clientHeight);
    assert.equal(box, last.height, 'the border-box frame holds exactly the posted height inside its border');
    const inside = await frame.evaluate(() => [document.documentElement.scrollHeight, window.innerHeight]);
    assert.ok(inside[0] <= inside[1], `no inner scrollbar (${inside})`);
    console.log(`# iframe at 360 px: posted height ${last.height} px`);
    await page.screenshot({ path: join(ARTIFACTS, 'embed-iframe-en-dark-360.png'), fullPage: true });
    clean(seen);
    await page.close();
  } finally {
    await close();
  }
});

test('served from a loopback address, the share panel warns and writes the release URL instead', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=dropout&lang=en`);
  await page.getByText('Share and embed').click();
  const warning = page.locator('.extras .notice.warn');
  await warning.waitFor();
  assert.match(await warning.textContent(), /127\.0\.0\.1.*only this computer can reach/);
  const [element, frame] = await page.locator('textarea.snippet').evaluateAll((ts) => ts.map((t) => t.value));
  assert.match(element, /^<link rel="stylesheet" href="https:\/\/cdn\.jsdelivr\.net\/npm\/dlfs-playground@\d+\.\d+\.\d+\/dist\/embed\.css">\n<script type="module" src="https:\/\/cdn\.jsdelivr\.net\/npm\/dlfs-playground@[\d.]+\/dist\/embed\.js"><\/script>/);
  assert.match(frame, /^<iframe src="https:\/\/cdn\.jsdelivr\.net\/npm\/dlfs-playground@[\d.]+\/dist\/embed\.html#preset=dropout&amp;.*height="(\d+)"/);
  assert.match(frame, /\n<script src="https:\/\/cdn\.jsdelivr\.net\/npm\/dlfs-playground@[\d.]+\/dist\/embed-host\.js" defer><\/script>$/);
  // The author can still have the local URL.
  await page.getByLabel(/Point the snippets at the release/).uncheck();
  assert.match(await page.locator('textarea.snippet').first().inputValue(), new RegExp(`src="${server.origin}/embed\\.js"`));
  await page.locator('details.extras').screenshot({ path: join(ARTIFACTS, 'embed-share-loopback-en.png') });
  clean(seen);
  await page.close();
});
