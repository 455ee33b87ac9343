/* simd_ceiling_wasmsimd.c: the SIMD128 mul+add ceiling, the yardstick for the
 * GEMM kernels' GFLOP/s (bench_gemm.c, scripts/bench.mjs).
 *
 * Plain SIMD128 has no FMA, so a GEMM step is an f32x4.mul and an f32x4.add
 * per accumulator, and what bounds it is how many of those V8's code issues
 * per cycle once the operands are loaded. The ceiling is therefore measured
 * with loops shaped like a GEMM's inner loop, with the same kinds of
 * instructions but nothing a real product adds on top (packing, edge tiles,
 * caches beyond L1, calls): per k step, load the B vectors of a panel row,
 * broadcast one A value per row (v128.load32_splat), one mul and one add per
 * accumulator, over K_STEPS steps of operands that stay in L1, repeated.
 * Several register tiles are measured and the best one is the ceiling, so no
 * tile shape can beat it by using the registers better.
 *
 * The earlier ceiling (12 chains acc_i += x_i * y on values held in
 * registers) was no yardstick: x_i * y is loop-invariant, so clang hoisted
 * the multiplies out of the loop and it timed adds alone (counted as mul+add),
 * while holding 19 live v128 values for 16 xmm registers; real GEMMs measured
 * 70-130 % of it depending on which effect won that day. */
#include <wasm_simd128.h>

#define K_STEPS 128 /* A: K_STEPS x 8 floats, B: K_STEPS x 16 floats: 12 KB, in L1 */

#define MA(acc, va, vb) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(va, vb))
#define SUM4(p, q, r, s) wasm_f32x4_add(wasm_f32x4_add(p, q), wasm_f32x4_add(r, s))

/* R x 8 tiles (R = 4, 5, 6): 2 B vectors and R broadcasts per k, 2R accumulators. */
#define DEFINE_TILE_X8(NAME, R, UNROLL)                                                         \
  static float NAME(long iters, const float *A, const float *B) {                              \
    v128_t c[2 * R];                                                                           \
    for (int i = 0; i < 2 * R; i++) c[i] = wasm_f32x4_splat(0.0f);                             \
    for (long it = 0; it < iters; it++) {                                                      \
      const float *a = A, *b = B;                                                              \
      _Pragma(UNROLL)                                                                          \
      for (int k = 0; k < K_STEPS; k++) {                                                      \
        const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);                       \
        for (int r = 0; r < R; r++) {                                                          \
          const v128_t va = wasm_v128_load32_splat(a + r);                                     \
          MA(c[2 * r], va, b0);                                                                \
          MA(c[2 * r + 1], va, b1);                                                            \
        }                                                                                      \
        a += 8, b += 16;                                                                       \
      }                                                                                        \
    }                                                                                          \
    v128_t s = c[0];                                                                           \
    for (int i = 1; i < 2 * R; i++) s = wasm_f32x4_add(s, c[i]);                               \
    return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 3);                      \
  }
DEFINE_TILE_X8(tile_4x8, 4, "clang loop unroll(disable)")
DEFINE_TILE_X8(tile_4x8_k2, 4, "clang loop unroll_count(2)")
DEFINE_TILE_X8(tile_5x8, 5, "clang loop unroll(disable)")
DEFINE_TILE_X8(tile_6x8, 6, "clang loop unroll(disable)")

/* 2 x 16: 4 B vectors and 2 broadcasts per k, 8 accumulators. */
static float tile_2x16(long iters, const float *A, const float *B) {
  v128_t c0 = wasm_f32x4_splat(0.0f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (long it = 0; it < iters; it++) {
    const float *a = A, *b = B;
#pragma clang loop unroll(disable)
    for (int k = 0; k < K_STEPS; k++) {
      const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
      const v128_t b2 = wasm_v128_load(b + 8), b3 = wasm_v128_load(b + 12);
      const v128_t va0 = wasm_v128_load32_splat(a), va1 = wasm_v128_load32_splat(a + 1);
      MA(c0, va0, b0), MA(c1, va0, b1), MA(c2, va0, b2), MA(c3, va0, b3);
      MA(c4, va1, b0), MA(c5, va1, b1), MA(c6, va1, b2), MA(c7, va1, b3);
      a += 8, b += 16;
    }
  }
  const v128_t s = wasm_f32x4_add(SUM4(c0, c1, c2, c3), SUM4(c4, c5, c6, c7));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 3);
}

/* Variant v of the ceiling loops: runs `iters` repetitions of K_STEPS steps,
 * returns a value depending on all the work (so none of it is dead) and
 * writes to *flops how many flops that was. Past the last variant the name is NULL. */
static float ops_a[K_STEPS * 8], ops_b[K_STEPS * 16];

const char *simd_ceiling_name(int v) {
  static const char *names[] = {"4x8", "4x8 k-unrolled x2", "5x8", "6x8", "2x16"};
  return v >= 0 && v < (int)(sizeof names / sizeof names[0]) ? names[v] : 0;
}

float simd_ceiling_run(int v, long iters, double *flops) {
  if (ops_a[0] == 0.0f) /* values near 1 and small: no denormals, no overflow in any run */
    for (int i = 0; i < K_STEPS * 16; i++) {
      if (i < K_STEPS * 8) ops_a[i] = 1.0f - (float)(i % 7) * 0x1p-10f;
      ops_b[i] = 0x1p-12f * (float)(1 + i % 5);
    }
  const double acc = 2.0 * 4 * K_STEPS * (double)iters; /* flops per accumulator */
  switch (v) {
  case 0: *flops = 8 * acc; return tile_4x8(iters, ops_a, ops_b);
  case 1: *flops = 8 * acc; return tile_4x8_k2(iters, ops_a, ops_b);
  case 2: *flops = 10 * acc; return tile_5x8(iters, ops_a, ops_b);
  case 3: *flops = 12 * acc; return tile_6x8(iters, ops_a, ops_b);
  default: *flops = 8 * acc; return tile_2x16(iters, ops_a, ops_b);
  }
}
