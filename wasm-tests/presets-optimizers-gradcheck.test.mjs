// The CLI contract of section 6.1's presets and the gradient check (scripts/lab.mjs):
// {preset, settings, series, summary} with the series names and summary keys the
// page and readers rely on, on tiny overrides; bad settings exit 2 with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LAB = fileURLToPath(new URL('../scripts/lab.mjs', import.meta.url));
const lab = (...args) => new Promise((resolve) => {
  execFile(process.execPath, [LAB, ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
});
async function labJson(...args) {
  const r = await lab(...args, '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ['preset', 'settings', 'series', 'summary']);
  return out;
}
const set = (...kv) => kv.flatMap((x) => ['--set', x]);
const OPT = ['SGD', 'Momentum', 'AdaGrad', 'Adam'];

test('optimizers-2d: <optimizer>/x and /y, `steps` positions each, the start point first', async () => {
  const out = await labJson('optimizers-2d', ...set('steps=7', 'x0=3.5', 'lrAdam=0.2'));
  assert.deepEqual(out.series.map((s) => s.name), OPT.flatMap((n) => [`${n}/x`, `${n}/y`]));
  for (const s of out.series) {
    assert.equal(s.x, 'step');
    assert.equal(s.values.length, 7);
    assert.equal(s.values[0], s.name.endsWith('/x') ? 3.5 : 2);
  }
  assert.deepEqual(Object.keys(out.summary.final), OPT);
  assert.equal(out.settings.lrAdam, 0.2);
  // Deterministic: a second run prints the same bytes.
  const again = await lab('optimizers-2d', ...set('steps=7', 'x0=3.5', 'lrAdam=0.2'), '--json');
  assert.equal(again.stdout, JSON.stringify(out) + '\n');
});

test('optimizers: SGD, Momentum, AdaGrad, Adam loss curves of `iterations` points, last100 in the summary', async () => {
  const out = await labJson('optimizers', ...set('iterations=6', 'hidden=20,20', 'trainSize=500'), '--workers', '2');
  assert.deepEqual(out.series.map((s) => s.name), OPT);
  for (const s of out.series) {
    assert.equal(s.x, 'iteration');
    assert.equal(s.values.length, 6);
    assert.ok(s.values.every(Number.isFinite));
  }
  for (const n of OPT) assert.deepEqual(Object.keys(out.summary.loss[n]), ['first', 'last100', 'smoothedLast', 'mean']);
  // Same initial weights and the same first batch: Momentum's first update, v = -lr * grad,
  // is SGD's exactly, so their first losses agree bit for bit; AdaGrad's and Adam's differ.
  const first = Object.fromEntries(out.series.map((s) => [s.name, s.values[0]]));
  assert.equal(first.Momentum, first.SGD);
  assert.notEqual(first.AdaGrad, first.SGD);
  assert.notEqual(first.Adam, first.SGD);
  // ... and later ones differ (momentum builds up).
  assert.notEqual(out.series[1].values[5], out.series[0].values[5]);
});

test('gradient-check: per-tensor rows with the book\'s keys, float64 and float32 side by side', async () => {
  const out = await labJson('gradient-check', ...set('hidden=6,5', 'batchSize=3'));
  const keys = ['W1', 'b1', 'gamma1', 'beta1', 'W2', 'b2', 'gamma2', 'beta2', 'W3', 'b3'];
  assert.deepEqual(out.summary.keys, keys);
  for (const p of ['float64', 'float32']) {
    assert.deepEqual(Object.keys(out.summary[p]), keys);
    assert.equal(out.summary[p].W1.size, 784 * 6);
    for (const f of ['meanAbsDiff', 'relError', 'relErrorRichardson']) {
      const s = out.series.find((x) => x.name === `${p}/${f}`);
      assert.equal(s.x, 'tensor');
      assert.equal(s.values.length, keys.length);
    }
  }
  assert.equal(out.summary.float64.b1.zeroInTheory, true);
  assert.ok(out.summary.float64.W3.relErrorRichardson <= 1e-7);
  const noBn = await labJson('gradient-check', ...set('hidden=6,5', 'batchSize=2', 'batchNorm=false'));
  assert.deepEqual(noBn.summary.keys, ['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
});

test('bad settings exit 2 and name the key', async () => {
  for (const [preset, kv, key] of [
    ['optimizers-2d', 'lrSGD=-1', 'lrSGD'],
    ['optimizers-2d', 'steps=0', 'steps'],
    ['optimizers', 'lr=0.1', 'lr'],
    ['optimizers', 'optimizer=adam', 'optimizer'],
    ['gradient-check', 'h=0', 'h'],
    ['gradient-check', 'batchSize=0', 'batchSize'],
  ]) {
    const r = await lab(preset, '--set', kv, '--json');
    assert.equal(r.code, 2, `${preset} ${kv}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^lab: ${key}`), r.stderr);
    assert.equal(r.stdout, '');
  }
});
