/* bench_gemm.c: GFLOP/s of every GEMM implementation in this build, side by
 * side, on the shapes training and evaluation actually run (MNIST MLP,
 * batch 100, 784 inputs, 100 hidden units).
 *
 * A product C[M x N] with inner dimension K costs 2*M*N*K flops. Each kernel
 * first runs untimed for WARMUP_S seconds, because V8 starts WebAssembly in a
 * baseline compiler and only tiers a function up to its optimising compiler
 * after it has been called a number of times; timing the first calls would
 * measure the baseline tier. Then SAMPLES samples of at least SAMPLE_S seconds
 * each are taken and the median is reported (robust to a stray GC or
 * scheduler hiccup, unlike the mean; more honest than the best).
 *
 * Run it through scripts/bench-gemm.sh. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gemm.h"

#define WARMUP_S 0.2
#define SAMPLE_S 0.1
#define SAMPLES 5

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef enum { OP_NN, OP_TN, OP_NT } op_t;

typedef struct {
  const char *label;
  op_t op;
  int M, N, K;
} shape_t;

typedef struct {
  const char *name;
  void (*nn)(int, int, int, const real *, int, const real *, int, const real *, real *, int,
             real *);
  void (*tn)(int, int, int, const real *, int, const real *, int, real *, int, real *);
  void (*nt)(int, int, int, const real *, int, const real *, int, real *, int, real *);
} impl_t;

static const shape_t shapes[] = {
    {"nn  Y = X.W+b   layer 1, batch 100", OP_NN, 100, 100, 784},
    {"nn  Y = X.W+b   layer 1, batch 128", OP_NN, 128, 100, 784},
    {"nn  Y = X.W+b   hidden,  batch 100", OP_NN, 100, 100, 100},
    {"tn  dW = X^T.dY layer 1",            OP_TN, 784, 100, 100},
    {"tn  dW = X^T.dY hidden",             OP_TN, 100, 100, 100},
    {"nt  dX = dY.W^T hidden",             OP_NT, 100, 100, 100},
    {"nt  dX = dY.W^T as if layer 1",      OP_NT, 100, 784, 100},
    {"nn  eval, 10000 images",             OP_NN, 10000, 100, 784},
};

static const impl_t impls[] = {
    {"ref", gemm_ref_nn, gemm_ref_tn, gemm_ref_nt},
#ifndef DLFS_DOUBLE
    {"4x512__scalar", gemm_nn_4x512__scalar, gemm_tn_4x512__scalar, gemm_nt_4x512__scalar},
#ifdef DLFS_HAVE_WASMSIMD
    {"4x8__wasmsimd", gemm_nn_4x8__wasmsimd, gemm_tn_4x8__wasmsimd, gemm_nt_4x8__wasmsimd},
    {"4x8_kskip__wasmsimd", gemm_nn_4x8_kskip__wasmsimd, gemm_tn_4x8_kskip__wasmsimd,
     gemm_nt_4x8_kskip__wasmsimd},
#endif
#endif
};
#define NIMPL ((int)(sizeof impls / sizeof impls[0]))
#define NSHAPE ((int)(sizeof shapes / sizeof shapes[0]))

typedef struct {
  const real *A, *B, *bias;
  real *C, *scratch;
  int lda, ldb;
} bufs_t;

static void call(const impl_t *im, const shape_t *s, const bufs_t *b) {
  switch (s->op) {
  case OP_NN: im->nn(s->M, s->N, s->K, b->A, b->lda, b->B, b->ldb, b->bias, b->C, s->N, b->scratch); break;
  case OP_TN: im->tn(s->M, s->N, s->K, b->A, b->lda, b->B, b->ldb, b->C, s->N, b->scratch); break;
  case OP_NT: im->nt(s->M, s->N, s->K, b->A, b->lda, b->B, b->ldb, b->C, s->N, b->scratch); break;
  }
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

/* Before anything is timed: one call of the implementation against the oracle
 * (gemm_ref) on the same operands. The SIMD kernels sum in the oracle's order,
 * so they must agree exactly; the portable C may reorder, so it gets the
 * classical bound 2 gamma_{K+1} sum|terms| (see test_gemm.c), taken loosely
 * as 2 (K+1) u times the largest |term| sum bound K+1 (values are in [-1, 1)). */
static int validate(const impl_t *im, const shape_t *s, const bufs_t *b, const real *want) {
  call(im, s, b);
  const double u = 0x1p-24, tol = strstr(im->name, "scalar") ? 2.0 * (s->K + 1) * u * (s->K + 1) : 0.0;
  for (long e = 0; e < (long)s->M * s->N; e++)
    if (!(fabs((double)b->C[e] - (double)want[e]) <= tol)) {
      fprintf(stderr, "bench_gemm: %s differs from the oracle on %s at element %ld: %.9g vs %.9g\n",
              im->name, s->label, e, (double)b->C[e], (double)want[e]);
      return 0;
    }
  return 1;
}

/* Median GFLOP/s over SAMPLES samples, after the warm-up. */
static double measure(const impl_t *im, const shape_t *s, const bufs_t *b) {
  double flops = 2.0 * s->M * s->N * s->K;
  double t0 = now_s();
  do call(im, s, b); while (now_s() - t0 < WARMUP_S);
  double g[SAMPLES];
  for (int i = 0; i < SAMPLES; i++) {
    long reps = 0;
    double start = now_s(), t;
    do {
      call(im, s, b);
      reps++;
    } while ((t = now_s() - start) < SAMPLE_S);
    g[i] = flops * (double)reps / t * 1e-9;
  }
  qsort(g, SAMPLES, sizeof g[0], cmp_double);
  return g[SAMPLES / 2];
}

static real *filled(size_t n, unsigned *state) {
  real *p = malloc(n * sizeof *p);
  if (!p) {
    fprintf(stderr, "bench_gemm: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < n; i++) {
    *state = *state * 1664525u + 1013904223u; /* LCG: deterministic, any values in [-1, 1) do */
    p[i] = (real)((double)(*state >> 8) / (double)(1u << 23) - 1.0);
  }
  return p;
}

int main(int argc, char **argv) {
  /* Optional arguments: run only the shapes whose label contains argv[1]
   * (e.g. "tn"; "" for all), and only the implementations named in argv[2]
   * (e.g. "ref,wasmsimd"). Skipped entries print as "-". */
  const char *only = argc > 1 && argv[1][0] ? argv[1] : NULL;
  const char *which = argc > 2 ? argv[2] : NULL;
  double gf[NSHAPE][3] = {{0}};
  printf("GFLOP/s (2*M*N*K flops per call), median of %d samples, after %.1f s warm-up each\n",
         SAMPLES, WARMUP_S);
  printf("%-36s %5s %5s %5s", "product / use", "M", "N", "K");
  for (int i = 0; i < NIMPL; i++) printf(" %20s", impls[i].name);
  printf("\n");
  for (int si = 0; si < NSHAPE; si++) {
    const shape_t *s = &shapes[si];
    if (only && !strstr(s->label, only)) continue;
    unsigned st = 12345u + (unsigned)si;
    /* A is M x K (nn, nt) or K x M (tn); B is K x N (nn, tn) or N x K (nt). */
    int lda = s->op == OP_TN ? s->M : s->K;
    int ldb = s->op == OP_NT ? s->K : s->N;
    real *A = filled((size_t)s->M * s->K, &st);
    real *B = filled((size_t)s->N * s->K, &st);
    real *bias = filled((size_t)s->N, &st);
    real *C = filled((size_t)s->M * s->N, &st);
    real *scratch = filled(gemm_scratch_floats(s->M, s->N, s->K), &st);
    bufs_t b = {A, B, bias, C, scratch, lda, ldb};
    real *want = malloc(sizeof(real) * (size_t)s->M * s->N);
    if (!want) return 1;
    call(&impls[0], s, &b);
    memcpy(want, C, sizeof(real) * (size_t)s->M * s->N);
    printf("%-36s %5d %5d %5d", s->label, s->M, s->N, s->K);
    fflush(stdout);
    for (int i = 0; i < NIMPL; i++) {
      if (which && !strstr(which, impls[i].name)) {
        printf(" %20s", "-");
        continue;
      }
      if (!validate(&impls[i], s, &b, want)) return 1;
      gf[si][i] = measure(&impls[i], s, &b);
      printf(" %20.2f", gf[si][i]);
      fflush(stdout);
    }
    printf("\n");
    free(A);
    free(B);
    free(bias);
    free(C);
    free(scratch);
    free(want);
  }
  printf("\nsummary: best implementation / ref\n");
  for (int si = 0; si < NSHAPE; si++) {
    const shape_t *s = &shapes[si];
    if (only && !strstr(s->label, only)) continue;
    int last = NIMPL - 1;
    if (gf[si][last] > 0 && gf[si][0] > 0)
      printf("  %.2s %dx%dx%d: %s %.2f GFLOP/s = %.1fx ref (%.2f)\n", s->label, s->M, s->N,
             s->K, impls[last].name, gf[si][last], gf[si][last] / gf[si][0], gf[si][0]);
  }
  return 0;
}
