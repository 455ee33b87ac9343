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
 * Three implementations share these signatures:
 *   gemm_ref_*        naive triple loop; the oracle, kept forever (gemm_ref.c)
 *   gemm_portable_*   blocked portable C for native builds     (gemm_portable.c)
 *   gemm_wasmsimd_*   WASM SIMD128 register tiles + packed panels (gemm_wasmsimd.c,
 *                     the only file compiled with -msimd128)
 * and gemm_nn / gemm_tn / gemm_nt (gemm_dispatch.c) pick the best one the
 * build has. The double-precision build (DLFS_DOUBLE) always uses the reference.
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

#define GEMM_DECLARE(prefix)                                                                   \
  void prefix##_nn(int M, int N, int K, const real *A, int lda, const real *B, int ldb,     \
                   const real *bias, real *C, int ldc, real *scratch);                       \
  void prefix##_tn(int M, int N, int K, const real *A, int lda, const real *B, int ldb,     \
                   real *C, int ldc, real *scratch);                                         \
  void prefix##_nt(int M, int N, int K, const real *A, int lda, const real *B, int ldb,     \
                   real *C, int ldc, real *scratch);

GEMM_DECLARE(gemm_ref)
GEMM_DECLARE(gemm)
#ifndef DLFS_DOUBLE
GEMM_DECLARE(gemm_portable)
#ifdef DLFS_HAVE_WASMSIMD
GEMM_DECLARE(gemm_wasmsimd)
#endif
#endif

#undef GEMM_DECLARE
#endif
