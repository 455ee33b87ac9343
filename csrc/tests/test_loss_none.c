/* test_loss_none.c: lossMode 'none' (DLFS_LOSS_NONE) records no loss curve and
 * skips the decay term's exact sum, and must change nothing else: the same
 * weights, eval curves and divergence iteration as lossMode 'forward', bit for
 * bit, including a run stopped by the decay term alone (finite weights whose
 * 0.5 lambda |W|^2 overflows float) and one just below that edge. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dlfs.h"
#include "internal.h"

enum { N_IMAGES = 300 };

/* Random pixels and labels, except pixel 0, which is 0 in every image: a
 * weight on it changes no logit, only the decay term. */
static dlfs_data *make_data(unsigned seed) {
  dlfs_data *d = NULL;
  CHECK(dlfs_data_create(N_IMAGES, 784, 10, &d) == DLFS_OK);
  if (!d) return NULL;
  uint8_t *px = dlfs_data_pixels(d), *lab = dlfs_data_labels(d);
  for (long i = 0; i < (long)N_IMAGES * 784; i++) {
    seed = seed * 1664525u + 1013904223u;
    px[i] = i % 784 == 0 || (seed >> 20) % 5 ? 0 : (uint8_t)(seed >> 24); /* 80 % zeros, as MNIST */
  }
  for (int i = 0; i < N_IMAGES; i++) lab[i] = (uint8_t)(((seed = seed * 1664525u + 1013904223u) >> 24) % 10);
  CHECK(dlfs_data_commit(d, N_IMAGES) == DLFS_OK);
  return d;
}

static dlfs_config config(int loss_mode, float lr, float wd) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.n_hidden = 2, c.hidden[0] = 16, c.hidden[1] = 12;
  c.batch_size = 20, c.train_size = 200, c.lr = lr, c.weight_decay = wd, c.max_iterations = 1000;
  c.loss_mode = loss_mode;
  return c;
}

typedef struct {
  int status, iterations, diverged, loss_len, decay_len, epochs;
  float acc[64], eloss[64];
  real params[784 * 16 + 16 * 12 + 12 * 10 + 16 + 12 + 10];
} outcome;

/* Trains `iterations` steps (eval slot 0 on the data), after setting W1[0][0] to w00 when nonzero. */
static void train(outcome *o, const dlfs_config *c, dlfs_data *d, float w00, int iterations) {
  memset(o, 0, sizeof *o);
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(c, &r) == DLFS_OK);
  if (!r) return;
  CHECK((size_t)r->n_params * sizeof(real) == sizeof o->params);
  if (w00 != 0) r->layer[0].W[0] = w00;
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_set_eval(r, 0, d, 100) == DLFS_OK);
  o->status = dlfs_run_train(r, iterations);
  o->iterations = dlfs_run_iterations(r);
  o->diverged = dlfs_run_diverged(r);
  const float *acc = dlfs_run_curve(r, DLFS_CURVE_EVAL_ACC, &o->epochs);
  const float *eloss = dlfs_run_curve(r, DLFS_CURVE_EVAL_LOSS, &o->epochs);
  CHECK(o->epochs <= 64);
  if (o->epochs <= 64) {
    memcpy(o->acc, acc, sizeof(float) * (size_t)o->epochs);
    memcpy(o->eloss, eloss, sizeof(float) * (size_t)o->epochs);
  }
  dlfs_run_curve(r, DLFS_CURVE_LOSS, &o->loss_len);
  dlfs_run_curve(r, DLFS_CURVE_DECAY, &o->decay_len);
  if ((size_t)r->n_params * sizeof(real) == sizeof o->params) memcpy(o->params, r->params, sizeof o->params);
  dlfs_run_destroy(r);
}

/* 'none' against 'forward' on the same run: everything but the loss curve equal. */
static void same_run(dlfs_data *d, float lr, float wd, float w00, int iterations, int expect_diverged) {
  static outcome f, n;
  dlfs_config cf = config(DLFS_LOSS_FORWARD, lr, wd), cn = config(DLFS_LOSS_NONE, lr, wd);
  train(&f, &cf, d, w00, iterations);
  train(&n, &cn, d, w00, iterations);
  if (f.diverged != expect_diverged) fprintf(stderr, "lr %g wd %g w00 %g: diverged %d at %d\n", lr, wd, w00, f.diverged, f.iterations);
  CHECK(f.diverged == expect_diverged);
  CHECK(n.status == f.status && n.iterations == f.iterations && n.diverged == f.diverged);
  CHECK(f.loss_len == f.iterations && f.decay_len == f.iterations);
  CHECK(n.loss_len == 0 && n.decay_len == 0);
  CHECK(n.epochs == f.epochs && (f.epochs > 0 || f.iterations == 0));
  CHECK(memcmp(n.acc, f.acc, sizeof f.acc) == 0);
  CHECK(memcmp(n.eloss, f.eloss, sizeof f.eloss) == 0);
  CHECK(memcmp(n.params, f.params, sizeof f.params) == 0);
}

int main(void) {
  dlfs_data *d = make_data(11u);
  if (!d) return check_finish("test_loss_none");
  same_run(d, 0.1f, 0.0f, 0, 120, 0);     /* no decay */
  same_run(d, 0.1f, 1e-3f, 0, 120, 0);    /* the search's case: decay on, no divergence */
  same_run(d, 1e6f, 1e-3f, 0, 120, 1);   /* diverges through the cross-entropy */
  /* The decay term alone: 0.5 * 1 * w^2 with w = 2.61e19 overflows float (FLT_MAX
   * 3.40e38) at the first step, while every weight and the cross-entropy are
   * finite; with 2.6e19 it is 3.38e38, finite, and the run goes on (the bound
   * in any order overflows for both, so the exact sum decides); with 1e18 the
   * bound alone answers. */
  same_run(d, 0.1f, 1.0f, 2.61e19f, 30, 1);
  same_run(d, 0.1f, 1.0f, 2.6e19f, 30, 0);
  same_run(d, 0.1f, 1.0f, 1e18f, 30, 0);
  dlfs_data_destroy(d);
  return check_finish("test_loss_none");
}
