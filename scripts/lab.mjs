#!/usr/bin/env node
// lab.mjs: the book's chapter-6 experiments, headless.
//
//   node scripts/lab.mjs <preset> [--seed N] [--set key=value ...] [--workers N] [--json] [--quiet]
//
// Runs a preset of web/experiments/presets.js on real MNIST over a pool of worker threads
// (scripts/lib/pool.js), the same modules the page uses. Without --json: a table of the
// headline numbers on stdout. With --json: exactly
// one JSON object {preset, settings, series, summary} on stdout; a series is
// {name, x, values} (+ diverged: true when its run diverged and stopped early).
// Without --json stderr shows progress (a line at least every 10 s); either way
// a warning when the settings are far beyond the book's scale. --quiet: neither.
// Exit codes: 0 done (a diverged run is a result), 2 bad usage or setting,
// 1 anything else (data missing, a worker died), always with a one-line message.
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadEngine } from '../web/engine/engine.js';
import { loadMnist } from './lib/shards-node.js';
import { createPool } from './lib/threads.js';
import { scaleWarning } from './lib/work-scale.mjs';
import { PRESET_NAMES, describePreset, firstStageJobs, parseSetting, resolveSettings, runPreset, sliceDatasets } from '../web/experiments/presets.js';

const DATA_DIR = fileURLToPath(new URL('../web/data', import.meta.url));

class UsageError extends Error {}

function usage() {
  const lines = [
    'usage: node scripts/lab.mjs <preset> [--seed N] [--set key=value ...] [--workers N] [--json] [--quiet]',
    '',
    '  --seed N         preset seed (default 1); every run\'s seed derives from it',
    '  --set key=value  override a setting (repeatable; lists are comma-separated, e.g. hidden=100,100)',
    `  --workers N      worker threads (default: cores, here ${os.availableParallelism()})`,
    '  --json           print one JSON object {preset, settings, series, summary} on stdout',
    '  --quiet          no progress bar and no warnings on stderr',
    '',
    'presets and their settings (book values):',
  ];
  for (const name of PRESET_NAMES) {
    const d = describePreset(name);
    lines.push('', `${name}: ${d.title} (${d.book})`, `  ${d.doc}`);
    for (const [k, { default: v, doc }] of Object.entries(d.keys)) {
      const shown = Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? +x.toPrecision(4) : x)).join(',') : String(v);
      const cut = shown.length > 22 ? `${shown.slice(0, 21)}…` : shown; // the doc says the rest
      lines.push(`    ${k.padEnd(17)}${cut.padEnd(24)}${doc}`);
    }
  }
  return lines.join('\n');
}

function parseArgs(argv) {
  // No prototype: `--set __proto__=1` is a key like any other (and refused as unknown).
  const opts = { overrides: Object.create(null), json: false, workers: os.availableParallelism() };
  const rest = [...argv];
  const value = (flag) => {
    if (!rest.length) throw new UsageError(`${flag} needs a value`);
    return rest.shift();
  };
  while (rest.length) {
    const a = rest.shift();
    if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--seed') opts.overrides.seed = value(a);
    else if (a === '--workers') {
      const v = value(a);
      opts.workers = Number(v);
      if (!Number.isInteger(opts.workers) || opts.workers < 1 || opts.workers > 256) throw new UsageError(`--workers: must be an integer from 1 to 256 (got ${JSON.stringify(v)})`);
    } else if (a === '--set') {
      const kv = value(a);
      const eq = kv.indexOf('=');
      if (eq < 1) throw new UsageError(`--set: expected key=value (got ${JSON.stringify(kv)})`);
      opts.overrides[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (opts.preset) throw new UsageError(`one preset at a time (got ${opts.preset} and ${a})`);
    else opts.preset = a;
  }
  if (!opts.help && !opts.preset) throw new UsageError(`which preset? one of ${PRESET_NAMES.join(', ')} (--help lists their settings)`);
  if (opts.preset && !PRESET_NAMES.includes(opts.preset)) throw new UsageError(`unknown preset ${JSON.stringify(opts.preset)}; presets are ${PRESET_NAMES.join(', ')}`);
  return opts;
}

// Let the engine check every run's config (ranges live in C) before anything starts.
async function checkConfigs(name, settings) {
  const engine = await loadEngine();
  for (const job of firstStageJobs(name, settings)) {
    if (job.config) engine.createRun(job.config).dispose();
  }
  engine.dispose();
}

// The executor runPreset needs, over a pool and MNIST as loadMnist returns it.
export function executeWith(pool, mnist, onProgress) {
  return (jobs, specs, stage) => pool.run(jobs, {
    datasets: sliceDatasets(specs, mnist),
    onProgress: onProgress && ((p) => onProgress({ ...p, ...stage })),
  });
}

export async function loadMnistOrExplain() {
  try {
    return await loadMnist(DATA_DIR);
  } catch (e) {
    throw new Error(`cannot read MNIST from ${DATA_DIR} (run ./scripts/build.sh): ${e.message}`);
  }
}

// ---- the readable output ----

const BARS = ' ▁▂▃▄▅▆▇█';
// A sparkline of `values` scaled to [lo, hi] (default: their own range), at most `width` chars.
function spark(values, width = values.length, lo, hi) {
  if (!values.length) return '';
  const step = values.length / Math.min(width, values.length);
  const pts = [];
  for (let x = 0; x < values.length; x += step) pts.push(values[Math.floor(x)]);
  const min = lo ?? Math.min(...pts), max = hi ?? Math.max(...pts);
  return pts.map((v) => BARS[max > min ? Math.round(((v - min) / (max - min)) * (BARS.length - 1)) : 0]).join('');
}
const num = (x) => (x === null || x === undefined ? '-' : Math.abs(x) >= 1000 || (x !== 0 && Math.abs(x) < 0.001) ? x.toExponential(2) : x.toPrecision(3));
const pct = (x) => (x === null || x === undefined ? 'diverged' : `${(x * 100).toFixed(1)}%`);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const REPORTS = {
  activations(out) {
    const s = out.summary.stats;
    return table(['layer', `histogram over (${out.settings.range.join(', ')})`, 'outside', 'mean', 'std'],
      out.series.map((x) => [x.name, spark(x.values), pct(s[x.name].outside), num(s[x.name].mean), num(s[x.name].std)]));
  },
  init(out) {
    const rows = out.series.map((x) => {
      const l = out.summary.loss[x.name];
      return [x.name, num(l.first), num(l.mean), l.diverged ? `diverged at ${l.divergedAt}` : num(l.last100), spark(x.values, 50, 0, 2.5)];
    });
    return table(['init', 'first loss', 'mean loss', 'last 100', 'loss curve (0 to 2.5)'], rows);
  },
  batchnorm(out) {
    const curve = (name) => out.series.find((x) => x.name === name).values;
    const rows = out.summary.final.map((f, i) => [f.scale.toPrecision(3), pct(f.bn), pct(f.plain), spark(curve(`bn@${i}`), 40, 0, 1), spark(curve(`plain@${i}`), 40, 0, 1)]);
    return table(['weight std', 'BN acc', 'plain acc', 'BN curve (0 to 1)', 'plain curve (0 to 1)'], rows);
  },
  overfit(out) {
    const s = out.summary;
    const [train, test] = out.series.map((x) => x.values);
    return [
      table(['epochs', 'train acc', 'test acc', 'gap', 'best test (epoch)'],
        [[s.epochs, pct(s.train), pct(s.test), s.gap === null ? '-' : s.gap.toFixed(3), `${pct(s.bestTest)} (${s.bestTestEpoch})`]]),
      `train ${spark(train, 60, 0, 1)}`,
      `test  ${spark(test, 60, 0, 1)}`,
      ...(s.diverged ? [`diverged at iteration ${s.divergedAt}`] : []),
    ].join('\n');
  },
  search(out) {
    const s = out.summary;
    const rows = s.trials.slice(0, out.settings.best).map((t, k) => [k + 1, pct(t.valAcc), pct(t.trainAcc), t.lr.toExponential(2), t.weightDecay.toExponential(2), t.trial]);
    const g = s.goodRange;
    return [
      table(['rank', 'val acc', 'train acc', 'lr', 'weight decay', 'trial'], rows),
      g.lr ? `best ${g.trials}: lr ${g.lr.map((x) => x.toExponential(1)).join(' to ')}, weight decay ${g.weightDecay.map((x) => x.toExponential(1)).join(' to ')}` : 'no trial finished',
      `${s.trials.length} trials, ${s.diverged} diverged`,
    ].join('\n');
  },
};
REPORTS['optimizers-2d'] = (out) => table(['optimizer', 'final x', 'final y', 'f(x, y)'],
  Object.entries(out.summary.final).map(([name, p]) => [name, num(p.x), num(p.y), num(p.f)]));
REPORTS.optimizers = (out) => table(['optimizer', 'first loss', 'mean loss', 'last 100', 'loss curve (0 to 2.5)'],
  out.series.map((x) => {
    const l = out.summary.loss[x.name];
    return [x.name, num(l.first), num(l.mean), l.diverged ? `diverged at ${l.divergedAt}` : num(l.last100), spark(x.values, 50, 0, 2.5)];
  }));
REPORTS['gradient-check'] = (out) => {
  const s = out.summary;
  const e = (x) => (x === null || Number.isNaN(x) ? '-' : x.toExponential(2));
  return [
    table(['key', 'entries', 'mean |bp - num| f64', 'rel error f64', 'rel (Richardson) f64', 'mean |bp - num| f32', 'rel error f32', 'note'],
      s.keys.map((k) => {
        const a = s.float64[k], b = s.float32[k];
        const note = a.zeroInTheory ? 'true gradient is 0 (bias before BatchNorm)' : a.kinks ? `${a.kinks} ReLU kink crossings left out` : '';
        return [k, a.size, e(a.meanAbsDiff), e(a.relError), e(a.relErrorRichardson), e(b.meanAbsDiff), e(b.relError), note];
      })),
    `loss ${s.loss.float64} (float64), h = ${out.settings.h}, batch of ${out.settings.batchSize} image(s)`,
  ].join('\n');
};
REPORTS['weight-decay'] = REPORTS.overfit;
REPORTS.dropout = REPORTS.overfit;

// stderr: a bar redrawn in place on a terminal, a line per 10% otherwise,
// and at least one line every HEARTBEAT ms, so a long job (one activation
// histogram of 100,000 samples reports nothing until it ends) is never silent.
const HEARTBEAT = 10000;
function progressBar(count) {
  const tty = process.stderr.isTTY;
  const t0 = performance.now();
  let lastTenth = -1;
  let last = { fraction: 0, finished: 0, count, stages: 1 };
  let wrote = performance.now();
  const line = (p) => {
    const f = Math.min(1, p.fraction);
    const stage = p.stages > 1 ? ` stage ${p.stage}/${p.stages}` : '';
    return `[${'#'.repeat(Math.round(f * 30)).padEnd(30, '.')}] ${(f * 100).toFixed(0).padStart(3)}%${stage} ${p.finished}/${p.count} runs ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  };
  const write = (text) => { process.stderr.write(tty ? `\r${text}` : `${text}\n`); wrote = performance.now(); };
  const timer = setInterval(() => { if (performance.now() - wrote >= HEARTBEAT) write(line(last)); }, 1000);
  timer.unref();
  const update = (p) => {
    last = p;
    const tenth = Math.floor(Math.min(1, p.fraction) * 10);
    if (tty || tenth !== lastTenth) {
      lastTenth = tenth;
      write(line(p));
    }
  };
  update.stop = () => clearInterval(timer);
  return update;
}

async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const overrides = Object.create(null);
  for (const [k, text] of Object.entries(opts.overrides)) overrides[k] = parseSetting(opts.preset, k, text);
  const settings = resolveSettings(opts.preset, overrides);
  await checkConfigs(opts.preset, settings);
  const warning = scaleWarning(opts.preset, settings);
  if (warning && !opts.quiet) process.stderr.write(`lab: ${warning}\n`);

  const needsData = firstStageJobs(opts.preset, settings).some((j) => j.train);
  const mnist = needsData ? await loadMnistOrExplain() : null;
  const pool = await createPool({ size: opts.workers });
  const t0 = performance.now();
  // --json keeps stderr for warnings and errors only (a consumer reads stdout).
  const bar = opts.quiet || opts.json ? null : progressBar(firstStageJobs(opts.preset, settings).length);
  try {
    const out = await runPreset(opts.preset, settings, { parts: pool.size, execute: executeWith(pool, mnist, bar) });
    if (bar && process.stderr.isTTY) process.stderr.write('\n'); // end the bar's line
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else {
      const d = describePreset(opts.preset);
      process.stdout.write(`${opts.preset}: ${d.title} (${d.book}), seed ${settings.seed}, ${pool.size} workers, ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`);
      process.stdout.write(`${REPORTS[opts.preset](out)}\n`);
    }
  } finally {
    bar?.stop();
    pool.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A reader that stops early (| head) is not an error.
  process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
  main(process.argv.slice(2)).catch((e) => {
    // Bad usage, or a setting refused here or by the engine (which names the key): 2.
    const bad = e instanceof UsageError || e.name === 'ConfigError' || (e.name === 'EngineError' && e.key);
    process.stderr.write(`lab: ${e.message}\n`);
    process.exitCode = bad ? 2 : 1;
  });
}
