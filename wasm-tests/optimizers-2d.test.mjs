// optimizers-2d (6.1.7): the float64 JS update rules against a float64 NumPy
// transcription of the book's common/optimizer.py and optimizer_compare_naive.py
// (wasm-tests/reference/book_optimizers.py, run with /usr/bin/python3), and
// smooth_curve against common/util.py's. scripts/setup.sh installs NumPy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OPTIMIZERS_2D, trajectories2d } from '../web/experiments/optimizers-2d.js';
import { resolveSettings, runPreset } from '../web/experiments/presets.js';
import { smoothCurve } from '../web/experiments/smooth-curve.js';

const REFERENCE = fileURLToPath(new URL('./reference/book_optimizers.py', import.meta.url));
const python = (request) => JSON.parse(execFileSync('/usr/bin/python3', [REFERENCE], { input: JSON.stringify(request) }).toString());

const BOOK = { lrs: { SGD: 0.95, Momentum: 0.1, AdaGrad: 1.5, Adam: 0.3 }, x0: -7, y0: 2, steps: 30 };
const OTHER = { lrs: { SGD: 0.3, Momentum: 0.05, AdaGrad: 0.7, Adam: 0.9 }, x0: 4.5, y0: -3.25, steps: 60 };

// "To float32 precision": |a - b| <= 2^-23 * max(|a|, |b|, 1e-30 scale floor).
function assertClose(a, b, what) {
  const tol = 2 ** -23 * Math.max(Math.abs(a), Math.abs(b));
  assert.ok(Math.abs(a - b) <= tol, `${what}: JS ${a} vs NumPy ${b}`);
}

for (const [label, req] of [['the book\'s settings', BOOK], ['other rates and start', OTHER]]) {
  test(`trajectories match the NumPy transcription (${label})`, () => {
    const ref = python(req).trajectories;
    const js = trajectories2d(req);
    for (const name of OPTIMIZERS_2D) {
      for (const axis of ['x', 'y']) {
        assert.equal(js[name][axis].length, req.steps);
        js[name][axis].forEach((v, i) => assertClose(v, ref[name][axis][i], `${name}/${axis}[${i}]`));
        // The same IEEE double operations in the same order: bit-identical, except Adam,
        // whose beta ** iter comes from V8's pow here and libm's there (an ulp apart at times).
        if (name !== 'Adam') assert.deepEqual(js[name][axis], ref[name][axis], `${name}/${axis} bit for bit`);
      }
    }
  });
}

test('the book\'s picture: positions before each update, start point first, each optimizer approaches the minimum', () => {
  const t = trajectories2d(BOOK);
  for (const name of OPTIMIZERS_2D) {
    assert.equal(t[name].x[0], -7);
    assert.equal(t[name].y[0], 2);
  }
  // SGD zig-zags in y (lr 0.95: y <- y - 0.95 * 2y = -0.9 y) while creeping along x.
  assert.ok(t.SGD.y.slice(0, 10).every((y, i, a) => i === 0 || Math.sign(y) !== Math.sign(a[i - 1])));
  // AdaGrad damps y almost to zero (its first step moves both axes by lr = 1.5).
  assert.ok(Math.abs(t.AdaGrad.y[29]) < 1e-6);
});

test('the preset: {preset, settings, series, summary} with <optimizer>/x|y series of `steps` points', async () => {
  const out = await runPreset('optimizers-2d', resolveSettings('optimizers-2d', { steps: 12 }), { execute: () => assert.fail('no jobs') });
  assert.deepEqual(out.series.map((s) => s.name), OPTIMIZERS_2D.flatMap((n) => [`${n}/x`, `${n}/y`]));
  for (const s of out.series) assert.equal(s.values.length, 12);
  const t = trajectories2d({ ...BOOK, steps: 12 });
  assert.deepEqual(out.series[0].values, t.SGD.x);
  assert.ok(Number.isFinite(out.summary.final.Adam.f));
});

test('smooth_curve matches common/util.py (np.kaiser(11, 2), reflected ends)', () => {
  let s = 12345;
  const x = Array.from({ length: 300 }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2.3);
  const ref = python({ ...BOOK, steps: 1, smooth: x }).smooth;
  const js = smoothCurve(x);
  assert.equal(js.length, ref.length);
  js.forEach((v, i) => assert.ok(Math.abs(v - ref[i]) <= 1e-12, `[${i}] ${v} vs ${ref[i]}`));
});
