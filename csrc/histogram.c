#include "histogram.h"

/* np.linspace(lo, hi, bins + 1)[k]: k * step + lo, the last edge exactly hi. */
static double edge(int k, double lo, double hi, int bins) {
  return k == bins ? hi : k * ((hi - lo) / bins) + lo;
}

/* Like NumPy: a first guess from the scaled value, then corrected against the
 * edges so that rounding cannot disagree with them. */
void histogram_add(double v, double lo, double hi, int bins, int32_t *counts, int32_t *below,
                   int32_t *above) {
  if (v < lo) {
    (*below)++;
    return;
  }
  if (!(v <= hi)) {
    (*above)++;
    return;
  }
  int b = (int)((v - lo) / (hi - lo) * bins);
  if (b >= bins) b = bins - 1;
  if (v < edge(b, lo, hi, bins)) b--;
  else if (b < bins - 1 && v >= edge(b + 1, lo, hi, bins)) b++;
  counts[b]++;
}
