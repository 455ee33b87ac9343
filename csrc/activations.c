/* activations.c: the book's activation-distribution experiment (section 6.2.2,
 * ch06/weight_init_activation_histogram.py). No training and no run: random
 * input through bias-free layers, one histogram per layer.
 *
 * It works in double because the book's NumPy does, and because exploding
 * ReLU activations (std 1) and saturated sigmoids (values that round to
 * exactly 1.0) are what the experiment is about: float32 would move values
 * between the last bins and the outside. */
#include <math.h>
#include <stdlib.h>

#include "dlfs.h"
#include "histogram.h"
#include "layers.h"
#include "rng.h"

static void summarise(const double *x, long n, double lo, double hi, int bins, int32_t *counts,
                      int32_t *below, int32_t *above, float *mean, float *stdev) {
  double sum = 0;
  for (int b = 0; b < bins; b++) counts[b] = 0;
  *below = *above = 0;
  for (long i = 0; i < n; i++) {
    histogram_add(x[i], lo, hi, bins, counts, below, above);
    sum += x[i];
  }
  /* Two passes, as np.std: no cancellation when the mean is large (exploding ReLU). */
  const double m = sum / n;
  double sq = 0;
  for (long i = 0; i < n; i++) sq += (x[i] - m) * (x[i] - m);
  *mean = (float)m;
  *stdev = (float)sqrt(sq / n);
}

dlfs_status dlfs_activation_histograms(int samples, int width, int layers, int activation,
                                       int init, float init_std, uint32_t seed, int bins,
                                       float lo, float hi, int32_t *counts, int32_t *below,
                                       int32_t *above, float *mean, float *stdev) {
  if (!counts || !below || !above || !mean || !stdev) return DLFS_E_ARG;
  if (samples < 1 || samples > DLFS_HIST_SAMPLES_MAX || width < 1 || width > DLFS_HIDDEN_WIDTH_MAX ||
      layers < 1 || layers > DLFS_MAX_HIDDEN || bins < 1 || bins > DLFS_HIST_BINS_MAX ||
      !isfinite(lo) || !isfinite(hi) || !(lo < hi))
    return DLFS_E_ARG;
  if (activation < DLFS_RELU || activation > DLFS_TANH) return DLFS_E_ACTIVATION;
  if (init < DLFS_INIT_STD || init > DLFS_INIT_HE) return DLFS_E_INIT;
  if (init == DLFS_INIT_STD && !(isfinite(init_std) && init_std > 0)) return DLFS_E_INIT;
  const double std = init_weight_std(init, init_std, width);

  const long n = (long)samples * width;
  double *x = malloc(sizeof(double) * (size_t)n);
  double *a = malloc(sizeof(double) * (size_t)n);
  double *w = malloc(sizeof(double) * (size_t)width * width);
  if (!x || !a || !w) {
    free(x), free(a), free(w);
    return DLFS_E_NOMEM;
  }
  /* The input is the experiment's data, so it comes from the batch stream; the
   * weights from the init stream. One seed thus gives every activation/init
   * pair the same input and the same weights up to their scale. */
  rng_t data_rng, init_rng;
  rng_seed(&data_rng, seed, RNG_STREAM_BATCH);
  rng_seed(&init_rng, seed, RNG_STREAM_INIT);
  for (long i = 0; i < n; i++) x[i] = rng_normal(&data_rng); /* np.random.randn(1000, 100) */

  for (int l = 0; l < layers; l++) {
    for (long i = 0; i < (long)width * width; i++) w[i] = rng_normal(&init_rng) * std;
    /* a = np.dot(x, w), then z = activation(a) becomes the next layer's x */
    for (int r = 0; r < samples; r++) {
      const double *xr = x + (long)r * width;
      double *ar = a + (long)r * width;
      for (int j = 0; j < width; j++) ar[j] = 0;
      for (int k = 0; k < width; k++) {
        const double xk = xr[k], *wk = w + (long)k * width;
        for (int j = 0; j < width; j++) ar[j] += xk * wk[j];
      }
      for (int j = 0; j < width; j++) ar[j] = ACTIVATION_VALUE(activation, ar[j], exp, tanh);
    }
    double *t = x;
    x = a, a = t;
    summarise(x, n, lo, hi, bins, counts + (long)l * bins, below + l, above + l, mean + l,
              stdev + l);
  }
  free(x), free(a), free(w);
  return DLFS_OK;
}
