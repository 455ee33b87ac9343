// ui-shortcuts.test.mjs: main-thread shortcuts that must give what the slow way
// gives: charts.js's tickLabel writes the axis labels Chart.js's own formatters
// write (en-US) without Intl.NumberFormat; digits.js's confusion matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ticks } from 'chart.js';
import { tickLabel } from '../web/ui/charts.js';

const scale = (type) => ({ type, chart: { options: { locale: 'en-US' } }, options: { ticks: {} } });
const ticksOf = (values) => values.map((value) => ({ value }));

test('linear ticks: the labels Chart.js writes', () => {
  const sets = [
    [0, 0.5, 1, 1.5, 2, 2.5], [0, 10000, 20000, 30000, 40000, 50000], [0.96, 0.97, 0.98, 0.99, 1], [-2, -1.5, -1, 0, 1, 2], [-2, -1, 0, 1, 2],
    [0, 1e-5, 2e-5, 3e-5], [0, 5, 10, 15, 20, 25], [1200, 1250, 1300], [0.001, 0.0015, 0.002], [7], [2.5], [0, 2e16, 4e16],
    [1234567.5, 1234568], [-0.25, 0, 0.25],
  ];
  for (const values of sets) {
    const ticks = ticksOf(values);
    values.forEach((v, i) => assert.equal(tickLabel.call(scale('linear'), v, i, ticks), Ticks.formatters.numeric.call(scale('linear'), v, i, ticks), `${v} in ${values}`));
  }
});

test('logarithmic ticks: the labels Chart.js writes, blanks included', () => {
  const ticks = ticksOf([0.01, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 2, 3, 5, 10, 20]);
  ticks.forEach((t, i) => assert.equal(tickLabel.call(scale('logarithmic'), t.value, i, ticks), Ticks.formatters.logarithmic.call(scale('logarithmic'), t.value, i, ticks), `${t.value}`));
});

// digits.js's confusion matrix takes each row's guess without sorting the row:
// it must be topGuesses' first guess (ties: the lower class, as the stable sort gives).
test('the confusion matrix counts the top guess of each row, ties to the lower class', async () => {
  const { confusion, topGuesses } = await import('../web/ui/digits.js');
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const n = 300;
  const probs = new Float32Array(n * 10).map(() => Math.round(rand() * 4) / 4); // many ties
  const labels = Uint8Array.from({ length: n }, () => Math.floor(rand() * 10));
  const want = Array.from({ length: 10 }, () => new Array(10).fill(0));
  for (let i = 0; i < n; i++) want[labels[i]][topGuesses(probs, i, 1)[0][0]]++;
  assert.deepEqual(confusion(probs, labels, n), want);
});
