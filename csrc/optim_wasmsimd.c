/* optim_wasmsimd.c: the book's update rules (optim.c) four parameters at a
 * time in SIMD128, for the wasm build.
 *
 * Why: the update touches every parameter once per step (130k for A6), and
 * the scalar loop also carries one running sum (the finiteness probe) whose
 * adds depend on each other, so it ran at one add's latency per parameter:
 * about a tenth of an A6 training step. Here the probe has four lanes and
 * every lane does exactly the scalar rule's IEEE operations in the same
 * order (mul, sub, sqrt, div are correctly rounded in both; no FMA in plain
 * SIMD128), so the parameters are bit-identical to optim.c's loops. */
#ifndef DLFS_DOUBLE
#include <wasm_simd128.h>

#include "dlfs.h"
#include "optim.h"

/* Stores the updated parameters p at params + i, adds p * 0 (0, or NaN when
 * non-finite) into the probe and p * p into the sum of squares. */
#define store_and_probe(params, i, p_, probe)                                    \
  do {                                                                          \
    const v128_t p = (p_);                                                      \
    wasm_v128_store((params) + (i), p);                                         \
    probe = wasm_f32x4_add(probe, wasm_f32x4_mul(p, wasm_f32x4_splat(0.0f)));   \
    sq = wasm_f32x4_add(sq, wasm_f32x4_mul(p, p));                              \
  } while (0)

long optim_update__wasmsimd(int kind, float lr, float lr_t, float *params, const float *grads, float *m,
                            float *v, long n, int *finite, float *sumsq) {
  const v128_t zero = wasm_f32x4_splat(0.0f), vlr = wasm_f32x4_splat(lr);
  v128_t probe = zero, sq = zero;
  long i = 0;
  switch (kind) {
  case DLFS_SGD:
    for (; i + 4 <= n; i += 4) {
      const v128_t step = wasm_f32x4_mul(vlr, wasm_v128_load(grads + i));
      store_and_probe(params, i, wasm_f32x4_sub(wasm_v128_load(params + i), step), probe);
    }
    break;
  case DLFS_MOMENTUM: {
    const v128_t mom = wasm_f32x4_splat(OPTIM_MOMENTUM);
    for (; i + 4 <= n; i += 4) {
      const v128_t vel = wasm_f32x4_sub(wasm_f32x4_mul(mom, wasm_v128_load(m + i)),
                                        wasm_f32x4_mul(vlr, wasm_v128_load(grads + i)));
      wasm_v128_store(m + i, vel);
      store_and_probe(params, i, wasm_f32x4_add(wasm_v128_load(params + i), vel), probe);
    }
    break;
  }
  case DLFS_ADAGRAD: {
    const v128_t eps = wasm_f32x4_splat(OPTIM_EPS);
    for (; i + 4 <= n; i += 4) {
      const v128_t g = wasm_v128_load(grads + i);
      const v128_t h = wasm_f32x4_add(wasm_v128_load(m + i), wasm_f32x4_mul(g, g));
      wasm_v128_store(m + i, h);
      const v128_t step = wasm_f32x4_div(wasm_f32x4_mul(vlr, g), wasm_f32x4_add(wasm_f32x4_sqrt(h), eps));
      store_and_probe(params, i, wasm_f32x4_sub(wasm_v128_load(params + i), step), probe);
    }
    break;
  }
  case DLFS_ADAM: {
    const v128_t eps = wasm_f32x4_splat(OPTIM_EPS), vlr_t = wasm_f32x4_splat(lr_t);
    const v128_t c1 = wasm_f32x4_splat((float)(1.0 - OPTIM_BETA1)), c2 = wasm_f32x4_splat((float)(1.0 - OPTIM_BETA2));
    for (; i + 4 <= n; i += 4) {
      const v128_t g = wasm_v128_load(grads + i), m0 = wasm_v128_load(m + i), v0 = wasm_v128_load(v + i);
      const v128_t m1 = wasm_f32x4_add(m0, wasm_f32x4_mul(c1, wasm_f32x4_sub(g, m0)));
      const v128_t v1 = wasm_f32x4_add(v0, wasm_f32x4_mul(c2, wasm_f32x4_sub(wasm_f32x4_mul(g, g), v0)));
      wasm_v128_store(m + i, m1);
      wasm_v128_store(v + i, v1);
      const v128_t step = wasm_f32x4_div(wasm_f32x4_mul(vlr_t, m1), wasm_f32x4_add(wasm_f32x4_sqrt(v1), eps));
      store_and_probe(params, i, wasm_f32x4_sub(wasm_v128_load(params + i), step), probe);
    }
    break;
  }
  default:
    break;
  }
  *finite = !wasm_v128_any_true(wasm_f32x4_ne(probe, zero));
  *sumsq = (wasm_f32x4_extract_lane(sq, 0) + wasm_f32x4_extract_lane(sq, 1)) +
           (wasm_f32x4_extract_lane(sq, 2) + wasm_f32x4_extract_lane(sq, 3));
  return i;
}
#endif
