// site/host.js: where the playground's files are: in web/ (this module's parent), on the
// playground's own host, also when the custom element runs on a blog elsewhere.
import { ASSETS, MANIFEST, ROOT } from './assets.js';

export const BASE = new URL(ROOT, import.meta.url);
const at = (path) => new URL(ASSETS[path] ?? path, BASE);
export const MANIFEST_URL = at('data/manifest.json');
export const BUILT_MANIFEST = MANIFEST; // null, or the manifest at MANIFEST_URL
export const WORKER_URL = at('workers/worker.js');
export const SHARD_LOADER_URL = at('data/shard-loader.js');
export const WASM_URL = at('engine/dlfs.wasm');
export const STYLES_URL = at('styles.css');
