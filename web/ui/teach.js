// teach.js: small pure helpers the learning aids share: the values an
// experiment's description quotes from its settings, and what went wrong in
// a run (diverged, dead, stuck) with its likely cause. No DOM here.

// The settings a tab's description quotes (the search's ranges follow the sliders).
export function aboutParams(s) {
  const sign = (v) => String(v).replace('-', '−');
  if (!s.lrRange) return {};
  return {
    trials: s.trials, epochs: s.epochs, val: Math.floor(s.trainSize * s.validationRate),
    lrLo: sign(s.lrRange[0]), lrHi: sign(s.lrRange[1]), wdLo: sign(s.weightDecayRange[0]), wdHi: sign(s.weightDecayRange[1]),
  };
}

// An accuracy curve that ends at or below this has not learned (chance is 0.1;
// a net that answers one class scores that class's share, ~0.1 on MNIST).
export const STUCK_ACC = 0.2;

// How a finished or running curve of accuracies (per epoch) is doing: 'ok',
// 'stuck' (never above STUCK_ACC after `after` epochs) or null (too early to tell).
export function learned(acc, after = 3) {
  const pts = acc.filter(Number.isFinite);
  if (pts.length < after) return null;
  return Math.max(...pts.slice(1)) > STUCK_ACC ? 'ok' : 'stuck';
}

// The likely cause of a single net's failure, from its settings: the initial
// weights (a std far from Xavier/He for its width; BatchNorm absent) or the
// learning rate. Returns {key, params} for i18n-teach's hint.* strings.
export function failureCause(settings, { diverged }) {
  const init = settings.init;
  const width = settings.hidden?.[0] ?? 100;
  const good = Math.sqrt((settings.activation === 'relu' ? 2 : 1) / width);
  const layers = settings.hidden?.length ?? 1;
  if (typeof init === 'number' && !settings.batchNorm) {
    // A learning rate far above the book's 0.01 (plain SGD) shares the blame.
    if (init > 4 * good) return settings.lr >= 0.5 ? { key: 'hint.both', params: { std: init, lr: settings.lr } } : { key: 'hint.init', params: { std: init, layers } };
    if (init < good / 8 && !diverged) return { key: 'hint.initSmall', params: { std: init } };
  }
  if (diverged) return { key: 'hint.lr', params: { lr: settings.lr } };
  return { key: 'hint.dead', params: {} };
}
