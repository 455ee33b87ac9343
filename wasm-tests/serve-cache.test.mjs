// serve-cache.test.mjs: scripts/serve.mjs's caching headers. A file sent
// brotli-compressed, gzip-compressed (precompressed or on the fly) or as it
// is, is three representations: each has its own ETag, a revalidation
// matches only its own, and every response of a compressible type says
// Vary: Accept-Encoding (else a shared cache could hand gzip bytes to a
// client that asked for none). Content-hashed names are cached for good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { startServer } from '../scripts/serve.mjs';
import { DIST } from './browser-harness.mjs';

function get(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('brotli, gzip and identity responses have distinct ETags, each revalidates only itself, all Vary: Accept-Encoding', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dlfs-serve-'));
  const js = Buffer.from('export const x = 1;\n'.repeat(200));
  await writeFile(join(root, 'app.js'), js);
  await writeFile(join(root, 'app.js.br'), brotliCompressSync(js));
  await writeFile(join(root, 'app.js.gz'), gzipSync(js));
  await writeFile(join(root, 'plain.css'), 'body { color: red; }\n'.repeat(100)); // gzip on the fly
  const server = await startServer({ port: 0, root });
  const { port } = server.address();
  try {
    for (const path of ['/app.js', '/plain.css']) {
      const br = await get(port, path, { 'accept-encoding': 'gzip, br' });
      const gz = await get(port, path, { 'accept-encoding': 'gzip' });
      const id = await get(port, path, {});
      assert.equal(br.headers['content-encoding'], path === '/app.js' ? 'br' : 'gzip', path);
      assert.equal(gz.headers['content-encoding'], 'gzip', path);
      assert.equal(id.headers['content-encoding'], undefined, path);
      for (const r of [br, gz, id]) assert.equal(r.headers.vary, 'Accept-Encoding', path);
      if (path === '/app.js') assert.equal(new Set([br.headers.etag, gz.headers.etag, id.headers.etag]).size, 3, `${path}: ${br.headers.etag} ${gz.headers.etag} ${id.headers.etag}`);
      else assert.notEqual(gz.headers.etag, id.headers.etag, path);
      // Each tag revalidates its own representation, and no other.
      const again = await get(port, path, { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag });
      assert.equal(again.status, 304, `${path}: gzip revalidated with its own tag`);
      assert.equal(again.headers.vary, 'Accept-Encoding');
      const wrong = await get(port, path, { 'if-none-match': gz.headers.etag });
      assert.equal(wrong.status, 200, `${path}: identity request with the gzip tag gets the identity bytes`);
      assert.equal(wrong.body.length, Number(wrong.headers['content-length']));
      const list = await get(port, path, { 'if-none-match': `"nope", ${id.headers.etag}` });
      assert.equal(list.status, 304, `${path}: a tag in a list`);
    }
  } finally {
    server.closeAllConnections?.();
    await new Promise((r) => server.close(r));
    await rm(root, { recursive: true, force: true });
  }
});

test('every content-hashed file of dist/ is cached for good, the entry pages revalidate', { skip: !existsSync(join(DIST, 'index.html')) && 'no dist/' }, async () => {
  const server = await startServer({ port: 0, root: DIST });
  const { port } = server.address();
  try {
    const names = (await readdir(DIST)).filter((f) => /-[A-Z0-9]{8}\.(js|css|wasm)$/.test(f));
    assert.ok(names.length >= 5, names.join(' '));
    for (const f of names) assert.match((await get(port, `/${f}`)).headers['cache-control'], /immutable/, f);
    const [dataDir] = await readdir(join(DIST, 'data'));
    assert.match((await get(port, `/data/${dataDir}/manifest.json`)).headers['cache-control'], /immutable/);
    for (const f of ['/index.html', '/embed.js', '/embed.html']) assert.equal((await get(port, f)).headers['cache-control'], 'no-cache', f);
  } finally {
    server.closeAllConnections?.();
    await new Promise((r) => server.close(r));
  }
});
