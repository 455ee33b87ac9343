/* test_predict.c: dlfs_run_predict, natively under ASan/UBSan and in WASM:
 * rows are probabilities, their argmax agrees with dlfs_run_evaluate's
 * accuracy, chunking past eval_batch changes nothing, and bad calls fail
 * with their status. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "dlfs.h"

enum { N = 250, C = 10 };

static dlfs_data *make_data(int n, unsigned seed) {
  dlfs_data *d = NULL;
  CHECK(dlfs_data_create(n, 784, C, &d) == DLFS_OK);
  if (!d) return NULL;
  uint8_t *px = dlfs_data_pixels(d), *lab = dlfs_data_labels(d);
  /* Learnable: each label lights its own band of pixels. */
  for (int i = 0; i < n; i++) {
    lab[i] = (uint8_t)((seed = seed * 1664525u + 1013904223u) >> 24) % C;
    for (int j = 0; j < 784; j++) px[(long)i * 784 + j] = (uint8_t)((j / 78 == lab[i]) ? 200 : ((seed = seed * 1664525u + 1013904223u) >> 28));
  }
  CHECK(dlfs_data_commit(d, n) == DLFS_OK);
  return d;
}

int main(void) {
  dlfs_data *d = make_data(N, 7);
  dlfs_config c;
  dlfs_config_default(&c);
  c.n_hidden = 2, c.hidden[0] = 32, c.hidden[1] = 16;
  c.batch_size = 25, c.train_size = N, c.lr = 0.1f, c.max_iterations = 200, c.eval_batch = 64;
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK);
  CHECK(dlfs_run_set_train(r, d) == DLFS_OK);
  CHECK(dlfs_run_train(r, 100) == DLFS_OK);

  float *p = malloc(sizeof(float) * N * C);
  CHECK(dlfs_run_predict(r, d, 0, N, p) == DLFS_OK); /* 250 rows: four chunks of 64 */
  int correct = 0;
  for (int i = 0; i < N; i++) {
    double sum = 0;
    int best = 0;
    for (int k = 0; k < C; k++) {
      CHECK(p[i * C + k] >= 0 && p[i * C + k] <= 1);
      sum += p[i * C + k];
      if (p[i * C + k] > p[i * C + best]) best = k;
    }
    CHECK_CLOSE(sum, 1.0, 1e-5, 0);
    correct += best == dlfs_data_labels(d)[i];
  }
  float loss, acc;
  CHECK(dlfs_run_evaluate(r, d, 0, N, &loss, &acc) == DLFS_OK);
  CHECK_CLOSE((double)correct / N, acc, 0, 1e-6);
  CHECK(acc > 0.5); /* it learned, so the check above compares something */

  /* One image at a time gives the same rows as the chunked call. */
  float one[C];
  CHECK(dlfs_run_predict(r, d, 200, 1, one) == DLFS_OK);
  for (int k = 0; k < C; k++) CHECK_CLOSE(one[k], p[200 * C + k], 1e-6, 1e-7);

  CHECK(dlfs_run_predict(NULL, d, 0, 1, one) == DLFS_E_ARG);
  CHECK(dlfs_run_predict(r, NULL, 0, 1, one) == DLFS_E_ARG);
  CHECK(dlfs_run_predict(r, d, 0, 1, NULL) == DLFS_E_ARG);
  CHECK(dlfs_run_predict(r, d, -1, 1, one) == DLFS_E_ARG);
  CHECK(dlfs_run_predict(r, d, 0, 0, one) == DLFS_E_ARG);
  CHECK(dlfs_run_predict(r, d, N - 1, 2, one) == DLFS_E_NOT_ENOUGH_DATA);
  dlfs_data *wrong = NULL;
  CHECK(dlfs_data_create(4, 10, C, &wrong) == DLFS_OK);
  CHECK(dlfs_run_predict(r, wrong, 0, 1, one) == DLFS_E_DATA_SHAPE);

  free(p);
  dlfs_data_destroy(wrong);
  dlfs_run_destroy(r);
  dlfs_data_destroy(d);
  return check_finish("test_predict");
}
