// smooth-curve.js: common/util.py's smooth_curve, which the book's loss plots
// (figures 6-9 and 6-15) draw instead of the raw per-iteration loss:
//   window_len = 11
//   s = np.r_[x[window_len-1:0:-1], x, x[-1:-window_len:-1]]
//   w = np.kaiser(window_len, 2)
//   y = np.convolve(w/w.sum(), s, mode='valid')
//   return y[5:len(y)-5]
// The padding reflects x[10..1] on the left (without x[0]) and x[-1..-10] on the
// right (with x[-1]): the same asymmetry here. Pure maths, no DOM.

const WINDOW = 11;

// Modified Bessel function I0 by its power series (converges fast for beta = 2).
function besselI0(x) {
  let sum = 1, term = 1;
  for (let k = 1; k < 60; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

// np.kaiser(M, beta): I0(beta * sqrt(1 - ((n - alpha) / alpha)^2)) / I0(beta), alpha = (M - 1) / 2.
export function kaiser(M, beta) {
  const alpha = (M - 1) / 2;
  return Array.from({ length: M }, (_, n) => besselI0(beta * Math.sqrt(1 - ((n - alpha) / alpha) ** 2)) / besselI0(beta));
}

const WEIGHTS = (() => {
  const w = kaiser(WINDOW, 2);
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
})();

// The smoothed curve, as long as x. Curves shorter than the window (where NumPy's
// slices would wrap or come up short) are returned unchanged.
export function smoothCurve(x) {
  const n = x.length;
  if (n < WINDOW) return Array.from(x);
  const s = [];
  for (let i = WINDOW - 1; i > 0; i--) s.push(x[i]);
  for (let i = 0; i < n; i++) s.push(x[i]);
  for (let i = n - 1; i > n - WINDOW; i--) s.push(x[i]);
  const half = (WINDOW - 1) / 2;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    // y[i + 5] of the 'valid' convolution; the kaiser window is symmetric.
    let acc = 0;
    for (let j = 0; j < WINDOW; j++) acc += WEIGHTS[j] * s[i + half + j];
    out[i] = acc;
  }
  return out;
}
