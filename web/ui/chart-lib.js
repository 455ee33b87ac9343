// chart-lib.js: Chart.js 4 (copied from npm into vendor/ by scripts/build.sh,
// served from our own origin) as an ES module import. The UMD bundle assigns
// globalThis.Chart when it runs without a module loader; we take it from there
// once so the rest of the page never reads a global.
import '../vendor/chart.umd.min.js';

export const Chart = globalThis.Chart;
