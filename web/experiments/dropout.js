// dropout.js: dropout (6.4.3; ch06/overfit_dropout.py): overfit.js's
// experiment with the book's (non-inverted) dropout, for 301 epochs.
import { overfitSettings } from './overfit.js';

export { plan, assemble, series } from './overfit.js';

export const settings = overfitSettings({
  title: 'Dropout',
  book: '6.4.3; ch06/overfit_dropout.py',
  doc: "overfit with the book's (non-inverted) dropout 0.2 for 301 epochs.",
  engine: { dropout: 0.2, dropoutMode: 'book' },
  epochs: 301,
});
