// main.js: entry of the full page (index.html) and of the iframe page
// (embed.html, <body data-mode="frame">): mount one playground with the state
// in the URL hash. This module is small on purpose: it starts the first
// shard's download and the engine (the data worker, a training worker,
// dlfs.wasm) as soon as it runs, while the app and Chart.js, by far the most
// bytes and parsing, still load (the release build preloads them as a chunk
// of their own). The app then finds both in the page-wide data cache and
// worker pool. The app is imported dynamically, so that a failure to load it
// ends in a readable message, not a blank page (a failure of this module's
// own imports is start-check.js's to explain).
import { startFailure } from './ui/dom.js';
import { MANIFEST_URL, WORKER_URL, WASM_URL } from './site/host.js';
import { dataSource } from './data/data-cache.js';
import { pagePool } from './workers/page-pool.js';

// start-check.js looks for this mark to tell that the modules loaded.
document.documentElement.dataset.dlfsStarted = '';
const root = document.getElementById('playground');
const mode = document.body.dataset.mode === 'frame' ? 'frame' : 'page';

try {
  dataSource(MANIFEST_URL).start();
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
