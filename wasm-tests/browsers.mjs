// browsers.mjs: one small driver interface over the two browsers we test in,
// so the same test bodies run in both: Debian's Chromium through
// playwright-core, Debian's firefox-esr through puppeteer-core over WebDriver
// BiDi (never a downloaded browser). DLFS_BROWSERS=chromium,firefox (the
// default) picks which; a browser that is not installed fails its tests.
//
//   const b = await startBrowser('firefox');
//   const page = await b.newPage({ origins: [origin] });   // a fresh context: cold cache
//   await page.goto(url); await page.waitFor(() => ..., arg);
//   const frame = await page.frame((url) => url.includes('/embed.html'));
//   page.seen -> {errors, foreign, urls}: console errors, failed requests,
//                requests (also the workers') to origins not in `origins`.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve } from './browser-harness.mjs';

export const BROWSERS = (process.env.DLFS_BROWSERS ?? 'chromium,firefox').split(',').filter(Boolean);
const EXECUTABLES = { chromium: '/usr/bin/chromium', firefox: '/usr/bin/firefox-esr' };
const WAIT = 60000;

// Record what must not happen, from either driver's events.
function watcher(origins) {
  const allowed = new Set(origins);
  const seen = { errors: [], foreign: [], urls: [] };
  return {
    seen,
    request(href) {
      const url = new URL(href);
      seen.urls.push(url.href);
      if (!['blob:', 'data:', 'about:'].includes(url.protocol) && !allowed.has(url.origin)) seen.foreign.push(url.href);
    },
    error(text) { seen.errors.push(text); },
  };
}

// A frame's or page's evaluate/waitFor, the same for both drivers.
function frameApi(kind, f) {
  return {
    url: () => f.url(),
    evaluate: (fn, arg) => f.evaluate(fn, arg),
    waitFor: (fn, arg, timeout = WAIT) => (kind === 'chromium'
      ? f.waitForFunction(fn, arg, { timeout, polling: 100 })
      : f.waitForFunction(fn, { timeout, polling: 100 }, arg)),
  };
}

async function startChromium() {
  const browser = await chromium.launch({
    executablePath: EXECUTABLES.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    name: 'chromium',
    async newPage({ origins, viewport = { width: 1280, height: 900 }, colorScheme } = {}) {
      const context = await browser.newContext({ viewport, colorScheme });
      const page = await context.newPage();
      const w = watcher(origins);
      context.on('request', (r) => w.request(r.url()));
      page.on('console', (m) => { if (m.type() === 'error') w.error(`console: ${m.text()}`); });
      page.on('pageerror', (e) => w.error(`pageerror: ${e.message}`));
      context.on('requestfailed', (r) => w.error(`request failed: ${r.url()} (${r.failure()?.errorText})`));
      return wrapPage('chromium', page, w.seen, () => context.close());
    },
    close: () => browser.close(),
  };
}

async function startFirefox() {
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: EXECUTABLES.firefox, headless: true });
  return {
    name: 'firefox',
    async newPage({ origins, viewport = { width: 1280, height: 900 }, colorScheme } = {}) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(viewport);
      if (colorScheme) await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: colorScheme }]);
      const w = watcher(origins);
      page.on('request', (r) => w.request(r.url()));
      page.on('console', (m) => { if (m.type() === 'error') w.error(`console: ${m.text()}`); });
      page.on('pageerror', (e) => w.error(`pageerror: ${e.message}`));
      page.on('requestfailed', (r) => w.error(`request failed: ${r.url()} (${r.failure()?.errorText})`));
      return wrapPage('firefox', page, w.seen, () => context.close());
    },
    close: () => browser.close(),
  };
}

function wrapPage(kind, page, seen, close) {
  return {
    ...frameApi(kind, page),
    kind,
    seen,
    raw: page,
    goto: (url) => page.goto(url),
    // The first frame whose URL passes `test`, once it is there.
    async frame(test, timeout = WAIT) {
      const end = Date.now() + timeout;
      for (;;) {
        const f = page.frames().find((x) => test(x.url()));
        if (f) return frameApi(kind, f);
        if (Date.now() > end) throw new Error(`no frame matched; frames: ${page.frames().map((x) => x.url()).join(' ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    screenshot: async (path, fullPage = true) => {
      await mkdir(new URL('.', `file://${path}`).pathname, { recursive: true });
      return page.screenshot({ path, fullPage });
    },
    close,
  };
}

export async function startBrowser(name) {
  if (name === 'chromium') return startChromium();
  if (name === 'firefox') return startFirefox();
  throw new Error(`unknown browser ${name} (DLFS_BROWSERS takes chromium, firefox)`);
}

// What a file whose tests run in every browser of BROWSERS on the development
// tree sets up: call it at the file's top level. `server` (the project's
// server on web/) is filled in before the tests and closed after them;
// clean(seen) asserts that nothing left the origin and nothing failed;
// waitState(page, fn, arg) is page.waitFor that, on a timeout, says what the
// playground was doing.
export function pageSuite() {
  const server = {};
  before(async () => { Object.assign(server, await serve()); });
  after(async () => { await server.close?.(); });
  const clean = (seen) => {
    assert.deepEqual(seen.foreign, [], 'no request may leave the origin');
    assert.deepEqual(seen.errors, [], 'no console errors or failed requests');
  };
  async function waitState(page, fn, arg) {
    try {
      return await page.waitFor(fn, arg);
    } catch (err) {
      const now = await page.evaluate(() => {
        const r = document.querySelector('.dlfs');
        return r && { ...r.dataset, status: r.querySelector('.status')?.textContent, hash: location.hash };
      }).catch(() => null);
      throw new Error(`${err.message.split('\n')[0]} waiting for ${fn}; the playground: ${JSON.stringify(now)}`);
    }
  }
  return { server, clean, waitState };
}

// axe-core, injected into a page or frame: the violations of impact serious
// or critical (WCAG 2 A/AA and best practices), open shadow roots included.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export async function axeProblems(frame) {
  await frame.evaluate((src) => { if (!window.axe) (0, eval)(src); }, AXE);
  const violations = await frame.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'], iframes: false });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
