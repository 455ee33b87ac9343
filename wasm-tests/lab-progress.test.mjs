// lab-progress.test.mjs: long valid work is never silent (issue 8, case 9):
// lab.mjs warns when settings are far beyond the book's scale, and shows
// progress on stderr for every preset, at least every 10 s (--quiet silences it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { scaleWarning } from '../scripts/lib/work-scale.mjs';
import { resolveSettings } from '../web/experiments/presets.js';

const LAB = fileURLToPath(new URL('../scripts/lab.mjs', import.meta.url));
const run = promisify(execFile);

test('the book-scale check: book settings pass, far larger ones warn', () => {
  for (const p of ['activations', 'init', 'batchnorm', 'overfit', 'weight-decay', 'dropout', 'search']) {
    assert.equal(scaleWarning(p, resolveSettings(p)), null, p);
  }
  assert.match(scaleWarning('activations', resolveSettings('activations', { samples: 100000, nodes: 1024, layers: 10 })),
    /about [\d,]+ times the work of the book's activations experiment/);
  assert.match(scaleWarning('overfit', resolveSettings('overfit', { epochs: 100000 })), /times the work/);
  assert.equal(scaleWarning('overfit', resolveSettings('overfit', { epochs: 300 })), null);
});

test('a run far beyond the book\'s scale says so at once and keeps talking', async () => {
  const child = spawn(process.execPath, [LAB, 'activations', '--set', 'samples=100000', '--set', 'nodes=1024', '--set', 'layers=10',
    '--set', 'activations=sigmoid', '--set', 'inits=1', '--workers', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const lines = [];
  child.stderr.on('data', (c) => {
    stderr += c;
    for (const l of String(c).split('\n')) if (l) lines.push({ l, t: performance.now() });
  });
  const t0 = performance.now();
  try {
    // The warning comes before any work, and a heartbeat line while the one
    // long job runs (within a minute; no exact timing asserted).
    await new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        if (lines.some((x) => /\] +0% 0\/1 runs/.test(x.l))) { clearInterval(timer); resolve(); }
        if (performance.now() - t0 > 60000) { clearInterval(timer); reject(new Error(`no heartbeat; stderr: ${stderr}`)); }
      }, 200);
      child.once('exit', (code) => { clearInterval(timer); reject(new Error(`exited early (${code}): ${stderr}`)); });
    });
    assert.match(stderr, /^lab: warning: these settings ask for about [\d,]+ times the work of the book's activations experiment/);
  } finally {
    child.kill();
  }
});

test('every preset shows progress on stderr; --quiet silences it', async () => {
  const tiny = {
    activations: ['--set', 'samples=10', '--set', 'nodes=5', '--set', 'layers=2'],
    init: ['--set', 'iterations=3', '--set', 'inits=he'],
    batchnorm: ['--set', 'epochs=1', '--set', 'scales=1', '--set', 'trainSize=100'],
    overfit: ['--set', 'epochs=2', '--set', 'testSize=10'],
    search: ['--set', 'trials=2', '--set', 'epochs=1', '--set', 'trainSize=20'],
  };
  for (const [preset, args] of Object.entries(tiny)) {
    const { stdout, stderr } = await run(process.execPath, [LAB, preset, ...args, '--workers', '1']);
    assert.match(stdout, new RegExp(`^${preset}: `));
    assert.match(stderr, /\] 100% /, `${preset}: ${stderr}`);
  }
  const quiet = await run(process.execPath, [LAB, 'activations', ...tiny.activations, '--quiet', '--workers', '1']);
  assert.equal(quiet.stderr, '');
});
