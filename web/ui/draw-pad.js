// draw-pad.js: a small pad to draw a digit on with a mouse, pen or finger,
// turned into what the net was trained on: MNIST's preprocessing (the ink
// scaled to fit a 20x20 box, anti-aliased, then placed in a 28x28 image so
// that its centre of mass is the centre), 0..255 bytes, ink = 255.
import { el } from './dom.js';

const SIZE = 196; // pad pixels (7 per MNIST pixel)
const BRUSH = 14;

// 28x28 MNIST-style bytes from the pad's canvas, or null if nothing is drawn.
export function mnistPixels(canvas) {
  const ctx = canvas.getContext('2d');
  const { width: w, height: h } = canvas;
  const src = ctx.getImageData(0, 0, w, h).data;
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (src[(y * w + x) * 4] > 20) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    }
  }
  if (x1 < 0) return null;
  // The ink's bounding box, scaled (keeping its shape) into 20x20.
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const box = document.createElement('canvas');
  box.width = 28;
  box.height = 28;
  const b = box.getContext('2d');
  b.imageSmoothingEnabled = true;
  b.imageSmoothingQuality = 'high';
  const dw = bw * scale;
  const dh = bh * scale;
  b.drawImage(canvas, x0, y0, bw, bh, (28 - dw) / 2, (28 - dh) / 2, dw, dh);
  const small = b.getImageData(0, 0, 28, 28).data;
  const gray = new Float32Array(784);
  let mass = 0, mx = 0, my = 0;
  for (let j = 0; j < 784; j++) {
    const v = small[j * 4];
    gray[j] = v;
    mass += v;
    mx += v * (j % 28);
    my += v * Math.floor(j / 28);
  }
  // Shift so the centre of mass lands on (13.5, 13.5), as MNIST's images were made.
  const sx = Math.round(13.5 - mx / mass);
  const sy = Math.round(13.5 - my / mass);
  const out = new Uint8Array(784);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const fx = x - sx;
      const fy = y - sy;
      if (fx >= 0 && fx < 28 && fy >= 0 && fy < 28) out[y * 28 + x] = Math.min(255, Math.round(gray[fy * 28 + fx]));
    }
  }
  return out;
}

// Build the pad into `parent`; onDigit(pixels | null) after every stroke and on clear.
export function drawPad(parent, { t, onDigit }) {
  const canvas = el('canvas', { class: 'draw-pad', width: String(SIZE), height: String(SIZE), role: 'img', 'aria-label': t('pad.canvas') });
  const ctx = canvas.getContext('2d');
  const clear = () => { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, SIZE, SIZE); };
  clear();
  let last = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * SIZE) / r.width, ((e.clientY - r.top) * SIZE) / r.height];
  };
  const line = (from, to) => {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...from);
    ctx.lineTo(...to);
    ctx.stroke();
  };
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    canvas.setPointerCapture?.(e.pointerId);
    last = at(e);
    line(last, last);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    line(last, p);
    last = p;
  });
  const end = () => {
    if (!last) return;
    last = null;
    onDigit(mnistPixels(canvas));
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  const answer = el('p', { class: 'pad-answer', 'aria-live': 'polite' });
  const clearButton = el('button', { type: 'button', class: 'btn', text: t('pad.clear'), onclick: () => { clear(); onDigit(null); } });
  parent.append(el('div', { class: 'pad-box' }, canvas, el('div', { class: 'pad-side' }, answer, clearButton)));
  return {
    canvas,
    setAnswer(text) { answer.textContent = text; },
  };
}
