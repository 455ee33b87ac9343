// The CLI's contract (scripts/lab.mjs over web/experiments/presets.js, pool.js, worker.js):
// the JSON shape and series names of every preset on tiny overrides, exit code 2
// with a message for bad settings, diverged runs as results, results independent
// of the worker count; the pool's own promises (worker death, cancellation); and
// the worker's live protocol the page builds on (open/advance/set/hist/result).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPool } from '../scripts/lib/threads.js';
import { PRESET_NAMES, describePreset, logspace } from '../web/experiments/presets.js';
import { syntheticImages } from './helpers.mjs';

const LAB = fileURLToPath(new URL('../scripts/lab.mjs', import.meta.url));

function lab(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [LAB, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

async function labJson(...args) {
  const r = await lab(...args, '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing on stderr with --json');
  assert.equal(r.stdout.trim().split('\n').length, 1, 'exactly one line of JSON');
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['preset', 'settings', 'series', 'summary']);
  for (const s of out.series) {
    assert.ok(['iteration', 'epoch', 'bin'].includes(s.x), s.name);
    assert.ok(s.values.every((v) => typeof v === 'number' && Number.isFinite(v)), `${s.name}: finite numbers`);
  }
  return out;
}

const names = (out) => out.series.map((s) => s.name);
const set = (...kv) => kv.flatMap((x) => ['--set', x]);

test('--help lists every preset and its keys', async () => {
  const r = await lab('--help');
  assert.equal(r.code, 0);
  for (const name of PRESET_NAMES) {
    assert.match(r.stdout, new RegExp(`^${name}: `, 'm'));
    for (const key of Object.keys(describePreset(name).keys)) assert.match(r.stdout, new RegExp(`^\\s+${key}\\s`, 'm'));
  }
});

test('activations: <activation>/<init>/layer<k>, 30 bin counts each', async () => {
  const out = await labJson('activations', ...set('samples=50', 'nodes=20', 'layers=2'));
  const want = [];
  for (const a of ['sigmoid', 'relu', 'tanh']) for (const i of ['std=1', 'std=0.01', 'Xavier', 'He']) for (const k of [1, 2]) want.push(`${a}/${i}/layer${k}`);
  assert.deepEqual(names(out), want);
  for (const s of out.series) {
    assert.equal(s.x, 'bin');
    assert.equal(s.values.length, 30);
    const st = out.summary.stats[s.name];
    // Every value is in a bin or outside the range: 50 samples x 20 units.
    assert.equal(s.values.reduce((a, b) => a + b, 0) + Math.round(st.outside * 1000), 1000);
  }
});

test('init: std=0.01, Xavier, He with one loss per iteration', async () => {
  const out = await labJson('init', ...set('iterations=30', 'trainSize=1000'));
  assert.deepEqual(names(out), ['std=0.01', 'Xavier', 'He']);
  for (const s of out.series) assert.equal(s.values.length, 30);
  assert.equal(out.settings.batchSize, 128);
  assert.equal(out.settings.lossMode, 'book');
});

test('batchnorm: bn@i and plain@i for the 16 scales of np.logspace(0, -4, 16)', async () => {
  const out = await labJson('batchnorm', ...set('epochs=2', 'trainSize=200'));
  const want = [];
  for (let i = 0; i < 16; i++) want.push(`bn@${i}`, `plain@${i}`);
  assert.deepEqual(names(out), want);
  assert.deepEqual(out.summary.scales, logspace(0, -4, 16));
  assert.equal(out.summary.scales[0], 1);
  assert.ok(Math.abs(out.summary.scales[15] - 1e-4) < 1e-18);
  for (const s of out.series) assert.equal(s.values.length, 2);
});

for (const [preset, extra] of [['overfit', {}], ['weight-decay', { weightDecay: 0.1 }], ['dropout', { dropout: 0.2 }]]) {
  test(`${preset}: train and test accuracy per epoch, book settings`, async () => {
    const out = await labJson(preset, ...set('epochs=4', 'testSize=300'));
    assert.deepEqual(names(out), ['train', 'test']);
    for (const s of out.series) {
      assert.equal(s.x, 'epoch');
      assert.equal(s.values.length, 4);
    }
    assert.deepEqual(out.settings.hidden, [100, 100, 100, 100, 100, 100]);
    assert.equal(out.settings.trainSize, 300);
    for (const [k, v] of Object.entries(extra)) assert.equal(out.settings[k], v);
    // Accuracies are exact fractions of the 300 training images.
    for (const v of out.series[0].values) assert.equal(Math.round(v * 300) / 300, v);
  });
}

test('weight-decay / dropout with baseline=true: the baseline is the overfit run of the same seed, bit for bit', async () => {
  const plain = await labJson('overfit', ...set('epochs=4', 'testSize=300'));
  for (const preset of ['weight-decay', 'dropout']) {
    const out = await labJson(preset, ...set('epochs=4', 'testSize=300', 'baseline=true'));
    assert.deepEqual(names(out), ['train', 'test', 'baseline train', 'baseline test']);
    assert.deepEqual(out.series[2].values, plain.series[0].values, `${preset}: baseline train`);
    assert.deepEqual(out.series[3].values, plain.series[1].values, `${preset}: baseline test`);
    assert.notDeepEqual(out.series[0].values, plain.series[0].values, `${preset}: the regularised run differs`);
    assert.equal(out.summary.baseline.test, plain.summary.test);
  }
  // Without weight decay or dropout there is nothing to compare: no baseline.
  assert.deepEqual(names(await labJson('overfit', ...set('epochs=2', 'testSize=100', 'baseline=true'))), ['train', 'test']);
});

test('search: trials ranked best first; best<k> curves replay their trial exactly', async () => {
  const out = await labJson('search', ...set('trials=22', 'epochs=3', 'trainSize=250'));
  const t = out.summary.trials;
  assert.equal(t.length, 22);
  for (const x of t) {
    assert.deepEqual(Object.keys(x).slice(0, 5), ['trial', 'lr', 'weightDecay', 'valAcc', 'trainAcc']);
    assert.ok(x.lr >= 1e-6 && x.lr <= 1e-2 && x.weightDecay >= 1e-8 && x.weightDecay <= 1e-4);
  }
  for (let k = 1; k < t.length; k++) assert.ok(t[k - 1].valAcc >= t[k].valAcc);
  const want = [];
  for (let k = 1; k <= 20; k++) want.push(`best${k}/val`, `best${k}/train`);
  assert.deepEqual(names(out), want);
  for (let k = 1; k <= 20; k++) {
    const val = out.series.find((s) => s.name === `best${k}/val`).values;
    const train = out.series.find((s) => s.name === `best${k}/train`).values;
    assert.equal(val.length, 3);
    assert.equal(val[2], t[k - 1].valAcc);
    assert.equal(train[2], t[k - 1].trainAcc);
  }
  assert.equal(out.summary.goodRange.trials, 5);
});

test('bad settings: exit code 2, a message naming the problem, nothing on stdout', async () => {
  const cases = [
    [['overfit', ...set('learningRate=0.1')], /learningRate: unknown setting/],
    [['overfit', ...set('lr=fast')], /lr: not a number/],
    [['overfit', ...set('lr=-1')], /lr: must be a finite number > 0 \(got -1\)/], // checked by the C engine
    [['overfit', ...set('epochs=0')], /epochs: must be an integer from 1/],
    [['overfit', '--set', 'lr'], /--set: expected key=value/],
    [['init', ...set('init=he')], /init: init varies it per run; set inits instead/],
    [['init', ...set('trainSize=70000')], /trainSize: needs 70000 train images, MNIST has 60000/],
    [['batchnorm', ...set('scales=1,-1')], /scales: must list 1 to 64 numbers > 0/],
    [['activations', ...set('lr=0.1')], /lr: activations trains nothing/],
    [['search', ...set('validationRate=0.001')], /validationRate: leaves 0 of 500 images for validation/],
    [['search', ...set('lrRange=-2,-6')], /lrRange: must be two numbers lo,hi with lo < hi/],
    [['overfit', '--seed', '-3'], /seed: must be an integer from 0/],
    [['overfit', '--workers', '0'], /--workers: must be an integer from 1 to 256/],
    [['overfit', '--fast'], /unknown option --fast/],
    [['nonsense'], /unknown preset "nonsense"; presets are activations, init/],
    [[], /which preset\?/],
  ];
  for (const [args, re] of cases) {
    const r = await lab(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^lab: ${re.source}`), args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});

test('a diverged run is a result: flagged in the JSON and the table, exit code 0', async () => {
  const args = ['overfit', ...set('init=10', 'lr=10000', 'epochs=5', 'testSize=100')];
  const out = await labJson(...args);
  assert.equal(out.summary.diverged, true);
  assert.ok(Number.isInteger(out.summary.divergedAt));
  assert.ok(out.series.every((s) => s.diverged === true && s.values.length < 5));
  const r = await lab(...args);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /diverged at iteration \d+/);
});

test('readable mode: a table on stdout, a progress bar on stderr', async () => {
  const r = await lab('weight-decay', ...set('epochs=3', 'testSize=100'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /train acc +test acc +gap/);
  assert.match(r.stderr, /\[#+\] 100%/);
});

test('results are bit-identical with 1 and 2 workers (and the split of overfit\'s epochs)', async () => {
  for (const args of [
    ['batchnorm', ...set('epochs=3', 'trainSize=300', 'scales=1,0.1,0.01')],
    ['dropout', ...set('epochs=7', 'testSize=500')],
    ['search', ...set('trials=6', 'epochs=2', 'trainSize=250', 'best=3')],
  ]) {
    const one = await lab(...args, '--json', '--workers', '1');
    const two = await lab(...args, '--json', '--workers', '2');
    assert.equal(one.code, 0, one.stderr);
    assert.ok(one.stdout.length > 100);
    assert.equal(one.stdout, two.stdout, args[0]);
  }
});

// ---- the pool itself ----

const tinyJob = { kind: 'activations', label: 'tiny', params: { activation: 'relu', init: 'he', samples: 10, width: 10, layers: 1, bins: 5, seed: 1 } };

test('pool: a worker that dies is reported with the job it was running', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dlfs-pool-'));
  const file = path.join(dir, 'dying-worker.mjs');
  // Starts like web/workers/worker.js, then dies on its first job.
  await writeFile(file, `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => { if (m.type === 'init') parentPort.postMessage({ type: 'ready' }); if (m.type === 'run') process.exit(3); });`);
  const pool = await createPool({ size: 1, workerUrl: pathToFileURL(file) });
  try {
    await assert.rejects(pool.run([tinyJob]), /worker 1 of 1 died while running job 0 \(tiny\): exited with code 3/);
  } finally {
    pool.close();
    await rm(dir, { recursive: true });
  }
  const broken = path.join(dir, 'missing.mjs');
  await assert.rejects(createPool({ size: 1, workerUrl: pathToFileURL(broken) }), /worker 1 could not start/);
});

test('pool: a failing job names itself; cancellation rejects and leaves the pool usable', async () => {
  const pool = await createPool({ size: 2 });
  try {
    const bad = { ...tinyJob, label: 'bad', params: { ...tinyJob.params, activation: 'gelu' } };
    await assert.rejects(pool.run([tinyJob, bad]), (e) => /job 1 \(bad\): activation: must be one of relu, sigmoid, tanh/.test(e.message) && e.key === 'activation');

    // Training runs in chunks, so a cancel gets through mid-job.
    const { pixels, labels } = syntheticImages(100);
    const datasets = { train: { key: 'synthetic', pixels, labels } };
    const endless = { kind: 'train', label: 'endless', config: { hidden: [50], trainSize: 100, batchSize: 10, maxIterations: 10000000 }, train: 'train', evals: [], iterations: 10000000, evalFrom: 0 };
    const ac = new AbortController();
    let progress = 0;
    const running = pool.run([endless, endless, endless], { datasets, signal: ac.signal, onProgress: (p) => { if (++progress === 4) ac.abort(new Error('stop')); } });
    await assert.rejects(running, /stop/);
    assert.ok(progress >= 4);
    const [r] = await pool.run([tinyJob]);
    assert.equal(r.layers.length, 1);
  } finally {
    pool.close();
  }
});

test('worker: a paused job steps by epochs, takes live settings, shows its activations, and survives a refused one', async () => {
  const { Worker } = await import('node:worker_threads');
  const { loadEngine } = await import('../web/engine/engine.js');
  const w = new Worker(new URL('../web/workers/worker.js', import.meta.url));
  const inbox = [];
  let wake = () => {};
  w.on('message', (m) => { inbox.push(m); wake(); });
  const next = async (type, id) => {
    for (;;) {
      const i = inbox.findIndex((m) => (m.type === type && (id === undefined || m.id === id)) || m.type === 'error');
      if (i >= 0) return inbox.splice(i, 1)[0];
      await new Promise((r) => { wake = r; });
    }
  };
  // Progress of job `id` until it has done `done` iterations: the worker pushes
  // a message every ~50 ms, so a step may arrive in several; joined here.
  const until = async (id, done) => {
    let m = await next('progress', id);
    const all = { ...m, loss: Array.from(m.loss), epochs: { first: m.epochs.first, acc: m.epochs.acc.map((a) => Array.from(a)) } };
    while (m.done < done) {
      m = await next('progress', id);
      all.done = m.done;
      all.loss.push(...m.loss);
      m.epochs.acc.forEach((a, slot) => all.epochs.acc[slot].push(...a));
    }
    return all;
  };
  try {
    w.postMessage({ type: 'init', wasmModule: (await loadEngine()).module });
    await next('ready');
    const { pixels, labels } = syntheticImages(200);
    w.postMessage({ type: 'data', name: 'd', key: 'synthetic', first: 0, capacity: 200, pixels, labels });
    assert.equal((await next('data')).count, 200);
    const job = { kind: 'train', config: { hidden: [20, 20], trainSize: 200, batchSize: 20, maxIterations: 1000 }, train: 'd', evals: [{ data: 'd' }], iterations: 1000, evalFrom: 0 };
    w.postMessage({ type: 'run', id: 7, job, paused: true });
    w.postMessage({ type: 'step', id: 7, epochs: 2 }); // 10 iterations per epoch
    const p = await until(7, 20);
    assert.equal(p.done, 20);
    assert.equal(p.lossFirst, 0);
    assert.equal(p.loss.length, 20);
    assert.deepEqual([p.epochs.first, p.epochs.acc[0].length], [0, 2]); // epochs end at iterations 0, 10
    w.postMessage({ type: 'set', id: 7, lr: -1 });
    const refused = await next('refused', 7);
    assert.match(refused.error.message, /lr: must be a finite number > 0/);
    w.postMessage({ type: 'set', id: 7, lr: 0.5, weightDecay: 0.01 });
    w.postMessage({ type: 'hist', id: 7, data: 'd', count: 5000, bins: 10, lo: 0, hi: 1 });
    const h = await next('hist', 7);
    assert.equal(h.layers.length, 2);
    assert.equal(h.layers[0].counts.reduce((a, b) => a + b, 0) + h.layers[0].below + h.layers[0].above, 200 * 20); // count capped at the set's 200
    w.postMessage({ type: 'step', id: 7, epochs: 1 });
    const after = await until(7, 30);
    assert.deepEqual([after.done, after.lossFirst, after.epochs.first], [30, 20, 2]);
    w.postMessage({ type: 'resume', id: 7 });
    const r = (await next('result', 7)).result;
    assert.equal(r.iterations, 1000);
    assert.equal(r.evals[0].acc.length, 100);
    w.postMessage({ type: 'step', id: 7, epochs: 1 });
    assert.match((await next('refused', 7)).error.message, /no job 7/);
    // The same seeded run without the live change: identical for 20 steps, then not.
    w.postMessage({ type: 'run', id: 8, job, paused: true });
    w.postMessage({ type: 'step', id: 8, epochs: 2 });
    assert.deepEqual((await until(8, 20)).loss, p.loss);
    w.postMessage({ type: 'step', id: 8, epochs: 1 });
    const other = await until(8, 30);
    assert.equal(other.loss.length, 10);
    assert.notDeepEqual(other.loss, after.loss);
    w.postMessage({ type: 'cancel', id: 8 });
  } finally {
    await w.terminate();
  }
});

test('worker: the jobs it holds progress together, and push their points without being asked', async () => {
  const pool = await createPool({ size: 1 });
  try {
    const { pixels, labels } = syntheticImages(200);
    const datasets = { train: { key: 'synthetic', pixels, labels } };
    const job = (seed) => ({ kind: 'train', label: `net ${seed}`, config: { hidden: [30, 30], trainSize: 200, batchSize: 20, seed, maxIterations: 10000 }, train: 'train', evals: [], iterations: 10000, evalFrom: 0 });
    const done = [0, 0, 0];
    let atFirstResult = null;
    const results = await pool.start([job(1), job(2), job(3)], datasets, {
      together: Infinity,
      onProgress: (i, _job, m) => { done[i] = m.done; },
      onResult: () => { atFirstResult ??= [...done]; },
    }).done;
    assert.ok(results.every((r) => r.iterations === 10000));
    // Round-robin with the same number of iterations per round: when the first
    // net finishes, the others are close behind (not waiting to start).
    assert.ok(atFirstResult.every((d) => d >= 5000), `progress when the first finished: ${atFirstResult}`);
  } finally {
    pool.close();
  }
});

test('search: evaluating every epoch does not touch training, so curves recorded the first time equal a replay', async () => {
  const pool = await createPool({ size: 1 });
  try {
    const { pixels, labels } = syntheticImages(300);
    const datasets = { train: { key: 'synthetic300', pixels, labels }, val: { key: 'synthetic300', pixels, labels } };
    const base = { kind: 'train', config: { hidden: [20, 20, 20], trainSize: 250, batchSize: 50, lr: 0.05, weightDecay: 1e-3, maxIterations: 26 }, train: 'train', evals: [{ data: 'val', count: 50 }, { data: 'train' }], iterations: 26, loss: true };
    const [every, last] = await pool.run([{ ...base, evalFrom: 0 }, { ...base, evalFrom: 25 }], { datasets });
    assert.deepEqual(Array.from(every.loss), Array.from(last.loss));
    assert.deepEqual(Array.from(every.evals[0].acc).slice(-1), Array.from(last.evals[0].acc).slice(-1));
    assert.deepEqual(Array.from(every.evals[1].acc).slice(-1), Array.from(last.evals[1].acc).slice(-1));
    assert.ok(Array.from(every.evals[0].acc).every(Number.isFinite));
    assert.ok(Array.from(last.evals[0].acc).slice(0, -1).every(Number.isNaN));
  } finally {
    pool.close();
  }
});
