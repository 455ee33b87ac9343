// pins.js: run A, pinned to compare a run B against it: a readable label
// for it ("lr 0.01, λ = 0.1, dropout 0.2", with how far it had got if it was
// still training), and the colours A is drawn in (never B's colours).
import { formatValue } from './controls.js';

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
