/* gradcheck.c: the numerical gradient check (book 5.7.3 gradient_check.py,
 * 6.3.2 ch06/batch_norm_gradient_check.py) of a run's whole network.
 *
 * The backprop gradient a of every parameter is compared with the central
 * difference of common/gradient.py,
 *   n = (L(p + h) - L(p - h)) / step,   step = (p + h) - (p - h) as stored,
 * (the book divides by 2h; in float32 the stored step differs from 2h by up to
 * ulp(p) / 2h, ~2e-5 of it, so the real step is used), over the images
 * [first, first + batch_size) of a data set, in training mode (BatchNorm uses
 * the batch statistics, as the book's loss(train_flg=True)).
 *
 * Three things make the comparison exact rather than approximately right:
 * - Dropout masks are fixed: every L(p +- h) reuses the masks the backprop
 *   pass drew (the book's check draws new masks per call and would fail with
 *   dropout on).
 * - The differentiated loss is the one backprop differentiates. The engine
 *   reports the book's cross_entropy_error, -log(p[t] + 1e-7), but its backward
 *   is SoftmaxWithLoss's (p - onehot) / B, the gradient of -log p[t] exactly;
 *   the 1e-7 alone gives a relative difference of ~1e-7 / p[t] (1e-6 for an
 *   untrained net). So L here is mean(logsumexp(z) - z[t]) + 0.5 lambda sum W^2
 *   from the logits z the engine's forward leaves behind.
 * - Without weight decay, a first-layer weight whose input pixel is 0 in every
 *   image of the batch cannot change the loss: 0 * (w +- h) adds the same zero
 *   to every sum, so L(p + h) == L(p - h) bit for bit and n = 0 exactly. Those
 *   entries are not evaluated (MNIST is ~81% zeros; this is most of W1) but
 *   still counted, with n = 0, in every statistic. Their backprop value is 0
 *   too (x^T dout). With weight decay they change the decay term and are
 *   evaluated like the others.
 *
 * Per tensor (the book's W1, b1, gamma1, beta1, ..., in params order):
 *   mean |a - n|                        the book's printout (np.average(np.abs(..)))
 *   ||a - n||_2 / (||a||_2 + ||n||_2)   the relative error (0 when both are 0)
 *   the same for nR = (4 n_h - n_2h) / 3, the Richardson extrapolation of the
 *     differences with steps h and 2h, whose O(h^2) truncation error cancels.
 *     The book's h = 1e-4 leaves a truncation error h^2 L^(3) / 6 that is not
 *     small where BatchNorm normalises over a few images: measured on the first
 *     3 MNIST images, the plain relative error of W1 is 3.8e-6 at h = 1e-4 and
 *     3.8e-8 at h = 1e-5 (exactly h^2: the difference, not backprop, is off);
 *     the extrapolated one tells whether backprop is right.
 *   max |a|, max |a - n|, kink crossings (ReLU: entries where L(p +- h) and the
 *   base point differ in which pre-activations are > 0, i.e. the difference
 *   straddled a kink of max(0, x) and n is not a derivative there).
 * The Affine bias in front of BatchNorm has a gradient of exactly 0 in theory
 * (BN subtracts the batch mean, so a shift of the bias changes nothing): its a
 * and n are both rounding noise and their relative error says nothing; it is
 * flagged DLFS_GC_ZERO_IN_THEORY.
 *
 * Each L(p +- h) is a training-mode forward pass made of layers.c's forward
 * functions in net.c's order, started where the parameter acts: layers before
 * it keep their cached outputs, and for an Affine weight or bias only its
 * output column is recomputed (a plain dot product; the other columns are the
 * cached GEMM output). Both sides of a difference take the same path, so its
 * rounding stays ~ulp(L) / h; and the differenced forward is independent of
 * net.c's, which the backprop gradient comes from. This makes a first-layer
 * weight ~8x cheaper than a whole forward pass (and 24x cheaper than the
 * forward + backward a naive check would run).
 *
 * The check uses the run as its workspace: parameters are restored exactly
 * after every difference, but the gradient buffers, BatchNorm's running
 * statistics (which training-mode outputs do not read) and the dropout
 * stream's position change. It is a handle so that the page can advance it in
 * slices and show progress (dlfs_gradcheck_step). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layers.h"

#define MAX_TENSORS (4 * (DLFS_MAX_HIDDEN + 1))

typedef struct {
  long offset, size;
  int layer, kind; /* 1-based layer of the book's key; dlfs_gradcheck_kind */
  int zero_in_theory;
} gc_tensor;

struct dlfs_gradcheck {
  dlfs_run *run;
  double h;
  real *analytic;         /* [n_params] backprop gradient */
  double *numerical;      /* [n_params] central differences, step h */
  double *numerical2;     /* [n_params] the same with step 2h, for Richardson extrapolation */
  uint8_t *kink;          /* [n_params] bit 0 / bit 1: the difference with step h / 2h crossed a ReLU kink */
  uint8_t *zero_input;    /* [input_size] 1 if the pixel is 0 in every image of the batch */
  uint8_t *pattern;       /* [sum over hidden layers of B x N] ReLU pattern at the base point */
  real *column;           /* [B] an Affine output column, saved while it is perturbed */
  long next;              /* next parameter to difference */
  int n_tensors;
  gc_tensor tensor[MAX_TENSORS];
  double loss;            /* the differentiated loss at the base point */
};

/* mean(logsumexp(z) - z[t]) + decay term, from the logits of the last forward. */
static double exact_loss(const dlfs_run *r) {
  const layer_t *O = &r->layer[r->n_affine - 1];
  const int B = r->cfg.batch_size, C = O->N;
  double s = 0;
  for (int i = 0; i < B; i++) {
    const real *z = O->aff + (long)i * C;
    double m = z[0];
    for (int c = 1; c < C; c++) m = z[c] > m ? z[c] : m;
    double se = 0;
    for (int c = 0; c < C; c++) se += exp(z[c] - m);
    s += m + log(se) - z[r->t[i]];
  }
  return s / B + run_weight_decay_term(r);
}

static const real *pre_activation(const layer_t *L) { return L->gamma ? L->bn_out : L->aff; }

/* Compare (or, with record, store) which ReLU inputs are > 0. Returns 1 if any differs. */
static int relu_pattern(dlfs_gradcheck *gc, int record) {
  const dlfs_run *r = gc->run;
  if (r->cfg.activation != DLFS_RELU) return 0;
  const int B = r->cfg.batch_size;
  long k = 0;
  int changed = 0;
  for (int l = 0; l < r->cfg.n_hidden; l++) {
    const layer_t *L = &r->layer[l];
    const real *z = pre_activation(L);
    for (long i = 0; i < (long)B * L->N; i++, k++) {
      const uint8_t on = z[i] > 0;
      if (record) gc->pattern[k] = on;
      else changed |= on != gc->pattern[k];
    }
  }
  return changed;
}

/* Training-mode forward from layer l on (net.c's forward_train, with the
 * backprop pass's dropout masks): layer l's Affine output is taken as it is
 * when affine_done, otherwise recomputed from the previous layer's cached output. */
static void forward_from(dlfs_run *r, int l, int affine_done) {
  const dlfs_config *c = &r->cfg;
  const int B = c->batch_size;
  for (; l < r->n_affine; l++) {
    layer_t *L = &r->layer[l];
    if (!affine_done) {
      const real *h = l == 0 ? r->x : r->layer[l - 1].out;
      affine_forward(L->aff, h, L->W, L->b, r->scratch, B, L->K, L->N);
    }
    affine_done = 0;
    if (l == c->n_hidden) break;
    hidden_forward_train(r, L, B);
  }
}

/* Column j of layer l's Affine output, out[:, j] = inp . W[:, j] + b[j]. */
static void affine_column(dlfs_run *r, int l, int j) {
  layer_t *L = &r->layer[l];
  const real *inp = l == 0 ? r->x : r->layer[l - 1].out;
  for (int i = 0; i < r->cfg.batch_size; i++) {
    const real *row = inp + (long)i * L->K;
    real s = 0;
    for (int k = 0; k < L->K; k++) s += row[k] * L->W[(long)k * L->N + j];
    L->aff[(long)i * L->N + j] = s + L->b[j];
  }
}

/* L at the current parameters, parameter `i` of tensor t having just changed. */
static double evaluate(dlfs_gradcheck *gc, const gc_tensor *t, long i, int *kinked) {
  dlfs_run *r = gc->run;
  const int l = t->layer - 1, N = r->layer[l].N;
  if (t->kind == DLFS_GC_WEIGHT || t->kind == DLFS_GC_BIAS) {
    affine_column(r, l, (int)((i - t->offset) % N)); /* W is [K x N]: the column is i mod N */
  }
  forward_from(r, l, 1);
  *kinked |= relu_pattern(gc, 0);
  return exact_loss(r);
}

dlfs_status dlfs_gradcheck_create(dlfs_run *run, const dlfs_data *data, int first, double h,
                                  dlfs_gradcheck **out) {
  if (out) *out = NULL;
  if (!run || !data || !out || first < 0 || !(h > 0) || !isfinite(h)) return DLFS_E_ARG;
  const dlfs_config *c = &run->cfg;
  if (data->features != c->input_size || data->classes != c->output_size) return DLFS_E_DATA_SHAPE;
  const int B = c->batch_size;
  if ((long)first + B > data->count) return DLFS_E_NOT_ENOUGH_DATA;

  long pattern_len = 0;
  for (int l = 0; l < c->n_hidden; l++) pattern_len += (long)B * c->hidden[l];
  dlfs_gradcheck *gc = calloc(1, sizeof *gc);
  if (!gc) return DLFS_E_NOMEM;
  gc->analytic = malloc(sizeof(real) * (size_t)run->n_params);
  gc->numerical = calloc((size_t)run->n_params, sizeof(double));
  gc->numerical2 = calloc((size_t)run->n_params, sizeof(double));
  gc->kink = calloc((size_t)run->n_params, 1);
  gc->zero_input = malloc((size_t)c->input_size);
  gc->pattern = malloc((size_t)pattern_len + 1);
  gc->column = malloc(sizeof(real) * (size_t)B);
  if (!gc->analytic || !gc->numerical || !gc->numerical2 || !gc->kink || !gc->zero_input || !gc->pattern || !gc->column) {
    dlfs_gradcheck_destroy(gc);
    return DLFS_E_NOMEM;
  }
  gc->run = run;
  gc->h = h;

  /* The batch: x_train[first:first+B] / 255 and its labels. */
  batch_gather(run->x, data->pixels, NULL, first, B, c->input_size);
  memcpy(run->t, data->labels + first, (size_t)B);
  for (int j = 0; j < c->input_size; j++) {
    int zero = 1;
    for (int i = 0; i < B && zero; i++) zero = run->x[(long)i * c->input_size + j] == 0;
    gc->zero_input[j] = (uint8_t)zero;
  }

  /* The tensors, in params order (run.c's layout: W, b, [gamma, beta] per layer). */
  long off = 0;
  for (int l = 0; l < run->n_affine; l++) {
    const layer_t *L = &run->layer[l];
    const long sizes[4] = {(long)L->K * L->N, L->N, L->N, L->N};
    for (int q = 0; q < (L->gamma ? 4 : 2); q++) {
      gc_tensor *t = &gc->tensor[gc->n_tensors++];
      t->offset = off, t->size = sizes[q], t->layer = l + 1, t->kind = q;
      t->zero_in_theory = q == DLFS_GC_BIAS && L->gamma != NULL;
      off += sizes[q];
    }
  }

  real engine_loss; /* the book's loss, with its 1e-7: not the one differentiated */
  run_loss_and_grads(&engine_loss, run); /* draws the dropout masks every L(p +- h) reuses */
  memcpy(gc->analytic, run->grads, sizeof(real) * (size_t)run->n_params);
  relu_pattern(gc, 1);
  gc->loss = exact_loss(run);
  *out = gc;
  return DLFS_OK;
}

void dlfs_gradcheck_destroy(dlfs_gradcheck *gc) {
  if (!gc) return;
  free(gc->analytic);
  free(gc->numerical);
  free(gc->numerical2);
  free(gc->kink);
  free(gc->zero_input);
  free(gc->pattern);
  free(gc->column);
  free(gc);
}

static const gc_tensor *tensor_of(const dlfs_gradcheck *gc, long i) {
  int k = 0;
  while (i >= gc->tensor[k].offset + gc->tensor[k].size) k++;
  return &gc->tensor[k];
}

dlfs_status dlfs_gradcheck_step(dlfs_gradcheck *gc, int entries, int *remaining) {
  if (remaining) *remaining = 0;
  if (!gc || entries < 0) return DLFS_E_ARG;
  dlfs_run *r = gc->run;
  const int B = r->cfg.batch_size;
  const layer_t *first_layer = &r->layer[0];
  const long w1 = (long)first_layer->K * first_layer->N;
  for (int done = 0; done < entries && gc->next < r->n_params; gc->next++) {
    const long i = gc->next;
    /* W1 is params[0 .. K*N), row-major [K x N]: row i / N is the input pixel. */
    if (i < w1 && r->cfg.weight_decay == 0 && gc->zero_input[i / first_layer->N]) continue; /* n = 0, see above */
    const gc_tensor *t = tensor_of(gc, i);
    layer_t *L = &r->layer[t->layer - 1];
    const int j = (int)((i - t->offset) % L->N);
    for (int b = 0; b < B; b++) gc->column[b] = L->aff[(long)b * L->N + j];
    real *p = r->params + i;
    const real old = *p;
    int kinked[2] = {0, 0};
    double diff[2];
    for (int m = 0; m < 2; m++) { /* steps h and 2h */
      const double step = (m + 1) * gc->h;
      *p = (real)(old + step);
      const double plus = evaluate(gc, t, i, &kinked[m]);
      const double hi = (double)*p;
      *p = (real)(old - step);
      const double minus = evaluate(gc, t, i, &kinked[m]);
      diff[m] = (plus - minus) / (hi - (double)*p);
    }
    *p = old;
    gc->numerical[i] = diff[0];
    gc->numerical2[i] = diff[1];
    for (int b = 0; b < B; b++) L->aff[(long)b * L->N + j] = gc->column[b];
    gc->kink[i] = (uint8_t)(kinked[0] | kinked[1] << 1);
    /* The layers after this one hold the last perturbed pass: before moving on to a
     * later layer's parameters, put their cached outputs back to the base point. */
    if (gc->next + 1 >= r->n_params || tensor_of(gc, gc->next + 1)->layer != t->layer) {
      forward_from(r, t->layer - 1, 1);
    }
    done++;
  }
  if (remaining) *remaining = (int)(r->n_params - gc->next);
  return DLFS_OK;
}

int dlfs_gradcheck_tensors(const dlfs_gradcheck *gc) { return gc ? gc->n_tensors : 0; }

dlfs_status dlfs_gradcheck_result(const dlfs_gradcheck *gc, int tensor, double *fields) {
  if (!gc || !fields || tensor < 0 || tensor >= gc->n_tensors) return DLFS_E_ARG;
  const gc_tensor *t = &gc->tensor[tensor];
  const long checked = gc->next <= t->offset ? 0
                       : gc->next >= t->offset + t->size ? t->size
                                                          : gc->next - t->offset;
  /* Mean |a - n| over every entry, as the book prints it; the relative errors leave
   * out entries whose difference crossed a ReLU kink (not a derivative there). */
  double sum_abs = 0, diff2 = 0, a2 = 0, n2 = 0, amax = 0, dmax = 0, kinks = 0;
  double rdiff2 = 0, ra2 = 0, r2 = 0;
  long plain = 0, rich = 0; /* entries in each relative error */
  for (long k = 0; k < checked; k++) {
    const double a = gc->analytic[t->offset + k], n = gc->numerical[t->offset + k];
    const double nr = (4 * n - gc->numerical2[t->offset + k]) / 3; /* O(h^2) term cancelled */
    const int kink = gc->kink[t->offset + k];
    const double d = fabs(a - n);
    sum_abs += d;
    amax = fmax(amax, fabs(a)), dmax = fmax(dmax, d);
    kinks += kink != 0;
    if (!(kink & 1)) diff2 += d * d, a2 += a * a, n2 += n * n, plain++;
    if (!kink) rdiff2 += (a - nr) * (a - nr), ra2 += a * a, r2 += nr * nr, rich++;
  }
  const double denom = sqrt(a2) + sqrt(n2);
  fields[DLFS_GC_LAYER] = t->layer;
  fields[DLFS_GC_KIND] = t->kind;
  fields[DLFS_GC_SIZE] = (double)t->size;
  fields[DLFS_GC_CHECKED] = (double)checked;
  fields[DLFS_GC_MEAN_ABS_DIFF] = checked ? sum_abs / checked : 0;
  fields[DLFS_GC_REL_ERROR] = !plain ? NAN : denom > 0 ? sqrt(diff2) / denom : 0;
  const double rdenom = sqrt(ra2) + sqrt(r2);
  fields[DLFS_GC_REL_ERROR_RICHARDSON] = !rich ? NAN : rdenom > 0 ? sqrt(rdiff2) / rdenom : 0;
  fields[DLFS_GC_MAX_ABS_BACKPROP] = amax;
  fields[DLFS_GC_MAX_ABS_DIFF] = dmax;
  fields[DLFS_GC_KINKS] = kinks;
  fields[DLFS_GC_ZERO_IN_THEORY] = t->zero_in_theory;
  fields[DLFS_GC_LOSS] = gc->loss;
  return DLFS_OK;
}

dlfs_status dlfs_gradcheck_values(const dlfs_gradcheck *gc, int tensor, double *backprop,
                                  double *numerical) {
  if (!gc || !backprop || !numerical || tensor < 0 || tensor >= gc->n_tensors) return DLFS_E_ARG;
  const gc_tensor *t = &gc->tensor[tensor];
  for (long k = 0; k < t->size; k++) {
    backprop[k] = gc->analytic[t->offset + k];
    numerical[k] = t->offset + k < gc->next ? gc->numerical[t->offset + k] : NAN;
  }
  return DLFS_OK;
}
