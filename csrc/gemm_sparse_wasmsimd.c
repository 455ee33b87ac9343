/* gemm_sparse_wasmsimd.c: the SIMD128 row kernels of the sparse-input
 * products (gemm.h): one output row c[0..N) = init + sum over a list of
 * (row of B, value) entries, with the output held in f32x4 accumulators
 * while the list is walked.
 *
 * Per entry and accumulator: one load of B, one mul, one add; the entry's
 * value is broadcast once per entry and pass. Each output element is init[j]
 * followed by the entries in list order, one mul and one add each (no FMA in
 * plain SIMD128), exactly the oracle's order with the zero terms left out.
 *
 * Blocking. The N/4 column vectors are split into as few passes over the
 * list as a pass's register budget allows (at most MAXV accumulators each),
 * of nearly equal width: for N = 100 (25 vectors) that is 9+8+8 with
 * MAXV = 9, 7+6+6+6 with 8 and 13+12 with 13. Every pass has several
 * independent accumulators, so no pass is bound by the latency of one
 * add chain (the previous 1x32 kernel took 3 passes of 8 and then a fourth
 * pass for the last 4 columns with a single accumulator: 150 dependent adds
 * per image, about an eighth of its time). Columns past a multiple of 4
 * are summed one at a time.
 *
 * The list is first resolved, CHUNK entries at a time, into a row pointer
 * and a float value per entry, so that each pass loads two words per entry
 * instead of decoding (uint16 row * ldb, lut[uint8]) again. A list longer
 * than CHUNK is taken chunk by chunk, each chunk continuing from the sums
 * the previous one stored in c: storing and reloading a float is exact.
 *
 * One pass body serves every width: row_pass is always inlined with a
 * constant width, and clang unrolls its loops over the accumulators into
 * separate registers (V8 maps them to xmm registers; 16 of them on x64). */
#ifndef DLFS_DOUBLE
#include <wasm_simd128.h>

#include "gemm.h"

#define CHUNK 512

/* c[j .. j + 4 nv) = init[j .. j + 4 nv) (or 0) + sum_e xval[e] * brow[e][j .. j + 4 nv). */
static inline __attribute__((always_inline)) void row_pass(float *c, const float *init, int j, int nv, int n,
                                                          const float *const *brow, const float *xval,
                                                          int relu) {
  v128_t a[16];
  for (int v = 0; v < nv; v++) a[v] = init ? wasm_v128_load(init + j + 4 * v) : wasm_f32x4_splat(0.0f);
  for (int e = 0; e < n; e++) {
    const float *b = brow[e] + j;
    const v128_t x = wasm_v128_load32_splat(xval + e);
    for (int v = 0; v < nv; v++) a[v] = wasm_f32x4_add(a[v], wasm_f32x4_mul(x, wasm_v128_load(b + 4 * v)));
  }
  if (relu) /* x & (x > 0): x or +0, as relu_forward */
    for (int v = 0; v < nv; v++) a[v] = wasm_v128_and(a[v], wasm_f32x4_gt(a[v], wasm_f32x4_splat(0.0f)));
  for (int v = 0; v < nv; v++) wasm_v128_store(c + j + 4 * v, a[v]);
}

/* One pass of nv (1 .. 13) vectors, dispatched to a constant-width body. */
static void row_pass_any(float *c, const float *init, int j, int nv, int n, const float *const *brow,
                         const float *xval, int relu) {
  switch (nv) {
#define PASS(w) \
  case w: row_pass(c, init, j, w, n, brow, xval, relu); break;
    PASS(1) PASS(2) PASS(3) PASS(4) PASS(5) PASS(6) PASS(7) PASS(8) PASS(9) PASS(10) PASS(11) PASS(12) PASS(13)
#undef PASS
  default: break;
  }
}

/* The kernel for a register budget of maxv accumulators per pass. */
static void sparse_row_wasmsimd(int maxv, float *c, int N, const float *init, int n, const uint16_t *row,
                                const uint8_t *code, const float *lut, const float *B, size_t ldb,
                                int relu) {
  const float *brow[CHUNK];
  float xval[CHUNK];
  const int V = N / 4, passes = (V + maxv - 1) / maxv;
  int e0 = 0;
  do {
    const int m = n - e0 < CHUNK ? n - e0 : CHUNK;
    for (int e = 0; e < m; e++) brow[e] = B + (size_t)row[e0 + e] * ldb, xval[e] = lut[code[e0 + e]];
    const float *from = e0 == 0 ? init : c; /* later chunks continue the stored sums */
    const int last = e0 + m == n && relu;   /* ReLU only on the final sums */
    for (int p = 0, j = 0; p < passes; p++) {
      const int nv = V / passes + (p < V % passes);
      row_pass_any(c, from, j, nv, m, brow, xval, last);
      j += 4 * nv;
    }
    for (int j = 4 * V; j < N; j++) {
      float s = from ? from[j] : 0.0f;
      for (int e = 0; e < m; e++) s += xval[e] * brow[e][j];
      c[j] = last && !(s > 0) ? 0 : s;
    }
    e0 += m;
  } while (e0 < n);
}

void sparse_row_1x32__wasmsimd(float *c, int N, const float *init, int n, const uint16_t *row,
                               const uint8_t *code, const float *lut, const float *B, size_t ldb, int relu) {
  sparse_row_wasmsimd(8, c, N, init, n, row, code, lut, B, ldb, relu);
}

void sparse_row_1x36__wasmsimd(float *c, int N, const float *init, int n, const uint16_t *row,
                               const uint8_t *code, const float *lut, const float *B, size_t ldb, int relu) {
  sparse_row_wasmsimd(9, c, N, init, n, row, code, lut, B, ldb, relu);
}

void sparse_row_1x52__wasmsimd(float *c, int N, const float *init, int n, const uint16_t *row,
                               const uint8_t *code, const float *lut, const float *B, size_t ldb, int relu) {
  sparse_row_wasmsimd(13, c, N, init, n, row, code, lut, B, ldb, relu);
}
#endif
