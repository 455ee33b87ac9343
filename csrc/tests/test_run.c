/* test_run.c: the C API's contract, natively under ASan/UBSan/LeakSanitizer
 * and in WASM: NULL-safety, every config error, data validation, curves,
 * determinism, divergence, and that every handle frees what it took. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "dlfs.h"
#include "optim.h"

enum { N_IMAGES = 300 };

static dlfs_data *make_data(int n, unsigned seed) {
  dlfs_data *d = NULL;
  CHECK(dlfs_data_create(n, 784, 10, &d) == DLFS_OK);
  if (!d) return NULL;
  uint8_t *px = dlfs_data_pixels(d), *lab = dlfs_data_labels(d);
  for (long i = 0; i < (long)n * 784; i++) px[i] = (uint8_t)((seed = seed * 1664525u + 1013904223u) >> 24);
  for (int i = 0; i < n; i++) lab[i] = (uint8_t)(((seed = seed * 1664525u + 1013904223u) >> 24) % 10);
  CHECK(dlfs_data_commit(d, n) == DLFS_OK);
  return d;
}

static dlfs_config small_config(void) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.n_hidden = 2, c.hidden[0] = 16, c.hidden[1] = 12;
  c.batch_size = 20, c.train_size = N_IMAGES, c.lr = 0.1f, c.max_iterations = 1000;
  return c;
}

static void test_null_safety(void) {
  dlfs_run_destroy(NULL);
  dlfs_data_destroy(NULL);
  dlfs_config_default(NULL);
  CHECK(dlfs_config_check(NULL) == DLFS_E_ARG);
  CHECK(dlfs_run_create(NULL, NULL) == DLFS_E_ARG);
  dlfs_config c = small_config();
  CHECK(dlfs_run_create(&c, NULL) == DLFS_E_ARG);
  CHECK(dlfs_run_train(NULL, 1) == DLFS_E_ARG);
  CHECK(dlfs_run_iterations(NULL) == -1);
  CHECK(dlfs_data_count(NULL) == 0);
  CHECK(dlfs_data_pixels(NULL) == NULL);
  int len = 7;
  CHECK(dlfs_run_curve(NULL, 0, &len) == NULL && len == 0);
  CHECK(strcmp(dlfs_status_str(-1), "unknown status") == 0);
  CHECK(strcmp(dlfs_status_str(DLFS_STATUS_COUNT), "unknown status") == 0);
  for (int s = 0; s < DLFS_STATUS_COUNT; s++) CHECK(strcmp(dlfs_status_str(s), "unknown status") != 0);
}

/* Each bad field gives its own status, and create leaves *out NULL. */
static void test_config_errors(void) {
  dlfs_config c;
#define EXPECT(field_expr, status)                                                                 \
  do {                                                                                             \
    c = small_config();                                                                            \
    field_expr;                                                                                    \
    dlfs_run *r = (dlfs_run *)&c; /* not NULL, so the test sees create reset it */                 \
    CHECK(dlfs_run_create(&c, &r) == (status));                                                    \
    CHECK(r == NULL);                                                                              \
  } while (0)
  EXPECT(c.input_size = 0, DLFS_E_INPUT_SIZE);
  EXPECT(c.output_size = 1, DLFS_E_OUTPUT_SIZE);
  EXPECT(c.n_hidden = 0, DLFS_E_HIDDEN_COUNT);
  EXPECT(c.n_hidden = 11, DLFS_E_HIDDEN_COUNT);
  EXPECT(c.hidden[1] = 1025, DLFS_E_HIDDEN_WIDTH);
  EXPECT(c.activation = 3, DLFS_E_ACTIVATION);
  EXPECT(c.init = 7, DLFS_E_INIT);
  EXPECT((c.init = DLFS_INIT_STD, c.init_std = 0), DLFS_E_INIT);
  EXPECT((c.init = DLFS_INIT_STD, c.init_std = NAN), DLFS_E_INIT);
  EXPECT(c.batch_norm = 2, DLFS_E_BATCH_NORM);
  EXPECT(c.dropout = 1, DLFS_E_DROPOUT);
  EXPECT(c.dropout = -0.5f, DLFS_E_DROPOUT);
  EXPECT(c.dropout_mode = 2, DLFS_E_DROPOUT_MODE);
  EXPECT(c.weight_decay = -1, DLFS_E_WEIGHT_DECAY);
  EXPECT(c.weight_decay = INFINITY, DLFS_E_WEIGHT_DECAY);
  EXPECT(c.optimizer = 4, DLFS_E_OPTIMIZER);
  EXPECT(c.lr = 0, DLFS_E_LR);
  EXPECT(c.batch_size = 0, DLFS_E_BATCH_SIZE);
  EXPECT(c.train_size = 0, DLFS_E_TRAIN_SIZE);
  EXPECT(c.shuffle = 5, DLFS_E_SHUFFLE);
  EXPECT(c.max_iterations = 0, DLFS_E_MAX_ITERATIONS);
  EXPECT(c.eval_batch = 0, DLFS_E_EVAL_BATCH);
  EXPECT(c.loss_mode = 9, DLFS_E_LOSS_MODE);
#undef EXPECT
}

static void test_data(void) {
  dlfs_data *d = NULL;
  CHECK(dlfs_data_create(0, 784, 10, &d) == DLFS_E_ARG && d == NULL);
  CHECK(dlfs_data_create(4, 784, 10, &d) == DLFS_OK);
  memset(dlfs_data_pixels(d), 0, 4 * 784);
  uint8_t *lab = dlfs_data_labels(d);
  lab[0] = 3, lab[1] = 10;
  CHECK(dlfs_data_commit(d, 2) == DLFS_E_LABEL);
  CHECK(dlfs_data_count(d) == 0); /* nothing committed */
  lab[1] = 9;
  CHECK(dlfs_data_commit(d, 2) == DLFS_OK && dlfs_data_count(d) == 2);
  CHECK(dlfs_data_commit(d, 3) == DLFS_E_DATA_FULL);
  CHECK(dlfs_data_commit(d, -1) == DLFS_E_ARG);

  dlfs_data *wrong = NULL;
  CHECK(dlfs_data_create(4, 100, 10, &wrong) == DLFS_OK);
  dlfs_config c = small_config();
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_run_train(r, 1) == DLFS_E_NO_TRAIN_DATA);
  CHECK(dlfs_run_set_train(r, wrong) == DLFS_E_DATA_SHAPE);
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_train(r, 1) == DLFS_E_NOT_ENOUGH_DATA); /* train_size 300 > 2 loaded */
  float loss, acc;
  CHECK(dlfs_run_evaluate(r, d, 1, 2, &loss, &acc) == DLFS_E_NOT_ENOUGH_DATA);
  CHECK(dlfs_run_evaluate(r, d, 0, 2, &loss, &acc) == DLFS_OK);
  /* Two images scored together are the mean of each scored alone. */
  float loss0, acc0, loss1, acc1;
  CHECK(dlfs_run_evaluate(r, d, 0, 1, &loss0, &acc0) == DLFS_OK);
  CHECK(dlfs_run_evaluate(r, d, 1, 1, &loss1, &acc1) == DLFS_OK);
  CHECK(acc == (acc0 + acc1) / 2);
  CHECK_CLOSE(loss, (loss0 + loss1) / 2, 1e-6, 1e-7);
  CHECK(dlfs_run_set_eval(r, 4, d, 0) == DLFS_E_ARG);
  CHECK(dlfs_run_set_eval(r, 0, wrong, 0) == DLFS_E_DATA_SHAPE);
  dlfs_run_destroy(r);
  dlfs_data_destroy(wrong);
  dlfs_data_destroy(d);
}

/* Loss curve of `iterations` steps of config c (with an eval slot on the data). */
static void train_curve(dlfs_config c, const dlfs_data *d, int iterations, float *out) {
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  if (!r) return;
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_set_eval(r, 0, d, 100) == DLFS_OK);
  CHECK(dlfs_run_train(r, iterations) == DLFS_OK);
  int n;
  const float *curve = dlfs_run_curve(r, DLFS_CURVE_LOSS, &n);
  CHECK(n == iterations);
  memcpy(out, curve, sizeof(float) * (size_t)iterations);
  dlfs_run_destroy(r);
}

static void test_determinism(void) {
  dlfs_data *d = make_data(N_IMAGES, 5);
  float a[40], b[40], other[40];
  dlfs_config c = small_config();
  c.batch_norm = 1, c.dropout = 0.25f, c.weight_decay = 0.01f, c.optimizer = DLFS_MOMENTUM;
  train_curve(c, d, 40, a);
  train_curve(c, d, 40, b);
  CHECK(memcmp(a, b, sizeof a) == 0);
  c.seed = 2;
  train_curve(c, d, 40, other);
  CHECK(memcmp(a, other, sizeof a) != 0);
  dlfs_data_destroy(d);
}

static void test_curves_and_limits(void) {
  dlfs_data *d = make_data(N_IMAGES, 9);
  dlfs_config c = small_config();
  c.max_iterations = 31;
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_set_eval(r, 1, d, 50) == DLFS_OK);
  int n;
  const float *loss = dlfs_run_curve(r, DLFS_CURVE_LOSS, &n);
  CHECK(n == 0);
  CHECK(dlfs_run_train(r, 31) == DLFS_OK);
  CHECK(dlfs_run_train(r, 1) == DLFS_E_CURVE_FULL);
  CHECK(dlfs_run_curve(r, DLFS_CURVE_LOSS, &n) == loss && n == 31); /* stable pointer */
  /* 300 / 20 = 15 iterations per epoch: epochs end at i = 0, 15, 30. */
  const float *acc1 = dlfs_run_curve(r, DLFS_CURVE_EVAL_ACC + 2, &n);
  CHECK(n == 3);
  for (int i = 0; i < n; i++) CHECK(acc1[i] >= 0 && acc1[i] <= 1);
  const float *acc0 = dlfs_run_curve(r, DLFS_CURVE_EVAL_ACC, &n);
  CHECK(n == 3 && isnan(acc0[0])); /* slot 0 unattached: NaN keeps curves aligned */
  CHECK(dlfs_run_curve(r, DLFS_CURVE_DECAY + 1, &n) == NULL && n == 0);
  CHECK(fabsf(dlfs_run_iter_per_epoch(r) - 15) == 0);
  dlfs_run_destroy(r);
  dlfs_data_destroy(d);
}

/* Steps of config c; copies its LOSS and DECAY curves. */
static void loss_and_decay(dlfs_config c, const dlfs_data *d, int iterations, float *loss, float *decay) {
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  if (!r) return;
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_train(r, iterations) == DLFS_OK);
  int n, m;
  const float *l = dlfs_run_curve(r, DLFS_CURVE_LOSS, &n), *w = dlfs_run_curve(r, DLFS_CURVE_DECAY, &m);
  CHECK(n == iterations && m == iterations);
  memcpy(loss, l, sizeof(float) * (size_t)iterations);
  memcpy(decay, w, sizeof(float) * (size_t)iterations);
  dlfs_run_destroy(r);
}

/* DECAY is the 0.5 lambda |W|^2 inside each LOSS point: 0 without decay; with
 * it, loss - decay at iteration 0 (the same initial weights) is the
 * cross-entropy of the run without decay, and the term scales with lambda. */
static void test_decay_curve(void) {
  dlfs_data *d = make_data(N_IMAGES, 13);
  dlfs_config c = small_config();
  enum { I = 20 };
  float plain[I], plain_decay[I], wd[I], wd_decay[I], wd2[I], wd2_decay[I];
  loss_and_decay(c, d, I, plain, plain_decay);
  for (int i = 0; i < I; i++) CHECK(plain_decay[i] == 0);
  c.weight_decay = 0.1f;
  loss_and_decay(c, d, I, wd, wd_decay);
  c.weight_decay = 0.2f;
  loss_and_decay(c, d, I, wd2, wd2_decay);
  CHECK(fabsf(wd[0] - wd_decay[0] - plain[0]) <= 1e-5f * wd[0]);
  CHECK(fabsf(wd2_decay[0] - 2 * wd_decay[0]) <= 1e-6f * wd2_decay[0]);
  for (int i = 0; i < I; i++) CHECK(wd_decay[i] > 0 && wd[i] - wd_decay[i] > 0);
  /* SGD with decay shrinks the weights: the term falls while it dominates. */
  CHECK(wd_decay[I - 1] < wd_decay[0]);

  /* The book's loss (after the update) carries the term of the updated weights. */
  c.weight_decay = 0.1f, c.loss_mode = DLFS_LOSS_BOOK;
  float book[I], book_decay[I];
  loss_and_decay(c, d, I, book, book_decay);
  CHECK(book_decay[0] < wd_decay[0] && book_decay[0] > wd_decay[1] * 0.99f);

  /* A live change to lambda shows from the next point on; earlier points stay. */
  c.loss_mode = DLFS_LOSS_FORWARD;
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_train(r, 5) == DLFS_OK);
  CHECK(dlfs_run_set_weight_decay(r, 0) == DLFS_OK);
  CHECK(dlfs_run_train(r, 5) == DLFS_OK);
  int n;
  const float *w = dlfs_run_curve(r, DLFS_CURVE_DECAY, &n);
  CHECK(n == 10);
  for (int i = 0; i < 5; i++) CHECK(w[i] == wd_decay[i]);
  for (int i = 5; i < 10; i++) CHECK(w[i] == 0);
  dlfs_run_destroy(r);
  dlfs_data_destroy(d);
}

static void test_divergence(void) {
  dlfs_data *d = make_data(N_IMAGES, 11);
  dlfs_config c = small_config();
  c.init = DLFS_INIT_STD, c.init_std = 30, c.lr = 1e6f;
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_train(r, 500) == DLFS_E_DIVERGED);
  CHECK(dlfs_run_diverged(r) == 1);
  int n;
  const float *loss = dlfs_run_curve(r, DLFS_CURVE_LOSS, &n);
  CHECK(n < 500);
  for (int i = 0; i < n; i++) CHECK(isfinite(loss[i]));
  CHECK(dlfs_run_train(r, 1) == DLFS_E_DIVERGED);
  dlfs_run_destroy(r);
  dlfs_data_destroy(d);
}

/* The optimizer reports a non-finite parameter, whichever rule made it so. */
static void test_update_flags_nonfinite(void) {
  for (int kind = DLFS_SGD; kind <= DLFS_ADAM; kind++) {
    real p[3] = {1, -2, 3}, g[3] = {0.5f, 0.25f, -1}, m[3] = {0}, v[3] = {0};
    optim_state st = {.kind = kind, .lr = 0.1f};
    real sq;
    CHECK(optim_update(&st, p, g, m, v, 3, &sq) == 1);
    p[1] = INFINITY;
    CHECK(optim_update(&st, p, g, m, v, 3, &sq) == 0);
    p[1] = NAN;
    CHECK(optim_update(&st, p, g, m, v, 3, &sq) == 0);
  }
}

static void test_live_settings(void) {
  dlfs_config c = small_config();
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_run_set_lr(r, -1) == DLFS_E_LR);
  CHECK(dlfs_run_set_lr(r, 0.5f) == DLFS_OK);
  CHECK(dlfs_run_set_weight_decay(r, -1) == DLFS_E_WEIGHT_DECAY);
  CHECK(dlfs_run_set_dropout(r, 0.3f) == DLFS_E_DROPOUT); /* created without dropout layers */
  dlfs_run_destroy(r);
  c.dropout = 0.1f;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_run_set_dropout(r, 0.3f) == DLFS_OK);
  CHECK(dlfs_run_set_dropout(r, 1) == DLFS_E_DROPOUT);
  dlfs_run_destroy(r);
}

int main(void) {
  test_null_safety();
  test_config_errors();
  test_data();
  test_determinism();
  test_curves_and_limits();
  test_decay_curve();
  test_divergence();
  test_update_flags_nonfinite();
  test_live_settings();
  return check_finish("test_run");
}
