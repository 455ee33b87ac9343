/* gemm.h: the three matrix products training needs (book section 5.6.2).
 *
 * All matrices are row-major with an explicit row stride (ld* >= columns).
 * Each function writes C; none accumulates into it. Every product is named
 * by the shape of its output C[M x N] and its inner dimension K:
 *
 *   gemm_nn  C[M x N] = A[M x K]   . B[K x N]   (+ bias[N] on every row)   Y  = X . W + b
 *   gemm_tn  C[M x N] = A[K x M]^T . B[K x N]                              dW = X^T . dY
 *   gemm_nt  C[M x N] = A[M x K]   . B[N x K]^T                            dX = dY . W^T
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
#include "real.h"

/* Workspace, in reals, that any gemm_* below needs for these dimensions
 * (the maximum over nn, tn and nt, so one buffer serves all three). */
size_t gemm_scratch_floats(int M, int N, int K);

#define GEMM_DECLARE(nn, tn, nt)                                                               \
  void nn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, const real *bias, \
          real *C, int ldc, real *scratch);                                                     \
  void tn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc, \
          real *scratch);                                                                       \
  void nt(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc, \
          real *scratch);

GEMM_DECLARE(gemm_ref_nn, gemm_ref_tn, gemm_ref_nt)
GEMM_DECLARE(gemm_nn, gemm_tn, gemm_nt)
#ifndef DLFS_DOUBLE
GEMM_DECLARE(gemm_nn_4x512__scalar, gemm_tn_4x512__scalar, gemm_nt_4x512__scalar)
#ifdef DLFS_HAVE_WASMSIMD
GEMM_DECLARE(gemm_nn_4x8__wasmsimd, gemm_tn_4x8__wasmsimd, gemm_nt_4x8__wasmsimd)
GEMM_DECLARE(gemm_nn_4x8_kskip__wasmsimd, gemm_tn_4x8_kskip__wasmsimd, gemm_nt_4x8_kskip__wasmsimd)
#endif
#endif

#undef GEMM_DECLARE
#endif
