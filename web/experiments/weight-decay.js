// weight-decay.js: weight decay (6.4.2; ch06/overfit_weight_decay.py with
// weight_decay_lambda = 0.1): overfit.js's experiment with L2 weight decay.
import { overfitSettings } from './overfit.js';

export { plan, assemble, series } from './overfit.js';

export const settings = overfitSettings({
  title: 'Weight decay',
  book: '6.4.2; ch06/overfit_weight_decay.py (weight_decay_lambda = 0.1)',
  doc: 'overfit with L2 weight decay 0.1.',
  engine: { weightDecay: 0.1 },
});
