// The same run in dlfs.wasm (SIMD kernels) and in the native build (portable
// kernels) must agree to 1e-5 relative: same seed, same batch, different
// summation orders only. The native side is csrc/tools/probe.c, built by
// ./scripts/test.sh into build/native-asan/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, engineWithMnist } from './helpers.mjs';

const PROBE = ['build/native-asan/dlfs_probe', 'build/native/dlfs_probe'].map((p) => join(ROOT, p)).find(existsSync);
const COUNT = 500;

// Mirrors the config in csrc/tools/probe.c. A sane learning rate matters: after
// one step at a huge rate the softmax saturates and the loss (~11) is dominated
// by log(p + 1e-7) of tiny p, which magnifies last-bit differences in the logits
// far beyond what the two builds' arithmetic differs by.
const CONFIG = { hidden: [50, 30], batchNorm: true, dropout: 0.2, weightDecay: 0.01, seed: 7, batchSize: 50, trainSize: COUNT, lr: 0.001, optimizer: 'adam' };

function relErr(a, b) { return Math.abs(a - b) / Math.max(Math.abs(b), 1e-30); }

test('WASM and native agree within 1e-5 relative on a fixed batch of real MNIST', async () => {
  assert.ok(PROBE, 'native dlfs_probe not built: run ./scripts/test.sh (it builds build/native-asan)');
  const { engine, train: data, mnist } = await engineWithMnist({ train: COUNT, test: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'dlfs-agree-'));
  const raw = join(dir, 'images.raw');
  writeFileSync(raw, Buffer.concat([mnist.train.pixels.subarray(0, COUNT * 784), mnist.train.labels.subarray(0, COUNT)]));

  // Three steps: the forward losses on the first batches and the test-mode evaluation after the updates.
  let native;
  try {
    native = JSON.parse(execFileSync(PROBE, [raw, String(COUNT), '3'], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const run = engine.createRun(CONFIG);
  run.setTrain(data);
  run.train(3);
  const wasmEval = run.evaluate(data);
  for (let i = 0; i < 3; i++) {
    assert.ok(relErr(run.lossCurve[i], native.loss[i]) <= 1e-5, `loss[${i}] ${run.lossCurve[i]} vs native ${native.loss[i]}`);
  }
  assert.ok(relErr(wasmEval.loss, native.evalLoss) <= 1e-5, `eval loss ${wasmEval.loss} vs native ${native.evalLoss}`);
  assert.equal(wasmEval.accuracy, Math.fround(native.evalAccuracy)); // %.9g round-trips a float32
  run.dispose();
  data.dispose();
});
