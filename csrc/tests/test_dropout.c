/* test_dropout.c: Dropout (section 6.4.3), as layers and inside a run.
 *
 * The layer functions apply a mask (checked by hand). The book's mask itself
 * is drawn by the run (train.c), so the mask rules (book: keep when
 * rand > ratio, no rescale; inverted: 1/(1-r)), the test-mode (1 - ratio)
 * scale and "no dropout draws nothing" are checked through a small run whose
 * dropout stream is replayed here. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dlfs.h"
#include "internal.h"
#include "layers.h"

/* ---- Dropout (6.4.3) as layers ---- */
static void test_dropout_layers(void) {
  /* by hand: out = x * mask, dinp = dout * mask, test mode = x * scale */
  static const double x[6] = {1.0, -2.0, 3.0, 0.5, -0.25, 4.0};
  static const double mask_book[6] = {1, 0, 1, 1, 0, 0};
  static const double want_book[6] = {1.0, 0, 3.0, 0.5, 0, 0};
  static const double d[6] = {0.1, 0.2, -0.3, 0.4, 0.5, -0.6};
  static const double want_db[6] = {0.1, 0, -0.3, 0.4, 0, 0};
  static const double want_test[6] = {0.7, -1.4, 2.1, 0.35, -0.175, 2.8}; /* x * (1 - 0.3) */
  real rx[6], m[6], rd[6], out[6], g[6];
  load_real(rx, x, 6), load_real(m, mask_book, 6), load_real(rd, d, 6);
  dropout_forward(out, rx, m, 6);
  CHECK_EXACT("dropout forward", out, want_book, 6);
  dropout_backward(g, rd, m, 6);
  CHECK_EXACT("dropout backward", g, want_db, 6);
  memcpy(g, rd, sizeof g);
  dropout_backward(g, g, m, 6);
  CHECK_EXACT("dropout backward in place", g, want_db, 6);
  dropout_forward_test(out, rx, (real)(1.0 - 0.3), 6);
  CHECK_VEC("dropout test scale", out, want_test, 6, REAL_RTOL, REAL_ATOL);
  /* inverted: kept units scaled by 1/(1-r) = 1/0.5 = 2 */
  real inv[6] = {2, 0, 2, 2, 0, 0};
  static const double want_inv[6] = {2.0, 0, 6.0, 1.0, 0, 0};
  dropout_forward(out, rx, inv, 6);
  CHECK_EXACT("inverted dropout forward", out, want_inv, 6);
}

/* ---- The run's dropout masks and test-mode scaling ---- */
static dlfs_run *small_run(int mode, float ratio, int hidden) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.input_size = 6, c.output_size = 3, c.n_hidden = 1, c.hidden[0] = hidden;
  c.batch_size = 20, c.eval_batch = 20, c.train_size = 100, c.max_iterations = 10;
  c.dropout = ratio, c.dropout_mode = mode, c.seed = 7;
  dlfs_run *r = NULL;
  dlfs_status st = dlfs_run_create(&c, &r);
  CHECK(st == DLFS_OK && r);
  if (!r) return NULL;
  rng_t g;
  rng_seed(&g, 99, 0);
  for (int i = 0; i < c.batch_size * c.input_size; i++) r->x[i] = (real)rng_uniform(&g);
  for (int i = 0; i < c.batch_size; i++) r->t[i] = (uint8_t)(i % 3);
  return r;
}

static void test_run_dropout(int mode) {
  const float ratio = 0.3f;
  dlfs_run *r = small_run(mode, ratio, 100);
  if (!r) return;
  layer_t *L = &r->layer[0];
  const int n = r->cfg.batch_size * L->N;
  CHECK(L->mask && L->drop && L->out == L->drop);
  rng_t replay = r->rng_dropout;
  real loss;
  run_loss_and_grads(&loss, r);
  CHECK(isfinite(loss));
  /* Book: keep when rand > ratio, multiplier exactly 1 (no rescale); inverted: 1/(1-r). */
  const double keep = mode == DLFS_DROPOUT_BOOK ? 1.0 : 1.0 / (1.0 - 0.3);
  int dropped = 0, bad = 0;
  for (int i = 0; i < n; i++) {
    int kept = rng_uniform(&replay) > ratio;
    real m = L->mask[i];
    if (kept) {
      if (mode == DLFS_DROPOUT_BOOK ? m != 1 : fabs(m - keep) > 1e-6 * keep) bad++;
    } else {
      if (m != 0) bad++;
      dropped++;
    }
    if (L->drop[i] != L->act[i] * m) bad++;
  }
  CHECK(bad == 0);
  /* 2000 Bernoulli(0.3) draws: sd of the fraction = sqrt(0.21 / 2000) = 0.0102; allow 5 sd. */
  CHECK_CLOSE((double)dropped / n, 0.3, 0, 0.052);
  /* Every mask value is 0 or the keep multiplier. */
  for (int i = 0; i < n; i++) CHECK(L->mask[i] == 0 || fabs(L->mask[i] - keep) <= 1e-6 * keep);

  /* Test mode: book dropout scales the hidden output by (1 - r); inverted is the identity.
   * logits = (act * s) . W2 + b2, computed here with a plain loop. Put some values in b2
   * so the bias is checked too. */
  layer_t *O = &r->layer[1];
  for (int j = 0; j < O->N; j++) O->b[j] = (real)(0.1 * (j + 1));
  const int B = r->cfg.batch_size, H = L->N, C = O->N;
  static real act[20 * 100];
  const real *a = run_forward_test(r, &(net_input){.x = r->x}, B, 0);
  memcpy(act, a, sizeof(real) * B * H);
  /* stop = 0 returns the activation itself: relu(x . W1 + b1) (no BN here) */
  int act_bad = 0;
  for (int i = 0; i < B; i++)
    for (int k = 0; k < H; k++) {
      double s = L->b[k];
      for (int q = 0; q < L->K; q++) s += (double)r->x[i * L->K + q] * L->W[q * H + k];
      double want = s > 0 ? s : 0;
      if (fabs(act[i * H + k] - want) > 1e-5 * (1 + fabs(want))) act_bad++;
    }
  CHECK(act_bad == 0);
  const real *logits = run_forward_test(r, &(net_input){.x = r->x}, B, -1);
  const double scale = mode == DLFS_DROPOUT_BOOK ? 1.0 - 0.3 : 1.0;
  int logit_bad = 0;
  for (int i = 0; i < B; i++)
    for (int j = 0; j < C; j++) {
      double s = O->b[j];
      for (int k = 0; k < H; k++) s += (double)act[i * H + k] * scale * O->W[k * C + j];
      if (fabs(logits[i * C + j] - s) > 1e-5 * (1 + fabs(s))) logit_bad++;
    }
  CHECK(logit_bad == 0);
  dlfs_run_destroy(r);
}

/* Without dropout the run has no mask buffers and its hidden output is the activation. */
static void test_run_no_dropout(void) {
  dlfs_run *r = small_run(DLFS_DROPOUT_BOOK, 0, 8);
  if (!r) return;
  CHECK(r->layer[0].mask == NULL && r->layer[0].drop == NULL && r->layer[0].out == r->layer[0].act);
  rng_t before = r->rng_dropout;
  real loss;
  run_loss_and_grads(&loss, r);
  CHECK(isfinite(loss));
  CHECK(memcmp(&before, &r->rng_dropout, sizeof before) == 0); /* no draws */
  dlfs_run_destroy(r);
}

int main(void) {
  test_dropout_layers();
  test_run_dropout(DLFS_DROPOUT_BOOK);
  test_run_dropout(DLFS_DROPOUT_INVERTED);
  test_run_no_dropout();
  return check_finish("test_dropout");
}
