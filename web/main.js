// main.js: entry of the full page (index.html) and of the iframe page
// (embed.html, <body data-mode="frame">): mount one playground with the state
// in the URL hash. This module is small on purpose: it starts the engine (a
// training worker, dlfs.wasm) as soon as it runs, while the app still loads
// (the release build preloads it as chunks of its own); the app finds the
// worker in the page-wide pool, and starts the data (data-cache.js: the first
// shard once its text is painted) and Chart.js (charts.js) itself.
// The app is imported dynamically, so that a failure to load it
// ends in a readable message, not a blank page (a failure of this module's
// own imports is start-check.js's to explain).
import { startFailure } from './ui/dom.js';
import { WORKER_URL, WASM_URL } from './site/host.js';
import { pagePool } from './workers/page-pool.js';

// start-check.js looks for this mark to tell that the modules loaded.
document.documentElement.dataset.dlfsStarted = '';
const root = document.getElementById('playground');
const mode = document.body.dataset.mode === 'frame' ? 'frame' : 'page';

try {
  pagePool({ workerUrl: WORKER_URL, wasmUrl: WASM_URL }).warm(1);
  const { Playground, readHash } = await import('./ui/app.js');
  const { state, problems } = readHash(location.hash);
  new Playground(root, { mode, state, problems });
} catch (err) {
  root.replaceChildren(startFailure(err));
}
// The iframe tells its host how tall it is once the playground is laid out
// (or failed to start); until then it keeps the height its snippet gave it.
if (mode === 'frame') import('./ui/frame-height.js').then((m) => m.postHeights());
