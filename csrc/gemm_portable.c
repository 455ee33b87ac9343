/* gemm_portable.c: v0 */
#ifndef DLFS_DOUBLE
#include "gemm.h"

#define NR 8
#define MR 4

static void pack_b_kn(int N, int K, const float *B, int ldb, const float *bias, float *w) {
  for (int j0 = 0; j0 < N; j0 += NR) {
    int nc = N - j0 < NR ? N - j0 : NR;
    for (int j = 0; j < NR; j++) w[j] = (bias && j < nc) ? bias[j0 + j] : 0.0f;
    w += NR;
    for (int k = 0; k < K; k++) {
      const float *b = B + (size_t)k * ldb + j0;
      if (nc == NR) {
        for (int j = 0; j < NR; j++) w[j] = b[j];
      } else {
        for (int j = 0; j < NR; j++) w[j] = j < nc ? b[j] : 0.0f;
      }
      w += NR;
    }
  }
}

static void pack_b_nk(int N, int K, const float *B, int ldb, float *w) {
  for (int j0 = 0; j0 < N; j0 += NR) {
    int nc = N - j0 < NR ? N - j0 : NR;
    for (int j = 0; j < NR; j++) w[j] = 0.0f;
    w += NR;
    for (int j = 0; j < NR; j++) {
      const float *b = B + (size_t)(j0 + j) * ldb;
      if (j < nc)
        for (int k = 0; k < K; k++) w[(size_t)k * NR + j] = b[k];
      else
        for (int k = 0; k < K; k++) w[(size_t)k * NR + j] = 0.0f;
    }
    w += (size_t)K * NR;
  }
}

static void gemm_4x8__portable(int mr, int nc, int K, const float *a, size_t a_rs, size_t a_ks,
                               const float *w, float *c, size_t ldc) {
  const float *ar[MR];
  float *cr[MR];
  for (int r = 0; r < MR; r++) {
    int rr = r < mr ? r : mr - 1;
    ar[r] = a + (size_t)rr * a_rs;
    cr[r] = c + (size_t)rr * ldc;
  }
  float acc[MR][NR];
  for (int r = 0; r < MR; r++)
    for (int j = 0; j < NR; j++) acc[r][j] = w[j];
  w += NR;
  for (int k = 0; k < K; k++) {
    for (int r = 0; r < MR; r++) {
      float av = ar[r][(size_t)k * a_ks];
      for (int j = 0; j < NR; j++) acc[r][j] += av * w[j];
    }
    w += NR;
  }
  for (int r = MR - 1; r >= 0; r--)
    for (int j = 0; j < nc; j++) cr[r][j] = acc[r][j];
}

static void run(int M, int N, int K, const float *A, size_t a_rs, size_t a_ks, const float *w,
                float *C, int ldc) {
  size_t panel = (size_t)(K + 1) * NR;
  for (int i = 0; i < M; i += MR) {
    int mr = M - i < MR ? M - i : MR;
    const float *wp = w;
    for (int j = 0; j < N; j += NR) {
      int nc = N - j < NR ? N - j : NR;
      gemm_4x8__portable(mr, nc, K, A + (size_t)i * a_rs, a_rs, a_ks, wp, C + (size_t)i * ldc + j, ldc);
      wp += panel;
    }
  }
}

void gemm_portable_nn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      const float *bias, float *C, int ldc, float *scratch) {
  pack_b_kn(N, K, B, ldb, bias, scratch);
  run(M, N, K, A, (size_t)lda, 1, scratch, C, ldc);
}

void gemm_portable_tn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      float *C, int ldc, float *scratch) {
  pack_b_kn(N, K, B, ldb, NULL, scratch);
  run(M, N, K, A, 1, (size_t)lda, scratch, C, ldc);
}

void gemm_portable_nt(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      float *C, int ldc, float *scratch) {
  pack_b_nk(N, K, B, ldb, scratch);
  run(M, N, K, A, (size_t)lda, 1, scratch, C, ldc);
}
#endif
