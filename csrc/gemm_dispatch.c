/* gemm_dispatch.c: v0 */
#include "gemm.h"

size_t gemm_scratch_floats(int M, int N, int K) {
  (void)M;
  return (size_t)((N + 15) / 16 * 16) * (size_t)(K + 1);
}

#if defined(DLFS_DOUBLE)
#define IMPL(name) gemm_ref_##name
#elif defined(DLFS_HAVE_WASMSIMD)
#define IMPL(name) gemm_wasmsimd_##name
#else
#define IMPL(name) gemm_portable_##name
#endif

void gemm_nn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, const real *bias,
             real *C, int ldc, real *scratch) {
  IMPL(nn)(M, N, K, A, lda, B, ldb, bias, C, ldc, scratch);
}
void gemm_tn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc,
             real *scratch) {
  IMPL(tn)(M, N, K, A, lda, B, ldb, C, ldc, scratch);
}
void gemm_nt(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C, int ldc,
             real *scratch) {
  IMPL(nt)(M, N, K, A, lda, B, ldb, C, ldc, scratch);
}
