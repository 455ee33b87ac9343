/* data.c: a growable set of uint8 images and labels.
 *
 * Images stay uint8 (a quarter of the float memory, and exactly what the
 * shards carry); they become floats in [0, 1] only when a batch is gathered
 * (run.c), as load_mnist(normalize=True) divides by 255. */
#include <stdlib.h>

#include "dlfs.h"
#include "internal.h"

dlfs_status dlfs_data_create(int capacity, int features, int classes, dlfs_data **out) {
  if (!out) return DLFS_E_ARG;
  *out = NULL;
  if (capacity < 1 || capacity > 1000000 || features < 1 || features > 4096 || classes < 2 ||
      classes > 256)
    return DLFS_E_ARG;
  dlfs_data *d = calloc(1, sizeof *d);
  if (!d) return DLFS_E_NOMEM;
  d->pixels = malloc((size_t)capacity * features);
  d->labels = malloc((size_t)capacity);
  if (!d->pixels || !d->labels) {
    dlfs_data_destroy(d);
    return DLFS_E_NOMEM;
  }
  d->capacity = capacity;
  d->features = features;
  d->classes = classes;
  *out = d;
  return DLFS_OK;
}

void dlfs_data_destroy(dlfs_data *data) {
  if (!data) return;
  free(data->pixels);
  free(data->labels);
  free(data);
}

uint8_t *dlfs_data_pixels(dlfs_data *data) { return data ? data->pixels : NULL; }
uint8_t *dlfs_data_labels(dlfs_data *data) { return data ? data->labels : NULL; }
int dlfs_data_count(const dlfs_data *data) { return data ? data->count : 0; }
int dlfs_data_capacity(const dlfs_data *data) { return data ? data->capacity : 0; }

dlfs_status dlfs_data_commit(dlfs_data *data, int n) {
  if (!data || n < 0) return DLFS_E_ARG;
  if (n > data->capacity - data->count) return DLFS_E_DATA_FULL;
  const uint8_t *lab = data->labels + data->count;
  for (int i = 0; i < n; i++)
    if (lab[i] >= data->classes) return DLFS_E_LABEL;
  data->count += n;
  return DLFS_OK;
}
