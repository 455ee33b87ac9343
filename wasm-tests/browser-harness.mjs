// browser-harness.mjs: what the browser tests and scripts/bench-page.mjs
// share: Debian's Chromium driven by playwright-core (never a downloaded
// browser), a fresh profile per launch (a cold cache), the project's own
// server on a random port of 127.0.0.1 with its CSP, and a watch on every
// page for console errors and requests that leave the allowed origins.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB = join(ROOT, 'web');
export const ARTIFACTS = join(ROOT, 'artifacts');
export const DIST = join(ROOT, 'dist');
const CHROMIUM = '/usr/bin/chromium';

// A fresh persistent profile: nothing cached from an earlier run.
export async function launch({ viewport = { width: 1280, height: 900 }, reducedMotion, colorScheme } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'dlfs-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    reducedMotion,
    colorScheme,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    dir, // the profile directory (its processes' command lines name it)
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// The project's server (scripts/serve.mjs) on a free port; `root` defaults
// to web/. `served` lists the paths it answered with a body ("200 /x").
export async function serve({ root, headers } = {}) {
  const served = [];
  const server = await startServer({ port: 0, root, headers, log: (line) => served.push(line) });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    served,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

// Collect what must not happen on a page: console errors, uncaught
// exceptions, failed requests, and any request (the page's, its frames' or its
// workers') to an origin not in `origins`. Requests are only observed, not
// routed: Playwright's routing would switch off the HTTP cache.
export async function watch(context, page, origins) {
  const seen = { errors: [], foreign: [], urls: [] };
  const allowed = new Set(origins);
  context.on('request', (r) => {
    const url = new URL(r.url());
    seen.urls.push(url.href);
    if (url.protocol !== 'blob:' && url.protocol !== 'data:' && !allowed.has(url.origin)) seen.foreign.push(url.href);
  });
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => seen.errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  return seen;
}

// What every browser test file sets up, once: call browserSuite() at the top
// level of the file. Before its tests: artifacts/ and the project's server
// (`server`, filled in then: server.origin, server.served). After them: every
// browser it opened and the server are closed. `open(url, opts)` launches a
// fresh browser (or opens a page in `opts.browser`), watches the page (see
// watch; `origins` defaults to the server's), runs `opts.initScript` before
// the page's own scripts, and loads `url`. `clean(seen)` asserts that nothing
// left the allowed origins and nothing failed. WAIT: waitForFunction options.
// `headers`: extra response headers of the server (e.g. CORS for a blog on another origin).
export function browserSuite({ timeout = 60000, polling = 100, headers } = {}) {
  const server = {};
  const browsers = [];
  before(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    Object.assign(server, await serve({ headers }));
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await server.close?.();
  });
  async function open(url, { origins = [server.origin], viewport, reducedMotion, colorScheme, initScript, browser } = {}) {
    let b = browser;
    if (!b) {
      b = await launch({ viewport, reducedMotion, colorScheme });
      browsers.push(b);
    }
    const page = await b.context.newPage();
    if (browser && viewport) await page.setViewportSize(viewport);
    if (initScript) await page.addInitScript(initScript);
    const seen = await watch(b.context, page, origins);
    await page.goto(url);
    return { page, seen };
  }
  // A browser the file's tests share (closed with the others).
  async function shared(opts) {
    const b = await launch(opts);
    browsers.push(b);
    return b;
  }
  function clean(seen) {
    assert.deepEqual(seen.foreign, [], 'no request may leave the origin');
    assert.deepEqual(seen.errors, [], 'no console errors or failed requests');
  }
  return { server, open, shared, clean, WAIT: { timeout, polling } };
}

// The playground's root element inside a page: the first .dlfs, also inside a
// custom element's shadow root or an iframe (pass a Frame as `page`).
export const stateOf = (page, selector = '.dlfs') => page.evaluate((sel) => {
  const r = document.querySelector(sel);
  return r ? { ...r.dataset } : null;
}, selector);

// "Any static host": a bare server for the release build (dist/) with no
// CSP, no compression and no caching headers, only content types and the
// `headers` asked for, serving `root` under the sub-path `prefix`.
const PLAIN_TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };
export async function servePlain({ root, prefix = '/', headers = {} }) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); return res.end(); }
    const file = normalize(join(root, path.slice(prefix.length) || 'index.html')).replace(/\/$/, '/index.html');
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    try {
      const body = await readFile(file.endsWith('/') ? join(file, 'index.html') : file);
      res.writeHead(200, { 'Content-Type': PLAIN_TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404, headers);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, base: `${origin}${prefix}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}
