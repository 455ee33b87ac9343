/* probe.c: the native build's side of the WASM-vs-native agreement test
 * (wasm-tests/native-agreement.test.mjs). It trains the run that test
 * describes on the images in a raw file and prints every number as JSON,
 * so Node can compare them with the same run in dlfs.wasm.
 *
 *   dlfs_probe <images.raw> <count> <iterations>
 * images.raw: count*784 pixel bytes followed by count label bytes. */
#include <stdio.h>
#include <stdlib.h>

#include "dlfs.h"

static int fail(const char *what, int st) {
  fprintf(stderr, "dlfs_probe: %s: %s\n", what, dlfs_status_str(st));
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: dlfs_probe <images.raw> <count> <iterations>\n");
    return 2;
  }
  int count = atoi(argv[2]), iterations = atoi(argv[3]);
  dlfs_data *data = NULL;
  int st = dlfs_data_create(count > 0 ? count : 1, 784, 10, &data);
  if (st) return fail("data", st);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(dlfs_data_pixels(data), 784, (size_t)count, f) != (size_t)count ||
      fread(dlfs_data_labels(data), 1, (size_t)count, f) != (size_t)count) {
    fprintf(stderr, "dlfs_probe: cannot read %d images from %s\n", count, argv[1]);
    return 1;
  }
  fclose(f);
  if ((st = dlfs_data_commit(data, count))) return fail("commit", st);

  /* Keep in step with wasm-tests/native-agreement.test.mjs. */
  dlfs_config c;
  dlfs_config_default(&c);
  c.n_hidden = 2, c.hidden[0] = 50, c.hidden[1] = 30;
  c.batch_norm = 1, c.dropout = 0.2f, c.weight_decay = 0.01f, c.seed = 7;
  c.batch_size = 50, c.train_size = count, c.lr = 0.001f, c.optimizer = DLFS_ADAM;
  dlfs_run *run = NULL;
  if ((st = dlfs_run_create(&c, &run))) return fail("create", st);
  if ((st = dlfs_run_set_train(run, data))) return fail("set_train", st);
  if ((st = dlfs_run_train(run, iterations))) return fail("train", st);
  float loss, acc;
  if ((st = dlfs_run_evaluate(run, data, 0, count, &loss, &acc))) return fail("evaluate", st);
  int n;
  const float *curve = dlfs_run_curve(run, DLFS_CURVE_LOSS, &n);
  printf("{\"loss\": [");
  for (int i = 0; i < n; i++) printf("%s%.9g", i ? ", " : "", curve[i]);
  printf("], \"evalLoss\": %.9g, \"evalAccuracy\": %.9g}\n", loss, acc);
  dlfs_run_destroy(run);
  dlfs_data_destroy(data);
  return 0;
}
