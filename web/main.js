// main.js: entry of the full page (index.html) and of the iframe page
// (embed.html, <body data-mode="frame">): mount one playground with the state
// in the URL hash. The first shard and the engine start loading at once, in
// parallel with the app's modules (Chart.js among them); the app then finds
// them in the page-wide data cache and worker pool. Modules are imported
// dynamically so that a failure to load ends in a readable message, not a
// blank page.
import { startFailure } from './ui/dom.js';
const root = document.getElementById('playground');
const mode = document.body.dataset.mode === 'frame' ? 'frame' : 'page';

async function startEarly() {
  const [{ MANIFEST_URL, WORKER_URL, WASM_URL }, { dataSource }, { pagePool }] = await Promise.all([
    import('./site/host.js'), import('./data/data-cache.js'), import('./workers/page-pool.js'),
  ]);
  dataSource(MANIFEST_URL).start();
  pagePool({ workerUrl: WORKER_URL, wasmUrl: WASM_URL }).warm(1);
}

try {
  const [{ Playground, readHash }] = await Promise.all([import('./ui/app.js'), startEarly()]);
  const { state, problems } = readHash(location.hash);
  new Playground(root, { mode, state, problems });
} catch (err) {
  root.replaceChildren(startFailure(err));
}
// The iframe tells its host how tall it is once the playground is laid out
// (or failed to start); until then it keeps the height its snippet gave it.
if (mode === 'frame') import('./ui/frame-height.js').then((m) => m.postHeights());
