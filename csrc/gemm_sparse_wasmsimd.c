/* gemm_sparse_wasmsimd.c: the SIMD128 row kernel of the sparse-input
 * products (gemm.h): one output row c[0..N) = init + sum over a list of
 * (row of B, value) entries, 32 columns at a time in 8 f32x4 accumulators.
 *
 * Per entry and 32 columns: one value looked up and broadcast, 8 loads of B
 * and 8 mul+add pairs; the row of B is contiguous, so the loads stream. Each
 * output element is init[j] followed by the entries in list order, one mul
 * and one add each (no FMA in plain SIMD128), exactly the oracle's order
 * with the zero terms left out. The tail past a multiple of 32 columns takes
 * 4 columns per pass, then single columns. (Lists longer than MAX_ENTRIES,
 * or rows narrower than 32, take the same loops without the resolved list.) */
#ifndef DLFS_DOUBLE
#include <wasm_simd128.h>

#include "gemm.h"

#define MAX_ENTRIES 1024

void sparse_row_1x32__wasmsimd(float *c, int N, const float *init, int n, const uint16_t *row,
                               const uint8_t *code, const float *lut, const float *B, size_t ldb) {
  /* The list is walked once per 32 columns: first resolve each entry to its
   * row of B and its value, so that each walk loads two words per entry
   * instead of decoding (uint16 row * ldb, lut[uint8]) every time. */
  const float *brow[MAX_ENTRIES];
  float xval[MAX_ENTRIES];
  const v128_t zero = wasm_f32x4_splat(0.0f);
  int j = 0;
  if (n <= MAX_ENTRIES && N >= 32) {
    for (int e = 0; e < n; e++) brow[e] = B + (size_t)row[e] * ldb, xval[e] = lut[code[e]];
    for (; j + 32 <= N; j += 32) {
      v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
      if (init) {
        a0 = wasm_v128_load(init + j), a1 = wasm_v128_load(init + j + 4);
        a2 = wasm_v128_load(init + j + 8), a3 = wasm_v128_load(init + j + 12);
        a4 = wasm_v128_load(init + j + 16), a5 = wasm_v128_load(init + j + 20);
        a6 = wasm_v128_load(init + j + 24), a7 = wasm_v128_load(init + j + 28);
      }
      for (int e = 0; e < n; e++) {
        const float *b = brow[e] + j;
        const v128_t x = wasm_v128_load32_splat(xval + e);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(x, wasm_v128_load(b)));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(x, wasm_v128_load(b + 4)));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(x, wasm_v128_load(b + 8)));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(x, wasm_v128_load(b + 12)));
        a4 = wasm_f32x4_add(a4, wasm_f32x4_mul(x, wasm_v128_load(b + 16)));
        a5 = wasm_f32x4_add(a5, wasm_f32x4_mul(x, wasm_v128_load(b + 20)));
        a6 = wasm_f32x4_add(a6, wasm_f32x4_mul(x, wasm_v128_load(b + 24)));
        a7 = wasm_f32x4_add(a7, wasm_f32x4_mul(x, wasm_v128_load(b + 28)));
      }
      wasm_v128_store(c + j, a0), wasm_v128_store(c + j + 4, a1);
      wasm_v128_store(c + j + 8, a2), wasm_v128_store(c + j + 12, a3);
      wasm_v128_store(c + j + 16, a4), wasm_v128_store(c + j + 20, a5);
      wasm_v128_store(c + j + 24, a6), wasm_v128_store(c + j + 28, a7);
    }
    for (; j + 4 <= N; j += 4) {
      v128_t a = init ? wasm_v128_load(init + j) : zero;
      for (int e = 0; e < n; e++)
        a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_v128_load32_splat(xval + e), wasm_v128_load(brow[e] + j)));
      wasm_v128_store(c + j, a);
    }
  }
  for (; j + 32 <= N; j += 32) {
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
    if (init) {
      a0 = wasm_v128_load(init + j), a1 = wasm_v128_load(init + j + 4);
      a2 = wasm_v128_load(init + j + 8), a3 = wasm_v128_load(init + j + 12);
      a4 = wasm_v128_load(init + j + 16), a5 = wasm_v128_load(init + j + 20);
      a6 = wasm_v128_load(init + j + 24), a7 = wasm_v128_load(init + j + 28);
    }
    const float *bj = B + j;
    for (int e = 0; e < n; e++) {
      const float *b = bj + (size_t)row[e] * ldb;
      const v128_t x = wasm_f32x4_splat(lut[code[e]]);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(x, wasm_v128_load(b)));
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(x, wasm_v128_load(b + 4)));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(x, wasm_v128_load(b + 8)));
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(x, wasm_v128_load(b + 12)));
      a4 = wasm_f32x4_add(a4, wasm_f32x4_mul(x, wasm_v128_load(b + 16)));
      a5 = wasm_f32x4_add(a5, wasm_f32x4_mul(x, wasm_v128_load(b + 20)));
      a6 = wasm_f32x4_add(a6, wasm_f32x4_mul(x, wasm_v128_load(b + 24)));
      a7 = wasm_f32x4_add(a7, wasm_f32x4_mul(x, wasm_v128_load(b + 28)));
    }
    wasm_v128_store(c + j, a0), wasm_v128_store(c + j + 4, a1);
    wasm_v128_store(c + j + 8, a2), wasm_v128_store(c + j + 12, a3);
    wasm_v128_store(c + j + 16, a4), wasm_v128_store(c + j + 20, a5);
    wasm_v128_store(c + j + 24, a6), wasm_v128_store(c + j + 28, a7);
  }
  for (; j + 4 <= N; j += 4) {
    v128_t a = init ? wasm_v128_load(init + j) : zero;
    for (int e = 0; e < n; e++)
      a = wasm_f32x4_add(a, wasm_f32x4_mul(wasm_f32x4_splat(lut[code[e]]),
                                           wasm_v128_load(B + (size_t)row[e] * ldb + j)));
    wasm_v128_store(c + j, a);
  }
  for (; j < N; j++) {
    float s = init ? init[j] : 0.0f;
    for (int e = 0; e < n; e++) s += lut[code[e]] * B[(size_t)row[e] * ldb + j];
    c[j] = s;
  }
}
#endif
