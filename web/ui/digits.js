// digits.js: what a student reaches for to see what the net has learned:
// a strip of test digits with the net's top guesses (wrong ones marked), a
// confusion matrix over the first test images, and a pad to draw a digit on
// and see the net's probabilities. All numbers come from the net that is
// training right now (session.predict -> the worker -> predict.c); this
// module only asks, draws and redraws. It knows nothing about workers.
import { el } from './dom.js';
import { drawPad } from './draw-pad.js';

const STRIP = 20; // test digits in the strip
const CONFUSION = 1000; // test images in the confusion matrix
const ASK_MS = 1500; // ask the net again at most this often while it trains
const SIDE = 28;

// Top-k classes of row i of probs (count x 10), most probable first.
export function topGuesses(probs, i, k = 2) {
  const row = Array.from(probs.subarray(i * 10, i * 10 + 10), (p, d) => [d, p]);
  return row.sort((a, b) => b[1] - a[1]).slice(0, k);
}

// counts[true][guess] over the rows of probs whose label is known. The guess
// is the row's first most probable class, as topGuesses(probs, i, 1) gives it,
// found without building and sorting a row per image (1000 rows per answer
// while the net trains: this runs on the page's main thread).
export function confusion(probs, labels, n) {
  const m = Array.from({ length: 10 }, () => new Array(10).fill(0));
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let d = 1; d < 10; d++) if (probs[i * 10 + d] > probs[i * 10 + best]) best = d;
    m[labels[i]][best]++;
  }
  return m;
}

// An MNIST image (784 bytes, ink = 255) as dark ink on white in a 28x28 canvas.
function digitCanvas(pixels, label) {
  const c = el('canvas', { width: String(SIDE), height: String(SIDE), role: 'img', 'aria-label': label });
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(SIDE, SIDE);
  for (let j = 0; j < SIDE * SIDE; j++) {
    const v = 255 - pixels[j];
    img.data[4 * j] = v;
    img.data[4 * j + 1] = v;
    img.data[4 * j + 2] = v;
    img.data[4 * j + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

const pct = (p) => `${Math.round(100 * p)}%`;

export class DigitAids {
  // parent: where to build; t: translator; images(): the test split
  // ({pixels, labels, count}) as loaded so far; ask(request, what): ask the
  // current net (answers come back through handle()); onShown(info) for the page's data-*.
  constructor(parent, { t, images, ask, onShown }) {
    Object.assign(this, { t, images, ask, onShown });
    this.root = el('div', { class: 'aids' });
    parent.append(this.root);
    this.lastAsk = -Infinity;

    const stripFig = el('figure', { class: 'digits' });
    stripFig.append(el('figcaption', {}, el('span', { text: t('digits.title') })));
    this.strip = el('div', { class: 'digit-strip', role: 'list' });
    this.stripNote = el('p', { class: 'legend-note', text: t('digits.waiting') });
    stripFig.append(this.strip, this.stripNote);

    const confFig = el('figure', { class: 'confusion' });
    this.confCaption = el('span', { text: t('confusion.title', { n: CONFUSION }) });
    confFig.append(el('figcaption', {}, this.confCaption));
    this.table = el('table', { class: 'confusion-table' });
    confFig.append(el('div', { class: 'table-wrap' }, this.table), el('p', { class: 'legend-note', text: t('confusion.help') }));

    const padFig = el('figure', { class: 'pad' });
    padFig.append(el('figcaption', {}, el('span', { text: t('pad.title') })));
    this.pad = drawPad(padFig, { t, onDigit: (pixels) => this._askPad(pixels) });
    this.bars = el('div', { class: 'prob-bars', role: 'list', 'aria-label': t('pad.probs') });
    padFig.append(this.bars, el('p', { class: 'legend-note', text: t('pad.help') }));
    this._bars(null);

    this.root.append(stripFig, el('div', { class: 'aids-row' }, confFig, padFig));
  }

  // The net made progress (or finished): ask again if the last answer is old enough.
  tick(force = false) {
    const now = performance.now();
    if (!force && now - this.lastAsk < ASK_MS) return;
    const test = this.images();
    if (!test?.count) return;
    this.lastAsk = now;
    this.ask('digits', { data: 'test', first: 0, count: Math.min(CONFUSION, test.count) });
    if (this.padPixels) this.ask('pad', { pixels: this.padPixels });
  }

  _askPad(pixels) {
    this.padPixels = pixels;
    if (pixels) this.ask('pad', { pixels });
    else this._bars(null);
  }

  handle(m) {
    if (m.request === 'pad') this._bars(m.probs);
    if (m.request !== 'digits') return;
    const test = this.images();
    const n = Math.min(m.probs.length / 10, test.count);
    if (!n) return;
    if (!m.probs.every(Number.isFinite)) {
      this.strip.replaceChildren();
      this.table.replaceChildren();
      this.stripNote.textContent = this.t('digits.nan');
      return;
    }
    this._strip(m.probs, test, Math.min(STRIP, n));
    this.lastMatrix = confusion(m.probs, test.labels, n);
    this._confusion(this.lastMatrix, n);
    this.onShown?.({ digits: Math.min(STRIP, n), confusion: n });
  }

  _strip(probs, test, n) {
    const { t } = this;
    let wrong = 0;
    const items = [];
    for (let i = 0; i < n; i++) {
      const [[g1, p1], [g2, p2]] = topGuesses(probs, i);
      const label = test.labels[i];
      const ok = g1 === label;
      if (!ok) wrong++;
      const desc = t(ok ? 'digits.right' : 'digits.wrong', { label, guess: g1, p: pct(p1) });
      const item = el('div', { class: `digit${ok ? '' : ' wrong'}`, role: 'listitem', title: desc });
      // Test image i never changes: its canvas is drawn once and kept.
      this.canvases ??= [];
      const canvas = (this.canvases[i] ??= digitCanvas(test.pixels.subarray(i * 784, (i + 1) * 784), desc));
      canvas.setAttribute('aria-label', desc);
      item.append(
        canvas,
        el('span', { class: 'guess', text: `${g1} ${pct(p1)}` }),
        el('span', { class: 'guess2', text: `${g2} ${pct(p2)}` }),
      );
      items.push(item);
    }
    this.strip.replaceChildren(...items);
    this.stripNote.textContent = t('digits.summary', { wrong, n });
  }

  _confusion(m, n) {
    const { t } = this;
    let right = 0;
    for (let d = 0; d < 10; d++) right += m[d][d];
    this.confCaption.textContent = t('confusion.title', { n });
    const head = el('tr', {}, el('th', { scope: 'col', text: t('confusion.corner') }));
    for (let g = 0; g < 10; g++) head.append(el('th', { scope: 'col', text: String(g) }));
    const rows = [el('thead', {}, head)];
    const body = el('tbody');
    for (let d = 0; d < 10; d++) {
      const row = el('tr', {}, el('th', { scope: 'row', text: String(d) }));
      const total = m[d].reduce((a, b) => a + b, 0) || 1;
      for (let g = 0; g < 10; g++) {
        const share = m[d][g] / total;
        const cell = el('td', { text: m[d][g] ? String(m[d][g]) : '' });
        if (m[d][g]) {
          // Right answers in green, confusions in red; stronger for a larger share of the row.
          cell.className = d === g ? 'hit' : 'miss';
          cell.style.setProperty('--share', (0.15 + 0.85 * share).toFixed(2));
        }
        row.append(cell);
      }
      body.append(row);
    }
    rows.push(body);
    this.table.replaceChildren(...rows);
    this.table.setAttribute('aria-label', t('confusion.alt', { n, acc: pct(right / n) }));
  }

  // Ten bars, one per digit: the net's probabilities for the drawn digit.
  _bars(probs) {
    const { t } = this;
    const items = [];
    let best = -1;
    if (probs) for (let d = 0; d < 10; d++) if (best < 0 || probs[d] > probs[best]) best = d;
    for (let d = 0; d < 10; d++) {
      const p = probs ? probs[d] : 0;
      const bar = el('span', { class: 'bar' });
      bar.style.setProperty('--p', String(p));
      const item = el('div', { class: `prob${d === best ? ' best' : ''}`, role: 'listitem', 'aria-label': `${d}: ${pct(p)}` },
        el('span', { class: 'digit-label', text: String(d) }), bar, el('span', { class: 'p', text: probs ? pct(p) : '' }));
      items.push(item);
    }
    this.bars.replaceChildren(...items);
    this.bars.dataset.best = probs ? String(best) : '';
    this.pad.setAnswer(probs ? t('pad.answer', { d: best, p: pct(probs[best]) }) : '');
  }

  destroy() { this.root.remove(); }
}
