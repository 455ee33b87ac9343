#!/usr/bin/env node
// serve.mjs: a small static server for web/ (or the release build, dist/)
// on 127.0.0.1, with the Content-Security-Policy the playground promises to
// work under.
//   node scripts/serve.mjs [--port 8080] [--root web|dist|DIR] [--cors] [--quiet]
// --cors sends Access-Control-Allow-Origin: * (what a host must send for the
// custom element to work on blogs elsewhere). A precompressed file.br / file.gz
// beside a file (dist/ has them) is sent when the client accepts it; other
// text is gzipped on the fly. Content-hashed names (name-HASH8.ext) and the
// hashed data directory are cached for a year, the rest revalidates.
// Exported startServer() is what the browser tests use.
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// worker-src blob:: in a frame sandboxed with "allow-scripts" alone (an opaque
// origin) our workers can only start from a blob: script that imports ours
// (web/workers/module-worker.js); a blob: URL can only be made by a script
// this policy already let run.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self' blob:";

// Headers on every response, errors included.
const SAFETY = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.gz': 'application/octet-stream', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};

// Shards are large and immutable for a given manifest, and the release
// build's hashed files for good: let a second visit take them from the
// browser cache; everything else revalidates.
function cacheControl(path) {
  if (/-[A-Z2-7]{8}\.[a-z]+$/.test(path) || /^\/data\/[A-Z2-7]{8}\//.test(path)) return 'public, max-age=31536000, immutable';
  return path.startsWith('/data/') && path.endsWith('.gz') ? 'public, max-age=86400' : 'no-cache';
}

const here = fileURLToPath(new URL('.', import.meta.url));

// If-None-Match: "*" or a list of tags; compared weakly (RFC 9110 13.1.2: W/ ignored).
function notModified(header, etag) {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (t) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

export function startServer({ port = 8080, host = '127.0.0.1', root = join(here, '..', 'web'), log = () => {}, headers = {} } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const send = (code, body) => {
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', ...SAFETY });
      res.end(body);
    };
    // A malformed escape (/%, /%zz, /a%ff) is the client's error, never the
    // server's end: any page could send one with <img src=".../%">.
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      log(`400 ${String(req.url).slice(0, 80)}`);
      return send(400, 'bad request: malformed percent-encoding in the path');
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(403, 'forbidden');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let st;
    try {
      st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
    } catch {
      log(`404 ${path}`);
      return send(404, `not found: ${path}`);
    }
    // Text and wasm go compressed when the client accepts it, as static hosts
    // do (the shards are gzip files already): a precompressed file.br /
    // file.gz beside it if there is one, else gzip on the fly. Each of these
    // is its own representation with its own ETag (a cache must never answer
    // a gzip request with a 304 meant for the brotli bytes), and every
    // response of a compressible type says it varies with Accept-Encoding.
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/(json|wasm)|image\/svg)/.test(type);
    const accepts = (enc) => new RegExp(`\\b${enc}\\b`).test(req.headers['accept-encoding'] ?? '');
    const pre = compressible ? [['br', '.br'], ['gzip', '.gz']].find(([enc, ext]) => accepts(enc) && existsSync(file + ext)) : undefined;
    const gzip = !pre && compressible && accepts('gzip');
    const sent = pre ? await stat(file + pre[1]).catch(() => st) : st;
    const tag = `${sent.size.toString(16)}-${Math.floor(sent.mtimeMs).toString(16)}`;
    // On-the-fly gzip is weak: the same file gives the same meaning, not promised the same bytes.
    const etag = pre ? `"${tag}-${pre[0]}"` : gzip ? `W/"${tag}-gzip"` : `"${tag}"`;
    const common = {
      ...SAFETY,
      ETag: etag,
      'Cache-Control': cacheControl(path),
      ...(compressible && { Vary: 'Accept-Encoding' }),
      ...headers,
    };
    if (notModified(req.headers['if-none-match'], etag)) {
      res.writeHead(304, common);
      return res.end();
    }
    const length = pre ? { 'Content-Encoding': pre[0], 'Content-Length': sent.size }
      : gzip ? { 'Content-Encoding': 'gzip' } : { 'Content-Length': st.size };
    res.writeHead(200, { ...common, 'Content-Type': type, ...length });
    log(`200 ${path}`);
    if (req.method === 'HEAD') return res.end();
    if (pre) createReadStream(file + pre[1]).pipe(res);
    else if (gzip) createReadStream(file).pipe(createGzip()).pipe(res);
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
  const port = Number(opt('--port', 8080));
  const quiet = args.includes('--quiet');
  try {
    const headers = args.includes('--cors') ? { 'Access-Control-Allow-Origin': '*' } : {};
    const root = opt('--root', undefined);
    if (root !== undefined && !existsSync(root)) throw new Error(`--root ${root}: no such directory${root.includes('dist') ? ' (run ./scripts/build-site.sh)' : ''}`);
    const server = await startServer({ port, root, headers, log: quiet ? () => {} : (m) => console.log(m) });
    console.log(`dlfs-playground: serving on http://127.0.0.1:${server.address().port}/`);
  } catch (err) {
    console.error(`serve: ${err.message}`);
    process.exit(1);
  }
}
