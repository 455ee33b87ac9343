/* sums_wasmsimd.c: the two reductions of the backward pass in SIMD128, for
 * the wasm build (layers.c has the reference loops):
 *   column sums, db[N] = sum over the B rows of dout (the Affine bias
 *     gradient, 5.6.2): four columns per lane group, rows added in order,
 *     so every db[j] is the scalar loop's sum bit for bit;
 *   the finiteness probe of dY before the sparse first layer: x * 0 summed
 *     in four lanes instead of one dependent chain (only NaN or not matters).
 * Scalar, both ran at one add's latency per value because the wasm build
 * compiles layers.c without -msimd128 and the probe is one chain.
 * Also y += a * x, the weight-decay gradient (6.4.2), four values at a time:
 * elementwise, so the same mul and add per value as the scalar loop; and a
 * sum of squares in any order, a bound for net.c (never a recorded value). */
#ifndef DLFS_DOUBLE
#include <wasm_simd128.h>

#include "layers.h"

void column_sums__wasmsimd(float *db, const float *dout, int B, int N) {
  int j = 0;
  for (; j + 16 <= N; j += 16) {
    v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
    for (int r = 0; r < B; r++) {
      const float *row = dout + (size_t)r * N + j;
      s0 = wasm_f32x4_add(s0, wasm_v128_load(row));
      s1 = wasm_f32x4_add(s1, wasm_v128_load(row + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(row + 8));
      s3 = wasm_f32x4_add(s3, wasm_v128_load(row + 12));
    }
    wasm_v128_store(db + j, s0), wasm_v128_store(db + j + 4, s1);
    wasm_v128_store(db + j + 8, s2), wasm_v128_store(db + j + 12, s3);
  }
  for (; j + 4 <= N; j += 4) {
    v128_t s = wasm_f32x4_splat(0.0f);
    for (int r = 0; r < B; r++) s = wasm_f32x4_add(s, wasm_v128_load(dout + (size_t)r * N + j));
    wasm_v128_store(db + j, s);
  }
  for (; j < N; j++) {
    float s = 0;
    for (int r = 0; r < B; r++) s += dout[(size_t)r * N + j];
    db[j] = s;
  }
}

int all_finite__wasmsimd(const float *x, long n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t p0 = zero, p1 = zero;
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    p0 = wasm_f32x4_add(p0, wasm_f32x4_mul(wasm_v128_load(x + i), zero));
    p1 = wasm_f32x4_add(p1, wasm_f32x4_mul(wasm_v128_load(x + i + 4), zero));
  }
  float tail = 0;
  for (; i < n; i++) tail += x[i] * 0;
  return tail == 0 && !wasm_v128_any_true(wasm_f32x4_ne(wasm_f32x4_add(p0, p1), zero));
}

float sum_squares_any_order__wasmsimd(const float *x, long n) {
  v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    const v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(x + i + 4);
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(a, a));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(b, b));
  }
  float tail = 0;
  for (; i < n; i++) tail += x[i] * x[i];
  const v128_t s = wasm_f32x4_add(s0, s1);
  return tail + (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) +
         (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
}

void add_scaled__wasmsimd(float *y, const float *x, float a, long n) {
  const v128_t va = wasm_f32x4_splat(a);
  long i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(y + i, wasm_f32x4_add(wasm_v128_load(y + i), wasm_f32x4_mul(va, wasm_v128_load(x + i))));
  for (; i < n; i++) y[i] += a * x[i];
}
#endif
