/* gemm_dispatch.c: gemm_nn / gemm_tn / gemm_nt call the best implementation
 * this build has, decided at compile time:
 *   DLFS_DOUBLE         -> reference (the gradient check wants the obvious code)
 *   DLFS_HAVE_WASMSIMD  -> WASM SIMD128 4x8 tiles, the k-skip variant (the wasm build)
 *   otherwise           -> portable blocked C (native builds) */
#include "gemm.h"

/* The most any implementation uses, for any of the three products:
 *   wasmsimd: K ints listing a tile's nonzero steps, then ceil(N / 8) panels
 *             of 8 x (K + 1) floats (bias row + K rows), plus up to 15
 *             floats to align them to 64 bytes;
 *   portable: K x N for B^T in nt (less than the above);
 *   reference: nothing.
 * test_gemm checks every implementation against exactly this size. */
size_t gemm_scratch_floats(int M, int N, int K) {
  (void)M;
  return (size_t)K + (size_t)((N + 7) / 8) * 8 * (size_t)(K + 1) + 16;
}

#if defined(DLFS_DOUBLE)
#define GEMM_IMPL(op) gemm_ref_##op
#elif defined(DLFS_HAVE_WASMSIMD)
#define GEMM_IMPL(op) gemm_##op##_4x8_kskip__wasmsimd
#else
#define GEMM_IMPL(op) gemm_##op##_4x512__scalar
#endif

void gemm_nn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, const real *bias,
             real *C, int ldc, real *scratch) {
  GEMM_IMPL(nn)(M, N, K, A, lda, B, ldb, bias, C, ldc, scratch);
}

void gemm_tn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc,
             real *scratch) {
  GEMM_IMPL(tn)(M, N, K, A, lda, B, ldb, C, ldc, scratch);
}

void gemm_nt(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc,
             real *scratch) {
  GEMM_IMPL(nt)(M, N, K, A, lda, B, ldb, C, ldc, scratch);
}

void gemm_nn_relu(int M, int N, int K, const real *A, int lda, const real *B, int ldb,
                  const real *bias, real *C, int ldc, real *scratch) {
  GEMM_IMPL(nn_relu)(M, N, K, A, lda, B, ldb, bias, C, ldc, scratch);
}
