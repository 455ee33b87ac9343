// The page's exports list series in the preset's declared order (and, once
// finished, the CLI's), whatever order the workers reported them in.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Results, namesOf } from '../web/ui/results.js';
import { seriesNames, resolveSettings } from '../web/experiments/presets.js';

const names = (csv) => [...new Set(csv.trim().split('\n').slice(1).map((r) => r.split(',')[0]))];

test('namesOf flattens a preset series tree depth first', () => {
  assert.deepEqual(namesOf({ a: 'x', b: [{ v: 'y', t: 'z' }, { v: 'w' }] }), ['x', 'y', 'z', 'w']);
  const overfit = namesOf(seriesNames('overfit', resolveSettings('overfit')));
  assert.deepEqual(overfit.slice(0, 4), ['loss', 'decay', 'train', 'test']);
});

test('the same run exports the same file whichever worker reported first', () => {
  const files = [['baseline loss', 'loss'], ['loss', 'baseline loss']].map((arrival) => {
    const r = new Results();
    r.declare(namesOf(seriesNames('overfit', resolveSettings('overfit'))));
    for (const n of arrival) r.appendSeries(n, 'iteration', 0, [2.3, 2.2]);
    r.appendSeries('page only', 'iteration', 0, [1]);
    return [r.toCSV(), JSON.stringify(r.toJSON('overfit', {}).series.map((s) => s.name))];
  });
  assert.deepEqual(files[0], files[1]);
  assert.deepEqual(names(files[0][0]), ['loss', 'baseline loss', 'page only']);
});

test('a finished run exports the CLI series in the CLI order, then the page-only ones', () => {
  const r = new Results();
  r.declare(['loss', 'train', 'test']);
  r.appendSeries('test', 'epoch', 0, [0.1]);
  r.appendSeries('loss', 'iteration', 0, [2.3]);
  r.finish({ series: [{ name: 'train', x: 'epoch', values: [0.2] }, { name: 'test', x: 'epoch', values: [0.1] }], summary: {} });
  assert.deepEqual(names(r.toCSV()), ['train', 'test', 'loss']);
});
