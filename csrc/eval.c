/* eval.c: scoring a data set with the test-mode forward pass (net.c):
 * evaluation, the epoch curves, the book's after-update loss, and
 * activation histograms. */
#include <math.h>
#include <stddef.h>

#include "histogram.h"
#include "internal.h"
#include "layers.h"

void run_eval_loss_acc(real *loss, int *correct, dlfs_run *r, const real *logits,
                       const uint8_t *labels, int n) {
  const int C = r->cfg.output_size;
  int ok = 0;
  for (int i = 0; i < n; i++) {
    const real *z = logits + (long)i * C;
    int best = 0; /* np.argmax: the first maximum wins */
    for (int k = 1; k < C; k++)
      if (z[k] > z[best]) best = k;
    ok += best == labels[i];
  }
  *correct = ok;
  softmax_ce_loss(loss, logits, labels, n, C);
}

static dlfs_status check_range(const dlfs_run *r, const dlfs_data *d, int first, int count) {
  if (d->features != r->cfg.input_size || d->classes != r->cfg.output_size) return DLFS_E_DATA_SHAPE;
  if (first < 0 || count < 1) return DLFS_E_ARG;
  if (first > d->count - count) return DLFS_E_NOT_ENOUGH_DATA;
  return DLFS_OK;
}

/* The chunked loop behind dlfs_run_evaluate; the range is already checked.
 * decay: the run's weight-decay term now (the same for every set evaluated
 * on these weights, so an epoch computes it once). */
static void evaluate(dlfs_run *r, const dlfs_data *d, int first, int count, real decay, float *loss,
                     float *acc) {
  double loss_sum = 0;
  long correct = 0;
  for (int done = 0; done < count;) {
    int n = count - done < r->eval_rows ? count - done : r->eval_rows;
    const net_input in = {.data = d, .first = first + done};
    const real *logits = run_forward_test(r, &in, n, -1);
    int ok;
    real loss_n;
    run_eval_loss_acc(&loss_n, &ok, r, logits, d->labels + first + done, n);
    loss_sum += (double)loss_n * n;
    correct += ok;
    done += n;
  }
  *loss = (float)(loss_sum / count + decay);
  *acc = (float)((double)correct / count);
}

dlfs_status dlfs_run_evaluate(dlfs_run *run, const dlfs_data *data, int first, int count,
                              float *loss, float *accuracy) {
  if (!run || !data || !loss || !accuracy) return DLFS_E_ARG;
  dlfs_status st = check_range(run, data, first, count);
  if (st != DLFS_OK) return st;
  evaluate(run, data, first, count, run_weight_decay_term(run), loss, accuracy);
  return DLFS_OK;
}

/* One point per eval slot; NaN where no set is attached or it has fewer
 * images loaded than requested, so all epoch curves stay aligned. */
void run_record_epoch(dlfs_run *r) {
  if (r->n_epoch >= r->max_epochs) return;
  int any = 0;
  for (int s = 0; s < DLFS_MAX_EVAL_SLOTS; s++) any |= r->eval[s] != NULL;
  const real decay = any ? run_weight_decay_term(r) : 0;
  for (int s = 0; s < DLFS_MAX_EVAL_SLOTS; s++) {
    float loss = NAN, acc = NAN;
    const dlfs_data *d = r->eval[s];
    int count = d ? (r->eval_count[s] ? r->eval_count[s] : d->count) : 0;
    if (d && count >= 1 && count <= d->count) evaluate(r, d, 0, count, decay, &loss, &acc);
    r->curve_eval[2 * s][r->n_epoch] = acc;
    r->curve_eval[2 * s + 1][r->n_epoch] = loss;
  }
  r->n_epoch++;
}

dlfs_status dlfs_run_activation_hist(dlfs_run *run, const dlfs_data *data, int first, int count,
                                     int layer, int bins, float lo, float hi, int32_t *counts,
                                     int32_t *below, int32_t *above, float *mean, float *std) {
  if (!run || !data || !counts || !below || !above || !mean || !std) return DLFS_E_ARG;
  if (layer < 0 || layer >= run->cfg.n_hidden || bins < 1 || bins > 4096 || !isfinite(lo) || !isfinite(hi) ||
      !(hi > lo) || count > run->eval_rows)
    return DLFS_E_ARG;
  dlfs_status st = check_range(run, data, first, count);
  if (st != DLFS_OK) return st;
  const net_input in = {.data = data, .first = first};
  const real *a = run_forward_test(run, &in, count, layer);
  const long n = (long)count * run->layer[layer].N;
  for (int b = 0; b < bins; b++) counts[b] = 0;
  *below = *above = 0;
  double sum = 0;
  for (long i = 0; i < n; i++) {
    histogram_add(a[i], lo, hi, bins, counts, below, above);
    sum += a[i];
  }
  /* Two passes, as np.std: no cancellation when the mean is large. */
  const double m = sum / n;
  double sq = 0;
  for (long i = 0; i < n; i++) sq += (a[i] - m) * (a[i] - m);
  *mean = (float)m;
  *std = (float)sqrt(sq / n);
  return DLFS_OK;
}
