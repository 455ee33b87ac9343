// The embeds' layout plan, their page keys (theme, charts, font), the
// reservation stylesheet and the release URL, without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { EXPERIMENTS, EXPERIMENT_NAMES, defaultsFor } from '../web/experiments/experiments.js';
import { CHART_IDS, chartsFor, controlPlaces, compactPlan, planForState, reservationCss } from '../web/ui/embed-size.js';
import { readHash, writeHash, readAttributes } from '../web/ui/links.js';
import { VERSION, RELEASE_BASE, isLoopback } from '../web/ui/release.js';

test('web/embed.css is written from embed-size.js (run node scripts/make-embed-css.mjs after changing it)', async () => {
  assert.equal(await readFile(new URL('../web/embed.css', import.meta.url), 'utf8'), reservationCss());
});

test('every preset plans a compact height that fits a blog, wide and narrow', () => {
  for (const preset of EXPERIMENT_NAMES) {
    assert.ok(CHART_IDS[EXPERIMENTS[preset].view]?.length, `${preset}: its view's charts are in CHART_IDS`);
    assert.ok(controlPlaces(preset, new Set()).row.length > 0, `${preset}: essential controls for the row`);
    for (const wide of [true, false]) {
      const plan = compactPlan({ preset, charts: null, hasRow: true, wide });
      // About a laptop's screen when wide (the gradient check's table shows
      // all its rows, one per tensor, above its chart: a little more); on a
      // phone the BatchNorm grid's 16 charts, two to a row so each stays
      // readable, take a little more than one.
      const most = wide ? (preset === 'gradient-check' ? 760 : 660) : 1000;
      assert.ok(plan.height >= 250 && plan.height <= most, `${preset} ${wide ? 'wide' : 'narrow'}: ${plan.height}`);
      // Rows hold one chart, or two side by side on a wide screen only.
      for (const r of plan.rows) assert.ok(r.ids.length === 1 || (wide && r.ids.length === 2), JSON.stringify(r));
    }
  }
  const single = (charts, wide) => compactPlan({ preset: 'overfit', charts, hasRow: true, wide }).height;
  assert.equal(single(['loss', 'accuracy'], true), single(['accuracy'], true), 'two charts share a row on a wide screen');
  assert.ok(single(['loss', 'accuracy'], false) > single(['accuracy'], false), 'and stack on a narrow one');
  assert.ok(compactPlan({ preset: 'overfit', charts: null, hasRow: false, wide: true }).height < single(null, true), 'no row of controls, less height');
  // Figures whose cells follow the settings are planned from them.
  const acts = (activations) => compactPlan({ preset: 'activations', charts: null, hasRow: true, wide: true, settings: { ...defaultsFor('activations'), activations } });
  assert.equal(acts(['sigmoid', 'relu']).rows.length, 2, 'a figure per activation shown');
  assert.ok(acts(['sigmoid', 'relu']).height > acts(['sigmoid']).height);
  const bn = (wide) => compactPlan({ preset: 'batchnorm', charts: null, hasRow: true, wide }).rows[0].px;
  assert.ok(bn(false) > 1.5 * bn(true), 'the BatchNorm grid is 2 columns (8 rows) on a phone, 4 by 4 when wide');
  // The gradient check's table has a row per tensor: gamma and beta only with BatchNorm.
  const gc = (batchNorm) => compactPlan({ preset: 'gradient-check', charts: ['table'], hasRow: true, wide: true, settings: { ...defaultsFor('gradient-check'), batchNorm } }).height;
  assert.equal(gc(true) - gc(false), 4 * 20, 'four more rows of 20 px with BatchNorm');
  // A phone's title row holds 44 px buttons with the status under them.
  assert.ok(compactPlan({ preset: 'init', charts: null, hasRow: true, wide: false }).height > compactPlan({ preset: 'init', charts: null, hasRow: true, wide: true }).height);
});

test('charts= picks from the view\'s charts in its order; the row holds the essentials or the author\'s choice', () => {
  assert.deepEqual(chartsFor('overfit', null), ['loss', 'accuracy']);
  assert.deepEqual(chartsFor('overfit', ['histograms', 'loss']), ['loss', 'histograms']);
  assert.deepEqual(chartsFor('batchnorm', ['loss']), CHART_IDS.batchnorm, 'a choice this view lacks falls back to its charts');
  assert.deepEqual(controlPlaces('overfit', new Set()).row, ['weightDecay', 'dropout']);
  assert.equal(controlPlaces('overfit', new Set()).menu.length, EXPERIMENTS.overfit.controls.length - 2);
  const chosen = readAttributes(attrs({ preset: 'overfit', controls: 'lr,seed' })).state;
  assert.deepEqual(controlPlaces('overfit', chosen.hide), { row: ['lr', 'seed'], menu: [] });
  const none = readAttributes(attrs({ preset: 'dropout', controls: '' })).state;
  assert.equal(planForState(none, true).height, compactPlan({ preset: 'dropout', charts: null, hasRow: false, wide: true }).height);
});

// A stand-in for an element with these attributes.
function attrs(map) {
  return { getAttribute: (n) => map[n] ?? null, attributes: Object.entries(map).map(([name, value]) => ({ name, value })) };
}

test('theme, charts and font go through links and attributes alike, and bad values are named', () => {
  const { state, problems } = readHash('#preset=dropout&theme=dark&charts=accuracy,histograms&font=inherit');
  assert.deepEqual(problems, []);
  assert.deepEqual(state.page, { theme: 'dark', charts: ['accuracy', 'histograms'], font: 'inherit' });
  assert.deepEqual(readHash(writeHash(state)).state, state);
  const el = readAttributes(attrs({ preset: 'overfit', theme: 'light', charts: 'loss', font: 'inherit' }));
  assert.deepEqual(el.problems, []);
  assert.deepEqual(el.state.page, { theme: 'light', charts: ['loss'], font: 'inherit' });
  const bad = readHash('#theme=sepia&charts=pie&font=Comic').problems;
  assert.equal(bad.length, 3, bad.join('; '));
  assert.match(bad.join('; '), /theme: must be auto, light, dark/);
  assert.match(bad.join('; '), /charts: a comma-separated list of loss, accuracy/);
  assert.match(bad.join('; '), /font: must be inherit/);
});

test('the release URL carries package.json\'s version; loopback addresses are recognised', async () => {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(VERSION, pkg.version);
  assert.equal(RELEASE_BASE.href, `https://cdn.jsdelivr.net/npm/dlfs-playground@${pkg.version}/dist/`);
  for (const u of ['http://127.0.0.1:8080/', 'http://localhost/x/', 'http://[::1]:3000/', 'http://127.1.2.3/', 'http://app.localhost/', 'http://0.0.0.0:8080/']) assert.ok(isLoopback(u), u);
  for (const u of ['https://example.com/', 'http://192.168.1.5/', 'https://cdn.jsdelivr.net/npm/x/', 'http://127.0.0.1.example.com/']) assert.ok(!isLoopback(u), u);
});
