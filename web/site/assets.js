// site/assets.js: the playground's files by their path under web/. Here each is
// where its path says; scripts/build-site.mjs replaces this table with the
// content-hashed names it writes to dist/ (long-cached; the entry pages and
// embed.js keep their names).
export const ASSETS = {};
// The playground's root (web/, or dist/ in the release) relative to the module
// that resolves against it (site/host.js here; the release's bundle sits at the root).
export const ROOT = '../';
// The release also carries the shards' manifest (1 KB compressed), so the
// data worker asks for the first shard at once instead of after a round trip.
export const MANIFEST = null;
