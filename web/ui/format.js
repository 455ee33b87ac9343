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
