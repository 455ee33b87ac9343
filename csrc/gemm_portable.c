/* gemm_portable.c: blocked GEMMs in plain C for the native build.
 *
 * No intrinsics: the speed comes from writing the innermost loop in the one
 * form every C compiler vectorises, a row update c[0..n) += v * b[0..n) over
 * contiguous, non-aliasing (restrict) rows. For each block of 4 rows of C:
 *
 *   C[i..i+4, :] = bias (or 0);  for k: C[i+r, :] += A(i+r, k) * B[k, :]
 *
 * The 4 x NC block of C (at most 8 KiB) stays in L1 for the whole k loop,
 * while the rows of B stream through once per block. Updating four C rows
 * with the same B row, and two k steps per pass, divides the loads and
 * stores per multiply-add by 4 and 2 (the alternatives tried and their
 * speeds are in csrc/bench/README.md).
 *
 * tn reads A down its columns (A(i+r, k) = A[k][i+r]), which is only
 * scalar loads. nt first transposes B into the scratch buffer (K x N,
 * contiguous), after which it is an nn product. Float only: the double build
 * uses the reference. */
#ifndef DLFS_DOUBLE
#include "gemm.h"

/* Columns per block: keeps a 4 x NC block of C (8 KiB) resident in L1. */
#define NC 512

/* The vectorised loops. `(n / 8) * 8` gives the loop a trip count the
 * compiler can prove is a multiple of the vector width, which gcc -O2
 * (cheap cost model: no vectorised loop that would need a scalar epilogue)
 * requires; the tail is a separate scalar loop. */
static void update_4rows_2k(int n, float *restrict c0, float *restrict c1, float *restrict c2,
                            float *restrict c3, const float v[8], const float *restrict b0,
                            const float *restrict b1) {
  const float v00 = v[0], v10 = v[1], v20 = v[2], v30 = v[3];
  const float v01 = v[4], v11 = v[5], v21 = v[6], v31 = v[7];
  int n8 = (n / 8) * 8, j = 0;
  for (; j < n8; j++) {
    float x = b0[j], y = b1[j];
    c0[j] += v00 * x + v01 * y;
    c1[j] += v10 * x + v11 * y;
    c2[j] += v20 * x + v21 * y;
    c3[j] += v30 * x + v31 * y;
  }
  for (; j < n; j++) {
    float x = b0[j], y = b1[j];
    c0[j] += v00 * x + v01 * y;
    c1[j] += v10 * x + v11 * y;
    c2[j] += v20 * x + v21 * y;
    c3[j] += v30 * x + v31 * y;
  }
}

static void update_4rows(int n, float *restrict c0, float *restrict c1, float *restrict c2,
                         float *restrict c3, const float v[4], const float *restrict b) {
  const float v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
  int n8 = (n / 8) * 8, j = 0;
  for (; j < n8; j++) {
    float x = b[j];
    c0[j] += v0 * x;
    c1[j] += v1 * x;
    c2[j] += v2 * x;
    c3[j] += v3 * x;
  }
  for (; j < n; j++) {
    float x = b[j];
    c0[j] += v0 * x;
    c1[j] += v1 * x;
    c2[j] += v2 * x;
    c3[j] += v3 * x;
  }
}

static void update_row(int n, float *restrict c, float v, const float *restrict b) {
  int n8 = (n / 8) * 8, j = 0;
  for (; j < n8; j++) c[j] += v * b[j];
  for (; j < n; j++) c[j] += v * b[j];
}

/* C[mr x n] = bias + A . B for one block, mr <= 4. Element (r, k) of the
 * logical A is A[r * a_rs + k * a_ks], so one routine serves A and A^T. */
static void block(int mr, int n, int K, const float *A, size_t a_rs, size_t a_ks,
                  const float *B, size_t ldb, const float *bias, float *C, size_t ldc) {
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < n; j++) C[r * ldc + j] = bias ? bias[j] : 0.0f;
  if (mr == 4) {
    float *c0 = C, *c1 = C + ldc, *c2 = C + 2 * ldc, *c3 = C + 3 * ldc;
    int k = 0;
    for (; k + 2 <= K; k += 2) {
      float v[8];
      for (int r = 0; r < 4; r++) {
        v[r] = A[r * a_rs + (size_t)k * a_ks];
        v[4 + r] = A[r * a_rs + (size_t)(k + 1) * a_ks];
      }
      update_4rows_2k(n, c0, c1, c2, c3, v, B + (size_t)k * ldb, B + (size_t)(k + 1) * ldb);
    }
    if (k < K) {
      float v[4];
      for (int r = 0; r < 4; r++) v[r] = A[r * a_rs + (size_t)k * a_ks];
      update_4rows(n, c0, c1, c2, c3, v, B + (size_t)k * ldb);
    }
  } else {
    for (int r = 0; r < mr; r++)
      for (int k = 0; k < K; k++)
        update_row(n, C + r * ldc, A[r * a_rs + (size_t)k * a_ks], B + (size_t)k * ldb);
  }
}

static void run(int M, int N, int K, const float *A, size_t a_rs, size_t a_ks, const float *B,
                size_t ldb, const float *bias, float *C, size_t ldc) {
  for (int j = 0; j < N; j += NC) {
    int n = N - j < NC ? N - j : NC;
    for (int i = 0; i < M; i += 4) {
      int mr = M - i < 4 ? M - i : 4;
      block(mr, n, K, A + (size_t)i * a_rs, a_rs, a_ks, B + j, ldb, bias ? bias + j : NULL,
            C + (size_t)i * ldc + j, ldc);
    }
  }
}

void gemm_nn_4x512__scalar(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      const float *bias, float *C, int ldc, float *scratch) {
  (void)scratch;
  run(M, N, K, A, (size_t)lda, 1, B, (size_t)ldb, bias, C, (size_t)ldc);
}

void gemm_tn_4x512__scalar(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      float *C, int ldc, float *scratch) {
  (void)scratch;
  run(M, N, K, A, 1, (size_t)lda, B, (size_t)ldb, NULL, C, (size_t)ldc);
}

void gemm_nt_4x512__scalar(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      float *C, int ldc, float *scratch) {
  /* scratch[k * N + j] = B[j][k], in 8 x 8 tiles so that both the rows read
   * and the rows written stay in cache. */
  for (int j0 = 0; j0 < N; j0 += 8)
    for (int k0 = 0; k0 < K; k0 += 8)
      for (int j = j0; j < j0 + 8 && j < N; j++)
        for (int k = k0; k < k0 + 8 && k < K; k++)
          scratch[(size_t)k * N + j] = B[(size_t)j * ldb + k];
  run(M, N, K, A, (size_t)lda, 1, scratch, (size_t)N, NULL, C, (size_t)ldc);
}

void gemm_nn_relu_4x512__scalar(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                                const float *bias, float *C, int ldc, float *scratch) {
  gemm_nn_4x512__scalar(M, N, K, A, lda, B, ldb, bias, C, ldc, scratch);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      float *c = &C[(size_t)i * ldc + j];
      *c = *c > 0 ? *c : 0;
    }
}
#endif
