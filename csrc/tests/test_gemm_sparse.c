/* test_gemm_sparse.c: the sparse-input products of the first layer
 * (gemm_nn_sparse, gemm_tn_sparse with every row kernel this build has)
 * against the oracle, gemm_ref_nn / gemm_ref_tn on the same A made dense:
 * bit for bit, signs of zeros included (gemm.h explains why that holds).
 *
 * Edge shapes: M of 1 up to past a batch, N below, at and past the 32-column
 * register block and not a multiple of 4, K = 1 and MNIST's 784, rows picked
 * through an index list (with repeats, as np.random.choice draws) or as a
 * contiguous range, row strides with padding (which must stay untouched),
 * images with no nonzero at all and images with no zero at all. The values
 * are uint8 codes through the p / 255 table the engine uses. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gemm.h"

typedef struct {
  const char *name;
  sparse_row_fn fn;
} kernel_t;

static const kernel_t kernels[] = {
    {"1x1__scalar", sparse_row_1x1__scalar},
#if defined(DLFS_HAVE_WASMSIMD) && !defined(DLFS_DOUBLE)
    {"1x32__wasmsimd", sparse_row_1x32__wasmsimd},
    {"1x36__wasmsimd", sparse_row_1x36__wasmsimd},
    {"1x52__wasmsimd", sparse_row_1x52__wasmsimd},
#endif
};
#define NKERNEL ((int)(sizeof kernels / sizeof kernels[0]))

static unsigned rnd(unsigned *s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

static int same(real a, real b) { return a == b && signbit(a) == signbit(b); }

static int failures_reported;

/* R images of K pixels, `zeros` percent zero (row 0 all zero, row 1 none zero when R > 2). */
static void one_case(int R, int M, int N, int K, int zeros, int use_rows, int pad, unsigned seed) {
  unsigned st = seed;
  real lut[256];
  for (int v = 0; v < 256; v++) lut[v] = (real)v / (real)255;
  uint8_t *px = malloc((size_t)R * K);
  int32_t *start = malloc(sizeof(int32_t) * (R + 1));
  uint16_t *idx = malloc(sizeof(uint16_t) * (size_t)R * K + 2);
  uint8_t *val = malloc((size_t)R * K + 1);
  int32_t *rows = malloc(sizeof(int32_t) * M);
  const int ldb_nn = N + pad, ldc = N + (pad ? pad + 1 : 0);
  real *A = malloc(sizeof(real) * (size_t)M * K);           /* dense A [M x K] */
  real *W = malloc(sizeof(real) * (size_t)K * ldb_nn);      /* B of nn [K x N] */
  real *dY = malloc(sizeof(real) * (size_t)M * ldb_nn);     /* B of tn [M x N] */
  real *bias = malloc(sizeof(real) * N);
  real *want = malloc(sizeof(real) * (size_t)(M > K ? M : K) * ldc);
  real *got = malloc(sizeof(real) * (size_t)(M > K ? M : K) * ldc);
  void *work = malloc(gemm_tn_sparse_work_bytes(M, K));
  if (!px || !start || !idx || !val || !rows || !A || !W || !dY || !bias || !want || !got || !work) {
    fprintf(stderr, "test_gemm_sparse: out of memory\n");
    exit(1);
  }
  start[0] = 0;
  for (int r = 0; r < R; r++) {
    int n = start[r];
    for (int k = 0; k < K; k++) {
      uint8_t p = (uint8_t)(1 + rnd(&st) % 255);
      if ((r == 0 && R > 2) || (!(r == 1 && R > 2) && (int)(rnd(&st) % 100) < zeros)) p = 0;
      px[(size_t)r * K + k] = p;
      if (p) idx[n] = (uint16_t)k, val[n] = p, n++;
    }
    start[r + 1] = n;
  }
  const int first = use_rows ? 0 : (int)(rnd(&st) % (unsigned)(R - M + 1));
  for (int i = 0; i < M; i++) rows[i] = use_rows ? (int32_t)(rnd(&st) % (unsigned)R) : first + i;
  for (int i = 0; i < M; i++)
    for (int k = 0; k < K; k++) A[(size_t)i * K + k] = lut[px[(size_t)rows[i] * K + k]];
  for (size_t e = 0; e < (size_t)K * ldb_nn; e++) W[e] = (real)((double)rnd(&st) / (1 << 23) - 1.0);
  for (size_t e = 0; e < (size_t)M * ldb_nn; e++) dY[e] = (real)((double)rnd(&st) / (1 << 23) - 1.0);
  for (int j = 0; j < N; j++) bias[j] = (j % 5 == 0) ? (real)-0.0 : (real)((double)rnd(&st) / (1 << 23) - 1.0);
  const sparse_rows sp = {start, idx, val, lut};
  const real sentinel = (real)12345.0;

  for (int op = 0; op < 3; op++) { /* nn, tn, nn with ReLU */
    const int out_rows = op == 1 ? K : M;
    if (op == 0) gemm_ref_nn(M, N, K, A, K, W, ldb_nn, bias, want, ldc, NULL);
    else if (op == 2) gemm_ref_nn_relu(M, N, K, A, K, W, ldb_nn, bias, want, ldc, NULL);
    else gemm_ref_tn(K, N, M, A, K, dY, ldb_nn, want, ldc, NULL); /* A[M x K] is (A^T)^T */
    for (int ki = 0; ki < NKERNEL; ki++) {
      for (size_t e = 0; e < (size_t)out_rows * ldc; e++) got[e] = sentinel;
      if (op != 1)
        gemm_nn_sparse(kernels[ki].fn, M, N, K, &sp, use_rows ? rows : NULL, first, W, ldb_nn, bias, got, ldc,
                       op == 2);
      else
        gemm_tn_sparse(kernels[ki].fn, M, N, K, &sp, use_rows ? rows : NULL, first, dY, ldb_nn, got, ldc, work);
      int bad = 0;
      for (int i = 0; i < out_rows && !bad; i++)
        for (int j = 0; j < ldc && !bad; j++) {
          const real g = got[(size_t)i * ldc + j];
          if (!check_ok(j >= N ? g == sentinel : same(g, want[(size_t)i * ldc + j]))) {
            char what[200];
            snprintf(what, sizeof what,
                     "%s_sparse %s M=%d N=%d K=%d zeros=%d%% %s pad=%d: C[%d][%d] = %.9g, oracle %.9g",
                     op == 1 ? "tn" : op ? "nn_relu" : "nn", kernels[ki].name, M, N, K, zeros, use_rows ? "rows" : "range", pad, i, j,
                     (double)g, j >= N ? (double)sentinel : (double)want[(size_t)i * ldc + j]);
            if (failures_reported++ < 10) check_fail(__FILE__, __LINE__, what);
            else check_fail(__FILE__, __LINE__, "another sparse mismatch (details after the first 10 left out)");
            bad = 1;
          }
        }
    }
  }
  free(px), free(start), free(idx), free(val), free(rows), free(A), free(W), free(dY);
  free(bias), free(want), free(got), free(work);
}

/* All-zero images with a -0 bias: the oracle's -0 + (+-0 terms) decides each
 * output's sign, which the sparse product (no terms at all) must reproduce. */
static void test_zero_images(void) {
  enum { K = 6, N = 37 };
  real lut[256], W[K * N], bias[N], want[2 * N], got[2 * N], A[2 * K] = {0};
  for (int v = 0; v < 256; v++) lut[v] = (real)v / (real)255;
  int32_t start[3] = {0, 0, 0};
  uint16_t idx[1] = {0};
  uint8_t val[1] = {0};
  const sparse_rows sp = {start, idx, val, lut};
  for (int j = 0; j < N; j++) bias[j] = (real)-0.0;
  for (int e = 0; e < K * N; e++) W[e] = (e % N) % 2 ? (real)-1 : (real)1; /* odd columns: only -0 terms */
  gemm_ref_nn(2, N, K, A, K, W, N, bias, want, N, NULL);
  int plus = 0;
  for (int j = 0; j < N; j++) plus += !signbit(want[j]);
  CHECK(plus > 0 && plus < N); /* both signs occur, or the case proves nothing */
  for (int ki = 0; ki < NKERNEL; ki++) {
    gemm_nn_sparse(kernels[ki].fn, 2, N, K, &sp, NULL, 0, W, N, bias, got, N, 0);
    for (int e = 0; e < 2 * N; e++)
      if (!check_ok(same(got[e], want[e]))) {
        char what[120];
        snprintf(what, sizeof what, "nn_sparse %s, all-zero image: C[%d] sign %d, oracle %d", kernels[ki].name, e,
                 signbit(got[e]) != 0, signbit(want[e]) != 0);
        check_fail(__FILE__, __LINE__, what);
        break;
      }
  }
}

int main(void) {
  /* M = 600: dW1's per-pixel lists then exceed the wasmsimd kernels' 512-entry
   * chunk (K = 784 with no zeros does the same for Y's per-image lists). N
   * covers every pass split of the 8-, 9- and 13-accumulator blockings:
   * 25 vectors (100), 26 (104, 9+9+8 / 13+13), 29 (116, 10+10+9 with 13). */
  static const int Ms[] = {1, 2, 3, 5, 100, 600};
  static const int Ns[] = {1, 3, 4, 5, 8, 31, 32, 33, 36, 53, 100, 104, 116};
  static const int Ks[] = {1, 2, 17, 784};
  static const int zeros[] = {0, 50, 81, 100};
  unsigned seed = 7;
  int cases = 0;
  for (int mi = 0; mi < (int)(sizeof Ms / sizeof Ms[0]); mi++)
    for (int ni = 0; ni < (int)(sizeof Ns / sizeof Ns[0]); ni++)
      for (int ki = 0; ki < 4; ki++) {
        const int z = zeros[(mi + ni + ki) % 4];
        const int R = Ms[mi] + 3;
        one_case(R, Ms[mi], Ns[ni], Ks[ki], z, (mi + ni) & 1, (ni & 1) ? 3 : 0, seed++);
        one_case(R, Ms[mi], Ns[ni], Ks[ki], 81, !((mi + ni) & 1), (ni & 1) ? 0 : 4, seed++);
        cases += 2;
      }
  test_zero_images();
  printf("test_gemm_sparse: %d cases x 3 products x %d row kernel(s)\n", cases, NKERNEL);
  return check_finish("test_gemm_sparse");
}
