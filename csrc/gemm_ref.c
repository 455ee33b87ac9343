/* gemm_ref.c: the reference GEMMs, plain triple loops in `real`.
 *
 * These are the oracle every faster kernel is tested against, and what the
 * double-precision build (DLFS_DOUBLE, the gradient check) runs. They are
 * written for obviousness, not speed: one output element at a time, its dot
 * product summed in k order, exactly as the formulas in gemm.h read. */
#include "gemm.h"

void gemm_ref_nn(int M, int N, int K, const real *A, int lda, const real *B, int ldb,
                 const real *bias, real *C, int ldc, real *scratch) {
  (void)scratch;
  for (int i = 0; i < M; i++) {
    for (int j = 0; j < N; j++) {
      real s = bias ? bias[j] : (real)0;
      for (int k = 0; k < K; k++) s += A[(size_t)i * lda + k] * B[(size_t)k * ldb + j];
      C[(size_t)i * ldc + j] = s;
    }
  }
}

void gemm_ref_tn(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C,
                 int ldc, real *scratch) {
  (void)scratch;
  for (int i = 0; i < M; i++) {
    for (int j = 0; j < N; j++) {
      real s = 0;
      for (int k = 0; k < K; k++) s += A[(size_t)k * lda + i] * B[(size_t)k * ldb + j];
      C[(size_t)i * ldc + j] = s;
    }
  }
}

void gemm_ref_nt(int M, int N, int K, const real *A, int lda, const real *B, int ldb, real *C,
                 int ldc, real *scratch) {
  (void)scratch;
  for (int i = 0; i < M; i++) {
    for (int j = 0; j < N; j++) {
      real s = 0;
      for (int k = 0; k < K; k++) s += A[(size_t)i * lda + k] * B[(size_t)j * ldb + k];
      C[(size_t)i * ldc + j] = s;
    }
  }
}

/* ReLU after the product, as relu_forward: NaN > 0 is false, so NaN gives +0. */
void gemm_ref_nn_relu(int M, int N, int K, const real *A, int lda, const real *B, int ldb,
                      const real *bias, real *C, int ldc, real *scratch) {
  gemm_ref_nn(M, N, K, A, lda, B, ldb, bias, C, ldc, scratch);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      real *c = &C[(size_t)i * ldc + j];
      *c = *c > 0 ? *c : 0;
    }
}
