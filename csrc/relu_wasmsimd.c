/* relu_wasmsimd.c: ReLU forward/backward as SIMD128 masks.
 *
 * The scalar loops in layers.c compile to a data-dependent branch per value;
 * half the inputs are negative in no order, so it mispredicts, and in the
 * search preset ReLU took 13% of a training step. Here the comparison is a
 * lane mask: x & (x > 0) keeps x or gives +0, bit for bit what the scalar
 * `x > 0 ? x : 0` gives (NaN > 0 is false in both). Compiled with
 * -msimd128 like the GEMM kernels; layers.c calls these in the wasm build. */
#ifndef DLFS_DOUBLE
#include <wasm_simd128.h>

#include "layers.h"

void relu_forward__wasmsimd(float *out, const float *inp, int n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t x = wasm_v128_load(inp + i);
    wasm_v128_store(out + i, wasm_v128_and(x, wasm_f32x4_gt(x, zero)));
  }
  for (; i < n; i++) out[i] = inp[i] > 0 ? inp[i] : 0;
}

void relu_backward__wasmsimd(float *dinp, const float *dout, const float *out, int n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t mask = wasm_f32x4_gt(wasm_v128_load(out + i), zero);
    wasm_v128_store(dinp + i, wasm_v128_and(wasm_v128_load(dout + i), mask));
  }
  for (; i < n; i++) dinp[i] = out[i] > 0 ? dout[i] : 0;
}
#endif
