/* gemm.h: the three matrix products training needs (book section 5.6.2).
 *
 * All matrices are row-major with an explicit row stride (ld* >= columns).
 * Each function writes C; none accumulates into it. Every product is named
 * by the shape of its output C[M x N] and its inner dimension K:
 *
 *   gemm_nn  C[M x N] = A[M x K]   . B[K x N]   (+ bias[N] on every row)   Y  = X . W + b
 *   gemm_tn  C[M x N] = A[K x M]^T . B[K x N]                              dW = X^T . dY
 *   gemm_nt  C[M x N] = A[M x K]   . B[N x K]^T                            dX = dY . W^T
 *   gemm_nn_relu  gemm_nn, then ReLU on every output (x > 0 ? x : +0, as      max(0, X . W + b)
 *            relu_forward): the test-mode forward pass of a ReLU layer; the
 *            SIMD kernels apply it to the tile in registers before its only
 *            store, instead of a second pass over C
 *
 * Kernels are named XNNPACK style, gemm_<op>_<tile>[_<variant>]__<isa>, and
 * share these signatures:
 *   gemm_ref_<op>                  naive triple loop; the oracle, kept forever (gemm_ref.c)
 *   gemm_<op>_4x512__scalar        4-row blocks of 512 columns in portable C, for
 *                                  native builds (gemm_portable.c)
 *   gemm_<op>_4x8__wasmsimd        SIMD128 4x8 register tiles over packed 8-column
 *                                  panels, every k step (gemm_wasmsimd.c, the only
 *                                  file compiled with -msimd128)
 *   gemm_<op>_4x8_kskip__wasmsimd  the same tiles, leaving out the k steps where all
 *                                  four rows of the A tile are zero (ReLU outputs,
 *                                  MNIST pixels); bit-identical to the dense sweep
 * and gemm_nn / gemm_tn / gemm_nt (gemm_dispatch.c) pick the best one the
 * build has. Every kernel's results equal gemm_ref's bit for bit (each output
 * is bias + the products summed in k order, one mul and one add per step). The double-precision build (DLFS_DOUBLE) always uses the reference.
 *
 * `scratch` is caller-owned workspace for packed panels, at least
 * gemm_scratch_floats(M, N, K) reals; the reference ignores it (may be NULL).
 * The functions never allocate, never fail and never print: callers
 * (the engine) validate shapes once when a run is created.
 * M, N, K >= 1. A, B, C must not overlap. */
#ifndef DLFS_GEMM_H
#define DLFS_GEMM_H

#include <stddef.h>
#include <stdint.h>
#include "real.h"

/* Workspace, in reals, that any gemm_* below needs for these dimensions
 * (the maximum over nn, tn and nt, so one buffer serves all three). */
size_t gemm_scratch_floats(int M, int N, int K);

#define GEMM_DECLARE(nn, tn, nt, nn_relu)                                                      \
  void nn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, const real *bias, \
          real *C, int ldc, real *scratch);                                                     \
  void nn_relu(int M, int N, int K, const real *A, int lda, const real *B, int ldb,              \
               const real *bias, real *C, int ldc, real *scratch);                              \
  void tn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc, \
          real *scratch);                                                                       \
  void nt(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc, \
          real *scratch);

GEMM_DECLARE(gemm_ref_nn, gemm_ref_tn, gemm_ref_nt, gemm_ref_nn_relu)
GEMM_DECLARE(gemm_nn, gemm_tn, gemm_nt, gemm_nn_relu)
#ifndef DLFS_DOUBLE
GEMM_DECLARE(gemm_nn_4x512__scalar, gemm_tn_4x512__scalar, gemm_nt_4x512__scalar, gemm_nn_relu_4x512__scalar)
#ifdef DLFS_HAVE_WASMSIMD
GEMM_DECLARE(gemm_nn_4x8__wasmsimd, gemm_tn_4x8__wasmsimd, gemm_nt_4x8__wasmsimd, gemm_nn_relu_4x8__wasmsimd)
GEMM_DECLARE(gemm_nn_4x8_kskip__wasmsimd, gemm_tn_4x8_kskip__wasmsimd, gemm_nt_4x8_kskip__wasmsimd,
             gemm_nn_relu_4x8_kskip__wasmsimd)
#endif
#endif

#undef GEMM_DECLARE

/* ---- Sparse-input products (the first layer on MNIST, ~81% zero pixels) ----
 *
 * A's rows are per-image lists of nonzeros: row r holds the columns
 * idx[start[r] .. start[r+1]) (ascending) with values lut[val[...]], so uint8
 * pixels need no float copy. Row i of the product's A is row rows[i] of the
 * lists, or row first + i when rows is NULL.
 *
 *   gemm_nn_sparse  C[M x N] = A[M x K] . B[K x N] + bias[N]    Y   = X . W1 + b1
 *   gemm_tn_sparse  C[K x N] = A[M x K]^T . B[M x N]            dW1 = X^T . dY
 *
 * Exactness. Each output is summed as the oracle sums it (bias first, then k
 * in order, one mul and one add per term), leaving out only terms whose A
 * value is 0. With B finite such a term is +-0, and adding +-0 changes a sum
 * only when the sum so far is -0 (-0 + +0 = +0); the next nonzero term
 * erases that difference, so only a final result of zero can differ, in its
 * sign, and only when the sum starts from -0 (x + y is -0 only when both
 * are): gemm_nn_sparse redoes an output that is +-0 and whose bias is -0 the
 * dense way (essentially never needed); in gemm_tn_sparse every sum starts
 * at +0 and so can never be -0. Hence both
 * equal gemm_ref on the dense A bit for bit whenever B is finite (callers
 * check: a run's weights are always finite, and dY is tested before use).
 *
 * Each comes with a row kernel that computes one output row
 *   c[0..N) = init[0..N) (or 0) + sum over the n entries e of lut[code[e]] * B[row[e]][0..N)
 * walking a list with the output in registers, in passes of nearly equal width:
 *   sparse_row_1x32__wasmsimd  at most 8 f32x4 accumulators (32 columns) per pass over the list
 *   sparse_row_1x36__wasmsimd  at most 9 (N = 100: passes of 36, 32, 32 columns)
 *   sparse_row_1x52__wasmsimd  at most 13 (N = 100: passes of 52, 48 columns)
 *   sparse_row_1x1__scalar     plain C, one column at a time (native builds, double build)
 * With relu, each output is stored as ReLU of that sum (x > 0 ? x : +0). */
typedef struct {
  const int32_t *start;
  const uint16_t *idx;
  const uint8_t *val;
  const real *lut; /* [256] */
} sparse_rows;

typedef void (*sparse_row_fn)(real *c, int N, const real *init, int n, const uint16_t *row,
                              const uint8_t *code, const real *lut, const real *B, size_t ldb, int relu);
void sparse_row_1x1__scalar(real *c, int N, const real *init, int n, const uint16_t *row,
                            const uint8_t *code, const real *lut, const real *B, size_t ldb, int relu);
#if defined(DLFS_HAVE_WASMSIMD) && !defined(DLFS_DOUBLE)
void sparse_row_1x32__wasmsimd(float *c, int N, const float *init, int n, const uint16_t *row,
                               const uint8_t *code, const float *lut, const float *B, size_t ldb, int relu);
void sparse_row_1x36__wasmsimd(float *c, int N, const float *init, int n, const uint16_t *row,
                               const uint8_t *code, const float *lut, const float *B, size_t ldb, int relu);
void sparse_row_1x52__wasmsimd(float *c, int N, const float *init, int n, const uint16_t *row,
                               const uint8_t *code, const float *lut, const float *B, size_t ldb, int relu);
#endif
/* The build's best row kernel. */
sparse_row_fn sparse_row_best(void);

/* relu: store max(0, Y) instead (the test-mode forward of a ReLU layer, in the
 * same pass; ReLU maps both zeros to +0, so the -0 fix-up is then not needed). */
void gemm_nn_sparse(sparse_row_fn kernel, int M, int N, int K, const sparse_rows *A,
                    const int32_t *rows, int first, const real *B, int ldb, const real *bias,
                    real *C, int ldc, int relu);
/* work: gemm_tn_sparse_work_bytes(M, K) bytes, 4-byte aligned (a transposed copy of the
 * M rows' lists). M <= 65536. */
size_t gemm_tn_sparse_work_bytes(int M, int K);
void gemm_tn_sparse(sparse_row_fn kernel, int M, int N, int K, const sparse_rows *A,
                    const int32_t *rows, int first, const real *B, int ldb, real *C, int ldc,
                    void *work);
#endif
