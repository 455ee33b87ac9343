// soak.test.mjs: nothing accumulates (issue 8, "soak"): 1000 create/train/
// dispose cycles leave the WASM memory where the first ones left it, and 50
// restarts in the page leave the same number of workers running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../web/engine/engine.js';
import { syntheticImages } from './helpers.mjs';
import { launch, serve, watch } from './browser-harness.mjs';

test('1000 create/train/dispose cycles: WASM memory stays flat', async () => {
  const engine = await loadEngine();
  const synth = syntheticImages(200, 9);
  const cycle = (i) => {
    const data = engine.createData({ capacity: 200 });
    data.append(synth.pixels, synth.labels);
    const run = engine.createRun({ hidden: [32, 16], batchSize: 20, trainSize: 200, lr: 0.1, seed: i, batchNorm: i % 2 === 1, dropout: i % 3 === 0 ? 0.2 : 0, maxIterations: 50 });
    run.setTrain(data).setEval(0, data, 100);
    run.train(i % 5 === 0 ? 10 : 2);
    run.evaluate(data, 0, 100);
    run.dispose();
    data.dispose();
  };
  for (let i = 0; i < 50; i++) cycle(i); // warm up: the allocator reaches its working size
  const warm = engine.x.memory.buffer.byteLength;
  for (let i = 50; i < 1000; i++) cycle(i);
  assert.equal(engine.x.memory.buffer.byteLength, warm, 'memory grew over 950 more cycles');
  // And the same allocations still fit where they did: no leak hiding in free space.
  const p = engine.x.malloc(1 << 20);
  assert.ok(p > 0);
  engine.x.free(p);
  engine.dispose();
});

test('50 restarts in the page: the worker count stays constant', async () => {
  const server = await serve();
  const b = await launch();
  try {
    const page = await b.context.newPage();
    const seen = await watch(b.context, page, [server.origin]);
    await page.goto(`${server.origin}/#preset=sandbox&trainSize=1000&epochs=3&workers=2`);
    const points = () => page.evaluate(() => Number(document.querySelector('.dlfs')?.dataset.points ?? 0));
    await page.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, { timeout: 60000 });
    const before = page.workers().length;
    assert.ok(before >= 2, `workers at start: ${before}`);
    for (let i = 0; i < 50; i++) {
      // Alternate the restart buttons and structural changes through the link.
      if (i % 10 === 9) await page.evaluate((s) => { location.hash = `#preset=sandbox&trainSize=1000&epochs=3&workers=2&seed=${s}`; }, i);
      else await page.locator('.dlfs [data-action="reset"]').click();
      await page.waitForFunction(() => Number(document.querySelector('.dlfs')?.dataset.points) > 0, null, { timeout: 60000 });
    }
    assert.ok(await points() > 0);
    assert.equal(page.workers().length, before, 'workers after 50 restarts');
    assert.deepEqual(seen.errors, []);
    await page.close();
  } finally {
    await b.close();
    await server.close();
  }
});
