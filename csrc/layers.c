#include "layers.h"

#include <math.h>

#include "dlfs.h"
#include "gemm.h"

#ifdef DLFS_DOUBLE
#define EXP exp
#define LOG log
#define SQRT sqrt
#define TANH tanh
#else
#define EXP expf
#define LOG logf
#define SQRT sqrtf
#define TANH tanhf
#endif

void affine_forward(real *out, const real *inp, const real *W, const real *b, real *scratch, int B,
                    int K, int N) {
  gemm_nn(B, N, K, inp, K, W, N, b, out, N, scratch);
}

void affine_relu_forward(real *out, const real *inp, const real *W, const real *b, real *scratch,
                         int B, int K, int N) {
  gemm_nn_relu(B, N, K, inp, K, W, N, b, out, N, scratch);
}

/* The wasm build has SIMD versions of the ReLU masks (relu_wasmsimd.c) and of
 * add_scaled and the two reductions below (sums_wasmsimd.c) with the same
 * results; these loops are the reference and the native/double path. */
#if defined(DLFS_HAVE_WASMSIMD) && !defined(DLFS_DOUBLE)
#define LAYERS_SIMD 1
#endif

void add_scaled(real *y, const real *x, real a, long n) {
#ifdef LAYERS_SIMD
  add_scaled__wasmsimd(y, x, a, n);
  return;
#endif
  for (long i = 0; i < n; i++) y[i] += a * x[i];
}

/* db[N] = column sums of dout[B x N], summed over the batch in row order. */
static void bias_grad(real *db, const real *dout, int B, int N) {
#ifdef LAYERS_SIMD
  column_sums__wasmsimd(db, dout, B, N);
  return;
#endif
  for (int j = 0; j < N; j++) db[j] = 0;
  for (int r = 0; r < B; r++) {
    const real *row = dout + (long)r * N;
    for (int j = 0; j < N; j++) db[j] += row[j];
  }
}

void affine_backward(real *dinp, real *dW, real *db, const real *dout, const real *inp,
                     const real *W, real *scratch, int B, int K, int N) {
  gemm_tn(K, N, B, inp, K, dout, N, dW, N, scratch);
  bias_grad(db, dout, B, N);
  if (dinp) gemm_nt(B, K, N, dout, N, W, N, dinp, K, scratch);
}

void affine_forward_sparse(real *out, const sparse_rows *inp, const int32_t *rows, int first,
                           const real *W, const real *b, int B, int K, int N, int relu) {
  gemm_nn_sparse(sparse_row_best(), B, N, K, inp, rows, first, W, N, b, out, N, relu);
}

void affine_backward_sparse(real *dW, real *db, const real *dout, const sparse_rows *inp,
                            const int32_t *rows, int first, void *work, int B, int K, int N) {
  gemm_tn_sparse(sparse_row_best(), B, N, K, inp, rows, first, dout, N, dW, N, work);
  bias_grad(db, dout, B, N);
}

real sum_squares_any_order(const real *x, long n) {
#ifdef LAYERS_SIMD
  return sum_squares_any_order__wasmsimd(x, n);
#endif
  real s[4] = {0, 0, 0, 0}; /* four chains instead of one: the order is free here */
  long i = 0;
  for (; i + 4 <= n; i += 4)
    for (int j = 0; j < 4; j++) s[j] += x[i + j] * x[i + j];
  for (; i < n; i++) s[0] += x[i] * x[i];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

int all_finite(const real *x, long n) {
#ifdef LAYERS_SIMD
  return all_finite__wasmsimd(x, n);
#endif
  real probe = 0; /* x * 0 is 0 for finite x, NaN otherwise */
  for (long i = 0; i < n; i++) probe += x[i] * 0;
  return probe == 0;
}

void relu_forward(real *out, const real *inp, int n) {
#ifdef LAYERS_SIMD
  relu_forward__wasmsimd(out, inp, n);
#else
  for (int i = 0; i < n; i++) out[i] = ACTIVATION_VALUE(DLFS_RELU, inp[i], EXP, TANH);
#endif
}

void relu_backward(real *dinp, const real *dout, const real *out, int n) {
  /* The book masks x <= 0; out > 0 exactly when x > 0. */
#ifdef LAYERS_SIMD
  relu_backward__wasmsimd(dinp, dout, out, n);
#else
  for (int i = 0; i < n; i++) dinp[i] = out[i] > 0 ? dout[i] : 0;
#endif
}

void sigmoid_forward(real *out, const real *inp, int n) {
  for (int i = 0; i < n; i++) out[i] = ACTIVATION_VALUE(DLFS_SIGMOID, inp[i], EXP, TANH);
}

void sigmoid_backward(real *dinp, const real *dout, const real *out, int n) {
  for (int i = 0; i < n; i++) dinp[i] = dout[i] * (1 - out[i]) * out[i];
}

void tanh_forward(real *out, const real *inp, int n) {
  for (int i = 0; i < n; i++) out[i] = ACTIVATION_VALUE(DLFS_TANH, inp[i], EXP, TANH);
}

void tanh_backward(real *dinp, const real *dout, const real *out, int n) {
  for (int i = 0; i < n; i++) dinp[i] = dout[i] * (1 - out[i] * out[i]);
}

double init_weight_std(int init, double std, int fan_in) {
  return init == DLFS_INIT_XAVIER ? sqrt(1.0 / fan_in) : init == DLFS_INIT_HE ? sqrt(2.0 / fan_in) : std;
}

void activation_forward(int kind, real *out, const real *inp, int n) {
  if (kind == DLFS_SIGMOID) sigmoid_forward(out, inp, n);
  else if (kind == DLFS_TANH) tanh_forward(out, inp, n);
  else relu_forward(out, inp, n);
}

void activation_backward(int kind, real *dinp, const real *dout, const real *out, int n) {
  if (kind == DLFS_SIGMOID) sigmoid_backward(dinp, dout, out, n);
  else if (kind == DLFS_TANH) tanh_backward(dinp, dout, out, n);
  else relu_backward(dinp, dout, out, n);
}

void batchnorm_forward_train(real *out, real *xn, real *std, const real *inp, const real *gamma,
                             const real *beta, real *running_mean, real *running_var, int B,
                             int N) {
  /* Column statistics of a row-major batch: accumulate whole rows so the
   * inner loop stays contiguous. `std` first holds the mean, then the variance. */
  real *mu = std;
  for (int j = 0; j < N; j++) mu[j] = 0;
  for (int r = 0; r < B; r++)
    for (int j = 0; j < N; j++) mu[j] += inp[(long)r * N + j];
  for (int j = 0; j < N; j++) mu[j] /= B;
  /* xc = x - mu goes into xn for now; var = mean(xc^2), biased as np.mean. */
  for (int r = 0; r < B; r++)
    for (int j = 0; j < N; j++) xn[(long)r * N + j] = inp[(long)r * N + j] - mu[j];
  for (int j = 0; j < N; j++) running_mean[j] = BN_MOMENTUM * running_mean[j] + (1 - BN_MOMENTUM) * mu[j];
  real *var = std;
  for (int j = 0; j < N; j++) var[j] = 0;
  for (int r = 0; r < B; r++)
    for (int j = 0; j < N; j++) {
      real c = xn[(long)r * N + j];
      var[j] += c * c;
    }
  for (int j = 0; j < N; j++) {
    var[j] /= B;
    running_var[j] = BN_MOMENTUM * running_var[j] + (1 - BN_MOMENTUM) * var[j];
    std[j] = SQRT(var[j] + BN_EPS);
  }
  for (int r = 0; r < B; r++)
    for (int j = 0; j < N; j++) {
      long i = (long)r * N + j;
      xn[i] = xn[i] / std[j];
      out[i] = gamma[j] * xn[i] + beta[j];
    }
}

void batchnorm_forward_test(real *out, const real *inp, const real *gamma, const real *beta,
                            const real *running_mean, const real *running_var, int B, int N) {
  for (int r = 0; r < B; r++)
    for (int j = 0; j < N; j++) {
      long i = (long)r * N + j;
      real xn = (inp[i] - running_mean[j]) / SQRT(running_var[j] + BN_EPS);
      out[i] = gamma[j] * xn + beta[j];
    }
}

void batchnorm_backward(real *dinp, real *dgamma, real *dbeta, const real *dout, const real *xn,
                        const real *std, const real *gamma, int B, int N) {
  /* The book's staged backward (common/layers.py BatchNormalization.__backward)
   * with xc = xn * std substituted, so only xn and std need caching:
   *   dxn  = gamma * dout
   *   dvar = -0.5 * sum(dxn * xn) / std^2
   *   dxc  = dxn / std + (2/B) * xc * dvar  = (dxn - xn * sum(dxn * xn) / B) / std
   *   dx   = dxc - mean(dxc)                                                      */
  for (int j = 0; j < N; j++) dgamma[j] = dbeta[j] = 0;
  for (int r = 0; r < B; r++)
    for (int j = 0; j < N; j++) {
      long i = (long)r * N + j;
      dbeta[j] += dout[i];
      dgamma[j] += xn[i] * dout[i];
    }
  /* sum(dxn * xn) = gamma * dgamma; mean(dxc) is accumulated in a second pass. */
  for (int r = 0; r < B; r++)
    for (int j = 0; j < N; j++) {
      long i = (long)r * N + j;
      real dxn = gamma[j] * dout[i];
      dinp[i] = (dxn - xn[i] * gamma[j] * dgamma[j] / B) / std[j];
    }
  for (int j = 0; j < N; j++) {
    real mean = 0;
    for (int r = 0; r < B; r++) mean += dinp[(long)r * N + j];
    mean /= B;
    for (int r = 0; r < B; r++) dinp[(long)r * N + j] -= mean;
  }
}

void dropout_forward(real *out, const real *inp, const real *mask, int n) {
  for (int i = 0; i < n; i++) out[i] = inp[i] * mask[i];
}

void dropout_backward(real *dinp, const real *dout, const real *mask, int n) {
  for (int i = 0; i < n; i++) dinp[i] = dout[i] * mask[i];
}

void dropout_forward_test(real *out, const real *inp, real scale, int n) {
  for (int i = 0; i < n; i++) out[i] = inp[i] * scale;
}

void softmax_ce_forward(real *loss_out, real *probs, const real *logits, const uint8_t *labels,
                        int B, int C) {
  /* Subtract the row max before exp (3.5.2) so large logits cannot overflow. */
  double loss = 0;
  for (int r = 0; r < B; r++) {
    const real *z = logits + (long)r * C;
    real *p = probs + (long)r * C;
    real m = z[0];
    for (int c = 1; c < C; c++) m = z[c] > m ? z[c] : m;
    real sum = 0;
    for (int c = 0; c < C; c++) sum += p[c] = EXP(z[c] - m);
    for (int c = 0; c < C; c++) p[c] /= sum;
    loss -= LOG(p[labels[r]] + (real)1e-7);
  }
  *loss_out = (real)(loss / B);
}

void softmax_ce_loss(real *loss_out, const real *logits, const uint8_t *labels, int B, int C) {
  double loss = 0;
  for (int r = 0; r < B; r++) {
    const real *z = logits + (long)r * C;
    real m = z[0];
    for (int c = 1; c < C; c++) m = z[c] > m ? z[c] : m;
    real sum = 0, e_label = 0;
    for (int c = 0; c < C; c++) {
      const real e = EXP(z[c] - m);
      sum += e;
      if (c == labels[r]) e_label = e;
    }
    loss -= LOG(e_label / sum + (real)1e-7);
  }
  *loss_out = (real)(loss / B);
}

void softmax_ce_backward(real *dlogits, const real *probs, const uint8_t *labels, int B, int C) {
  for (int r = 0; r < B; r++)
    for (int c = 0; c < C; c++) {
      long i = (long)r * C + c;
      dlogits[i] = (probs[i] - (c == labels[r] ? 1 : 0)) / B;
    }
}
