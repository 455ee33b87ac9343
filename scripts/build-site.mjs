#!/usr/bin/env node
// build-site.mjs: the release build. From web/ (after scripts/build.sh) it
// writes dist/, a self-contained static site that works from any host and
// any sub-path (every reference is relative):
//   index.html embed.html embed.js      entry URLs bloggers paste: stable names
//   examples/                           the blog example
//   embed.css embed-host.js             for blogs: reserved room per element, the iframe sizer
//   main-HASH.js + chunk-HASH.js        the page: a small entry that starts the data and the
//                                       engine, the app (chunks), and Chart.js, a chunk of its
//                                       own that the charts ask for after the first paint
//   embed.js + chunk-HASH.js            the custom element; the app loads when it scrolls near
//   worker-HASH.js shard-loader-HASH.js the workers, one self-contained ES module each
//   dlfs-HASH.wasm styles-HASH.css      the engine, the styles
//   start-check-HASH.js                 says why when the modules cannot load
//   dlfs_f64.wasm                       the gradient check's float64 engine (loaded by the worker)
//   data/HASH/                          manifest.json and the shards (HASH: of the manifest,
//                                       which holds every shard's sha256)
// Content-hashed names can be cached for good; the .gz and .br beside each
// text asset let a host serve them precompressed.
// Usage: node scripts/build-site.mjs [--out dist] [--analyze]   (--analyze: what each bundle holds, by input file)
import { analyzeMetafile, build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rm, writeFile, rename } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'web');
const args = process.argv.slice(2);
const OUT = resolve(ROOT, args.includes('--out') ? args[args.indexOf('--out') + 1] : 'dist');
const TEXT = new Set(['.html', '.js', '.css', '.json', '.svg', '.wasm', '.txt']);

// esbuild's hash alphabet (base32: A-Z, 2-7) and length, for the files we
// name ourselves; serve.mjs caches names of that form for good.
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const hashOf = (bytes) => {
  const h = createHash('sha256').update(bytes).digest();
  let bits = 0n;
  for (const b of h.subarray(0, 5)) bits = (bits << 8n) | BigInt(b);
  return Array.from({ length: 8 }, (_, i) => BASE32[Number((bits >> BigInt(35 - 5 * i)) & 31n)]).join('');
};
const hashed = (name, bytes) => `${basename(name, extname(name))}-${hashOf(bytes)}${extname(name)}`;

async function copyHashed(src, dir = '') {
  const bytes = await readFile(join(WEB, src));
  const name = join(dir, hashed(src, bytes));
  await mkdir(join(OUT, dir), { recursive: true });
  await writeFile(join(OUT, name), bytes);
  return name;
}

// data/: the manifest and its shards under a directory named by the manifest's hash.
async function copyData() {
  const manifest = await readFile(join(WEB, 'data', 'manifest.json'));
  const dir = join('data', hashOf(manifest));
  await mkdir(join(OUT, dir), { recursive: true });
  await writeFile(join(OUT, dir, 'manifest.json'), manifest);
  for (const s of JSON.parse(manifest).shards) await cp(join(WEB, 'data', s.name), join(OUT, dir, s.name));
  return join(dir, 'manifest.json');
}

// The bundler's shared options. site/assets.js becomes the table of hashed names;
// chart-lib.js takes Chart.js's ES module build from npm (the UMD file the
// unbundled page imports would hide its global inside the bundle) with only
// the parts our charts use registered, which leaves the rest of Chart.js out
// of the bundle (about 5 KB gzip less to fetch and parse before the first
// point). A chart of a new type or scale must be listed here; the release
// tests (browser-release.test.mjs) open every tab of dist/ and would fail
// with Chart.js's '"x" is not a registered controller' otherwise.
const CHART_LIB = `import {
  Chart, LineController, BarController, ScatterController, LineElement, PointElement, BarElement,
  LinearScale, LogarithmicScale, CategoryScale, Decimation, Legend, Title, Tooltip, Colors,
} from 'chart.js';
Chart.register(LineController, BarController, ScatterController, LineElement, PointElement, BarElement,
  LinearScale, LogarithmicScale, CategoryScale, Decimation, Legend, Title, Tooltip, Colors);
export { Chart };`;

function options(assets, manifestJson = 'null') {
  const virtual = {
    name: 'dlfs-release',
    setup(b) {
      b.onResolve({ filter: /(^|\/)(assets|chart-lib)\.js$/ }, (a) => {
        const file = join(a.resolveDir, a.path);
        const which = basename(file);
        if (dirname(file) === join(WEB, 'site') && which === 'assets.js') return { path: 'assets', namespace: 'dlfs' };
        if (dirname(file) === join(WEB, 'ui') && which === 'chart-lib.js') return { path: 'chart-lib', namespace: 'dlfs' };
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'dlfs' }, (a) => (a.path === 'assets'
        ? { contents: `export const ASSETS = ${JSON.stringify(assets)};\nexport const MANIFEST = ${manifestJson};\nexport const ROOT = './';`, loader: 'js' }
        : { contents: CHART_LIB, loader: 'js', resolveDir: ROOT }));
    },
  };
  return {
    bundle: true, minify: true, format: 'esm', target: ['es2022', 'chrome100', 'firefox115', 'safari16'],
    platform: 'browser', external: ['node:*'], outdir: OUT, entryNames: '[name]-[hash]', chunkNames: 'chunk-[hash]',
    metafile: true, legalComments: 'eof', logLevel: 'warning', plugins: [virtual],
  };
}

// Output file names by entry point, from esbuild's metafile.
function outputsOf(meta) {
  const byEntry = {};
  for (const [file, o] of Object.entries(meta.outputs)) if (o.entryPoint) byEntry[basename(o.entryPoint)] = relative(OUT, join(ROOT, file));
  return byEntry;
}

// The chunks an output imports statically, transitively (to preload them with it).
function staticImports(meta, file, seen = new Set()) {
  const o = meta.outputs[relative(ROOT, join(OUT, file))];
  for (const i of o?.imports ?? []) {
    const chunk = relative(OUT, join(ROOT, i.path));
    if (i.kind !== 'import-statement' || seen.has(chunk)) continue;
    seen.add(chunk);
    staticImports(meta, chunk, seen);
  }
  return [...seen];
}

// index.html / embed.html: the development module list becomes the bundle.
// The HTML asks for the code the first plotted point needs, so nothing waits
// for a script to run first, in the order it is needed: the entry (small: it
// starts the engine and the data) and its chunks, the app (its text is what
// the reader waits for, and Lighthouse's largest paint), the engine, the
// workers. (The app used to come last: at 150 ms RTT it then queued behind the
// engine for one of the six connections, and the first point came ~0.2 s later.)
// Not asked for here: the first training shard (main.js fetches it once the
// placeholder is painted) and Chart.js (charts.js imports it once the app's
// text is painted).
async function writePage(name, assets, { script, chunks }) {
  let html = await readFile(join(WEB, name), 'utf8');
  html = html.replace(/^<!--.*-->\n/gm, '').replace(/^<link rel="modulepreload"[^>]*>\n/gm, '');
  html = html.replace('href="styles.css"', `href="${assets['styles.css']}"`);
  html = html.replace('src="start-check.js"', `src="${assets['start-check.js']}"`);
  const preload = [
    `<script type="module" src="${script}"></script>`,
    ...chunks.map((c) => `<link rel="modulepreload" href="${c}">`),
    `<link rel="preload" href="${assets['engine/dlfs.wasm']}" as="fetch" type="application/wasm" crossorigin>`,
    ...['workers/worker.js', 'data/shard-loader.js'].map((w) => `<link rel="modulepreload" href="${assets[w]}">`),
  ].join('\n');
  html = html.replace('<script type="module" src="main.js"></script>', preload);
  if (/"main\.js|"styles\.css|"start-check\.js/.test(html)) throw new Error(`${name}: unexpected script references left`);
  await writeFile(join(OUT, name), html);
}

async function compressAll(dir) {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const file = join(e.parentPath ?? e.path, e.name);
    if (!e.isFile() || !TEXT.has(extname(file))) continue;
    const bytes = await readFile(file);
    await writeFile(`${file}.gz`, gzipSync(bytes, { level: 9 }));
    await writeFile(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
    n++;
  }
  return n;
}

const t0 = Date.now();
for (const f of ['engine/dlfs.wasm', 'engine/dlfs_f64.wasm', 'data/manifest.json']) {
  await readFile(join(WEB, f)).catch(() => {
    console.error(`build-site: web/${f} is missing; run ./scripts/build-site.sh (it builds web/ first)`);
    process.exit(1);
  });
}
await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const assets = {
  'data/manifest.json': await copyData(),
  'engine/dlfs.wasm': await copyHashed('engine/dlfs.wasm'),
  'styles.css': await copyHashed('styles.css'),
  'start-check.js': await copyHashed('start-check.js'),
};

// The page scripts carry the manifest (without the build stamp) to save the data worker a round trip.
const { stamp, description, ...manifest } = JSON.parse(await readFile(join(WEB, 'data', 'manifest.json'), 'utf8'));
const manifestJson = JSON.stringify(manifest);

// Workers first: the pages need their names.
const workers = await build({ ...options(assets), entryPoints: [join(WEB, 'workers', 'worker.js'), join(WEB, 'data', 'shard-loader.js')] });
const w = outputsOf(workers.metafile);
assets['workers/worker.js'] = w['worker.js'];
assets['data/shard-loader.js'] = w['shard-loader.js'];

// The page: main.js, small, starts the data and the engine; the app (with
// Chart.js) is a chunk it imports, fetched in parallel (writePage). The
// element: embed.js stays small and loads the app as a chunk when an
// element comes near view.
const page = await build({ ...options(assets, manifestJson), entryPoints: [join(WEB, 'main.js')], splitting: true });
const pageOut = outputsOf(page.metafile);
const main = pageOut['main.js'];
const app = pageOut['app.js'];
if (!app) throw new Error('build-site: the page bundle has no chunk for ui/app.js (main.js must import it dynamically)');
// The entry's chunks, then the app's: the app's own chunk last (writePage puts the engine before it).
const pageChunks = [...new Set([...staticImports(page.metafile, main), ...staticImports(page.metafile, app), app])];
// Chart.js: not preloaded (charts.js imports it once the page has painted).
const chartLib = pageOut['dlfs:chart-lib']; // the virtual module (options())
if (!chartLib || pageChunks.includes(chartLib)) throw new Error('build-site: Chart.js must be a chunk of its own that the app imports dynamically (ui/charts.js)');
const element = await build({ ...options(assets, manifestJson), entryPoints: [join(WEB, 'embed.js')], splitting: true });
const embedHashed = outputsOf(element.metafile)['embed.js'];
await rename(join(OUT, embedHashed), join(OUT, 'embed.js'));

await writePage('index.html', assets, { script: main, chunks: pageChunks });
await writePage('embed.html', assets, { script: main, chunks: pageChunks });
await cp(join(WEB, 'favicon.svg'), join(OUT, 'favicon.svg'));
// The gradient check's float64 engine: the worker asks for it beside its own
// script (engine.js resolves './dlfs_f64.wasm' against import.meta.url), so it
// keeps its name; loaded only when that tab runs.
await cp(join(WEB, 'engine', 'dlfs_f64.wasm'), join(OUT, 'dlfs_f64.wasm'));
// For blogs, under the names they paste: the room each element reserves, the iframe sizer.
for (const f of ['embed.css', 'embed-host.js']) await cp(join(WEB, f), join(OUT, f));
await cp(join(WEB, 'examples'), join(OUT, 'examples'), { recursive: true });
const compressed = await compressAll(OUT);
if (args.includes('--analyze')) for (const b of [workers, page, element]) console.error(await analyzeMetafile(b.metafile));

const size = (f) => readFile(join(OUT, f)).then((b) => `${f} ${(b.length / 1024).toFixed(0)} KB (${(gzipSync(b, { level: 9 }).length / 1024).toFixed(0)} KB gzip)`);
console.error(`build-site: wrote ${relative(ROOT, OUT)}/ in ${Date.now() - t0} ms; ${compressed} text files precompressed (.gz, .br)`);
for (const f of [main, ...pageChunks, chartLib, 'embed.js', ...staticImports(element.metafile, embedHashed), assets['workers/worker.js'], assets['data/shard-loader.js'], assets['engine/dlfs.wasm']]) console.error(`  ${await size(f)}`);
