import { Ticks } from 'chart.js';
import { tickLabel } from '../web/ui/charts.js';
const scale = { type: 'linear', chart: { options: { locale: 'en-US' } }, options: { ticks: {} } };
const sets = [[0, 0.5, 1, 1.5, 2, 2.5], [0, 10000, 20000, 30000, 40000, 50000], [0.96, 0.97, 0.98, 0.99, 1], [-2, -1, 0, 1, 2], [0, 1e-5, 2e-5, 3e-5], [0, 5, 10, 15, 20, 25], [1200, 1250, 1300], [0.001, 0.0015, 0.002], [7], [2.5]];
let bad = 0;
for (const vs of sets) {
  const ticks = vs.map((value) => ({ value }));
  vs.forEach((v, i) => { const a = Ticks.formatters.numeric.call(scale, v, i, ticks); const b = tickLabel.call(scale, v, i, ticks); if (a !== b) { bad++; console.log('diff', v, JSON.stringify(a), JSON.stringify(b)); } });
}
const log = { ...scale, type: 'logarithmic' };
const lt = [0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10].map((value) => ({ value }));
lt.forEach((t, i) => { const a = Ticks.formatters.logarithmic.call(log, t.value, i, lt); const b = tickLabel.call(log, t.value, i, lt); if (a !== b) { bad++; console.log('logdiff', t.value, a, b); } });
console.log('differences', bad);
