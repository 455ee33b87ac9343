// The playground in a real browser: Debian's Chromium through playwright-core,
// against the project's own server (scripts/serve.mjs) on 127.0.0.1 with its
// Content-Security-Policy. Every page is watched for console errors, failed
// requests and requests to any other origin (those are blocked and fail the
// test). Screenshots go to artifacts/. Waits are for conditions, not times.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cp, readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { browserSuite, serve, ROOT, WEB, ARTIFACTS } from './browser-harness.mjs';

const { server, open, clean, WAIT } = browserSuite();

// The playground root's data-* state (points plotted, state, iteration, ...).
const dataset = (frame) => frame.evaluate(() => ({ ...document.querySelector('.dlfs').dataset }));
// Wait for a condition in the page; on a timeout, say what the playground was doing.
async function waitState(frame, fn, arg) {
  try {
    return await frame.waitForFunction(fn, arg, WAIT);
  } catch (err) {
    const now = await frame.evaluate(() => {
      const r = document.querySelector('.dlfs');
      return r && { ...r.dataset, status: r.querySelector('.status')?.textContent, notice: r.querySelector('.side .notice')?.textContent, hash: location.hash };
    }).catch(() => null);
    throw new Error(`${err.message.split('\n')[0]} waiting for ${fn}; the playground: ${JSON.stringify(now)}`);
  }
}
// The loss chart's text alternative once it describes plotted points (charts.js
// rewrites text alternatives at most every half second, not every frame).
async function lossLabel(page) {
  const canvas = 'canvas[aria-label^="Training loss per iteration"]';
  await page.waitForFunction((sel) => /loss \d+ points/.test(document.querySelector(sel)?.getAttribute('aria-label') ?? ''), canvas);
  return page.locator(canvas).first().getAttribute('aria-label');
}

test('the page plots its first point from real MNIST, with no errors and nothing fetched from elsewhere', async () => {
  const { page, seen } = await open(`${server.origin}/`);
  await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.points) > 0);
  const s = await dataset(page);
  assert.equal(s.state, 'running');
  assert.match(page.url(), /#preset=sandbox&.*seed=1/, 'the state is written to the hash');
  // Every chart has a text alternative that reports what it shows.
  await waitState(page, () => /loss \d+ points, last \d/.test(document.querySelector('canvas[aria-label^="Training loss"]')?.getAttribute('aria-label')));
  const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select, button')].filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent.trim())).length);
  assert.equal(unlabeled, 0, 'every control has a label');
  await page.screenshot({ path: join(ARTIFACTS, 'page-sandbox.png'), fullPage: true });
  // "Copy link" copies the link that reproduces this run.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await page.getByRole('button', { name: 'Copy link' }).click();
  await page.getByRole('button', { name: 'Link copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
  // A second visit takes the shards from the browser cache.
  await waitState(page, () => /MNIST loaded/.test(document.querySelector('.dlfs .data').textContent));
  const mark = server.served.length;
  await page.reload();
  await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.points) > 0);
  assert.deepEqual(server.served.slice(mark).filter((line) => line.endsWith('.bin.gz')), [], 'no shard downloaded again');
  clean(seen);
  await page.close();
});

test('moving the weight-decay slider changes the hash and the running net; a structural change restarts', async () => {
  // 1000 epochs: the run must still be training when the live change is checked
  // (the default 30 can finish first on a quiet machine; CI saw 'done' once).
  const { page, seen } = await open(`${server.origin}/#preset=sandbox&lr=0.1&epochs=1000`);
  await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.iteration) > 20);
  // The loss chart's text alternative: "loss N points, last x, min y, max z".
  const maxLoss = (label) => Number(/loss \d+ points, .*max (\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(label)[1]);
  const before = await lossLabel(page);
  assert.ok(maxLoss(before) < 5, `loss before: ${before}`);
  // Keyboard: the slider's End key is λ = 1. The engine's loss includes
  // 0.5·λ·ΣW², two orders of magnitude above the cross-entropy: the chart
  // draws that term as its own line from then on (then falls as the decay
  // shrinks the weights).
  const slider = page.locator('.ctl[data-key="weightDecay"] input[type="range"]');
  await slider.focus();
  await page.keyboard.press('End');
  await waitState(page, () => /[#&]weightDecay=1(&|$)/.test(location.hash));
  assert.equal((await dataset(page)).live, 'weightDecay=1');
  await waitState(page, () => {
    const label = document.querySelector('canvas[aria-label^="Training loss"]')?.getAttribute('aria-label') ?? '';
    return Number(/½λ‖W‖²[^;]*? max (\d+(?:\.\d+)?(?:e[+-]?\d+)?)/.exec(label)?.[1]) > 50;
  });
  assert.match(await page.locator('.dlfs .side .notice').textContent(), /Weight decay λ changed to 1 while training/);
  assert.equal((await dataset(page)).state, 'running', 'a live change does not restart the run');

  // Hidden layers are structural: the run restarts and says why.
  const layers = page.locator('.ctl[data-key="hiddenCount"] input[type="range"]');
  await layers.focus();
  await page.keyboard.press('ArrowRight');
  await waitState(page, () => /hidden=100,100,100(&|$)/.test(location.hash));
  await waitState(page, () => /Restarted: Hidden layers changed/.test(document.querySelector('.dlfs .side .notice').textContent));
  await waitState(page, () => document.querySelectorAll('.multiples.hist canvas').length === 3);
  // The rebuilt view's loss chart has no text alternative until its first drawing.
  await waitState(page, () => /(loss|cross-entropy) \d+ points/.test(document.querySelector('canvas[aria-label^="Training loss"]')?.getAttribute('aria-label') ?? ''));

  // Exports: CSV of the curves.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Curves as CSV' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  // The order of the series is results.js's (declared order while running, the
  // CLI's once finished; results-order.test.mjs): this run may have finished by now.
  assert.match(csv, /^series,x,index,value\n/);
  assert.match(csv, /\nloss,iteration,0,[\d.]+\n/);
  await page.screenshot({ path: join(ARTIFACTS, 'page-live-change.png'), fullPage: true });
  clean(seen);
  await page.close();
});

test('batchnorm fills the 4x4 grid, pauses (also in a hidden tab), steps and exports a PNG', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=batchnorm`);
  await waitState(page, () => document.querySelectorAll('.multiples.grid4 canvas').length === 16);
  await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.filled) >= 4);
  // A hidden tab pauses training and a visible one resumes it (headless
  // Chromium's tabs never hide, so the page is told its tab is hidden).
  const setVisibility = (v) => page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  }, v);
  await setVisibility('hidden');
  await waitState(page, () => document.querySelector('.dlfs').dataset.state === 'paused');
  assert.match(await page.locator('.dlfs .status').textContent(), /Paused while the playground is out of view/);
  await setVisibility('visible');
  await waitState(page, () => document.querySelector('.dlfs').dataset.state === 'running');
  await page.getByRole('button', { name: 'Pause' }).click();
  await waitState(page, () => document.querySelector('.dlfs').dataset.state === 'paused');
  const points = Number((await dataset(page)).points);
  await page.getByRole('button', { name: 'Step' }).click();
  await waitState(page, (p) => Number(document.querySelector('.dlfs').dataset.points) > p, points);
  assert.equal((await dataset(page)).state, 'paused');
  // The grid exports as one PNG.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('figure:has(.grid4) .png').click()]);
  const png = await readFile(await download.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await page.screenshot({ path: join(ARTIFACTS, 'page-batchnorm.png'), fullPage: true });
  clean(seen);
  await page.close();
});

test('a bogus hash shows a message and falls back to the defaults', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=nope&lr=fast&bogus=1`);
  const alert = page.locator('.dlfs .notice.warn[role="alert"]');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /could not be read/);
  assert.match(text, /unknown preset "nope"/);
  assert.match(text, /bogus: unknown setting/);
  assert.equal(await page.locator('[role="tab"][aria-selected="true"]').textContent(), 'Sandbox');
  await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.points) > 0);
  assert.match(page.url(), /#preset=sandbox&seed=1&/);
  await page.screenshot({ path: join(ARTIFACTS, 'page-bogus-hash.png') });
  clean(seen);
  await page.close();
});

test('a corrupted shard is named, and what does not need it keeps working', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dlfs-web-'));
  const bad = await serve({ root });
  try {
    await cp(WEB, root, { recursive: true });
    const file = join(root, 'data', 'train-03.bin.gz');
    const bytes = await readFile(file);
    for (let i = 1000; i < 1100; i++) bytes[i] ^= 0xff;
    await writeFile(file, bytes);

    const { page, seen } = await open(`${bad.origin}/`, { origins: [bad.origin] });
    await waitState(page, () => /train-03\.bin\.gz/.test(document.querySelector('.dlfs .notice.error')?.textContent));
    // The sandbox needs train-00 and the test shards only: it trains on.
    await waitState(page, () => Number(document.querySelector('.dlfs')?.dataset.iteration) > 100);
    assert.equal((await dataset(page)).state, 'running');
    // The init experiment trains on all 60,000 images: it says which shard it lacks.
    await page.getByRole('tab', { name: 'Initial weights' }).click();
    await waitState(page, () => document.querySelector('.dlfs').dataset.state === 'error');
    assert.match(await page.locator('.dlfs .status').textContent(), /needs the MNIST file train-03\.bin\.gz, which failed to load/);
    await page.screenshot({ path: join(ARTIFACTS, 'page-bad-shard.png'), fullPage: true });
    clean(seen);
    await page.close();
  } finally {
    await bad.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('tabs are keyboard operable and a phone-width screen needs no sideways scrolling', async () => {
  {
    const { page, seen } = await open(`${server.origin}/#preset=overfit&lang=ko`, { viewport: { width: 360, height: 740 }, reducedMotion: 'reduce' });
    // With reduced motion the charts redraw calmly, but they do redraw.
    await waitState(page, () => {
      const [loss, acc] = document.querySelectorAll('canvas[role="img"]');
      return [loss, acc].every((c) => /점 \d+개/.test(c?.getAttribute('aria-label')));
    });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal overflow at 360 px');
    await page.screenshot({ path: join(ARTIFACTS, 'phone-overfit-ko.png'), fullPage: true });
    await page.getByRole('tab', { name: '오버피팅' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => location.hash.startsWith('#preset=weight-decay&'), null, WAIT);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-preset')), 'weight-decay');
    clean(seen);
    await page.close();
  }
});

// Each embed's playground root: in a custom element's shadow root, or in the iframe.
const elementState = (page, i) => page.evaluate((k) => ({ ...document.querySelectorAll('dlfs-playground')[k].shadowRoot.querySelector('.dlfs').dataset }), i);

test('the blog example: two custom elements and an iframe all train, and pause off-screen', async () => {
  const mark = server.served.length;
  const { page, seen } = await open(`${server.origin}/examples/blog.html`);
  const embeds = page.locator('dlfs-playground');
  assert.equal(await embeds.count(), 2);
  for (let i = 0; i < 2; i++) {
    await embeds.nth(i).scrollIntoViewIfNeeded();
    await page.waitForFunction((k) => Number(document.querySelectorAll('dlfs-playground')[k].shadowRoot.querySelector('.dlfs')?.dataset.points) > 0, i, WAIT);
  }
  // Shadow DOM keeps the blog's loud button style out.
  const font = await page.evaluate(() => getComputedStyle(document.querySelector('dlfs-playground').shadowRoot.querySelector('button')).fontFamily);
  assert.doesNotMatch(font, /^serif$/);
  assert.match(await page.evaluate(() => document.querySelector('dlfs-playground').shadowRoot.querySelector('.about').textContent), /은닉층이 여섯 개/);

  const iframe = page.locator('iframe.playground');
  await iframe.scrollIntoViewIfNeeded();
  const frame = page.frames().find((f) => f.url().includes('/embed.html'));
  await frame.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, WAIT);
  // The first embed is off-screen now: it waits.
  await page.waitForFunction(() => document.querySelector('dlfs-playground').shadowRoot.querySelector('.dlfs').dataset.state === 'paused', null, WAIT);
  assert.equal((await elementState(page, 0)).state, 'paused');
  // The two elements share one data loader and one copy of each shard; the
  // iframe is a page of its own with its own (fed by the HTTP cache: no second download).
  const count = (path) => seen.urls.filter((u) => new URL(u).pathname === path).length;
  assert.equal(count('/data/shard-loader.js'), 2);
  assert.equal(count('/data/train-00.bin.gz'), 2);
  assert.equal(server.served.slice(mark).filter((line) => line === '200 /data/train-00.bin.gz').length, 1);
  await page.screenshot({ path: join(ARTIFACTS, 'blog.png'), fullPage: true });
  clean(seen);
  await page.close();
});

test('the iframe embed works from another origin', async () => {
  const hostRoot = await mkdtemp(join(tmpdir(), 'dlfs-host-'));
  const src = `${server.origin}/embed.html#preset=overfit&lang=en`;
  await writeFile(join(hostRoot, 'index.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A host</title><link rel="icon" href="data:,"></head><body><h1>Someone else's blog</h1><iframe src="${src}" title="playground" width="900" height="900"></iframe></body></html>`);
  // The host's own CSP: its origin, plus frames from the playground.
  const host = await serve({ root: hostRoot, headers: { 'Content-Security-Policy': `default-src 'self'; img-src 'self' data:; frame-src ${server.origin}` } });
  try {
    const { page, seen } = await open(`${host.origin}/`, { origins: [host.origin, server.origin] });
    const frame = page.frames().find((f) => f.url() === src);
    assert.ok(frame, 'the iframe loaded the playground');
    await frame.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, WAIT);
    assert.notEqual(new URL(page.url()).origin, new URL(frame.url()).origin);
    await page.screenshot({ path: join(ARTIFACTS, 'iframe-cross-origin.png') });
    clean(seen);
    await page.close();
  } finally {
    await host.close();
    await rm(hostRoot, { recursive: true, force: true });
  }
});

test('the custom element works on a blog on another origin', async () => {
  // The playground's host must allow other origins to use its modules and data (CORS).
  const pg = await serve({ headers: { 'Access-Control-Allow-Origin': '*' } });
  const hostRoot = await mkdtemp(join(tmpdir(), 'dlfs-blog-'));
  await writeFile(join(hostRoot, 'index.html'), `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>블로그</title><link rel="icon" href="data:,">
<script type="module" src="${pg.origin}/embed.js"></script></head>
<body><h1>다른 곳의 블로그</h1><dlfs-playground preset="dropout" controls="dropout" lang="ko"></dlfs-playground></body></html>`);
  const host = await serve({ root: hostRoot, headers: { 'Content-Security-Policy': '' } });
  try {
    const { page, seen } = await open(`${host.origin}/`, { origins: [host.origin, pg.origin] });
    await page.waitForFunction(() => Number(document.querySelector('dlfs-playground')?.shadowRoot?.querySelector('.dlfs')?.dataset.points) > 0, null, WAIT);
    const controls = await page.evaluate(() => [...document.querySelector('dlfs-playground').shadowRoot.querySelectorAll('.ctl')].filter((c) => c.checkVisibility()).map((c) => c.dataset.key));
    assert.deepEqual(controls, ['dropout']);
    await page.screenshot({ path: join(ARTIFACTS, 'element-cross-origin.png'), fullPage: true });
    clean(seen);
    await page.close();
  } finally {
    await host.close();
    await pg.close();
    await rm(hostRoot, { recursive: true, force: true });
  }
});

// The page's exported JSON and the CLI's, for the same settings.
async function pageJson(page) {
  await waitState(page, () => document.querySelector('.dlfs')?.dataset.state === 'done');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Curves as JSON' }).click()]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

function cliJson(args) {
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'lab.mjs'), ...args, '--workers', '2', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

test('a link reproduces the run bit for bit as the CLI computes it', async () => {
  const { page, seen } = await open(`${server.origin}/#preset=sandbox&epochs=4&trainSize=1000&hidden=50&lr=0.1&seed=7`);
  const single = await pageJson(page);
  // The page trains a baseline beside a regularised run (none here: λ = 0, no dropout); its link says so.
  const cli = cliJson(['overfit', '--seed', '7', '--set', 'epochs=4', '--set', 'trainSize=1000', '--set', 'hidden=50', '--set', 'lr=0.1', '--set', 'baseline=true']);
  assert.deepEqual(single.settings, cli.settings);
  for (const s of cli.series) assert.deepEqual(single.series.find((p) => p.name === s.name), s, s.name);
  assert.deepEqual(single.summary, cli.summary);

  // A preset of many runs, over two workers in the page.
  await page.evaluate(() => { location.hash = '#preset=batchnorm&epochs=3&scales=1,0.01&seed=3&workers=2'; });
  await waitState(page, () => document.querySelector('.dlfs').dataset.state !== 'done');
  const multi = await pageJson(page);
  const cli2 = cliJson(['batchnorm', '--seed', '3', '--set', 'epochs=3', '--set', 'scales=1,0.01']);
  assert.deepEqual(multi, cli2);
  clean(seen);
  await page.close();
});
