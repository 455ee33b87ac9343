/* test_gradcheck_f64.c: numerical gradient check of the whole network
 * (book 5.7.3 gradient_check.py, 6.3.2 batch_norm_gradient_check.py), in the
 * double-precision build, through the library's check (gradcheck.c, the same
 * code the gradient-check preset runs in dlfs_f64.wasm).
 *
 * For each configuration below a run is created with dlfs_run_create, every
 * parameter (W, b, gamma, beta) is moved off its initial value (biases 0,
 * gamma 1, beta 0 are special points where some mistakes cancel), and
 * dlfs_gradcheck compares backprop with central differences on a batch of 5
 * pseudo-random images (pixels in 0..255, some all-zero columns so that the
 * check's zero-pixel shortcut is exercised; labels 0,1,2,3,0).
 *
 * Checked per parameter tensor (see gradcheck.c for the measures), h = 1e-5:
 *   the relative error of the Richardson-extrapolated difference <= 1e-7.
 *   The book's printout, mean |a - n| of the plain difference, is printed, not
 *   bounded: its error is the difference's own truncation h^2 L^(3) / 6, which
 *   BatchNorm over 5 images makes large where a feature's batch std is small
 *   (W1 of the first case: 2.6e-7 plain, while the extrapolated relative
 *   error, free of that term, is 5e-11);
 *   for the Affine bias before BatchNorm (true gradient exactly 0, because BN
 *   subtracts the batch mean) max |a| <= 1e-12;
 *   no difference straddled a ReLU kink (the seeds below keep every ReLU input
 *   far from 0; a kink would be reported, the bound is not loosened).
 * Also: the differentiated loss is the engine's loss without the book's 1e-7
 * inside the log (engine = exact - mean(log(1 + 1e-7 / p[t]))), a first-layer
 * weight of an all-zero pixel has backprop gradient exactly 0 (which the check
 * relies on), and the check leaves the parameters as they were.
 *
 * A sweep of the previous, whole-forward version of this test over 300 seeds x
 * 6 configurations gave Richardson relative errors of at most 1.9e-8 (a
 * per-entry measure, stricter than the norm-wise one here). Sensitivity
 * (checked by hand on /tmp copies of the engine sources): a sign flip in
 * batchnorm_backward's dx or dgamma, dropping its mean subtraction, dxn
 * without gamma, sigmoid' = (1 - y), tanh' off by 1e-3 * y, dropout backward
 * without the mask, half the weight-decay gradient, and (p - onehot) / (B +
 * 1e-6) all made it fail. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dlfs.h"
#include "internal.h"

#ifndef DLFS_DOUBLE
#error "test_gradcheck_f64 must be compiled with DLFS_DOUBLE (it links dlfs_f64)"
#endif

#define H_STEP 1e-5
#define BOUND 1e-7

typedef struct {
  const char *label;
  int activation, batch_norm, dropout_mode;
  float dropout, weight_decay;
  uint32_t seed, data_seed;
} gc_case;

static const char *KINDS[4] = {"W", "b", "gamma", "beta"};

static void run_case(const gc_case *k) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.input_size = 12, c.output_size = 4, c.n_hidden = 3;
  c.hidden[0] = 7, c.hidden[1] = 5, c.hidden[2] = 6;
  c.batch_size = 5, c.eval_batch = 5, c.train_size = 100, c.max_iterations = 10;
  c.activation = k->activation, c.batch_norm = k->batch_norm;
  c.dropout = k->dropout, c.dropout_mode = k->dropout_mode, c.weight_decay = k->weight_decay;
  c.init = DLFS_INIT_HE, c.seed = k->seed;
  dlfs_run *r = NULL;
  dlfs_data *d = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK && r != NULL);
  CHECK(dlfs_data_create(c.batch_size, c.input_size, c.output_size, &d) == DLFS_OK);
  if (!r || !d) return;
  const int B = c.batch_size;

  /* The batch: pixel bytes; pixels 3 and 8 are 0 in every image. */
  rng_t g;
  rng_seed(&g, k->data_seed, 77);
  uint8_t *px = dlfs_data_pixels(d), *lb = dlfs_data_labels(d);
  for (int i = 0; i < B * c.input_size; i++) {
    const int j = i % c.input_size;
    px[i] = (j == 3 || j == 8) ? 0 : (uint8_t)(1 + rng_u32(&g) % 255);
  }
  for (int i = 0; i < B; i++) lb[i] = (uint8_t)(i % c.output_size);
  CHECK(dlfs_data_commit(d, B) == DLFS_OK);
  /* Move every parameter off its initial value (gamma ~ 1 +- 0.1, b and beta ~ +-0.1). */
  for (long i = 0; i < r->n_params; i++) r->params[i] += 0.1 * rng_normal(&g);
  real *before = malloc(sizeof(real) * r->n_params);
  memcpy(before, r->params, sizeof(real) * r->n_params);

  /* The engine's own loss with the masks the check will use (same dropout stream state). */
  const rng_t saved = r->rng_dropout;
  batch_gather(r->x, px, NULL, 0, B, c.input_size);
  memcpy(r->t, lb, B);
  real engine_loss;
  run_loss_and_grads(&engine_loss, r);
  double corr = 0;
  for (int i = 0; i < B; i++) corr += log(1 + 1e-7 / r->probs[(long)i * c.output_size + r->t[i]]);
  r->rng_dropout = saved;

  dlfs_gradcheck *gc = NULL;
  CHECK(dlfs_gradcheck_create(r, d, 0, H_STEP, &gc) == DLFS_OK && gc != NULL);
  if (!gc) return;
  int left = -1, slices = 0;
  do CHECK(dlfs_gradcheck_step(gc, 37, &left) == DLFS_OK); /* in slices, as the page does */
  while (left > 0 && ++slices < 100000);
  CHECK(left == 0);
  CHECK(memcmp(before, r->params, sizeof(real) * r->n_params) == 0);

  printf("\n[%s] %d params\n  %-7s %5s %10s | %10s %10s %10s | %5s\n", k->label, (int)r->n_params,
         "tensor", "n", "max |grad|", "mean abs", "rel", "rich rel", "kinks");
  const int T = dlfs_gradcheck_tensors(gc);
  CHECK(T == (c.batch_norm ? 4 : 2) * c.n_hidden + 2);
  double f[DLFS_GC_FIELDS];
  for (int t = 0; t < T; t++) {
    CHECK(dlfs_gradcheck_result(gc, t, f) == DLFS_OK);
    char name[16];
    snprintf(name, sizeof name, "%s%d", KINDS[(int)f[DLFS_GC_KIND]], (int)f[DLFS_GC_LAYER]);
    printf("  %-7s %5d %10.3g | %10.3g %10.3g %10.3g | %5d\n", name, (int)f[DLFS_GC_SIZE],
           f[DLFS_GC_MAX_ABS_BACKPROP], f[DLFS_GC_MEAN_ABS_DIFF], f[DLFS_GC_REL_ERROR],
           f[DLFS_GC_REL_ERROR_RICHARDSON], (int)f[DLFS_GC_KINKS]);
    CHECK(f[DLFS_GC_CHECKED] == f[DLFS_GC_SIZE]);
    if (t == 0) CHECK_CLOSE(f[DLFS_GC_LOSS], engine_loss + corr / B, 0, 1e-13);
    if (f[DLFS_GC_KINKS] > 0) {
      char what[160];
      snprintf(what, sizeof what, "[%s] %s: %d ReLU kink crossing(s): choose other inputs/seed",
               k->label, name, (int)f[DLFS_GC_KINKS]);
      check_fail(__FILE__, __LINE__, what);
    }
    if (f[DLFS_GC_ZERO_IN_THEORY] == 1) {
      CHECK(f[DLFS_GC_KIND] == DLFS_GC_BIAS && c.batch_norm);
      CHECK(f[DLFS_GC_MAX_ABS_BACKPROP] <= 1e-12);
      continue;
    }
    if (!(f[DLFS_GC_REL_ERROR_RICHARDSON] <= BOUND)) {
      char what[192];
      snprintf(what, sizeof what, "[%s] %s: Richardson rel %.3g (bound %g)", k->label, name,
               f[DLFS_GC_REL_ERROR_RICHARDSON], BOUND);
      check_fail(__FILE__, __LINE__, what);
    }
  }
  /* W1 rows of the all-zero pixels: without decay, backprop 0 exactly and the check's
   * numerical 0 by construction; with decay both are lambda * W (the decay term alone). */
  const long n_w1 = (long)c.input_size * c.hidden[0];
  double *a = malloc(sizeof(double) * n_w1), *n = malloc(sizeof(double) * n_w1);
  CHECK(dlfs_gradcheck_values(gc, 0, a, n) == DLFS_OK);
  for (int row = 3; row <= 8; row += 5) {
    for (int u = 0; u < c.hidden[0]; u++) {
      const long e = (long)row * c.hidden[0] + u;
      const double decay = (double)c.weight_decay * r->layer[0].W[e];
      CHECK(a[e] == decay);
      CHECK(c.weight_decay == 0 ? n[e] == 0 : fabs(n[e] - decay) <= 1e-9);
    }
  }
  free(a), free(n), free(before);
  dlfs_gradcheck_destroy(gc);
  dlfs_run_destroy(r);
  dlfs_data_destroy(d);
}

/* The API's failures: NULLs, ranges, shapes, too few images; destroy(NULL) is safe. */
static void api_errors(void) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.input_size = 4, c.n_hidden = 1, c.hidden[0] = 3, c.output_size = 2, c.batch_size = 2;
  c.train_size = 2;
  dlfs_run *r = NULL;
  dlfs_data *d = NULL, *wrong = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_data_create(3, 4, 2, &d) == DLFS_OK);
  CHECK(dlfs_data_create(3, 5, 2, &wrong) == DLFS_OK);
  if (!r || !d || !wrong) return;
  memset(dlfs_data_pixels(d), 9, 12);
  memset(dlfs_data_labels(d), 1, 3);
  CHECK(dlfs_data_commit(d, 3) == DLFS_OK);
  dlfs_gradcheck *gc = (dlfs_gradcheck *)1;
  CHECK(dlfs_gradcheck_create(NULL, d, 0, 1e-4, &gc) == DLFS_E_ARG && gc == NULL);
  CHECK(dlfs_gradcheck_create(r, d, 0, 0, &gc) == DLFS_E_ARG);
  CHECK(dlfs_gradcheck_create(r, d, 0, NAN, &gc) == DLFS_E_ARG);
  CHECK(dlfs_gradcheck_create(r, d, -1, 1e-4, &gc) == DLFS_E_ARG);
  CHECK(dlfs_gradcheck_create(r, wrong, 0, 1e-4, &gc) == DLFS_E_DATA_SHAPE);
  CHECK(dlfs_gradcheck_create(r, d, 2, 1e-4, &gc) == DLFS_E_NOT_ENOUGH_DATA);
  CHECK(dlfs_gradcheck_create(r, d, 1, 1e-4, &gc) == DLFS_OK && gc != NULL);
  int left = -1;
  double f[DLFS_GC_FIELDS], v[12], w[12];
  CHECK(dlfs_gradcheck_step(NULL, 1, &left) == DLFS_E_ARG && left == 0);
  CHECK(dlfs_gradcheck_step(gc, -1, NULL) == DLFS_E_ARG);
  CHECK(dlfs_gradcheck_result(gc, dlfs_gradcheck_tensors(gc), f) == DLFS_E_ARG);
  CHECK(dlfs_gradcheck_result(gc, 0, NULL) == DLFS_E_ARG);
  CHECK(dlfs_gradcheck_values(gc, -1, v, w) == DLFS_E_ARG);
  CHECK(dlfs_gradcheck_tensors(NULL) == 0);
  /* Nothing differenced yet: 0 checked, NaN numerical values. */
  CHECK(dlfs_gradcheck_result(gc, 0, f) == DLFS_OK && f[DLFS_GC_CHECKED] == 0);
  CHECK(dlfs_gradcheck_values(gc, 0, v, w) == DLFS_OK && isnan(w[0]));
  CHECK(dlfs_gradcheck_step(gc, 5, &left) == DLFS_OK && left == (int)r->n_params - 5);
  CHECK(dlfs_gradcheck_result(gc, 0, f) == DLFS_OK && f[DLFS_GC_CHECKED] == 5);
  dlfs_gradcheck_destroy(gc);
  dlfs_gradcheck_destroy(NULL);
  dlfs_run_destroy(r);
  dlfs_data_destroy(d);
  dlfs_data_destroy(wrong);
}

int main(void) {
  static const gc_case cases[] = {
      {"relu + BN + book dropout 0.3 + decay 0.1", DLFS_RELU, 1, DLFS_DROPOUT_BOOK, 0.3f, 0.1f, 1,
       2024},
      {"sigmoid + BN + inverted dropout 0.3 + decay 0.1", DLFS_SIGMOID, 1, DLFS_DROPOUT_INVERTED,
       0.3f, 0.1f, 2, 2025},
      {"tanh + BN + inverted dropout 0.3 + decay 0.1", DLFS_TANH, 1, DLFS_DROPOUT_INVERTED, 0.3f,
       0.1f, 3, 2026},
      {"relu, no BN, book dropout 0.3 + decay 0.1", DLFS_RELU, 0, DLFS_DROPOUT_BOOK, 0.3f, 0.1f, 4,
       2035},
      {"tanh, no BN, no dropout, no decay", DLFS_TANH, 0, DLFS_DROPOUT_BOOK, 0.0f, 0.0f, 5, 2028},
      {"sigmoid + BN, no dropout + decay 0.1", DLFS_SIGMOID, 1, DLFS_DROPOUT_BOOK, 0.0f, 0.1f, 6,
       2029},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_case(&cases[i]);
  api_errors();
  printf("\n");
  return check_finish("test_gradcheck_f64");
}
