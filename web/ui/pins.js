// pins.js: run A, pinned to compare a run B against it: a readable label
// for it ("lr 0.01, λ = 0.1, dropout 0.2", with how far it had got if it was
// still training), and the colours A is drawn in (never B's colours).
import { formatValue } from './controls.js';
import { hasBaseline } from '../experiments/presets.js';

// A's series, in colours none of B's series use (charts.js's COLORS[0..2] are B's).
export const PIN_COLORS = ['#7f7f7f', '#9467bd', '#8c564b', '#e377c2'];

// The settings that tell runs of an experiment apart, in the words of its controls.
const SHOWN = {
  single: ['lr', 'weightDecay', 'dropout', 'init', 'batchNorm', 'optimizer'],
  init: ['lr', 'optimizer', 'batchSize'],
  batchnorm: ['lr', 'optimizer', 'batchSize', 'activation'],
};

// progress: how far a run that stopped early got; live: A is still training.
export function pinLabel(view, settings, progress, t, live = false) {
  const parts = (SHOWN[view] ?? []).filter((k) => k in settings).map((k) => {
    const v = formatValue(k, settings[k], t);
    if (k === 'weightDecay') return `λ = ${v}`;
    if (k === 'dropout') return `${t('ctl.dropout')} ${v}`;
    if (k === 'batchNorm') return settings[k] ? 'BatchNorm' : '';
    return `${t(`ctl.${k}`)} ${v}`;
  }).filter(Boolean);
  let label = parts.join(', ');
  if (live) label += ` (${t('pin.live')})`;
  else if (progress && progress.epochs && progress.epoch < progress.epochs) label += ` (${t('pin.partial', { epoch: progress.epoch, epochs: progress.epochs })})`;
  return label;
}

// A's no-regularisation twin (presets' `baseline`: λ = 0, no dropout, same
// seed) beside run B: a and b are the settings A and B started with.
//   'none'   A has no twin;
//   'own'    A's twin is another net than anything B draws (another seed,
//            training set, learning rate, ...): drawn as A's;
//   'shared' B's twin is the same net: drawn once, labelled as both's;
//   'b'      B is itself that net (no regularisation, all else equal): A's
//            twin would repeat B's curves, so B's are labelled as both's.
const REGULARISERS = new Set(['weightDecay', 'dropout', 'dropoutMode', 'baseline']);
const twinOf = (s) => JSON.stringify(Object.keys(s).filter((k) => !REGULARISERS.has(k)).sort().map((k) => [k, s[k]]));
export function pinnedBaseline(a, b) {
  if (!a || !hasBaseline(a)) return 'none';
  if (twinOf(a) !== twinOf(b)) return 'own';
  return hasBaseline(b) ? 'shared' : b.weightDecay > 0 || b.dropout > 0 ? 'own' : 'b';
}

// A run pinned while it trains goes on training: its points keep reaching A
// (pinned: the Map A is drawn from, updated in place; onPoints(event) for each
// increment), beside run B once the settings change, until it ends or A is
// let go. Pinning never freezes a run.
export class LivePin {
  constructor({ session, results, pinned, onPoints }) {
    this.session = session;
    this.unsubscribe = results.subscribe((e) => {
      if (e.type !== 'series') return;
      let p = pinned.get(e.name);
      if (!p) pinned.set(e.name, (p = { x: e.x, values: [] }));
      if (e.replace) p.values = Array.from(e.values);
      else {
        p.values.length = Math.min(p.values.length, e.x0);
        for (const v of e.values) p.values.push(v);
      }
      onPoints(e);
    });
  }

  get running() { return !['done', 'error'].includes(this.session.state); }

  // Stop following; the run itself is cancelled unless it is also the current run.
  stop(current) {
    this.unsubscribe();
    if (this.session !== current) this.session.cancel();
  }
}
