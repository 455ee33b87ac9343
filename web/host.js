// host.js: where the playground's files are: beside this module, on the
// playground's own host, also when the custom element runs on a blog elsewhere.
export const BASE = new URL('./', import.meta.url);
export const MANIFEST_URL = new URL('data/manifest.json', BASE);
export const WORKER_URL = new URL('workers/worker.js', BASE);
export const WASM_URL = new URL('engine/dlfs.wasm', BASE);
