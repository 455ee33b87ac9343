/* layers.h: the book's layers (chapter 5 and 6), each a forward/backward pair.
 *
 * Argument order everywhere (after llm.c): outputs, inputs, weights (and
 * state read and updated in place, such as BatchNorm's running statistics),
 * cached values and workspace, dimensions. B is the number of rows (images) in the batch.
 * Elementwise backward passes may run in place (dinp == dout). Nothing here
 * allocates or fails: the run validates shapes once when it is created. */
#ifndef DLFS_LAYERS_H
#define DLFS_LAYERS_H

#include <stdint.h>

#include "dlfs.h"
#include "gemm.h"
#include "real.h"

/* Affine (5.6.2): out[B x N] = inp[B x K] . W[K x N] + b[N] */
void affine_forward(real *out, const real *inp, const real *W, const real *b, real *scratch, int B,
                    int K, int N);
/* dW[K x N] = inp^T . dout, db[N] = column sums of dout, dinp[B x K] = dout . W^T.
 * dinp may be NULL (the first layer's input gradient is never needed). */
/* out = ReLU(inp . W + b) in one pass (gemm_nn_relu): the test-mode forward
 * of a ReLU layer without BatchNorm, equal to affine_forward then relu_forward. */
void affine_relu_forward(real *out, const real *inp, const real *W, const real *b, real *scratch,
                         int B, int K, int N);
void affine_backward(real *dinp, real *dW, real *db, const real *dout, const real *inp,
                     const real *W, real *scratch, int B, int K, int N);

/* The same two products with the input as per-image nonzero lists (gemm.h):
 * row i of inp is image rows[i] of the lists (first + i when rows is NULL).
 * Bit-identical to the dense versions (W and dout finite: the caller checks
 * dout with all_finite). work: gemm_tn_sparse_work_bytes(B, K) bytes.
 * relu: store ReLU of the output instead, as affine_relu_forward. */
void affine_forward_sparse(real *out, const sparse_rows *inp, const int32_t *rows, int first,
                           const real *W, const real *b, int B, int K, int N, int relu);
void affine_backward_sparse(real *dW, real *db, const real *dout, const sparse_rows *inp,
                            const int32_t *rows, int first, void *work, int B, int K, int N);
/* 1 when every one of the n values is finite. */
int all_finite(const real *x, long n);
/* y[i] += a * x[i] for i < n (the weight-decay gradient, lambda * W). */
void add_scaled(real *y, const real *x, real a, long n);
/* sum of x[i]^2 for i < n, in no particular order and in `real` (so within a
 * factor 1 +- n u of the exact sum, or +inf): a cheap bound, never a result. */
real sum_squares_any_order(const real *x, long n);

/* ReLU (5.5.1), Sigmoid (5.5.2) and tanh, on n values. Their backward passes
 * need only the forward output: relu' = [y > 0], sigmoid' = y(1-y), tanh' = 1-y^2. */
void relu_forward(real *out, const real *inp, int n);
void relu_backward(real *dinp, const real *dout, const real *out, int n);
#if defined(DLFS_HAVE_WASMSIMD) && !defined(DLFS_DOUBLE)
/* SIMD128 versions (relu_wasmsimd.c), bit-identical to the loops above. */
void relu_forward__wasmsimd(float *out, const float *inp, int n);
void relu_backward__wasmsimd(float *dinp, const float *dout, const float *out, int n);
/* sums_wasmsimd.c: the bias gradient's column sums and all_finite, bit-identical. */
void column_sums__wasmsimd(float *db, const float *dout, int B, int N);
int all_finite__wasmsimd(const float *x, long n);
float sum_squares_any_order__wasmsimd(const float *x, long n);
void add_scaled__wasmsimd(float *y, const float *x, float a, long n);
#endif
void sigmoid_forward(real *out, const real *inp, int n);
void sigmoid_backward(real *dinp, const real *dout, const real *out, int n);
void tanh_forward(real *out, const real *inp, int n);
void tanh_backward(real *dinp, const real *dout, const real *out, int n);

/* One activation value, the formulas of common/functions.py (relu: max(x, 0);
 * sigmoid: 1 / (1 + exp(-x))), written once for the engine's loops (in `real`)
 * and the activation-histogram experiment (in double, activations.c), which
 * pass their own exp and tanh. */
#define ACTIVATION_VALUE(kind, a, exp_fn, tanh_fn)                                                 \
  ((kind) == DLFS_SIGMOID ? 1 / (1 + exp_fn(-(a))) : (kind) == DLFS_TANH ? tanh_fn(a) : ((a) > 0 ? (a) : 0))

/* The standard deviation of a layer's initial weights with fan_in inputs
 * (6.2.2, 6.2.3; MultiLayerNetExtend.__init_weight): Xavier sqrt(1/n_in),
 * He sqrt(2/n_in), or the number `std` itself (init kind DLFS_INIT_STD). */
double init_weight_std(int init, double std, int fan_in);

/* The hidden activation chosen by kind (dlfs_activation: relu, sigmoid, tanh). */
void activation_forward(int kind, real *out, const real *inp, int n);
void activation_backward(int kind, real *dinp, const real *dout, const real *out, int n);

/* Batch Normalization (6.3), per feature over the mini-batch, with the
 * book's biased variance and eps = 10e-7 (= 1e-6).
 * Training: out = gamma * xn + beta with xn = (x - mu) / std, std = sqrt(var + eps);
 * caches xn[B x N] and std[N]; updates running_mean/var with momentum 0.9,
 * no bias correction, exactly as common/layers.py. */
#define BN_EPS ((real)10e-7)
#define BN_MOMENTUM ((real)0.9)
void batchnorm_forward_train(real *out, real *xn, real *std, const real *inp, const real *gamma,
                             const real *beta, real *running_mean, real *running_var, int B,
                             int N);
/* Test mode: normalise with the running statistics. */
void batchnorm_forward_test(real *out, const real *inp, const real *gamma, const real *beta,
                            const real *running_mean, const real *running_var, int B, int N);
/* dinp[B x N] (must not alias dout), dgamma[N], dbeta[N]. */
void batchnorm_backward(real *dinp, real *dgamma, real *dbeta, const real *dout, const real *xn,
                        const real *std, const real *gamma, int B, int N);

/* Dropout (6.4.3). `mask` holds the per-unit multiplier chosen by the run:
 * book mode keeps a unit when a uniform draw > ratio and does not rescale
 * (mask is 0 or 1), inverted mode scales kept units by 1 / (1 - ratio). */
void dropout_forward(real *out, const real *inp, const real *mask, int n);
void dropout_backward(real *dinp, const real *dout, const real *mask, int n);
/* Test mode: the book multiplies by (1 - ratio); inverted dropout is the identity. */
void dropout_forward_test(real *out, const real *inp, real scale, int n);

/* Softmax with cross-entropy (5.6.3, 4.2.4): probs[B x C] = softmax(logits);
 * *loss = the mean of -log(p[label] + 1e-7) over the batch. softmax_ce_loss
 * is the loss alone, for evaluation: the same operations on the label's
 * probability, bit for bit, without dividing the other C - 1 or storing any. */
void softmax_ce_loss(real *loss, const real *logits, const uint8_t *labels, int B, int C);
void softmax_ce_forward(real *loss, real *probs, const real *logits, const uint8_t *labels, int B,
                        int C);
/* dlogits[B x C] = (probs - onehot(labels)) / B */
void softmax_ce_backward(real *dlogits, const real *probs, const uint8_t *labels, int B, int C);

#endif
