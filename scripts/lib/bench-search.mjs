// bench-search.mjs: the search preset on the page against the CLI, in one run
// (issue 11: the page's search with 2 workers within 15 % of the CLI's).
// The two alternate, CLI first, `rounds` times each, so a load that drifts
// slows both alike; each round is the wall time of one whole search:
//   CLI   runPreset over a pool of `workers` Node worker threads, as lab.mjs and
//         the presets table do (MNIST already read, data sent to the workers
//         included);
//   page  headless Chromium on the page (web/, the dev tree, so it runs the
//         engine just built) at #preset=search&workers=N, from the page's
//         dlfs:start mark to its dlfs:done mark (the first shard's download
//         on loopback included; worker start-up, as in the CLI, not).
import { createPool } from './threads.js';
import { resolveSettings, runPreset } from '../../web/experiments/presets.js';
import { launch, serve, watch, WEB } from '../../wasm-tests/browser-harness.mjs';

async function cliSearch(pool, execute) {
  const t0 = performance.now();
  const out = await runPreset('search', resolveSettings('search'), { parts: pool.size, execute });
  return { seconds: (performance.now() - t0) / 1000, best: out.summary.trials[0] };
}

async function pageSearch(origin, workers) {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    const seen = await watch(b.context, page, [origin]);
    await page.goto(`${origin}/#preset=search&workers=${workers}`);
    await page.waitForFunction(() => performance.getEntriesByName('dlfs:done').length > 0, null, { timeout: 600000, polling: 250 });
    const ms = await page.evaluate(() => performance.getEntriesByName('dlfs:done').at(-1).startTime - performance.getEntriesByName('dlfs:start').at(-1).startTime);
    if (seen.errors.length || seen.foreign.length) throw new Error(`page problems: ${[...seen.errors, ...seen.foreign].join('; ')}`);
    return { seconds: ms / 1000 };
  } finally {
    await b.close();
  }
}

// Prints one line per round and the ratio page / CLI of the medians; returns them.
export async function benchSearchPageVsCli({ executeWith, mnist, workers = 2, rounds = 2, log = console.log }) {
  const pool = await createPool({ size: workers });
  const server = await serve({ root: WEB });
  const cli = [], page = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const c = await cliSearch(pool, executeWith(pool, mnist));
      cli.push(c.seconds);
      log(`  round ${r + 1}: CLI  ${c.seconds.toFixed(1).padStart(6)} s   (best val ${c.best.valAcc?.toFixed(3) ?? 'diverged'} at lr ${c.best.lr.toExponential(1)})`);
      const p = await pageSearch(server.origin, workers);
      page.push(p.seconds);
      log(`  round ${r + 1}: page ${p.seconds.toFixed(1).padStart(6)} s`);
    }
  } finally {
    pool.close();
    await server.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const ratio = median(page) / median(cli);
  log(`  search, ${workers} workers: page ${median(page).toFixed(1)} s / CLI ${median(cli).toFixed(1)} s = ${ratio.toFixed(2)} (medians; target <= 1.15 ${ratio <= 1.15 ? 'met' : 'MISSED'})`);
  return { cli, page, ratio };
}
