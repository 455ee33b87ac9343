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
  for (int i = 0; i < c->batch_size; i++) r->t[i] = r->train->labels[r->batch_idx[i]];
  /* The first layer reads the chosen images itself (net.c): from their
   * nonzero lists, or gathered into r->x. */
  r->in = (net_input){.data = r->train, .rows = r->batch_idx};

  real loss;
  run_loss_and_grads(&loss, r);
  /* The decay term inside that loss (the same weights, before the update),
   * recorded apart so that cross-entropy and 0.5 lambda |W|^2 can be plotted
   * separately; free while lambda is 0. */
  real decay = r->step_decay;
  dlfs_status st = DLFS_OK;
  if (!isfinite(loss)) {
    st = DLFS_E_DIVERGED;
  } else if (!optim_update(&r->opt, r->params, r->grads, r->opt_m, r->opt_v, r->n_params, &r->param_sumsq)) {
    r->weights_finite = 0;
    st = DLFS_E_DIVERGED;
  } else {
    r->sumsq_iter = r->n_iter + 1; /* the weights the next step starts from */
  }
  if (st != DLFS_OK) {
    r->diverged = 1;
    r->in = (net_input){.x = r->x};
    return st;
  }
  if (c->loss_mode == DLFS_LOSS_BOOK) { /* network.loss(x_batch, t_batch) after the update */
    int correct;
    const real *logits = run_forward_test(r, &r->in, c->batch_size, -1);
    run_eval_loss_acc(&loss, &correct, r, logits, r->t, c->batch_size);
    decay = run_weight_decay_term(r);
    loss += decay;
  }
  /* Tests drive run_loss_and_grads on r->x directly: leave the input dense. */
  r->in = (net_input){.x = r->x};
  if (c->loss_mode != DLFS_LOSS_NONE) {
    r->curve_loss[r->n_iter] = (float)loss;
    r->curve_decay[r->n_iter] = (float)decay;
  }
  if (is_epoch_end(r, r->n_iter)) run_record_epoch(r);
  r->n_iter++;
  return DLFS_OK;
}
