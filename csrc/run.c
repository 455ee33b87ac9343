/* run.c: a run's lifecycle, its one arena, live settings and curves.
 *
 * The arena is laid out by one function walked twice: first with no memory
 * to measure it, then over the single allocation to point every view. That
 * keeps the size computation and the layout from ever disagreeing. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"
#include "internal.h"
#include "layers.h"

typedef struct {
  char *base; /* NULL while measuring */
  size_t used;
} arena_t;

static void *carve(arena_t *a, size_t bytes) {
  size_t off = (a->used + 15) & ~(size_t)15; /* 16-byte alignment for v128 loads */
  a->used = off + bytes;
  return a->base ? a->base + off : NULL;
}
/* A view at `off` into a block, NULL while measuring: NULL + off is undefined
 * behaviour even for off == 0 (clang's UBSan says so; found by csrc/fuzz). */
static real *at(real *base, long off) { return base ? base + off : NULL; }
#define CARVE(a, type, n) ((type *)carve((a), sizeof(type) * (size_t)(n)))

static int layer_in(const dlfs_config *c, int l) { return l == 0 ? c->input_size : c->hidden[l - 1]; }
static int layer_out(const dlfs_config *c, int l) {
  return l == c->n_hidden ? c->output_size : c->hidden[l];
}

/* Curves hold one point per iteration and one per epoch; the book's epoch is
 * max(train_size / batch_size, 1) iterations, a real number (see is_epoch_end). */
static int epochs_capacity(const dlfs_config *c) {
  long per_iter = c->train_size >= c->batch_size ? c->batch_size : c->train_size;
  return (int)((long long)c->max_iterations * per_iter / c->train_size + 2);
}

/* Returns how many parameters it laid out, which must be r->n_params. */
static long layout(dlfs_run *r, arena_t *a) {
  const dlfs_config *c = &r->cfg;
  const int B = c->batch_size, E = r->eval_rows, C = c->output_size;
  const int bn = c->batch_norm, drop = c->dropout > 0;

  /* Parameters first, then gradients and optimizer state at the same offsets. */
  real *blocks[4];
  for (int k = 0; k < 4; k++) blocks[k] = CARVE(a, real, r->n_params);
  r->params = blocks[0];
  r->grads = blocks[1];
  r->opt_m = blocks[2];
  r->opt_v = blocks[3];
  long off = 0;
  for (int l = 0; l < r->n_affine; l++) {
    layer_t *L = &r->layer[l];
    int hidden = l < c->n_hidden;
    L->K = layer_in(c, l);
    L->N = layer_out(c, l);
    L->W = at(r->params, off), L->dW = at(r->grads, off), off += (long)L->K * L->N;
    L->b = at(r->params, off), L->db = at(r->grads, off), off += L->N;
    if (hidden && bn) {
      L->gamma = at(r->params, off), L->dgamma = at(r->grads, off), off += L->N;
      L->beta = at(r->params, off), L->dbeta = at(r->grads, off), off += L->N;
      L->running_mean = CARVE(a, real, L->N);
      L->running_var = CARVE(a, real, L->N);
      L->bn_xn = CARVE(a, real, (long)B * L->N);
      L->bn_std = CARVE(a, real, L->N);
      L->bn_out = CARVE(a, real, (long)B * L->N);
    }
    L->aff = CARVE(a, real, (long)B * L->N);
    if (hidden) {
      L->act = CARVE(a, real, (long)B * L->N);
      L->out = L->act;
      if (drop) {
        L->mask = CARVE(a, real, (long)B * L->N);
        L->drop = CARVE(a, real, (long)B * L->N);
        L->out = L->drop;
      }
    }
  }

  /* x and the sparse path's workspace share memory (see internal.h). */
  const size_t x_bytes = sizeof(real) * (size_t)B * c->input_size;
  const size_t w_bytes = gemm_tn_sparse_work_bytes(B, c->input_size);
  r->x = (real *)carve(a, x_bytes > w_bytes ? x_bytes : w_bytes);
  r->sparse_work = r->x;
  r->t = CARVE(a, uint8_t, B);
  r->batch_idx = CARVE(a, int32_t, B);
  r->perm = c->shuffle ? CARVE(a, int32_t, c->train_size) : NULL;
  r->probs = CARVE(a, real, (long)B * C);
  r->g0 = CARVE(a, real, (long)B * r->max_width);
  r->g1 = CARVE(a, real, (long)B * r->max_width);
  r->ex = CARVE(a, real, (long)E * c->input_size);
  r->ea = CARVE(a, real, (long)E * r->max_width);
  r->eb = CARVE(a, real, (long)E * r->max_width);

  size_t scratch = 0;
  for (int l = 0; l < r->n_affine; l++) {
    int K = layer_in(c, l), N = layer_out(c, l);
    size_t s1 = gemm_scratch_floats(B, N, K), s2 = gemm_scratch_floats(K, N, B),
           s3 = gemm_scratch_floats(B, K, N), s4 = gemm_scratch_floats(E, N, K);
    size_t m = s1 > s2 ? s1 : s2;
    m = m > s3 ? m : s3;
    m = m > s4 ? m : s4;
    scratch = m > scratch ? m : scratch;
  }
  r->scratch = CARVE(a, real, scratch);

  r->curve_loss = CARVE(a, float, c->max_iterations);
  r->curve_decay = CARVE(a, float, c->max_iterations);
  for (int k = 0; k < 2 * DLFS_MAX_EVAL_SLOTS; k++) r->curve_eval[k] = CARVE(a, float, r->max_epochs);
  return off;
}

static long count_params(const dlfs_config *c) {
  long n = 0;
  for (int l = 0; l <= c->n_hidden; l++) {
    int K = layer_in(c, l), N = layer_out(c, l);
    n += (long)K * N + N;
    if (l < c->n_hidden && c->batch_norm) n += 2L * N;
  }
  return n;
}

/* Weights ~ N(0, std^2) with std a number, Xavier sqrt(1/n_in) or He sqrt(2/n_in)
 * (6.2.2, 6.2.3; common/multi_layer_net_extend.py __init_weight), for every
 * Affine layer including the output one; biases 0; gamma 1, beta 0 (6.3.1). */
static void init_params(dlfs_run *r) {
  const dlfs_config *c = &r->cfg;
  /* The arena comes zeroed from calloc: biases, beta, grads, optimizer state and
   * running statistics all start at 0. */
  for (int l = 0; l < r->n_affine; l++) {
    layer_t *L = &r->layer[l];
    const double std = init_weight_std(c->init, c->init_std, L->K);
    for (long i = 0; i < (long)L->K * L->N; i++) L->W[i] = (real)(std * rng_normal(&r->rng_init));
    if (L->gamma) {
      for (int j = 0; j < L->N; j++) L->gamma[j] = 1;
    }
  }
}

dlfs_status dlfs_run_create(const dlfs_config *cfg, dlfs_run **out) {
  if (!out) return DLFS_E_ARG;
  *out = NULL;
  dlfs_status st = dlfs_config_check(cfg);
  if (st != DLFS_OK) return st;
  dlfs_run *r = calloc(1, sizeof *r);
  if (!r) return DLFS_E_NOMEM;
  r->cfg = *cfg;
  const dlfs_config *c = &r->cfg;
  r->n_affine = c->n_hidden + 1;
  r->max_width = c->input_size > c->output_size ? c->input_size : c->output_size;
  for (int l = 0; l < c->n_hidden; l++)
    if (c->hidden[l] > r->max_width) r->max_width = c->hidden[l];
  r->eval_rows = c->eval_batch > c->batch_size ? c->eval_batch : c->batch_size;
  r->max_epochs = epochs_capacity(c);
  r->n_params = count_params(c);

  /* n_params sizes the parameter blocks before the layers are laid out in them;
   * the layout's own count must agree, or views would run past the blocks. */
  arena_t a = {0};
  const long laid = layout(r, &a);
  assert(laid == r->n_params);
  (void)laid;
  r->arena = calloc(1, a.used + 16);
  if (!r->arena) {
    free(r);
    return DLFS_E_NOMEM;
  }
  a = (arena_t){.base = (char *)(((uintptr_t)r->arena + 15) & ~(uintptr_t)15)};
  layout(r, &a);

  rng_seed(&r->rng_init, c->seed, RNG_STREAM_INIT);
  rng_seed(&r->rng_batch, c->seed, RNG_STREAM_BATCH);
  rng_seed(&r->rng_dropout, c->seed, RNG_STREAM_DROPOUT);
  r->opt = (optim_state){.kind = c->optimizer, .lr = c->lr};
  init_params(r);
  r->weights_finite = all_finite(r->params, r->n_params);
  r->sumsq_iter = -1; /* no update yet: the first step sums the squares itself */
  r->in = (net_input){.x = r->x};
  if (r->perm) {
    for (int i = 0; i < c->train_size; i++) r->perm[i] = i;
    r->perm_pos = c->train_size; /* shuffle before the first batch */
  }
  *out = r;
  return DLFS_OK;
}

void dlfs_run_destroy(dlfs_run *run) {
  if (!run) return;
  free(run->arena);
  free(run);
}

static int shape_ok(const dlfs_run *r, const dlfs_data *d) {
  return d->features == r->cfg.input_size && d->classes == r->cfg.output_size;
}

dlfs_status dlfs_run_set_train(dlfs_run *run, const dlfs_data *train) {
  if (!run || !train) return DLFS_E_ARG;
  if (!shape_ok(run, train)) return DLFS_E_DATA_SHAPE;
  run->train = train;
  return DLFS_OK;
}

dlfs_status dlfs_run_set_eval(dlfs_run *run, int slot, const dlfs_data *data, int count) {
  if (!run || slot < 0 || slot >= DLFS_MAX_EVAL_SLOTS || count < 0) return DLFS_E_ARG;
  if (data && !shape_ok(run, data)) return DLFS_E_DATA_SHAPE;
  run->eval[slot] = data;
  run->eval_count[slot] = count;
  return DLFS_OK;
}

dlfs_status dlfs_run_train(dlfs_run *run, int iterations) {
  if (!run || iterations < 0) return DLFS_E_ARG;
  if (run->diverged) return DLFS_E_DIVERGED;
  if (!run->train) return DLFS_E_NO_TRAIN_DATA;
  if (run->train->count < run->cfg.train_size) return DLFS_E_NOT_ENOUGH_DATA;
  for (int i = 0; i < iterations; i++) {
    if (run->n_iter >= run->cfg.max_iterations) return DLFS_E_CURVE_FULL;
    dlfs_status st = run_step(run);
    if (st != DLFS_OK) return st;
  }
  return DLFS_OK;
}

dlfs_status dlfs_run_set_lr(dlfs_run *run, float lr) {
  if (!run) return DLFS_E_ARG;
  if (!(isfinite(lr) && lr > 0)) return DLFS_E_LR;
  run->cfg.lr = lr;
  run->opt.lr = lr;
  return DLFS_OK;
}

dlfs_status dlfs_run_set_weight_decay(dlfs_run *run, float weight_decay) {
  if (!run) return DLFS_E_ARG;
  if (!(isfinite(weight_decay) && weight_decay >= 0)) return DLFS_E_WEIGHT_DECAY;
  run->cfg.weight_decay = weight_decay;
  return DLFS_OK;
}

dlfs_status dlfs_run_set_dropout(dlfs_run *run, float ratio) {
  if (!run) return DLFS_E_ARG;
  /* A run created without dropout has no mask buffers: that is a structural change. */
  if (!(ratio > 0 && ratio < 1) || !(run->cfg.dropout > 0)) return DLFS_E_DROPOUT;
  run->cfg.dropout = ratio;
  return DLFS_OK;
}

const float *dlfs_run_curve(const dlfs_run *run, int which, int *len) {
  if (len) *len = 0;
  if (!run || which < 0 || which > DLFS_CURVE_DECAY) return NULL;
  const int per_iteration = which == DLFS_CURVE_LOSS || which == DLFS_CURVE_DECAY;
  if (len) *len = !per_iteration ? run->n_epoch : run->cfg.loss_mode == DLFS_LOSS_NONE ? 0 : run->n_iter;
  if (which == DLFS_CURVE_LOSS) return run->curve_loss;
  return which == DLFS_CURVE_DECAY ? run->curve_decay : run->curve_eval[which - 1];
}

int dlfs_run_iterations(const dlfs_run *run) { return run ? run->n_iter : -1; }
int dlfs_run_diverged(const dlfs_run *run) { return run ? run->diverged : -1; }
float dlfs_run_iter_per_epoch(const dlfs_run *run) {
  if (!run) return -1;
  float ipe = (float)run->cfg.train_size / (float)run->cfg.batch_size;
  return ipe > 1 ? ipe : 1;
}
