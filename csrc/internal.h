/* internal.h: the layout of the engine's two handles, shared by run.c,
 * train.c, eval.c, net.c and batch.c. Nothing outside csrc/ sees these structs. */
#ifndef DLFS_INTERNAL_H
#define DLFS_INTERNAL_H

#include <stdint.h>

#include "dlfs.h"
#include "gemm.h"
#include "optim.h"
#include "real.h"
#include "rng.h"

struct dlfs_data {
  uint8_t *pixels; /* [capacity x features], rows 0..count-1 valid */
  uint8_t *labels; /* [capacity] */
  int count, capacity, features, classes;

  /* The same images as per-image lists of nonzero pixels, built at commit for
   * the first layer's sparse-input products (gemm.h): image i's nonzeros are
   * nz_idx/nz_val[nz_start[i] .. nz_start[i+1]), pixel index ascending. */
  int32_t *nz_start; /* [capacity + 1] */
  uint16_t *nz_idx;  /* [nz_cap] */
  uint8_t *nz_val;   /* [nz_cap] */
  long nz_cap;
  int lists_ok;      /* 0 when growing the lists failed: runs use the dense path */
  int use_lists;     /* dlfs_data_set_sparse; 1 by default */
  real lut[256];     /* pixel value -> value / 255, the network's input */
};

/* The data set's lists as a sparse_rows view, or NULL when runs should read
 * the dense pixels instead (lists off or unavailable, or too dense to gain:
 * more than half the pixels nonzero). */
const sparse_rows *data_sparse_view(const dlfs_data *d, sparse_rows *view);

/* One Affine layer and, for hidden layers, what follows it
 * (BatchNorm -> activation -> dropout). K inputs, N outputs; B = batch_size. */
typedef struct {
  int K, N;
  real *W, *b;                  /* [K x N], [N]  views into run->params */
  real *dW, *db;                /* same shapes, views into run->grads */
  real *gamma, *beta;           /* [N] BatchNorm scale/shift (NULL without BN) */
  real *dgamma, *dbeta;         /* [N] */
  real *running_mean, *running_var; /* [N] BatchNorm test-mode statistics */
  real *aff;                    /* [B x N] affine output (logits for the last layer) */
  real *bn_xn;                  /* [B x N] normalised input, cached for backward */
  real *bn_std;                 /* [N] sqrt(var + eps), cached for backward */
  real *bn_out;                 /* [B x N] */
  real *act;                    /* [B x N] activation output */
  real *mask;                   /* [B x N] dropout multiplier (0, 1 or 1/(1-r)) */
  real *drop;                   /* [B x N] dropout output */
  real *out;                    /* the layer's final output: act or drop (a view) */
} layer_t;

/* What the first layer reads: dense rows x, or images of a data set, either
 * picked (rows) or a range (first ..), through its nonzero lists when it has
 * usable ones (data_sparse_view) and otherwise gathered into dense rows. */
typedef struct {
  const real *x;           /* [n x input], when data is NULL */
  const dlfs_data *data;
  const int32_t *rows;     /* [n] image numbers, or NULL for first .. first + n - 1 */
  int first;
} net_input;

struct dlfs_run {
  dlfs_config cfg;
  int n_affine; /* hidden layers + 1 */
  int max_width; /* widest of input, hidden and output sizes */
  int eval_rows; /* max(eval_batch, batch_size): rows of the test-mode buffers */
  layer_t layer[DLFS_MAX_HIDDEN + 1];

  /* Every learnable parameter in one flat array (W, b, gamma, beta per layer,
   * in layer order), so the optimizer applies one rule to all, as the book's
   * params dict; grads and the optimizer's state mirror its layout. */
  long n_params;
  real *params, *grads; /* [n_params] */
  real *opt_m, *opt_v;  /* [n_params] velocity / h / Adam m, and Adam v */

  net_input in;        /* the training batch as the first layer reads it (run_step) */
  real step_decay;     /* the decay term inside the last training-mode loss (net.c) */
  real *x;             /* [B x input] the gathered batch, pixels / 255 (dense path) */
  void *sparse_work;   /* gemm_tn_sparse_work_bytes(B, input) bytes, sharing x's memory:
                        * the sparse path never gathers x, the dense one needs no work */
  uint8_t *t;          /* [B] its labels */
  int32_t *batch_idx;  /* [B] */
  int32_t *perm;       /* [train_size] epoch-wise shuffle order (only when shuffle) */
  int perm_pos;
  real *probs;         /* [B x C] softmax output */
  real *g0, *g1;       /* [B x max_width] ping-pong gradient buffers */
  real *ex;            /* [E x input] test-mode input, E = eval_rows */
  real *ea, *eb;       /* [E x max_width] test-mode ping-pong activations */
  real *scratch;       /* GEMM packing workspace */

  int n_iter, n_epoch, max_epochs;
  float *curve_loss;                        /* [max_iterations] */
  float *curve_decay;                       /* [max_iterations] the decay term inside each loss point */
  float *curve_eval[2 * DLFS_MAX_EVAL_SLOTS]; /* [max_epochs] acc, loss per slot */

  rng_t rng_init, rng_batch, rng_dropout;
  optim_state opt;
  const dlfs_data *train;
  const dlfs_data *eval[DLFS_MAX_EVAL_SLOTS];
  int eval_count[DLFS_MAX_EVAL_SLOTS];
  int diverged;
  int weights_finite; /* every parameter finite: the sparse first layer may skip zeros */
  /* The parameters' sum of squares in any order, as the last update left them,
   * valid while n_iter == sumsq_iter (net.c's weight_decay_term_finite). */
  real param_sumsq;
  int sumsq_iter;

  void *arena;
};

/* The engine's files and who calls whom (no cycles):
 *   run.c -> train.c -> eval.c -> net.c -> layers.c -> gemm_*.c
 *            train.c ----------> net.c, batch.c;  eval.c -> batch.c */

/* batch.c: rows of uint8 pixels into x[n x features] as p / 255 (load_mnist's
 * normalize=True); row i is pixels[idx[i]] or, with idx NULL, pixels[first + i]. */
void batch_gather(real *x, const uint8_t *pixels, const int32_t *idx, int first, int n, int features);
/* lut[v] = v / 255 in `real`, the one pixel scaling (gather and sparse lists). */
void batch_scale_table(real lut[256]);

/* net.c */
/* Training-mode forward + backward on the batch already in r->x / r->t: writes
 * the loss (with the decay term, also left in r->step_decay; see forward_train
 * for DLFS_LOSS_NONE) and, when it is finite, fills r->grads; draws
 * dropout masks from r->rng_dropout (a test restores that state to replay the
 * same mask). */
void run_loss_and_grads(real *loss, dlfs_run *r);
/* BatchNorm, activation and dropout (mask already drawn) after hidden layer L's affine; cannot fail. */
void hidden_forward_train(const dlfs_run *r, layer_t *L, int B);
/* 0.5 * lambda * sum(W^2) over every Affine weight matrix (6.4.2). */
real run_weight_decay_term(const dlfs_run *r);
/* Test-mode forward of n <= eval_rows rows of the input; returns the output of
 * hidden layer `stop` (its activation, before dropout) or, for stop < 0, the
 * logits. A data-set input without usable lists is gathered into r->ex. */
real *run_forward_test(dlfs_run *r, const net_input *in, int n, int stop);

/* eval.c */
/* Mean cross-entropy of n rows of logits (written to *loss, no decay term) and
 * how many rows' argmax equals the label (to *correct). */
void run_eval_loss_acc(real *loss, int *correct, dlfs_run *r, const real *logits,
                       const uint8_t *labels, int n);
void run_record_epoch(dlfs_run *r);

/* train.c */
dlfs_status run_step(dlfs_run *r);

#endif
