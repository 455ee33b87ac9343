// main.js: entry of the full page (index.html) and of the iframe page
// (embed.html, <body data-mode="frame">): mount one playground with the state
// in the URL hash. This module is small on purpose: it starts the engine (a
// training worker, dlfs.wasm) and the data (data-cache.js: the shard loader
// and, once the placeholder is painted, the first shard) as soon as it runs,
// while the app still loads (the release build preloads it as chunks of its
// own). The app finds both in their page-wide caches and starts Chart.js
// (charts.js) itself. Why the first shard starts here and not with the app:
// on a slow link the shard's request would otherwise go out only once the app
// has arrived, and the link would idle for a round trip (bench-page.mjs,
// 150 ms RTT: the first point 0.3 s sooner, the app's text no later).
// The app is imported dynamically, so that a failure to load it
// ends in a readable message, not a blank page (a failure of this module's
// own imports is start-check.js's to explain).
import { startFailure } from './ui/dom.js';
import { WORKER_URL, WASM_URL, MANIFEST_URL } from './site/host.js';
import { dataSource } from './data/data-cache.js';
import { pagePool } from './workers/page-pool.js';

// start-check.js looks for this mark to tell that the modules loaded.
document.documentElement.dataset.dlfsStarted = '';
const root = document.getElementById('playground');
const mode = document.body.dataset.mode === 'frame' ? 'frame' : 'page';

try {
  pagePool({ workerUrl: WORKER_URL, wasmUrl: WASM_URL }).warm(1);
  dataSource(MANIFEST_URL).start();
  const { Playground, readHash } = await import('./ui/app.js');
  const { state, problems } = readHash(location.hash);
  new Playground(root, { mode, state, problems });
} catch (err) {
  root.replaceChildren(startFailure(err));
}
// The iframe tells its host how tall it is once the playground is laid out
// (or failed to start); until then it keeps the height its snippet gave it.
if (mode === 'frame') import('./ui/frame-height.js').then((m) => m.postHeights());
