/* net.c: the network itself, as the book's MultiLayerNetExtend
 * (common/multi_layer_net_extend.py): the training-mode forward pass
 * (train_flg=True), the test-mode forward pass (train_flg=False), the
 * backward pass and the weight-decay term of the loss. train.c and eval.c
 * both build on this file; it calls neither. */
#include <math.h>
#include <stddef.h>

#include "internal.h"
#include "layers.h"

/* Book dropout keeps a unit when rand > ratio (common/layers.py Dropout);
 * the inverted variant also rescales kept units so test mode is the identity. */
static void make_dropout_mask(dlfs_run *r, real *mask, long n) {
  const float ratio = r->cfg.dropout;
  const real keep = r->cfg.dropout_mode == DLFS_DROPOUT_INVERTED ? (real)(1.0 / (1.0 - ratio)) : 1;
  for (long i = 0; i < n; i++) mask[i] = rng_uniform(&r->rng_dropout) > ratio ? keep : 0;
}

/* Biases and BatchNorm parameters are excluded from the decay term, as in
 * MultiLayerNetExtend.loss. */
real run_weight_decay_term(const dlfs_run *r) {
  const float wd = r->cfg.weight_decay;
  if (wd == 0) return 0;
  double sum = 0;
  for (int l = 0; l < r->n_affine; l++) {
    const layer_t *L = &r->layer[l];
    for (long i = 0; i < (long)L->K * L->N; i++) sum += (double)L->W[i] * L->W[i];
  }
  return (real)(0.5 * wd * sum);
}

/* Whether the decay term is finite (as a `real`), without its exact serial
 * sum, for runs that record no loss (DLFS_LOSS_NONE) and need only that. The
 * weights are finite, so the double sum is finite and only the conversion
 * to `real` can overflow. The sum in any order is within 1 % of the exact one
 * (n u < 0.01 for n < 160k weights in float) or +inf, so below 1e37, far
 * under FLT_MAX = 3.4e38, the term is finite; above, the exact sum decides. */
static int weight_decay_term_finite(const dlfs_run *r) {
  const float wd = r->cfg.weight_decay;
  if (wd == 0) return 1;
  /* The optimizer's pass summed the squares of every parameter it wrote
   * (biases and BatchNorm's too: a larger sum, so still a valid bound). */
  double bound = r->sumsq_iter == r->n_iter ? (double)r->param_sumsq : 0;
  for (int l = 0; r->sumsq_iter != r->n_iter && l < r->n_affine; l++)
    bound += (double)sum_squares_any_order(r->layer[l].W, (long)r->layer[l].K * r->layer[l].N);
  if (0.5 * wd * bound < 1e37) return 1;
  return isfinite(run_weight_decay_term(r));
}

/* The first layer's product, Y = X . W1 + b1: through the data set's nonzero
 * lists when it has usable ones (bit-identical, and about 5x less work on
 * MNIST), else on dense rows, gathered into `buf` first when they come from
 * a data set. The run's weights are always finite (creation checks them,
 * and optim_update stops a run whose parameters stop being finite). */
static void first_layer_forward(dlfs_run *r, real *out, const net_input *in, real *buf, int n, int relu) {
  const layer_t *L = &r->layer[0];
  sparse_rows view;
  const sparse_rows *sp = in->data && r->weights_finite ? data_sparse_view(in->data, &view) : NULL;
  if (sp) {
    affine_forward_sparse(out, sp, in->rows, in->first, L->W, L->b, n, L->K, L->N, relu);
    return;
  }
  const real *x = in->x;
  if (in->data) {
    batch_gather(buf, in->data->pixels, in->rows, in->first, n, in->data->features);
    x = buf;
  }
  if (relu) affine_relu_forward(out, x, L->W, L->b, r->scratch, n, L->K, L->N);
  else affine_forward(out, x, L->W, L->b, r->scratch, n, L->K, L->N);
}

/* What follows a hidden layer's affine in training mode (6.3 BatchNorm, then
 * the activation, then 6.4.3 dropout with the mask already drawn): shared by
 * the training step and the gradient check, which reuses one mask across its
 * perturbed forward passes. */
void hidden_forward_train(const dlfs_run *r, layer_t *L, int B) {
  const int n = B * L->N;
  const real *z = L->aff;
  if (L->gamma) {
    batchnorm_forward_train(L->bn_out, L->bn_xn, L->bn_std, z, L->gamma, L->beta, L->running_mean,
                            L->running_var, B, L->N);
    z = L->bn_out;
  }
  activation_forward(r->cfg.activation, L->act, z, n);
  if (L->drop) dropout_forward(L->drop, L->act, L->mask, n);
}

/* Training-mode forward pass; writes the loss including the decay term, and
 * the term to r->step_decay. Without a loss curve (DLFS_LOSS_NONE) only the
 * loss's finiteness matters: it is then the cross-entropy, or +inf when the
 * decay term is not finite (the cross-entropy is at most -log(1e-7), so the
 * sum overflows only when the term does), and step_decay is 0. */
static void forward_train(real *loss, dlfs_run *r) {
  const dlfs_config *c = &r->cfg;
  const int B = c->batch_size;
  const real *h = NULL;
  for (int l = 0; l < r->n_affine; l++) {
    layer_t *L = &r->layer[l];
    if (l == 0) first_layer_forward(r, L->aff, &r->in, r->x, B, 0);
    else affine_forward(L->aff, h, L->W, L->b, r->scratch, B, L->K, L->N);
    if (l == c->n_hidden) break;
    if (L->drop) make_dropout_mask(r, L->mask, (long)B * L->N);
    hidden_forward_train(r, L, B);
    h = L->out;
  }
  const layer_t *last = &r->layer[c->n_hidden];
  softmax_ce_forward(loss, r->probs, last->aff, r->t, B, c->output_size);
  if (c->loss_mode == DLFS_LOSS_NONE) {
    r->step_decay = 0;
    if (!weight_decay_term_finite(r)) *loss = INFINITY;
    return;
  }
  r->step_decay = run_weight_decay_term(r);
  *loss += r->step_decay;
}

/* dW1 = X^T . dY and db1 (the input's own gradient is never needed): through
 * the nonzero lists when forward used them and dY is finite (0 * inf is NaN
 * in the dense sum, which the lists would leave out), else densely. */
static void first_layer_backward(dlfs_run *r, layer_t *L, const real *d) {
  const net_input *in = &r->in;
  const int B = r->cfg.batch_size;
  sparse_rows view;
  const sparse_rows *sp = in->data && r->weights_finite ? data_sparse_view(in->data, &view) : NULL;
  if (sp && all_finite(d, (long)B * L->N)) {
    affine_backward_sparse(L->dW, L->db, d, sp, in->rows, in->first, r->sparse_work, B, L->K, L->N);
    return;
  }
  const real *x = in->data ? r->x : in->x;
  if (sp) /* forward took the lists, so x was never gathered */
    batch_gather(r->x, in->data->pixels, in->rows, in->first, B, in->data->features);
  affine_backward(NULL, L->dW, L->db, d, x, L->W, r->scratch, B, L->K, L->N);
}

/* Backward pass (5.7.2): the gradient travels in r->g0/g1, swapped after every
 * layer that cannot work in place. */
static void backward(dlfs_run *r) {
  const dlfs_config *c = &r->cfg;
  const int B = c->batch_size;
  const real wd = (real)c->weight_decay;
  real *d = r->g0, *spare = r->g1;
  softmax_ce_backward(d, r->probs, r->t, B, c->output_size);
  for (int l = c->n_hidden; l >= 0; l--) {
    layer_t *L = &r->layer[l];
    if (l == 0) first_layer_backward(r, L, d);
    else affine_backward(spare, L->dW, L->db, d, r->layer[l - 1].out, L->W, r->scratch, B, L->K, L->N);
    if (wd != 0) add_scaled(L->dW, L->W, wd, (long)L->K * L->N); /* d/dW of 0.5 * lambda * W^2 */
    if (l == 0) break;
    real *t = d;
    d = spare, spare = t;
    /* Now d is the gradient of hidden layer l-1's output. */
    layer_t *H = &r->layer[l - 1];
    const int n = B * H->N;
    if (H->drop) dropout_backward(d, d, H->mask, n);
    activation_backward(c->activation, d, d, H->act, n);
    if (H->gamma) {
      batchnorm_backward(spare, H->dgamma, H->dbeta, d, H->bn_xn, H->bn_std, H->gamma, B, H->N);
      t = d, d = spare, spare = t;
    }
  }
}

void run_loss_and_grads(real *loss, dlfs_run *r) {
  forward_train(loss, r);
  if (isfinite(*loss)) backward(r);
}

/* Test mode: BatchNorm uses its running statistics, book dropout scales by
 * (1 - ratio), and nothing is cached for a backward pass. */
real *run_forward_test(dlfs_run *r, const net_input *in, int n, int stop) {
  const dlfs_config *c = &r->cfg;
  const real *h = NULL;
  for (int l = 0; l < r->n_affine; l++) {
    const layer_t *L = &r->layer[l];
    real *out = (l % 2) ? r->eb : r->ea;
    /* A ReLU layer without BatchNorm takes its activation in the product's
     * own store (the same values as a separate relu_forward pass). */
    const int relu = l < c->n_hidden && !L->gamma && c->activation == DLFS_RELU;
    if (l == 0) first_layer_forward(r, out, in, r->ex, n, relu);
    else if (relu) affine_relu_forward(out, h, L->W, L->b, r->scratch, n, L->K, L->N);
    else affine_forward(out, h, L->W, L->b, r->scratch, n, L->K, L->N);
    if (l == c->n_hidden) return out;
    const int len = n * L->N;
    if (L->gamma)
      batchnorm_forward_test(out, out, L->gamma, L->beta, L->running_mean, L->running_var, n, L->N);
    if (!relu) activation_forward(c->activation, out, out, len);
    if (l == stop) return out;
    if (c->dropout > 0 && c->dropout_mode == DLFS_DROPOUT_BOOK)
      dropout_forward_test(out, out, (real)(1.0 - c->dropout), len);
    h = out;
  }
  return NULL; /* not reached: the loop returns at the output layer */
}

