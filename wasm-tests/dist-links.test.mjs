// dist-links.test.mjs: every file the release's HTML pages refer to is in
// dist/, and the blog example uses the optional embed.css. Both fail silently
// in a browser: the release measured a layout shift of 0.146 on dist/'s blog
// example (its elements had no reserved height before their script came: the
// example did not link embed.css and dist/ did not have it) while the
// development tree, which had both, measured 0.
// Also: the pages preload the code their first plotted point needs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DIST } from './browser-harness.mjs';

const PAGES = ['index.html', 'embed.html', 'examples/blog.html'];

// Relative href/src values (not anchors' page links with a hash or query only).
function references(html) {
  const refs = [];
  for (const m of html.matchAll(/<(link|script|iframe|img)\b[^>]*?\b(href|src)="([^"]+)"/g)) {
    const url = m[3].replace(/&amp;/g, '&');
    if (/^[a-z]+:|^\/\//i.test(url)) continue; // another origin: none expected, checked by the browser tests
    refs.push({ tag: m[1], path: url.split(/[?#]/)[0] });
  }
  return refs;
}

test('every file the release pages link, load or preload is in dist/', async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: run ./scripts/build-site.sh (test.sh does)');
  for (const page of PAGES) {
    const html = await readFile(join(DIST, page), 'utf8');
    const refs = references(html);
    assert.ok(refs.length > 0, `${page}: no references found (the pattern is stale?)`);
    for (const { tag, path } of refs) {
      const file = join(DIST, dirname(page), path === '' || path.endsWith('/') ? `${path}index.html` : path);
      assert.ok(existsSync(file), `${page}: <${tag}> refers to ${path}, which dist/ does not have`);
    }
  }
});

test('the blog example reserves its embeds\' room (embed.css) and sizes its iframe (embed-host.js)', async () => {
  const html = await readFile(join(DIST, 'examples/blog.html'), 'utf8');
  assert.match(html, /<link rel="stylesheet" href="\.\.\/embed\.css">/);
  assert.match(html, /<script src="\.\.\/embed-host\.js" defer><\/script>/);
});

test('the page preloads its engine and its app chunk, not the shard or Chart.js (fetched once the page has painted)', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /train-00\.bin\.gz/);
  assert.match(html, /<link rel="preload" href="dlfs-[A-Z0-9]{8}\.wasm" as="fetch" type="application\/wasm" crossorigin>/);
  assert.match(html, /<link rel="modulepreload" href="worker-[A-Z0-9]{8}\.js">/);
  assert.ok((html.match(/rel="modulepreload"/g) ?? []).length >= 3, 'the entry\'s chunks, the workers and the app are preloaded');
});
