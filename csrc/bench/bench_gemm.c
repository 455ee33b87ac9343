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

/* ---- the SIMD128 ceiling (simd_ceiling_wasmsimd.c) ----
 * The best of several GEMM-shaped loops on L1 operands. The machine is shared
 * and its speed drifts within seconds, so a kernel's share of the ceiling is
 * not its median over the ceiling measured once at the start: each of a
 * kernel's samples is paired with the best of a short sample of every loop
 * taken just before it (which loop is best changes with the load too), and
 * the share is the median of those ratios. */
#ifdef DLFS_HAVE_WASMSIMD
const char *simd_ceiling_name(int v);
float simd_ceiling_run(int v, long iters, double *flops);
#define CEILING_ITERS (1L << 12)
static int ceiling_variant = -1; /* the best loop, chosen by measure_ceiling */
static volatile float ceiling_sink;

/* GFLOP/s of one sample of at least `seconds` of ceiling loop v. */
static double ceiling_sample(int v, double seconds) {
  double flops = 0;
  long reps = 0;
  double start = now_s(), t;
  do {
    ceiling_sink += simd_ceiling_run(v, CEILING_ITERS, &flops);
    reps++;
  } while ((t = now_s() - start) < seconds);
  return flops * (double)reps / t * 1e-9;
}

/* The ceiling now: the best loop over one short sample each. */
static double ceiling_now(void) {
  double best = 0;
  for (int v = 0; simd_ceiling_name(v); v++) {
    const double g = ceiling_sample(v, SAMPLE_S / 4);
    if (g > best) best = g;
  }
  return best;
}

/* Every loop's median GFLOP/s (printed); returns the best and remembers which. */
static double measure_ceiling(void) {
  double best = 0, flops;
  printf("SIMD128 mul+add ceiling: GEMM-shaped loops on operands in L1 (per k: load the B vectors,\n"
         "  broadcast one A value per row, one f32x4 mul + add per accumulator); the best tile is the ceiling:\n ");
  for (int v = 0; simd_ceiling_name(v); v++) {
    double t0 = now_s();
    do ceiling_sink += simd_ceiling_run(v, CEILING_ITERS, &flops); while (now_s() - t0 < WARMUP_S);
    double g[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) g[i] = ceiling_sample(v, SAMPLE_S);
    qsort(g, SAMPLES, sizeof g[0], cmp_double);
    const double m = g[SAMPLES / 2];
    if (m > best) best = m, ceiling_variant = v;
    printf(" %s %.2f;", simd_ceiling_name(v), m);
    fflush(stdout);
  }
  printf("\n  ceiling %.2f GFLOP/s (%s); shares below are medians of per-sample ratios to the best loop\n"
         "  re-measured just before every sample\n", best, simd_ceiling_name(ceiling_variant));
  return best;
}
#endif

/* Median GFLOP/s over SAMPLES samples, after the warm-up; with the ceiling
 * measured, *share is the median of sample / ceiling sample taken just before. */
static double measure(const impl_t *im, const shape_t *s, const bufs_t *b, double *share) {
  double flops = 2.0 * s->M * s->N * s->K;
  double t0 = now_s();
  do call(im, s, b); while (now_s() - t0 < WARMUP_S);
  double g[SAMPLES], r[SAMPLES];
  for (int i = 0; i < SAMPLES; i++) {
    double c = 0;
#ifdef DLFS_HAVE_WASMSIMD
    if (ceiling_variant >= 0) c = ceiling_now();
#endif
    long reps = 0;
    double start = now_s(), t;
    do {
      call(im, s, b);
      reps++;
    } while ((t = now_s() - start) < SAMPLE_S);
    g[i] = flops * (double)reps / t * 1e-9;
    r[i] = c > 0 ? g[i] / c : 0;
  }
  qsort(g, SAMPLES, sizeof g[0], cmp_double);
  qsort(r, SAMPLES, sizeof r[0], cmp_double);
  *share = r[SAMPLES / 2];
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


/* ---- the sparse-input first layer on MNIST-like input ----
 * 100 (or 10000) images of 784 pixels, 19% nonzero (MNIST's mean), as the
 * engine lists them (uint16 index + uint8 value per nonzero). Timed: the
 * sparse products with each row kernel, and the dense kernels on the same
 * images as floats. GFLOP/s counts only the nonzero work (2 * nnz * N) for
 * the sparse products and 2 * M * N * K for the dense ones; "x dense" is the
 * time of the build's dense dispatch (gemm_nn / gemm_tn) over the time. */
typedef struct {
  int M, N, K, tn;
  const sparse_rows *sp;
  const real *X, *B, *bias;
  real *C, *scratch;
  void *work;
  sparse_row_fn kernel; /* NULL: the dense dispatch */
} sparse_case_t;

static void sparse_call(const sparse_case_t *c) {
  if (c->kernel && !c->tn) gemm_nn_sparse(c->kernel, c->M, c->N, c->K, c->sp, NULL, 0, c->B, c->N, c->bias, c->C, c->N, 0);
  else if (c->kernel) gemm_tn_sparse(c->kernel, c->M, c->N, c->K, c->sp, NULL, 0, c->B, c->N, c->C, c->N, c->work);
  else if (!c->tn) gemm_nn(c->M, c->N, c->K, c->X, c->K, c->B, c->N, c->bias, c->C, c->N, c->scratch);
  else gemm_tn(c->K, c->N, c->M, c->X, c->K, c->B, c->N, c->C, c->N, c->scratch);
}

static double sparse_seconds(const sparse_case_t *c) {
  double t0 = now_s();
  do sparse_call(c); while (now_s() - t0 < WARMUP_S);
  double g[SAMPLES];
  for (int i = 0; i < SAMPLES; i++) {
    long reps = 0;
    double start = now_s(), t;
    do {
      sparse_call(c);
      reps++;
    } while ((t = now_s() - start) < SAMPLE_S);
    g[i] = t / (double)reps;
  }
  qsort(g, SAMPLES, sizeof g[0], cmp_double);
  return g[SAMPLES / 2];
}

static int bench_sparse(const char *only) {
  static const struct { const char *label; int M, tn; } cases[] = {
      {"nn_sparse  Y = X.W1+b1  batch 100", 100, 0},
      {"tn_sparse  dW1 = X^T.dY batch 100", 100, 1},
      {"nn_sparse  Y = X.W1+b1  eval 10000", 10000, 0},
  };
  static const struct { const char *name; sparse_row_fn fn; } kernels[] = {
      {"1x1__scalar", sparse_row_1x1__scalar},
#if defined(DLFS_HAVE_WASMSIMD)
      {"1x32__wasmsimd", sparse_row_1x32__wasmsimd},
      {"1x36__wasmsimd", sparse_row_1x36__wasmsimd},
      {"1x52__wasmsimd", sparse_row_1x52__wasmsimd},
#endif
  };
  const int nk = (int)(sizeof kernels / sizeof kernels[0]);
  const int K = 784, N = 100;
  printf("\nsparse first layer, MNIST-like input (19%% of 784 pixels nonzero), vs the dense dispatch\n");
  printf("%-36s %12s %12s %20s %10s\n", "product / use", "nnz/image", "kernel", "GFLOP/s (nonzeros)", "x dense");
  for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
    if (only && !strstr(cases[ci].label, only)) continue;
    const int M = cases[ci].M;
    unsigned st = 777u + (unsigned)ci;
    real lut[256];
    for (int v = 0; v < 256; v++) lut[v] = (real)v / (real)255;
    int32_t *start = malloc(sizeof(int32_t) * (M + 1));
    uint16_t *idx = malloc(sizeof(uint16_t) * (size_t)M * K);
    uint8_t *val = malloc((size_t)M * K);
    real *X = malloc(sizeof(real) * (size_t)M * K);
    real *B = filled((size_t)(M > K ? M : K) * N, &st), *bias = filled(N, &st);
    real *C = malloc(sizeof(real) * (size_t)(M > K ? M : K) * N), *want = malloc(sizeof(real) * (size_t)(M > K ? M : K) * N);
    real *scratch = malloc(sizeof(real) * gemm_scratch_floats(M > K ? M : K, N, M > K ? M : K));
    void *work = malloc(gemm_tn_sparse_work_bytes(M, K));
    if (!start || !idx || !val || !X || !C || !want || !scratch || !work) return 1;
    long nnz = 0;
    start[0] = 0;
    for (int i = 0; i < M; i++) {
      for (int k = 0; k < K; k++) {
        st = st * 1664525u + 1013904223u;
        /* MNIST's ink sits in the middle rows: nonzeros only in pixels 150..650 */
        int p = (k >= 150 && k < 650 && (st >> 8) % 1000 < 298) ? (int)(1 + (st >> 16) % 255) : 0;
        X[(size_t)i * K + k] = lut[p];
        if (p) idx[nnz] = (uint16_t)k, val[nnz] = (uint8_t)p, nnz++;
      }
      start[i + 1] = (int32_t)nnz;
    }
    const sparse_rows sp = {start, idx, val, lut};
    const int tn = cases[ci].tn, out_rows = tn ? K : M;
    sparse_case_t c = {M, N, K, tn, &sp, X, B, bias, C, scratch, work, NULL};
    sparse_call(&c);
    memcpy(want, C, sizeof(real) * (size_t)out_rows * N);
    const double dense_t = sparse_seconds(&c);
    printf("%-36s %12.1f %12s %20.2f %10s\n", cases[ci].label, (double)nnz / M, "dense",
           2.0 * M * N * K / dense_t * 1e-9, "1.00");
    for (int ki = 0; ki < nk; ki++) {
      c.kernel = kernels[ki].fn;
      sparse_call(&c);
      if (memcmp(want, C, sizeof(real) * (size_t)out_rows * N)) {
        fprintf(stderr, "bench_gemm: %s with %s is not bit-identical to the dense product\n", cases[ci].label,
                kernels[ki].name);
        return 1;
      }
      const double t = sparse_seconds(&c);
      printf("%-36s %12s %12s %20.2f %10.2f\n", "", "", kernels[ki].name, 2.0 * nnz * N / t * 1e-9, dense_t / t);
      fflush(stdout);
    }
    free(start), free(idx), free(val), free(X), free(B), free(bias), free(C), free(want), free(scratch), free(work);
  }
  return 0;
}

int main(int argc, char **argv) {
  /* Optional arguments: run only the shapes whose label contains argv[1]
   * (e.g. "tn"; "" for all), and only the implementations named in argv[2]
   * (e.g. "ref,wasmsimd"). Skipped entries print as "-". */
  const char *only = argc > 1 && argv[1][0] ? argv[1] : NULL;
  const char *which = argc > 2 ? argv[2] : NULL;
  double gf[NSHAPE][NIMPL];
  memset(gf, 0, sizeof gf);
  double ceiling = 0;
#ifdef DLFS_HAVE_WASMSIMD
  ceiling = measure_ceiling();
#endif
  printf("GFLOP/s (2*M*N*K flops per call), median of %d samples, after %.1f s warm-up each;\n"
         "every kernel first checked against the oracle (gemm_ref)%s\n",
         SAMPLES, WARMUP_S, ceiling > 0 ? "; (n%) = share of the ceiling" : "");
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
      double share;
      gf[si][i] = measure(&impls[i], s, &b, &share);
      if (ceiling > 0) printf(" %13.2f (%3.0f%%)", gf[si][i], 100 * share);
      else printf(" %20.2f", gf[si][i]);
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
  return bench_sparse(only);
}
