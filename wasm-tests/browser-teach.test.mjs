// The page teaches like the book (issue 9), in headless Chromium: the
// activations tab as the book's figures, failures named where they happen,
// the search's narrowing round, test digits / confusion matrix / drawing pad
// from the training net, Korean that breaks between words, and screenshots
// of every tab in both languages at desktop and phone widths (artifacts/).
// Waits are for conditions, never for times.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { browserSuite, ARTIFACTS } from './browser-harness.mjs';
import { EXPERIMENT_NAMES } from '../web/experiments/experiments.js';

const { server, open: openPage, shared, clean, WAIT } = browserSuite({ timeout: 120000 });
let browser;

// One browser for these tests (browser.test.mjs covers cold caches): the
// shards are downloaded once, which keeps the added run time modest.
before(async () => { browser = await shared(); });

const open = (hash, { viewport = { width: 1280, height: 900 } } = {}) => openPage(`${server.origin}/${hash}`, { browser, viewport });

const dataset = (page) => page.evaluate(() => ({ ...document.querySelector('.dlfs').dataset }));
async function until(page, fn, arg) {
  try {
    return await page.waitForFunction(fn, arg, WAIT);
  } catch (err) {
    const now = await page.evaluate(() => ({ ...document.querySelector('.dlfs')?.dataset, status: document.querySelector('.dlfs .status')?.textContent })).catch(() => null);
    throw new Error(`${err.message.split('\n')[0]} waiting for ${fn}; the playground: ${JSON.stringify(now)}`);
  }
}
const done = (page) => until(page, () => document.querySelector('.dlfs')?.dataset.state === 'done');

test('activations: the chosen activation under four inits x five layers at once, over its own range, with no MNIST or speed readouts', async () => {
  const { page, seen } = await open('#preset=activations&lang=en');
  await until(page, () => Number(document.querySelector('.dlfs').dataset.filled) >= 20);
  assert.equal(await page.locator('.acts-grid canvas').count(), 20);
  assert.equal(await page.locator('.acts-grid .row-head').count(), 4, 'rows: std=1, std=0.01, Xavier, He');
  assert.match(await page.locator('figcaption').first().textContent(), /Sigmoid.*30 bins over \(0, 1\)/);
  // Each histogram says how much of the layer lies outside the plotted range.
  await until(page, () => [...document.querySelectorAll('.acts-grid .outside')].every((n) => /% outside$/.test(n.textContent)));
  await until(page, () => /outside the plotted range/.test(document.querySelector('.acts-grid canvas').getAttribute('aria-label')));
  assert.equal(await page.locator('.dlfs .data').isVisible(), false, 'no MNIST loading bar: the input is random');
  assert.equal(await page.locator('.dlfs .readouts').isVisible(), false, 'no samples/s: nothing trains');
  // tanh is drawn over (-1, 1), as the book does, so its negative half is not cut off.
  await page.locator('select').filter({ has: page.locator('option[value="tanh"]') }).selectOption('tanh');
  await until(page, () => /tanh.*\(-1, 1\)/.test(document.querySelector('figcaption')?.textContent) && Number(document.querySelector('.dlfs').dataset.filled) >= 20);
  assert.match(await page.evaluate(() => location.hash), /activations=tanh.*range=-1,1|range=-1,1.*activations=tanh/);
  // All three at once: the book's 12 pairs (60 histograms), tanh still over (-1, 1);
  // ReLU's first bar, half its values, is cut off so that the rest shows (the book's ylim).
  await page.locator('select').filter({ has: page.locator('option[value="all"]') }).selectOption('all');
  await until(page, () => Number(document.querySelector('.dlfs').dataset.filled) >= 60);
  assert.equal(await page.locator('.acts-grid canvas').count(), 60);
  const captions = await page.locator('figcaption').allTextContents();
  assert.ok(/Sigmoid.*\(0, 1\)/.test(captions[0]) && /ReLU.*\(0, 1\)/.test(captions[1]) && /tanh.*\(-1, 1\)/.test(captions[2]), captions.join(' | '));
  await until(page, () => [...document.querySelectorAll('.acts-grid .outside')].some((n) => /first bar cut off: \d/.test(n.textContent)));
  clean(seen);
  await page.close();
});

test('batchnorm: cells whose run did not learn (or diverged) are marked, and the status counts them', async () => {
  // std 1 without BN diverges, std 0.01 without BN never learns; 0.2 learns either way.
  const { page, seen } = await open('#preset=batchnorm&epochs=6&scales=1,0.2,0.01&seed=1&workers=2&lang=en');
  await done(page);
  const cells = await page.evaluate(() => [...document.querySelectorAll('[data-cell]')].map((c) => ({ plain: c.dataset.plain ?? '', bn: c.dataset.bn ?? '', badges: c.textContent })));
  assert.equal(cells[0].plain, 'diverged', 'std 1 without BatchNorm');
  assert.equal(cells[2].plain, 'stuck', 'std 0.01 without BatchNorm');
  assert.match(cells[2].badges, /no BN: did not learn/);
  assert.equal(cells[1].plain, '', 'std 0.2 learns without BatchNorm');
  assert.equal(cells[2].bn, '', 'BatchNorm rescues std 0.01');
  // A marked cell's curve really stays at chance: its text alternative says so.
  const alt = await page.locator('[data-cell="2"] canvas').getAttribute('aria-label');
  const max = Number(/without BatchNorm \d+ points, last [\d.e-]+, min [\d.e-]+, max (\d[\d.e-]*\d)/.exec(alt)?.[1]);
  assert.ok(max <= 0.2, `the curve marked as not learning peaks at ${max}: ${alt}`);
  assert.match(await page.locator('.dlfs .status').textContent(), /of 3 runs without BatchNorm and \d+ with it did not learn/);
  assert.doesNotMatch(await page.locator('.dlfs .status').textContent(), /diverged/i, 'not "the run diverged" for the whole grid');
  // A cell's badges sit under its chart, never over its title ("std = 0.01") or its curves.
  const over = await page.evaluate(() => [...document.querySelectorAll('[data-cell]')].flatMap((c) => {
    const chart = c.querySelector('canvas').getBoundingClientRect();
    return [...c.querySelectorAll('.badge')].filter((b) => b.getBoundingClientRect().top < chart.bottom - 0.5).map((b) => b.textContent);
  }));
  assert.deepEqual(over, [], 'badges drawn over a cell\'s chart');
  clean(seen);
  await page.close();
});

// What a student reads on a phone, in Korean, in the dark.
test('a phone in Korean and dark: tables keep words and numbers whole, the search legend has the points\' colours, tabs that train nothing offer no training', async () => {
  const { page, seen } = await open('#preset=search&trials=8&epochs=2&seed=1&workers=2&lang=ko&theme=dark', { viewport: { width: 390, height: 844 } });
  await done(page);
  // Lines per cell: a number is never split ("0.0026" over "6"); a header breaks between words only ("순" over "위" never).
  const split = () => page.evaluate(() => [...document.querySelectorAll('.dlfs table')].flatMap((table) => [...table.querySelectorAll('th, td')].filter((cell) => {
    // Lines of text only: a block inside a header (the precision over its measure)
    // has a box of its own a pixel above its text, which is not a line.
    const tops = new Set();
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = walk.nextNode());) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    const lines = tops.size;
    const words = cell.textContent.trim().split(/\s+/).filter(Boolean).length;
    return cell.tagName === 'TD' ? lines > 1 : lines > words;
  }).map((cell) => cell.textContent)));
  assert.deepEqual(await split(), [], 'table cells split inside a word or number');
  // The colour legend runs from the worst trial's colour to the best one's, as drawn in this theme.
  const { rampColor } = await import('../web/ui/scatter-chart.js');
  const legend = await page.evaluate(([lo, hi]) => {
    const rgb = (c) => { const d = document.createElement('i'); d.style.color = c; document.body.append(d); const v = getComputedStyle(d).color; d.remove(); return v; };
    const image = getComputedStyle(document.querySelector('.ramp-legend .ramp')).backgroundImage;
    return { image, lo: rgb(lo), hi: rgb(hi) };
  }, [rampColor(0, 'dark'), rampColor(1, 'dark')]);
  assert.ok(legend.image.includes(legend.lo) && legend.image.includes(legend.hi), `legend ${legend.image} runs ${legend.lo} → ${legend.hi}`);
  assert.doesNotMatch(await page.locator('figure[data-chart="scatter"] figcaption').textContent(), /진한|darker/, 'the caption holds in either theme');
  // The gradient check says what it is doing (it trains nothing); its headers keep their words.
  await page.evaluate(() => { location.hash = '#preset=gradient-check&lang=ko&theme=dark'; });
  await until(page, () => document.querySelector('.dlfs').dataset.state === 'running' && !!document.querySelector('table.gradcheck th'));
  assert.match(await page.locator('.dlfs .status').textContent(), /기울기를 확인하는 중/);
  // Its controls say what they change in the check, not in training ("한 번 갱신에 쓰는 이미지 수").
  assert.match(await page.locator('.ctl[data-key="batchSize"] .ctl-help').textContent(), /손실을 계산하는 이미지 수/);
  assert.equal(await page.locator('[data-action="step"]').isVisible(), false, 'no "one more epoch" in a check');
  assert.deepEqual(await split(), [], 'gradient-check headers split inside a word');
  // Random input and a 2-D function: no MNIST bar, no play/step, no speed.
  for (const name of ['activations', 'optimizers-2d']) {
    await page.evaluate((n) => { location.hash = `#preset=${n}&lang=ko&theme=dark`; }, name);
    await until(page, (n) => location.hash.startsWith(`#preset=${n}&`) && document.querySelector('.dlfs').dataset.state === 'done', name);
    for (const sel of ['.dlfs .data', '[data-action="play"]', '[data-action="step"]', '.dlfs .readouts']) {
      assert.equal(await page.locator(sel).isVisible(), false, `${name}: ${sel} hidden`);
    }
  }
  clean(seen);
  await page.close();
});

test('a failing single run says where it stopped and why: the initial weights, not the learning rate', async () => {
  const { page, seen } = await open('#preset=sandbox&init=1&hidden=100,100,100,100,100&lr=0.01&epochs=3&lang=en');
  await done(page);
  const status = await page.locator('.dlfs .status').textContent();
  const at = Number(/stopped at iteration (\d+)/.exec(status)?.[1]);
  assert.ok(at >= 1, status);
  assert.match(await page.locator('.dlfs .hint').textContent(), /initial weights \(std 1\) are too large for 5 layers.*a smaller learning rate will not help/);
  assert.match(await page.locator('.main .badge').first().textContent(), new RegExp(`diverged at iteration ${at}`));
  assert.equal(Number((await dataset(page)).iteration), at, 'the readout stops where the run stopped');
  // The loss can be read on a log axis.
  await page.locator('[data-action="log-scale"]').check();
  assert.equal(await page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Training loss"]')).options.scales.y.type), 'logarithmic');
  clean(seen);
  await page.close();
});

test('the search narrows to its best trials and searches again inside that range, both rounds shown', async () => {
  const { page, seen } = await open('#preset=search&trials=8&epochs=4&seed=1&workers=2&lang=en');
  await done(page);
  assert.equal(await page.locator('[data-action="narrow"]').isEnabled(), true);
  assert.match(await page.locator('.about').textContent(), /8 trials with learning rate 10\^U\(−6, −2\)/);
  // Eight trials: eight "best" cells (not the book's 20, twelve of which could never fill), and the caption says so.
  assert.equal(await page.locator('figure[data-chart="best"] canvas').count(), 8);
  assert.match(await page.locator('figure[data-chart="best"] figcaption').textContent(), /^Best 8 trials/);
  await page.locator('[data-action="narrow"]').click();
  await until(page, () => /lrRange=/.test(location.hash));
  const hash = await page.evaluate(() => location.hash);
  const lr = /lrRange=([-\d.]+),([-\d.]+)/.exec(hash).slice(1).map(Number);
  const wd = /weightDecayRange=([-\d.]+),([-\d.]+)/.exec(hash).slice(1).map(Number);
  assert.ok(lr[0] >= -6 && lr[1] <= -2 && lr[1] - lr[0] < 4, `narrowed lr range ${lr}`);
  assert.ok(wd[0] >= -8 && wd[1] <= -4 && wd[1] - wd[0] < 4, `narrowed weight-decay range ${wd}`);
  // The description follows the new range; round 2 runs inside it.
  assert.match(await page.locator('.about').textContent(), new RegExp(`10\\^U\\(${String(lr[0]).replace('-', '−')}, ${String(lr[1]).replace('-', '−')}\\)`));
  await until(page, () => /^2:8:16$/.test(document.querySelector('.dlfs').dataset.search ?? '') && document.querySelector('.dlfs').dataset.state === 'done');
  const round2 = await page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Search trials"]')).data.datasets.map((d) => ({ label: d.label, pts: d.data.map((p) => [p.x, p.y]) })));
  assert.deepEqual(round2.map((d) => [d.label, d.pts.length]), [['round 1', 8], ['round 2', 8]]);
  for (const [x, y] of round2[1].pts) {
    assert.ok(x >= 10 ** lr[0] * 0.999 && x <= 10 ** lr[1] * 1.001, `round 2 lr ${x} in 10^${lr}`);
    assert.ok(y >= 10 ** wd[0] * 0.999 && y <= 10 ** wd[1] * 1.001, `round 2 weight decay ${y} in 10^${wd}`);
  }
  assert.match(await page.locator('.rounds').textContent(), /Round 1: .*Round 2: /);
  assert.equal(await page.locator('.ramp-legend').isVisible(), true, 'a colour legend for validation accuracy');
  clean(seen);
  await page.close();
});

test('test digits with the net\'s guesses, a confusion matrix and a drawing pad follow the training net', async () => {
  const { page, seen } = await open('#preset=sandbox&epochs=3&lang=en');
  await until(page, () => document.querySelector('.dlfs').dataset.digits === '20' && Number(document.querySelector('.dlfs').dataset.confusion) > 0);
  assert.equal(await page.locator('.digit-strip .digit').count(), 20);
  const wrong = await page.locator('.digit-strip .digit.wrong').count();
  assert.match(await page.locator('.digits .legend-note').textContent(), new RegExp(`^${wrong} of these 20 are wrong`));
  // Each guess reads on one line ("7 100%", never "7" over "100%").
  const wrapped = await page.locator('.digit .guess, .digit .guess2').evaluateAll((ns) => ns.filter((n) => {
    const r = document.createRange();
    r.selectNodeContents(n);
    return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
  }).map((n) => n.textContent));
  assert.deepEqual(wrapped, []);
  // The widest a guess can be ("0 100%") still fits its cell on one line.
  const widest = await page.evaluate(() => {
    const g = document.querySelector('.digit .guess');
    const before = g.textContent;
    g.textContent = '0 100%';
    const r = document.createRange();
    r.selectNodeContents(g);
    const rects = [...r.getClientRects()];
    const out = { lines: new Set(rects.map((x) => Math.round(x.top))).size, fits: Math.max(...rects.map((x) => x.right)) <= g.closest('.digit').getBoundingClientRect().right };
    g.textContent = before;
    return out;
  });
  assert.deepEqual(widest, { lines: 1, fits: true }, '"0 100%" on one line inside its cell');
  // Each wrong digit names its true label and a different guess.
  for (const title of await page.locator('.digit.wrong').evaluateAll((ns) => ns.map((n) => n.title))) {
    const [, label, guess] = /A (\d), but the net says (\d)/.exec(title);
    assert.notEqual(label, guess);
  }
  const matrix = await page.locator('.confusion-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => Number(c.textContent || 0))));
  assert.equal(matrix.length, 10);
  const n = Number((await dataset(page)).confusion);
  assert.equal(matrix.flat().reduce((a, b) => a + b, 0), n, 'every test image counted once');
  // Draw a "1": the pad asks the same net and shows its ten probabilities.
  await page.locator('canvas.draw-pad').scrollIntoViewIfNeeded();
  const box = await page.locator('canvas.draw-pad').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 20);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + box.width / 2, box.y + 20 + (k * (box.height - 40)) / 10);
  await page.mouse.up();
  await until(page, () => document.querySelector('.prob-bars')?.dataset.best !== '');
  assert.match(await page.locator('.pad-answer').textContent(), /The net reads a \d \(\d+%\)/);
  // When the run is over, the finished net still answers.
  await done(page);
  await page.locator('.pad button').click();
  assert.equal(await page.locator('.prob-bars').getAttribute('data-best'), '');
  clean(seen);
  await page.close();
});

test('regularisation: a live change is marked where it took effect; pinned run A keeps a readable label, its own colours, and survives a tab switch', async () => {
  // Batches of 10: 2000 iterations, so run A is still training when it is pinned
  // (main's pool finishes the default 200 before the test data is in).
  const { page, seen } = await open('#preset=sandbox&lr=0.1&epochs=20&batchSize=10&lang=en');
  await until(page, () => Number(document.querySelector('.dlfs')?.dataset.iteration) > 10);
  const slider = page.locator('.ctl[data-key="weightDecay"] input[type="range"]');
  await slider.focus();
  await page.keyboard.press('End'); // λ = 1, live
  await until(page, () => document.querySelector('.dlfs').dataset.markers === '1');
  const marks = await page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Training loss"]')).$markers);
  assert.equal(marks.length, 1);
  assert.ok(marks[0].x > 10, `marked at iteration ${marks[0].x}`);
  assert.equal(marks[0].label, 'λ → 1');
  // Run A has accuracy points to pin: a single net trains on its training data alone
  // (no epoch points) until the test data is in (session.js's preview).
  await until(page, () => /(^|;)train=[1-9]/.test(document.querySelector('.dlfs').dataset.series ?? ''));
  await page.locator('[data-action="pin"]').click();
  const note = await page.locator('.dlfs .legend-note').first().textContent();
  assert.match(note, /A is pinned \(Learning rate 0\.1, λ = 1, Dropout ratio 0, .*still training/);
  assert.doesNotMatch(note, /--set|lab\.mjs/, 'no command-line text');
  // Pinning does not freeze A: it trains on beside run B, and its curves keep growing.
  const aPoints = () => page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]'))?.data.datasets.find((d) => d.label === 'A · train')?.data.length ?? 0);
  const pinnedAt = await aPoints();
  await slider.focus();
  await page.keyboard.press('Home'); // λ = 0: run B starts beside A
  await until(page, (n) => window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]'))?.data.datasets.find((d) => d.label === 'A · train')?.data.length > n, pinnedAt);
  assert.match(await page.locator('.dlfs .legend-note').first().textContent(), /A is pinned/);
  // Another tab lets A go where it got to; its label then says so.
  await page.getByRole('tab', { name: 'Activations' }).click();
  await until(page, () => location.hash.startsWith('#preset=activations'));
  await page.getByRole('tab', { name: 'Sandbox' }).click();
  await until(page, () => location.hash.startsWith('#preset=sandbox') && Number(document.querySelector('.dlfs').dataset.points) > 0);
  assert.equal(await page.locator('[data-action="pin"]').getAttribute('aria-pressed'), 'true', 'A is still pinned');
  assert.match(await page.locator('.dlfs .legend-note').first().textContent(), /stopped at epoch \d+ of 20|Optimizer SGD\)/);
  const colours = await page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]')).data.datasets.map((d) => [d.label, d.borderColor]));
  const a = colours.filter(([l]) => l.startsWith('A · ')).map(([, c]) => c);
  const b = colours.filter(([l]) => l.startsWith('B · ')).map(([, c]) => c);
  assert.equal(a.length, 2);
  assert.ok(a.every((c) => !b.includes(c)), `A's colours ${a} differ from B's ${b}`);
  clean(seen);
  await page.close();
});

test('switching λ on while a run trains starts no twin mid-run: the notice says so and how to get one; Reset brings it', async () => {
  const { page, seen } = await open('#preset=sandbox&lr=0.1&epochs=20&batchSize=10&lang=en');
  await until(page, () => Number(document.querySelector('.dlfs')?.dataset.iteration) > 10);
  const slider = page.locator('.ctl[data-key="weightDecay"] input[type="range"]');
  await slider.focus();
  await page.keyboard.press('End'); // λ = 1, live: the twin would have to start at iteration 0
  await until(page, () => document.querySelector('.dlfs').dataset.markers === '1');
  assert.match(await page.locator(".dlfs .notice[aria-live]").textContent(), /changed to 1 while training\. No "no regularisation" curve is drawn: .*from iteration 0 with the same seed.*Press Reset to start again with it\./);
  await until(page, () => /(^|;)train=[1-9]/.test(document.querySelector('.dlfs').dataset.series ?? ''));
  assert.doesNotMatch(await page.evaluate(() => document.querySelector('.dlfs').dataset.series), /baseline/, 'no twin was started mid-run');
  // Reset: λ = 1 from iteration 0, and its twin beside it.
  await page.locator('[data-action="reset"]').click();
  await until(page, () => /(^|;)baseline train=[1-9]/.test(document.querySelector('.dlfs').dataset.series ?? ''));
  // A live learning rate reaches the run, not its twin: the notice says which rate the twin keeps.
  await page.locator('.ctl[data-key="lr"] input[type="range"]').focus();
  await page.keyboard.press('ArrowLeft');
  await until(page, () => document.querySelector('.dlfs').dataset.markers === '1');
  assert.match(await page.locator('.dlfs .notice[aria-live]').textContent(), /Learning rate changed to [\d.]+ while training\. The "no regularisation" curves keep learning rate 0\.1, the one that net started with.*Press Reset to train both at [\d.]+ from the start\./);
  clean(seen);
  await page.close();
});

test('beside a pinned run A, the no-regularisation twin is drawn once, named as both runs\', unless A\'s is another net', async () => {
  const { page, seen } = await open('#preset=sandbox&lr=0.1&epochs=20&batchSize=10&weightDecay=1&lang=en');
  await until(page, () => /(^|;)baseline train=[1-9]/.test(document.querySelector('.dlfs').dataset.series ?? '') && /(^|;)train=[1-9]/.test(document.querySelector('.dlfs').dataset.series ?? ''));
  const slider = page.locator('.ctl[data-key="weightDecay"] input[type="range"]');
  const labels = () => page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]'))?.data.datasets.map((d) => d.label) ?? []);
  const labelsBecome = (want) => until(page, (w) => {
    const got = window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]'))?.data.datasets.map((d) => d.label) ?? [];
    return JSON.stringify([...got].sort()) === JSON.stringify([...w].sort());
  }, want).catch(async (err) => { throw new Error(`${err.message}\naccuracy legend: ${JSON.stringify(await labels())}`); });
  // Pinned, A is B until a setting changes: one twin, named as both's.
  await page.locator('[data-action="pin"]').click();
  await labelsBecome(['B · train', 'B · test', 'A/B · train, no regularisation', 'A/B · test, no regularisation', 'A · train', 'A · test']);
  // A trains on (no redrawn view per point); its twin is drawn, as B's, since A is still B.
  await page.evaluate(() => { window.accChart = window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]')); });
  const aPoints = () => page.evaluate(() => window.accChart.data.datasets.find((d) => d.label === 'A · train').data.length);
  await until(page, (n) => window.accChart.data.datasets.find((d) => d.label === 'A · train').data.length > n, await aPoints());
  assert.ok(await page.evaluate(() => window.Chart.getChart(document.querySelector('canvas[aria-label^="Accuracy"]')) === window.accChart), 'the view was not rebuilt');
  // B with λ = 0.5: another regularised run of the same net, so the same twin.
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await until(page, () => /weightDecay=0\.5/.test(location.hash));
  await labelsBecome(['B · train', 'B · test', 'A/B · train, no regularisation', 'A/B · test, no regularisation', 'A · train', 'A · test']);
  // A's twin, not drawn now (B's stands for it), waits on its worker while B trains epochs.
  const count = (attr, name) => page.evaluate(([a, n]) => Number(new RegExp(`(?:^|;)${n}=(\\d+)`).exec(document.querySelector('.dlfs').dataset[a] ?? '')?.[1] ?? 0), [attr, name]);
  const bTrainAtLeast = (n) => until(page, (k) => Number(/(?:^|;)train=(\d+)/.exec(document.querySelector('.dlfs').dataset.series)?.[1]) >= k, n);
  await bTrainAtLeast(1);
  const heldAt = await count('pinned', 'baseline train');
  const aAt = await count('pinned', 'train');
  await bTrainAtLeast(3);
  assert.equal(await count('pinned', 'baseline train'), heldAt, "A's undrawn twin did not train while B trained two epochs");
  // ...while A itself trained on (or had all its 20 epochs): it does not wait for its twin.
  const aNow = await count('pinned', 'train');
  assert.ok(aNow > aAt || aNow === 20, `A's own accuracy points: ${aAt} then ${aNow}`);
  await page.locator('figure[data-chart="accuracy"]').screenshot({ path: join(ARTIFACTS, 'pin-twin-shared.png') });
  // B with λ = 0 is A's twin itself: its own curves are named as both's.
  await page.keyboard.press('Home');
  await labelsBecome(['A/B · train, no regularisation', 'A/B · test, no regularisation', 'A · train', 'A · test']);
  // Another seed: A's twin is another net than B, drawn as A's.
  const seed = page.locator('.ctl[data-key="seed"] input[type="number"]');
  await seed.fill('2');
  await seed.dispatchEvent('change');
  await until(page, () => /seed=2/.test(location.hash));
  await labelsBecome(['B · train', 'B · test', 'A · train', 'A · test', 'A · train, no regularisation', 'A · test, no regularisation']);
  // Drawn again, A's twin goes on where it waited.
  await until(page, (n) => Number(/(?:^|;)baseline train=(\d+)/.exec(document.querySelector('.dlfs').dataset.pinned ?? '')?.[1] ?? 0) > n, heldAt);
  await until(page, () => Number(/(?:^|;)train=(\d+)/.exec(document.querySelector('.dlfs').dataset.series)?.[1]) >= 2);
  await page.locator('figure[data-chart="accuracy"]').screenshot({ path: join(ARTIFACTS, 'pin-twin-own.png') });
  clean(seen);
  await page.close();
});

// Every tab in both languages, desktop and phone: screenshots for a person to look at.
for (const [width, height] of [[1280, 900], [390, 844]]) {
  test(`every tab in Korean and English at ${width} px: screenshots; Korean breaks between words, shows no internal jargon`, async () => {
    const { page, seen } = await open('#preset=sandbox&lang=ko', { viewport: { width, height } });
    for (const lang of ['ko', 'en']) {
      for (const name of EXPERIMENT_NAMES) {
        await page.evaluate(([n, l]) => { location.hash = `#preset=${n}&lang=${l}`; }, [name, lang]);
        // Drawn: the 20 histograms; every series with a line to show (two points: the
        // BatchNorm grid's 32 runs, a single run's test accuracy and its baseline);
        // the search's first trials; the gradient check (a table at its end) running.
        await until(page, ([n, l]) => {
          const d = document.querySelector('.dlfs').dataset;
          if (!location.hash.startsWith(`#preset=${n}&`) || document.documentElement.lang !== l) return false;
          if (n === 'activations') return Number(d.filled) >= 20;
          if (n === 'gradient-check') return d.state === 'running' || d.state === 'done';
          // The search: a few finished trials on its scatter (the first ones end together).
          if (n === 'search') {
            const scatter = window.Chart.getChart(document.querySelector('figure[data-chart="scatter"] canvas'));
            return !!scatter && scatter.data.datasets.reduce((k, ds) => k + ds.data.length, 0) >= 4;
          }
          const series = Object.fromEntries((d.series ?? '').split(';').filter(Boolean).map((kv) => [kv.slice(0, kv.lastIndexOf('=')), Number(kv.slice(kv.lastIndexOf('=') + 1))]));
          const counts = Object.values(series);
          if (d.state === 'done') return counts.length > 0;
          // The grid: all 32 runs drawn (a run that diverged at once keeps its one point).
          if (n === 'batchnorm') return counts.length === 32 && counts.filter((c) => c < 2).length <= 4;
          // A single run: its test accuracy too, not just the loss.
          if (['sandbox', 'overfit', 'weight-decay', 'dropout'].includes(n) && !(series.test >= 2)) return false;
          return counts.length > 0 && Math.min(...counts) >= 2;
        }, [name, lang]);
        if (lang === 'ko') {
          assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.dlfs .about')).wordBreak), 'keep-all');
          const text = await page.evaluate(() => document.querySelector('.dlfs').innerText);
          assert.doesNotMatch(text, /샤드|워커|초당 — 샘플|재생|한 단계|이\(가\)|을\(를\)/, `${name}: no internal jargon or machine particles`);
        }
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name} ${lang}: no sideways scrolling at ${width} px`);
        await page.screenshot({ path: join(ARTIFACTS, `tab-${name}-${lang}-${width}.png`), fullPage: true });
      }
    }
    if (width < 760) {
      // Phone: the first chart is above the settings, which start collapsed; every tab is on screen.
      const [chartTop, settingsTop] = await page.evaluate(() => [document.querySelector('.dlfs .main').getBoundingClientRect().top, document.querySelector('.dlfs .side').getBoundingClientRect().top]);
      assert.ok(chartTop < settingsTop, 'charts first');
      assert.equal(await page.locator('details.settings-box').evaluate((d) => d.open), false);
    }
    // Every tab is on screen, on a phone and on a laptop alike (eleven tabs are wider
    // than 1280 px: they wrap instead of hiding past the tab bar's edge).
    const tabsOut = await page.evaluate(() => {
      const bar = document.querySelector('[role="tablist"]').getBoundingClientRect();
      return [...document.querySelectorAll('[role="tab"]')].filter((t) => t.getBoundingClientRect().right > Math.min(bar.right, window.innerWidth) + 0.5).map((t) => t.textContent);
    });
    assert.deepEqual(tabsOut, [], `the tabs wrap instead of hiding past the edge at ${width} px`);
    clean(seen);
    await page.close();
  });
}
