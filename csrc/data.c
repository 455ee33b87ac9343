/* data.c: a growable set of uint8 images and labels.
 *
 * Images stay uint8 (a quarter of the float memory, and exactly what the
 * shards carry); they become floats in [0, 1] only when a batch is gathered
 * (batch.c), as load_mnist(normalize=True) divides by 255. At commit each new
 * image is also listed as its nonzero pixels (uint16 index + uint8 value,
 * 3 bytes per nonzero: about 0.6 of the dense bytes on MNIST), which the
 * first layer walks instead of the 81% of pixels that are zero. */
#include <stdint.h>
#include <stdlib.h>

#include "dlfs.h"
#include "internal.h"

dlfs_status dlfs_data_create(int capacity, int features, int classes, dlfs_data **out) {
  if (!out) return DLFS_E_ARG;
  *out = NULL;
  if (capacity < 1 || capacity > DLFS_DATA_CAPACITY_MAX || features < 1 ||
      features > DLFS_INPUT_SIZE_MAX || classes < DLFS_OUTPUT_SIZE_MIN || classes > DLFS_OUTPUT_SIZE_MAX)
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
  d->nz_start = calloc((size_t)capacity + 1, sizeof(int32_t));
  /* Without lists runs use the dense path; offsets are int32. */
  d->lists_ok = d->nz_start != NULL && (long long)capacity * features <= INT32_MAX;
  d->use_lists = 1;
  batch_scale_table(d->lut);
  *out = d;
  return DLFS_OK;
}

void dlfs_data_destroy(dlfs_data *data) {
  if (!data) return;
  free(data->pixels);
  free(data->labels);
  free(data->nz_start);
  free(data->nz_idx);
  free(data->nz_val);
  free(data);
}

uint8_t *dlfs_data_pixels(dlfs_data *data) { return data ? data->pixels : NULL; }
uint8_t *dlfs_data_labels(dlfs_data *data) { return data ? data->labels : NULL; }
int dlfs_data_count(const dlfs_data *data) { return data ? data->count : 0; }
int dlfs_data_capacity(const dlfs_data *data) { return data ? data->capacity : 0; }

/* Lists images count .. count+n-1, growing the arrays geometrically. If
 * memory runs out the lists are dropped for good (lists_ok = 0) and the data
 * set stays usable through the dense path: the commit itself still succeeds. */
static void append_lists(dlfs_data *d, int n) {
  if (!d->lists_ok) return;
  const int F = d->features;
  long nnz = d->nz_start[d->count];
  for (int i = d->count; i < d->count + n; i++) {
    const uint8_t *p = d->pixels + (long)i * F;
    long need = nnz + F;
    if (need > d->nz_cap) {
      long cap = d->nz_cap ? d->nz_cap : 1L << 16;
      while (cap < need) cap *= 2;
      uint16_t *idx = realloc(d->nz_idx, sizeof(uint16_t) * (size_t)cap);
      if (idx) d->nz_idx = idx;
      uint8_t *val = idx ? realloc(d->nz_val, (size_t)cap) : NULL;
      if (val) d->nz_val = val;
      if (!idx || !val) {
        free(d->nz_idx), free(d->nz_val);
        d->nz_idx = NULL, d->nz_val = NULL, d->nz_cap = 0, d->lists_ok = 0;
        return;
      }
      d->nz_cap = cap;
    }
    for (int k = 0; k < F; k++) {
      d->nz_idx[nnz] = (uint16_t)k;
      d->nz_val[nnz] = p[k];
      nnz += p[k] != 0; /* branch-free: every pixel written, nonzero ones kept */
    }
    d->nz_start[i + 1] = (int32_t)nnz;
  }
}

dlfs_status dlfs_data_commit(dlfs_data *data, int n) {
  if (!data || n < 0) return DLFS_E_ARG;
  if (n > data->capacity - data->count) return DLFS_E_DATA_FULL;
  const uint8_t *lab = data->labels + data->count;
  for (int i = 0; i < n; i++)
    if (lab[i] >= data->classes) return DLFS_E_LABEL;
  append_lists(data, n);
  data->count += n;
  return DLFS_OK;
}

dlfs_status dlfs_data_set_sparse(dlfs_data *data, int enable) {
  if (!data || (enable != 0 && enable != 1)) return DLFS_E_ARG;
  data->use_lists = enable;
  return DLFS_OK;
}

int dlfs_data_sparse(const dlfs_data *data) {
  sparse_rows view;
  return data ? data_sparse_view(data, &view) != NULL : -1;
}

const sparse_rows *data_sparse_view(const dlfs_data *d, sparse_rows *view) {
  if (!d->use_lists || !d->lists_ok || d->count == 0) return NULL;
  if (2L * d->nz_start[d->count] > (long)d->count * d->features) return NULL;
  *view = (sparse_rows){d->nz_start, d->nz_idx, d->nz_val, d->lut};
  return view;
}
