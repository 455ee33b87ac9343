// assets.js: the playground's files by their path under web/. Here each is
// where its path says; scripts/build-site.mjs replaces this table with the
// content-hashed names it writes to dist/ (long-cached; the entry pages and
// embed.js keep their names).
export const ASSETS = {};
