/* test_gemm.c: every GEMM implementation in this build against the reference.
 *
 * Shapes: every combination of M, N, K from a list of edge sizes (1, tile
 * sizes and their neighbours, sizes that leave every possible remainder),
 * K = 784 (the MNIST input width), and the shapes training really runs.
 * Each case runs each product (nn, tn, nt) with
 *   - contiguous or strided operands (ld* larger than the row length), where
 *     the padding and a guard zone after every buffer hold a NaN sentinel
 *     that must neither leak into results nor be overwritten;
 *   - C pre-filled with the sentinel, so a kernel that accumulates into C
 *     instead of writing it fails;
 *   - bias NULL and non-NULL (nn);
 *   - two kinds of inputs (below): small integers, where every order of
 *     summation is exact and results must match bit for bit, and uniform
 *     reals, compared with a rounding-error tolerance.
 * The scratch buffer is exactly gemm_scratch_floats() long, followed by a
 * sentinel guard zone that must survive, and the inputs must be unchanged. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gemm.h"

#define GUARD 64 /* sentinel elements after every buffer */

typedef void (*nn_fn)(int, int, int, const real *, int, const real *, int, const real *, real *,
                      int, real *);
typedef void (*tn_fn)(int, int, int, const real *, int, const real *, int, real *, int, real *);

typedef struct {
  const char *name;
  nn_fn nn;
  tn_fn tn, nt;
  nn_fn nn_relu;
  int exact; /* same sums in the same order as the reference: equal bit for bit */
} impl_t;

/* The reference comes first: it is what the others are compared with. */
static const impl_t impls[] = {
    {"ref", gemm_ref_nn, gemm_ref_tn, gemm_ref_nt, gemm_ref_nn_relu, 1},
#ifndef DLFS_DOUBLE
    {"4x512__scalar", gemm_nn_4x512__scalar, gemm_tn_4x512__scalar, gemm_nt_4x512__scalar,
     gemm_nn_relu_4x512__scalar, 0},
#ifdef DLFS_HAVE_WASMSIMD
    {"dispatch", gemm_nn, gemm_tn, gemm_nt, gemm_nn_relu, 1},
    {"4x8__wasmsimd", gemm_nn_4x8__wasmsimd, gemm_tn_4x8__wasmsimd, gemm_nt_4x8__wasmsimd,
     gemm_nn_relu_4x8__wasmsimd, 1},
    {"4x8_kskip__wasmsimd", gemm_nn_4x8_kskip__wasmsimd, gemm_tn_4x8_kskip__wasmsimd,
     gemm_nt_4x8_kskip__wasmsimd, gemm_nn_relu_4x8_kskip__wasmsimd, 1},
#else
    {"dispatch", gemm_nn, gemm_tn, gemm_nt, gemm_nn_relu, 0},
#endif
#else
    {"dispatch", gemm_nn, gemm_tn, gemm_nt, gemm_nn_relu, 1},
#endif
};
#define NIMPL ((int)(sizeof impls / sizeof impls[0]))

/* OP_NN_RELU: gemm_nn followed by ReLU (the reference's is checked against
 * max(0, the double-precision sum)). */
typedef enum { OP_NN, OP_TN, OP_NT, OP_NN_RELU } op_t;
static const char *const op_names[] = {"nn", "tn", "nt", "nn_relu"};

/* A quiet NaN with a recognisable payload, compared bit for bit. */
static real sentinel(void) {
#ifdef DLFS_DOUBLE
  uint64_t bits = 0x7FF8DEADBEEF0000ull;
#else
  uint32_t bits = 0x7FC0BEEFu;
#endif
  real r;
  memcpy(&r, &bits, sizeof r);
  return r;
}

static int is_sentinel(real x) {
  real s = sentinel();
  return memcmp(&x, &s, sizeof x) == 0;
}

/* Deterministic pseudo-random numbers (an LCG; quality is not the point). */
static unsigned rng_next(unsigned *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state >> 8; /* 24 random bits */
}

/* Integer mode: values in {-4..4}, so every product is at most 16 and every
 * partial sum of up to K = 784 terms plus a bias is an integer below 2^24:
 * float represents all of them exactly, whatever the order of summation,
 * so every implementation must agree exactly with the reference. This is
 * what catches a dropped or doubled term of any size. Real mode: uniform in
 * [-1, 1), which exercises rounding and the tolerance below. */
static real draw(unsigned *state, int integer_mode) {
  unsigned r = rng_next(state);
  /* Mode 2: MNIST-like, 85% exact zeros, so that whole tiles of k (and whole
   * rows or columns of small matrices) are zero and the SIMD kernels' skipping
   * of all-zero steps is exercised; the rest are small integers (exact). */
  /* Mode 3: signed zeros. 85% are +0 or -0, the rest +-1, biases included, so
   * many results are exactly zero and their sign depends on every term: the
   * k-skip kernels must still match the reference's sign bit. */
  if (integer_mode == 3) {
    if ((r % 100u) < 85) return (r >> 8) & 1 ? (real)-0.0 : (real)0.0;
    return (r >> 9) & 1 ? (real)-1 : (real)1;
  }
  if (integer_mode == 2) return (r % 100u) < 85 ? (real)0 : (real)((int)((r >> 8) % 9u) - 4);
  if (integer_mode) return (real)((int)(r % 9u) - 4);
  return (real)((double)r / (double)(1u << 23) - 1.0);
}

/* A rows x cols matrix with row stride ld, padding and guard set to the sentinel. */
static real *make_matrix(int rows, int cols, int ld, unsigned *state, int integer_mode) {
  size_t n = (size_t)rows * ld + GUARD;
  real *p = malloc(n * sizeof *p);
  if (!p) {
    fprintf(stderr, "test_gemm: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < n; i++) p[i] = sentinel();
  if (state)
    for (int i = 0; i < rows; i++)
      for (int j = 0; j < cols; j++) p[(size_t)i * ld + j] = draw(state, integer_mode);
  return p;
}

static real *copy_of(const real *p, size_t n) {
  real *q = malloc(n * sizeof *q);
  if (!q) exit(1);
  memcpy(q, p, n * sizeof *q);
  return q;
}

static int failed_cases;

/* Runs one product with every implementation and checks it. */
static void run_case(op_t op, int M, int N, int K, int pad, int with_bias, int integer_mode,
                     unsigned seed) {
  unsigned st = seed;
  /* Operand shapes: A is M x K (nn, nt) or K x M (tn); B is K x N (nn, tn) or N x K (nt). */
  int a_rows = op == OP_TN ? K : M, a_cols = op == OP_TN ? M : K;
  int b_rows = op == OP_NT ? N : K, b_cols = op == OP_NT ? K : N;
  int lda = a_cols + pad, ldb = b_cols + pad + (pad ? 1 : 0), ldc = N + (pad ? pad + 2 : 0);
  real *A = make_matrix(a_rows, a_cols, lda, &st, integer_mode);
  real *B = make_matrix(b_rows, b_cols, ldb, &st, integer_mode);
  real *bias = ((op == OP_NN || op == OP_NN_RELU) && with_bias) ? make_matrix(1, N, N, &st, integer_mode) : NULL;
  size_t a_len = (size_t)a_rows * lda + GUARD, b_len = (size_t)b_rows * ldb + GUARD;
  size_t c_len = (size_t)M * ldc + GUARD;
  real *A0 = copy_of(A, a_len), *B0 = copy_of(B, b_len);
  size_t s_len = gemm_scratch_floats(M, N, K);
  real *scratch = make_matrix(1, 0, (int)s_len, NULL, 0); /* s_len + GUARD sentinels */
  real *ref = NULL;

  /* Per element, the sum of the magnitudes of the terms added up, in double. */
  double *mag = malloc((size_t)M * N * sizeof *mag);
  if (!mag) exit(1);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      double s = bias ? fabs((double)bias[j]) : 0.0;
      for (int k = 0; k < K; k++) {
        double a = op == OP_TN ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
        double b = op == OP_NT ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
        s += fabs(a * b);
      }
      mag[(size_t)i * N + j] = s;
    }

  /* Tolerance. Every implementation computes C[i][j] as a sum of K + 1 terms
   * (K rounded products and the bias), in some order, with or without fused
   * multiply-adds. The classical bound (Higham, Accuracy and Stability of
   * Numerical Algorithms, ch. 3) puts any such result within
   * gamma_{K+1} * S of the exact value, with S the sum of the terms'
   * magnitudes and gamma_n = n u / (1 - n u), u the unit roundoff. Two
   * implementations can thus differ by at most 2 gamma_{K+1} S. This is a
   * worst case, so it never fails a correct kernel however it orders its
   * sums, yet a dropped or doubled term, about S / K on average, exceeds it
   * by orders of magnitude; integer mode demands exact equality anyway. */
  double u = (sizeof(real) == sizeof(float) ? FLT_EPSILON : DBL_EPSILON) / 2;
  double gamma = (K + 1) * u / (1 - (K + 1) * u);

  for (int im = 0; im < NIMPL; im++) {
    real *C = make_matrix(M, 0, ldc, NULL, 0); /* all sentinel, valid region included */
    const impl_t *f = &impls[im];
    switch (op) {
    case OP_NN: f->nn(M, N, K, A, lda, B, ldb, bias, C, ldc, scratch); break;
    case OP_TN: f->tn(M, N, K, A, lda, B, ldb, C, ldc, scratch); break;
    case OP_NT: f->nt(M, N, K, A, lda, B, ldb, C, ldc, scratch); break;
    case OP_NN_RELU: f->nn_relu(M, N, K, A, lda, B, ldb, bias, C, ldc, scratch); break;
    }
    char what[160];
    snprintf(what, sizeof what, "%s_%s M=%d N=%d K=%d pad=%d bias=%d %s", f->name, op_names[op], M,
             N, K, pad, bias != NULL, integer_mode ? "integers" : "reals");
    int bad = 0;
    for (int i = 0; i < M && bad < 3; i++)
      for (int j = 0; j < ldc && bad < 3; j++) {
        real got = C[(size_t)i * ldc + j];
        if (j >= N) { /* padding: must be untouched */
          if (!is_sentinel(got)) {
            check_fail(__FILE__, __LINE__, what);
            fprintf(stderr, "  wrote C padding at [%d][%d]\n", i, j);
            bad++;
          }
          continue;
        }
        if (!ref) continue; /* this is the reference itself: checked against double below */
        real want = ref[(size_t)i * N + j];
        double tol = integer_mode || f->exact ? 0.0 : 2 * gamma * mag[(size_t)i * N + j];
        if (f->exact && (isnan(got) != isnan(want) || (!isnan(got) && (got != want || signbit(got) != signbit(want))))) {
          check_close(__FILE__, __LINE__, what, got, want, 0.0, 0.0);
          fprintf(stderr, "  at C[%d][%d]: not bit-identical to the reference (signbit %d vs %d)\n", i, j,
                  signbit(got) != 0, signbit(want) != 0);
          bad++;
        } else if (!isnan(want) && !(fabs((double)got - (double)want) <= tol)) {
          check_close(__FILE__, __LINE__, what, got, want, 0.0, tol);
          fprintf(stderr, "  at C[%d][%d]\n", i, j);
          bad++;
        }
      }
    for (size_t g = (size_t)M * ldc; g < c_len && !bad; g++)
      if (!is_sentinel(C[g])) {
        check_fail(__FILE__, __LINE__, what);
        fprintf(stderr, "  wrote past the end of C\n");
        bad++;
      }
    for (size_t g = s_len; g < s_len + GUARD && !bad; g++)
      if (!is_sentinel(scratch[g])) {
        check_fail(__FILE__, __LINE__, what);
        fprintf(stderr, "  wrote past gemm_scratch_floats(%d, %d, %d) = %zu\n", M, N, K, s_len);
        bad++;
      }
    if (memcmp(A, A0, a_len * sizeof *A) || memcmp(B, B0, b_len * sizeof *B)) {
      check_fail(__FILE__, __LINE__, what);
      fprintf(stderr, "  modified an input\n");
      bad++;
    }

    if (!ref) {
      /* Validate the oracle itself against a double-precision dot product,
       * within one gamma_{K+1} S (exactly, in integer mode). */
      ref = malloc((size_t)M * N * sizeof *ref);
      if (!ref) exit(1);
      for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
          double s = bias ? (double)bias[j] : 0.0;
          for (int k = 0; k < K; k++) {
            double a = op == OP_TN ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
            double b = op == OP_NT ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
            s += a * b;
          }
          if (op == OP_NN_RELU) s = s > 0 ? s : 0; /* ReLU is 1-Lipschitz: the tolerance holds */
          real got = C[(size_t)i * ldc + j];
          double tol = integer_mode ? 0.0 : gamma * mag[(size_t)i * N + j];
          if (!(fabs((double)got - s) <= tol) && bad < 3) {
            check_close(__FILE__, __LINE__, what, got, s, 0.0, tol);
            bad++;
          }
          ref[(size_t)i * N + j] = got;
        }
    }
    if (bad) failed_cases++;
    free(C);
  }
  free(A);
  free(B);
  free(A0);
  free(B0);
  free(bias);
  free(scratch);
  free(ref);
  free(mag);
}

/* B with an infinity in a row where every row of A is zero: 0 * inf is NaN in
 * the reference, so a kernel that skips zero steps of A must not skip there. */
static void test_nonfinite_b(void) {
  enum { M = 9, N = 11, K = 13 };
  real A[M * K], At[K * M], B[K * N], Bt[N * K], C[M * N], R[M * N];
  static real scratch[4096];
  for (int i = 0; i < M; i++)
    for (int k = 0; k < K; k++) A[i * K + k] = At[k * M + i] = (k == 5 || (i + k) % 3) ? 0 : (real)(i + k);
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++) B[k * N + j] = Bt[j * K + k] = (k == 5 && j == 2) ? (real)INFINITY : (real)(j - k);
  for (int op = 0; op < 4; op++)
    for (int im = 0; im < NIMPL; im++) {
      const impl_t *f = &impls[im];
      nn_fn nn = im ? f->nn : gemm_ref_nn;
      if (op == 3) f->nn_relu(M, N, K, A, K, B, N, NULL, C, N, scratch), gemm_ref_nn_relu(M, N, K, A, K, B, N, NULL, R, N, NULL);
      if (op == 0) nn(M, N, K, A, K, B, N, NULL, C, N, scratch), gemm_ref_nn(M, N, K, A, K, B, N, NULL, R, N, NULL);
      if (op == 1) f->tn(M, N, K, At, M, B, N, C, N, scratch), gemm_ref_tn(M, N, K, At, M, B, N, R, N, NULL);
      if (op == 2) f->nt(M, N, K, A, K, Bt, K, C, N, scratch), gemm_ref_nt(M, N, K, A, K, Bt, K, R, N, NULL);
      int bad = 0;
      for (int e = 0; e < M * N; e++)
        bad += isnan(C[e]) != isnan(R[e]) || (!isnan(R[e]) && C[e] != R[e]);
      CHECK(op == 3 ? R[2] == 0 && !signbit(R[2]) : isnan(R[2])); /* ReLU(NaN) = +0 */
      if (bad) {
        char what[96];
        snprintf(what, sizeof what, "%s_%s with an inf in B: %d element(s) differ from the reference", f->name,
                 op_names[op], bad);
        check_fail(__FILE__, __LINE__, what);
      }
    }
}

/* The one way skipping a zero step can change a sum: -0 + +0 is +0, so with a
 * bias of -0, rows of A that are all zero and B > 0 the reference gives +0,
 * and a kernel that skipped every step would keep the bias's -0. */
static void test_signed_zero_sum(void) {
  static real scratch[4096];
  for (int M = 1; M <= 5; M++)
    for (int N = 1; N <= 9; N += 4) {
      real A[5 * 3] = {0}, B[3 * 9], bias[9], C[5 * 9], R[5 * 9];
      for (int e = 0; e < 3 * 9; e++) B[e] = 1;
      for (int j = 0; j < N; j++) bias[j] = (real)-0.0;
      gemm_ref_nn(M, N, 3, A, 3, B, N, bias, R, N, NULL);
      CHECK(R[0] == 0 && !signbit(R[0]));
      for (int im = 1; im < NIMPL; im++) {
        if (!impls[im].exact) continue;
        impls[im].nn(M, N, 3, A, 3, B, N, bias, C, N, scratch);
        for (int e = 0; e < M * N; e++)
          if (signbit(C[e]) != signbit(R[e]) || C[e] != R[e]) {
            char what[96];
            snprintf(what, sizeof what, "%s_nn M=%d N=%d: -0 bias plus +0 terms is not +0", impls[im].name, M, N);
            check_fail(__FILE__, __LINE__, what);
            break;
          }
      }
    }
}

int main(void) {
  static const int sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 25, 33, 100}; /* 25: an odd number of full 8-wide panels */
  const int ns = (int)(sizeof sizes / sizeof sizes[0]);
  unsigned seed = 1;
  int cases = 0;

  /* The grid: every M x N x K, every product; alternate the variants so that
   * each combination of stride, bias and input kind meets every size. */
  for (int mi = 0; mi < ns; mi++)
    for (int ni = 0; ni < ns; ni++)
      for (int ki = 0; ki < ns; ki++)
        for (int op = 0; op < 4; op++) {
          int v = mi + ni + ki + op;
          run_case((op_t)op, sizes[mi], sizes[ni], sizes[ki], (v & 1) ? 3 : 0, (v >> 1) & 1,
                   1, seed++);
          run_case((op_t)op, sizes[mi], sizes[ni], sizes[ki], (v & 1) ? 0 : 5, !((v >> 1) & 1),
                   0, seed++);
          cases += 2;
        }

  /* Sparse inputs (mode 2) over the grid's smaller sizes and the MNIST width. */
  for (int mi = 0; mi < 10; mi++)
    for (int ni = 0; ni < 10; ni++)
      for (int op = 0; op < 4; op++) {
        run_case((op_t)op, sizes[mi], sizes[ni], sizes[(mi + ni) % ns], (mi & 1) ? 3 : 0, ni & 1, 2,
                 seed++);
        run_case((op_t)op, sizes[mi], sizes[ni], 784, 0, 1, 2, seed++);
        cases += 2;
      }

  /* Signed zeros (mode 3) over the same sizes. */
  for (int mi = 0; mi < 10; mi++)
    for (int ni = 0; ni < 10; ni++)
      for (int op = 0; op < 4; op++) {
        run_case((op_t)op, sizes[mi], sizes[ni], sizes[(mi + ni + 3) % ns], (mi & 1) ? 3 : 0, 1, 3,
                 seed++);
        cases++;
      }
  test_nonfinite_b();
  test_signed_zero_sum();

  /* The MNIST input width, with small M, N of every remainder. */
  static const int small[] = {1, 3, 4, 5, 8, 9, 17};
  for (int mi = 0; mi < 7; mi++)
    for (int ni = 0; ni < 7; ni++)
      for (int op = 0; op < 3; op++)
        for (int integer_mode = 0; integer_mode < 2; integer_mode++) {
          run_case((op_t)op, small[mi], small[ni], 784, integer_mode ? 0 : 7, 1, integer_mode,
                   seed++);
          cases++;
        }

  /* The shapes training and evaluation run (evaluation's large M as 257). */
  static const struct { op_t op; int M, N, K; } real_shapes[] = {
      {OP_NN, 100, 100, 784}, {OP_NN, 128, 100, 784}, {OP_NN, 100, 100, 100},
      {OP_TN, 784, 100, 100}, {OP_TN, 100, 100, 100}, {OP_NT, 100, 100, 100},
      {OP_NT, 100, 784, 100}, {OP_NN, 257, 100, 784}, {OP_NN, 100, 10, 100},
      {OP_TN, 100, 10, 100},  {OP_NT, 100, 100, 10},  {OP_NN_RELU, 100, 100, 100},
      {OP_NN_RELU, 257, 100, 100},
  };
  for (size_t s = 0; s < sizeof real_shapes / sizeof real_shapes[0]; s++)
    for (int variant = 0; variant < 4; variant++) {
      run_case(real_shapes[s].op, real_shapes[s].M, real_shapes[s].N, real_shapes[s].K,
               (variant & 1) ? 4 : 0, (variant >> 1) & 1, variant & 1, seed++);
      cases++;
    }

  printf("test_gemm: %d cases x %d implementations, %d case(s) failed\n", cases, NIMPL,
         failed_cases);
  return check_finish("test_gemm");
}
