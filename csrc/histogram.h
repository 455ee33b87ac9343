/* histogram.h: np.histogram's binning, shared by the activation histograms
 * of a run (eval.c) and of the book's activation experiment (activations.c). */
#ifndef DLFS_HISTOGRAM_H
#define DLFS_HISTOGRAM_H

#include <stdint.h>

/* Counts v into counts[bins] as np.histogram(v, bins, range=(lo, hi)) does
 * (bins half-open except the last, which includes hi), or into *below / *above
 * when it lies outside (NaN counts as above). */
void histogram_add(double v, double lo, double hi, int bins, int32_t *counts, int32_t *below,
                   int32_t *above);

#endif
