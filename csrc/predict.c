/* predict.c: what the network says about given images: its class
 * probabilities from a test-mode forward pass (the book's predict() followed
 * by softmax, train_flg=False). The page shows them for test digits, the
 * confusion matrix and the drawing pad. */
#include <math.h>
#include <stddef.h>

#include "internal.h"

dlfs_status dlfs_run_predict(dlfs_run *run, const dlfs_data *data, int first, int count, float *probs) {
  if (!run || !data || !probs || first < 0 || count < 1) return DLFS_E_ARG;
  if (data->features != run->cfg.input_size || data->classes != run->cfg.output_size) return DLFS_E_DATA_SHAPE;
  if (first > data->count - count) return DLFS_E_NOT_ENOUGH_DATA;
  const int C = run->cfg.output_size;
  for (int done = 0; done < count;) {
    const int n = count - done < run->eval_rows ? count - done : run->eval_rows;
    const net_input in = {.data = data, .first = first + done};
    const real *logits = run_forward_test(run, &in, n, -1);
    for (int i = 0; i < n; i++) {
      /* softmax as the book's: subtract the row's max so exp never overflows. */
      const real *z = logits + (long)i * C;
      float *p = probs + (long)(done + i) * C;
      real m = z[0];
      for (int k = 1; k < C; k++)
        if (z[k] > m) m = z[k];
      double sum = 0;
      for (int k = 0; k < C; k++) sum += exp((double)(z[k] - m));
      for (int k = 0; k < C; k++) p[k] = (float)(exp((double)(z[k] - m)) / sum);
    }
    done += n;
  }
  return DLFS_OK;
}
