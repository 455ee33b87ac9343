/* train.c: one training iteration, as the book's train loop
 * (ch06/overfit_weight_decay.py and friends):
 *   batch_mask = np.random.choice(train_size, batch_size)
 *   grads = network.gradient(x_batch, t_batch); optimizer.update(params, grads)
 * followed by the loss curve point and, at epoch ends, the eval curves. */
#include <math.h>
#include <stddef.h>

#include "internal.h"
#include "layers.h"

/* Indices of the next mini-batch: with replacement from [0, train_size) as
 * np.random.choice does by default, or from an epoch-wise shuffled order. */
static void choose_batch(dlfs_run *r) {
  const int B = r->cfg.batch_size, T = r->cfg.train_size;
  if (!r->perm) {
    for (int i = 0; i < B; i++) r->batch_idx[i] = (int32_t)rng_below(&r->rng_batch, (uint32_t)T);
    return;
  }
  for (int i = 0; i < B; i++) {
    if (r->perm_pos >= T) { /* Fisher-Yates reshuffle at each epoch start */
      for (int k = T - 1; k > 0; k--) {
        int j = (int)rng_below(&r->rng_batch, (uint32_t)k + 1);
        int32_t tmp = r->perm[k];
        r->perm[k] = r->perm[j];
        r->perm[j] = tmp;
      }
      r->perm_pos = 0;
    }
    r->batch_idx[i] = r->perm[r->perm_pos++];
  }
}

/* Book dropout keeps a unit when rand > ratio (common/layers.py Dropout);
 * the inverted variant also rescales kept units so test mode is the identity. */
static void make_dropout_mask(dlfs_run *r, real *mask, long n) {
  const float ratio = r->cfg.dropout;
  const real keep = r->cfg.dropout_mode == DLFS_DROPOUT_INVERTED ? (real)(1.0 / (1.0 - ratio)) : 1;
  for (long i = 0; i < n; i++) mask[i] = rng_uniform(&r->rng_dropout) > ratio ? keep : 0;
}

/* 0.5 * lambda * sum(W^2) over every Affine weight matrix (6.4.2; biases and
 * BatchNorm parameters excluded, as MultiLayerNetExtend.loss). */
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

/* Training-mode forward pass; returns the loss including the decay term. */
static real forward_train(dlfs_run *r) {
  const dlfs_config *c = &r->cfg;
  const int B = c->batch_size;
  const real *h = r->x;
  for (int l = 0; l < r->n_affine; l++) {
    layer_t *L = &r->layer[l];
    affine_forward(L->aff, h, L->W, L->b, B, L->K, L->N, r->scratch);
    if (l == c->n_hidden) break;
    const int n = B * L->N;
    const real *z = L->aff;
    if (L->gamma) {
      batchnorm_forward_train(L->bn_out, L->bn_xn, L->bn_std, L->running_mean, L->running_var, z,
                              L->gamma, L->beta, B, L->N);
      z = L->bn_out;
    }
    activation_forward(c->activation, L->act, z, n);
    if (L->drop) {
      make_dropout_mask(r, L->mask, n);
      dropout_forward(L->drop, L->act, L->mask, n);
    }
    h = L->out;
  }
  const layer_t *last = &r->layer[c->n_hidden];
  return softmax_ce_forward(r->probs, last->aff, r->t, B, c->output_size) +
         run_weight_decay_term(r);
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
    const real *inp = l == 0 ? r->x : r->layer[l - 1].out;
    affine_backward(l == 0 ? NULL : spare, L->dW, L->db, d, inp, L->W, B, L->K, L->N, r->scratch);
    if (wd != 0) /* d/dW of 0.5 * lambda * W^2 */
      for (long i = 0; i < (long)L->K * L->N; i++) L->dW[i] += wd * L->W[i];
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

real run_loss_and_grads(dlfs_run *r) {
  real loss = forward_train(r);
  if (isfinite(loss)) backward(r);
  return loss;
}

/* The epoch ends on iteration i when i % (train_size / batch_size) == 0 in the
 * book's real-valued arithmetic, i.e. when i * batch_size is a multiple of
 * train_size (or every iteration when the batch exceeds the training set). */
static int is_epoch_end(const dlfs_run *r, int i) {
  const long B = r->cfg.batch_size, T = r->cfg.train_size;
  return B >= T || ((long long)i * B) % T == 0;
}

dlfs_status run_step(dlfs_run *r) {
  const dlfs_config *c = &r->cfg;
  choose_batch(r);
  run_gather(r->x, r->train->pixels, r->batch_idx, 0, c->batch_size, c->input_size);
  for (int i = 0; i < c->batch_size; i++) r->t[i] = r->train->labels[r->batch_idx[i]];

  real loss = run_loss_and_grads(r);
  if (!isfinite(loss)) {
    r->diverged = 1;
    return DLFS_E_DIVERGED;
  }
  if (!optim_update(&r->opt, r->params, r->grads, r->opt_m, r->opt_v, r->n_params)) {
    r->diverged = 1;
    return DLFS_E_DIVERGED;
  }
  if (c->loss_mode == DLFS_LOSS_BOOK) { /* network.loss(x_batch, t_batch) after the update */
    int correct;
    const real *logits = run_forward_test(r, r->x, c->batch_size, -1);
    loss = run_eval_loss_acc(r, logits, r->t, c->batch_size, &correct) + run_weight_decay_term(r);
  }
  r->curve_loss[r->n_iter] = (float)loss;
  if (is_epoch_end(r, r->n_iter)) run_record_epoch(r);
  r->n_iter++;
  return DLFS_OK;
}
