/* gemm_sparse.c: the sparse-input products of the first layer (gemm.h),
 * independent of the ISA: list handling, the transposition for dW1 and the
 * exactness fix-up; the arithmetic is the row kernel's. The scalar row
 * kernel lives here too. */
#include <math.h>

#include "gemm.h"

void sparse_row_1x1__scalar(real *c, int N, const real *init, int n, const uint16_t *row,
                            const uint8_t *code, const real *lut, const real *B, size_t ldb, int relu) {
  for (int j = 0; j < N; j++) {
    real s = init ? init[j] : (real)0;
    for (int e = 0; e < n; e++) s += lut[code[e]] * B[(size_t)row[e] * ldb + j];
    c[j] = relu && !(s > 0) ? 0 : s;
  }
}

sparse_row_fn sparse_row_best(void) {
#if defined(DLFS_HAVE_WASMSIMD) && !defined(DLFS_DOUBLE)
#ifdef DLFS_SPARSE_ROW /* a build that measures another kernel in the engine */
  return DLFS_SPARSE_ROW;
#endif
  return sparse_row_1x36__wasmsimd;
#else
  return sparse_row_1x1__scalar;
#endif
}

/* Output j of a row the dense way: bias, then every k in order, zeros included. */
static real dense_sum(int K, int j, const uint16_t *idx, const uint8_t *val, int n, const real *lut,
                      const real *B, int ldb, const real *bias) {
  real s = bias ? bias[j] : (real)0;
  for (int k = 0, e = 0; k < K; k++) {
    const real x = e < n && idx[e] == k ? lut[val[e++]] : (real)0;
    s += x * B[(size_t)k * ldb + j];
  }
  return s;
}

void gemm_nn_sparse(sparse_row_fn kernel, int M, int N, int K, const sparse_rows *A,
                    const int32_t *rows, int first, const real *B, int ldb, const real *bias,
                    real *C, int ldc, int relu) {
  int neg_zero = 0; /* the fix-up below can only be needed for a bias with a -0 */
  for (int j = 0; bias && !relu && j < N; j++) neg_zero |= bias[j] == 0 && signbit(bias[j]);
  for (int i = 0; i < M; i++) {
    const int r = rows ? rows[i] : first + i;
    const int32_t s = A->start[r], n = A->start[r + 1] - s;
    real *c = C + (size_t)i * ldc;
    kernel(c, N, bias, n, A->idx + s, A->val + s, A->lut, B, (size_t)ldb, relu);
    if (neg_zero) /* the sign of a zero sum that started from a -0 bias: see gemm.h */
      for (int j = 0; j < N; j++)
        if (c[j] == 0 && bias[j] == 0 && signbit(bias[j]))
          c[j] = dense_sum(K, j, A->idx + s, A->val + s, n, A->lut, B, ldb, bias);
  }
}

size_t gemm_tn_sparse_work_bytes(int M, int K) {
  /* K + 1 list starts, then per entry a uint16 row and a uint8 code. */
  return sizeof(int32_t) * ((size_t)K + 1) + 3 * (size_t)M * (size_t)K + 4;
}

/* Transposes the M rows' lists into per-column lists (a counting sort, which
 * keeps each column's entries in row order, so every dW1 element is summed
 * over the batch in the oracle's order), then one row kernel call per column. */
void gemm_tn_sparse(sparse_row_fn kernel, int M, int N, int K, const sparse_rows *A,
                    const int32_t *rows, int first, const real *B, int ldb, real *C, int ldc,
                    void *work) {
  int32_t *start = work;                            /* [K + 1] */
  for (int k = 0; k <= K; k++) start[k] = 0;
  for (int i = 0; i < M; i++) {
    const int r = rows ? rows[i] : first + i;
    for (int32_t e = A->start[r]; e < A->start[r + 1]; e++) start[A->idx[e] + 1]++;
  }
  for (int k = 0; k < K; k++) start[k + 1] += start[k];
  const int32_t total = start[K];
  uint16_t *trow = (uint16_t *)(start + K + 1);     /* [total] */
  uint8_t *tcode = (uint8_t *)(trow + total);       /* [total] */
  /* Fill with start[k] as the running cursor of column k; afterwards start[k]
   * has moved to column k's end, which is column k+1's start. */
  for (int i = 0; i < M; i++) {
    const int r = rows ? rows[i] : first + i;
    for (int32_t e = A->start[r]; e < A->start[r + 1]; e++) {
      const int32_t at = start[A->idx[e]]++;
      trow[at] = (uint16_t)i;
      tcode[at] = A->val[e];
    }
  }
  for (int k = 0, s = 0; k < K; k++) {
    const int end = start[k];
    kernel(C + (size_t)k * ldc, N, NULL, end - s, trow + s, tcode + s, A->lut, B, (size_t)ldb, 0);
    s = end;
  }
}
