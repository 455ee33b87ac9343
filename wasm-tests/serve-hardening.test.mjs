// serve-hardening.test.mjs: scripts/serve.mjs survives hostile request paths
// (issue 8, case 1): a malformed percent-encoding is a 400, the server keeps
// serving, and every response (errors included) carries nosniff and a
// Referrer-Policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer } from '../scripts/serve.mjs';

// A raw GET (node:http sends the path as given, unlike fetch, which would normalise it).
function get(port, path, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const BAD_PATHS = ['/%', '/%zz', '/%2', '/a%ff', '/%E0%A4%A', '/%c0%ae%c0%ae/package.json', '/data/%', '/%00', '/%ed%a0%80'];

test('malformed percent-encodings get 400 and the server keeps serving', async () => {
  const server = await startServer({ port: 0 });
  const { port } = server.address();
  try {
    for (const path of BAD_PATHS) {
      const res = await get(port, path);
      assert.ok(res.status === 400 || res.status === 404, `${path}: ${res.status}`);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.ok(res.headers['referrer-policy'], `${path}: no Referrer-Policy`);
      // Still alive: a good request after every bad one.
      const ok = await get(port, '/index.html');
      assert.equal(ok.status, 200, `after ${path}`);
    }
    assert.equal((await get(port, '/%')).status, 400);
    for (const res of [await get(port, '/no-such-file'), await get(port, '/index.html', 'POST'), await get(port, '/index.html')]) {
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    }
    // Traversal stays refused, encoded or not.
    for (const path of ['/%2e%2e/package.json', '/..%2fpackage.json', '/data/..%2f..%2fpackage.json']) {
      const res = await get(port, path);
      assert.ok(res.status === 403 || res.status === 404, `${path}: ${res.status}`);
      assert.doesNotMatch(res.body, /dlfs-playground/, path);
    }
  } finally {
    server.closeAllConnections?.();
    await new Promise((r) => server.close(r));
  }
});
