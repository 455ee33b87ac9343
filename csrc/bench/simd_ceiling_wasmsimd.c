/* simd_ceiling_wasmsimd.c: the SIMD128 mul+add ceiling, the yardstick for the
 * GEMM kernels' GFLOP/s (bench_gemm.c, scripts/bench.mjs).
 *
 * 12 independent chains acc_i = acc_i + x_i * y, f32x4 each: no loads or
 * stores in the loop and enough chains to hide the add latency, so the time
 * is bounded only by how many f32x4 mul and add V8's code issues per cycle,
 * which is also what bounds a GEMM without FMA (plain SIMD128 has none).
 * 12 chains * 4 lanes * 2 flops = 96 flops per iteration. */
#include <wasm_simd128.h>

#define SIMD_CEILING_FLOPS_PER_ITER 96

float simd_ceiling_run(long iters, const float *seed) {
  const v128_t y = wasm_f32x4_splat(seed[0]); /* from memory: nothing folds at compile time */
  v128_t x0 = wasm_f32x4_splat(seed[1]), x1 = wasm_f32x4_add(x0, y), x2 = wasm_f32x4_add(x1, y);
  v128_t x3 = wasm_f32x4_add(x2, y), x4 = wasm_f32x4_add(x3, y), x5 = wasm_f32x4_add(x4, y);
  v128_t a0 = x0, a1 = x1, a2 = x2, a3 = x3, a4 = x4, a5 = x5;
  v128_t a6 = x0, a7 = x1, a8 = x2, a9 = x3, a10 = x4, a11 = x5;
  for (long i = 0; i < iters; i++) {
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(x0, y));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(x1, y));
    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(x2, y));
    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(x3, y));
    a4 = wasm_f32x4_add(a4, wasm_f32x4_mul(x4, y));
    a5 = wasm_f32x4_add(a5, wasm_f32x4_mul(x5, y));
    a6 = wasm_f32x4_add(a6, wasm_f32x4_mul(x0, x1));
    a7 = wasm_f32x4_add(a7, wasm_f32x4_mul(x1, x2));
    a8 = wasm_f32x4_add(a8, wasm_f32x4_mul(x2, x3));
    a9 = wasm_f32x4_add(a9, wasm_f32x4_mul(x3, x4));
    a10 = wasm_f32x4_add(a10, wasm_f32x4_mul(x4, x5));
    a11 = wasm_f32x4_add(a11, wasm_f32x4_mul(x5, x0));
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3)),
                            wasm_f32x4_add(wasm_f32x4_add(a4, a5), wasm_f32x4_add(a6, a7)));
  s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_add(a8, a9), wasm_f32x4_add(a10, a11)));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 3);
}
