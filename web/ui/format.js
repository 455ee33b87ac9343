// format.js: how the playground prints a number (labels, readouts, text
// alternatives), in one place.

// 3 significant digits for labels and text alternatives.
export function fmt(v) {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(2);
}

// A whole number with the language's digit grouping ("12,345"). One
// Intl.NumberFormat per language, made once: toLocaleString(lang) makes one
// per call, and the readouts call this several times a second while training.
const grouping = new Map();
export function fmtInt(n, lang) {
  if (!grouping.has(lang)) grouping.set(lang, new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }));
  return grouping.get(lang).format(n);
}
