// activations.js: the activation distributions of the hidden layers (6.2.2,
// 6.2.3; ch06/weight_init_activation_histogram.py). No training: one job per
// (activation, init) pair computes every layer's histogram.
import { ABI } from '../engine/abi.js';
import { deriveSeed } from './seeds.js';
import { loss9 } from './jobs.js';
import { initLabel } from './settings.js';

export const settings = {
  title: 'Activation distributions of the hidden layers',
  book: '6.2.2, 6.2.3; ch06/weight_init_activation_histogram.py',
  doc: '1000 samples of 100-dim N(0,1) input through 5 bias-free layers of 100 units; per layer a 30-bin histogram over (0, 1) as the book plots it, the share outside that range, mean and std.',
  engine: null, // no training: engine keys do not apply
  own: {
    activations: { type: 'activations', default: ['sigmoid', 'relu', 'tanh'], doc: 'activations to compare' },
    inits: { type: 'inits', default: [1, 0.01, 'xavier', 'he'], doc: "weight inits: stds, 'xavier', 'he'" },
    samples: { type: 'int', min: 1, max: ABI.limits.histSamplesMax, default: 1000, doc: 'input rows' },
    nodes: { type: 'int', min: 1, max: ABI.limits.hiddenWidthMax, default: 100, doc: 'units per layer (= input width)' },
    layers: { type: 'int', min: 1, max: ABI.limits.maxHidden, default: 5, doc: 'hidden layers' },
    bins: { type: 'int', min: 1, max: ABI.limits.histBinsMax, default: 30, doc: 'histogram bins' },
    range: { type: 'range', default: [0, 1], doc: 'histogram range lo,hi (plt.hist range=)' },
  },
};

// One histogram per (activation, init) pair and layer, job-major: pair `pair`
// (`activation/initLabel`), layers 1..s.layers.
const pairs = (s) => s.activations.flatMap((activation) => s.inits.map((init) => ({ activation, init, label: `${activation}/${initLabel(init)}` })));
export const series = (s) => ({
  histograms: pairs(s).map((p) => Array.from({ length: s.layers }, (_, l) => `${p.label}/layer${l + 1}`)),
});

export const plan = {
  datasets: () => ({}),
  stages: [
    (s) => pairs(s).map(({ activation, init, label }) => ({
      kind: 'activations',
      label,
      // One seed for all pairs: the same input and the same weights up to scale.
      params: { activation, init, samples: s.samples, width: s.nodes, layers: s.layers, bins: s.bins, lo: s.range[0], hi: s.range[1], seed: deriveSeed(s.seed, 0) },
    })),
  ],
};

export function assemble(s, [{ results }]) {
  const names = series(s).histograms;
  const out = [];
  const stats = {};
  const n = s.samples * s.nodes;
  results.forEach((r, j) => {
    r.layers.forEach((h, l) => {
      const name = names[j][l];
      out.push({ name, x: 'bin', values: h.counts });
      stats[name] = { outside: (h.below + h.above) / n, below: h.below / n, above: h.above / n, mean: loss9(h.mean), std: loss9(h.std) };
    });
  });
  return { series: out, summary: { binEdges: histogramEdges(s.range, s.bins), stats } };
}

// np.linspace(lo, hi, bins + 1): the histogram's edges, for plotting.
function histogramEdges([lo, hi], bins) {
  return Array.from({ length: bins + 1 }, (_, k) => (k === bins ? hi : lo + k * ((hi - lo) / bins)));
}
