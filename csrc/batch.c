/* batch.c: turning stored uint8 images into the network's float input.
 * Shared by training (random mini-batches) and evaluation (ranges). */
#include "internal.h"

void batch_scale_table(real lut[256]) {
  /* p / 255 exactly as x /= 255.0 computes it, but looked up: a division per
   * pixel costs more than the first layer's GEMM does per pixel at eval time. */
  for (int v = 0; v < 256; v++) lut[v] = (real)v / (real)255;
}

void batch_gather(real *x, const uint8_t *pixels, const int32_t *idx, int first, int n, int features) {
  real scaled[256];
  batch_scale_table(scaled);
  for (int i = 0; i < n; i++) {
    const uint8_t *p = pixels + (long)(idx ? idx[i] : first + i) * features;
    real *row = x + (long)i * features;
    for (int j = 0; j < features; j++) row[j] = scaled[p[j]];
  }
}

