/* gemm_wasmsimd.c: v0 experimental */
#ifndef DLFS_DOUBLE
#include <wasm_simd128.h>
#include "gemm.h"

#define NR 8
#define MR 4

static void pack_b_kn(int N, int K, const float *B, int ldb, const float *bias, float *w) {
  for (int j0 = 0; j0 < N; j0 += NR) {
    int nc = N - j0 < NR ? N - j0 : NR;
    if (nc == NR) {
      if (bias) {
        wasm_v128_store(w, wasm_v128_load(bias + j0));
        wasm_v128_store(w + 4, wasm_v128_load(bias + j0 + 4));
      } else {
        wasm_v128_store(w, wasm_f32x4_splat(0.0f));
        wasm_v128_store(w + 4, wasm_f32x4_splat(0.0f));
      }
      w += NR;
      const float *b = B + j0;
      for (int k = 0; k < K; k++) {
        wasm_v128_store(w, wasm_v128_load(b));
        wasm_v128_store(w + 4, wasm_v128_load(b + 4));
        b += ldb;
        w += NR;
      }
    } else {
      for (int j = 0; j < NR; j++) w[j] = (bias && j < nc) ? bias[j0 + j] : 0.0f;
      w += NR;
      for (int k = 0; k < K; k++) {
        for (int j = 0; j < NR; j++) w[j] = j < nc ? B[(size_t)k * ldb + j0 + j] : 0.0f;
        w += NR;
      }
    }
  }
}

static void pack_b_nk(int N, int K, const float *B, int ldb, float *w) {
  for (int j0 = 0; j0 < N; j0 += NR) {
    int nc = N - j0 < NR ? N - j0 : NR;
    for (int j = 0; j < NR; j++) w[j] = 0.0f;
    w += NR;
    int k = 0;
    if (nc == NR) {
      const float *b0 = B + (size_t)j0 * ldb;
      for (; k + 4 <= K; k += 4) {
        for (int h = 0; h < 2; h++) {
          const float *b = b0 + (size_t)(4 * h) * ldb + k;
          v128_t r0 = wasm_v128_load(b);
          v128_t r1 = wasm_v128_load(b + ldb);
          v128_t r2 = wasm_v128_load(b + 2 * (size_t)ldb);
          v128_t r3 = wasm_v128_load(b + 3 * (size_t)ldb);
          v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5);
          v128_t t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
          v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
          v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
          wasm_v128_store(w + 0 * NR + 4 * h, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
          wasm_v128_store(w + 1 * NR + 4 * h, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
          wasm_v128_store(w + 2 * NR + 4 * h, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
          wasm_v128_store(w + 3 * NR + 4 * h, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
        }
        w += 4 * NR;
      }
    }
    for (; k < K; k++) {
      for (int j = 0; j < NR; j++) w[j] = j < nc ? B[(size_t)(j0 + j) * ldb + k] : 0.0f;
      w += NR;
    }
  }
}

static void gemm_4x8__wasmsimd(int mr, int nc, int K, const float *a, size_t a_rs, size_t a_ks,
                               const float *w, float *c, size_t ldc) {
  const float *a0 = a, *a1 = a0 + a_rs, *a2 = a1 + a_rs, *a3 = a2 + a_rs;
  float *c0 = c, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
  if (mr < 2) { a1 = a0; c1 = c0; }
  if (mr <= 2) { a2 = a1; c2 = c1; }
  if (mr < 4) { a3 = a2; c3 = c2; }
  v128_t acc0x0 = wasm_v128_load(w), acc0x1 = wasm_v128_load(w + 4);
  v128_t acc1x0 = acc0x0, acc1x1 = acc0x1, acc2x0 = acc0x0, acc2x1 = acc0x1, acc3x0 = acc0x0,
         acc3x1 = acc0x1;
  w += NR;
  for (int k = 0; k < K; k++) {
    v128_t vb0 = wasm_v128_load(w), vb1 = wasm_v128_load(w + 4);
    w += NR;
    v128_t va0 = wasm_v128_load32_splat(a0);
    v128_t va1 = wasm_v128_load32_splat(a1);
    v128_t va2 = wasm_v128_load32_splat(a2);
    v128_t va3 = wasm_v128_load32_splat(a3);
    a0 += a_ks; a1 += a_ks; a2 += a_ks; a3 += a_ks;
    acc0x0 = wasm_f32x4_add(acc0x0, wasm_f32x4_mul(va0, vb0));
    acc0x1 = wasm_f32x4_add(acc0x1, wasm_f32x4_mul(va0, vb1));
    acc1x0 = wasm_f32x4_add(acc1x0, wasm_f32x4_mul(va1, vb0));
    acc1x1 = wasm_f32x4_add(acc1x1, wasm_f32x4_mul(va1, vb1));
    acc2x0 = wasm_f32x4_add(acc2x0, wasm_f32x4_mul(va2, vb0));
    acc2x1 = wasm_f32x4_add(acc2x1, wasm_f32x4_mul(va2, vb1));
    acc3x0 = wasm_f32x4_add(acc3x0, wasm_f32x4_mul(va3, vb0));
    acc3x1 = wasm_f32x4_add(acc3x1, wasm_f32x4_mul(va3, vb1));
  }
  if (nc == NR) {
    wasm_v128_store(c3, acc3x0); wasm_v128_store(c3 + 4, acc3x1);
    wasm_v128_store(c2, acc2x0); wasm_v128_store(c2 + 4, acc2x1);
    wasm_v128_store(c1, acc1x0); wasm_v128_store(c1 + 4, acc1x1);
    wasm_v128_store(c0, acc0x0); wasm_v128_store(c0 + 4, acc0x1);
    return;
  }
  if (nc & 4) {
    wasm_v128_store(c3, acc3x0); wasm_v128_store(c2, acc2x0);
    wasm_v128_store(c1, acc1x0); wasm_v128_store(c0, acc0x0);
    acc3x0 = acc3x1; acc2x0 = acc2x1; acc1x0 = acc1x1; acc0x0 = acc0x1;
    c3 += 4; c2 += 4; c1 += 4; c0 += 4;
  }
  if (nc & 2) {
    wasm_v128_store64_lane(c3, acc3x0, 0); wasm_v128_store64_lane(c2, acc2x0, 0);
    wasm_v128_store64_lane(c1, acc1x0, 0); wasm_v128_store64_lane(c0, acc0x0, 0);
    acc3x0 = wasm_i32x4_shuffle(acc3x0, acc3x0, 2, 3, 2, 3);
    acc2x0 = wasm_i32x4_shuffle(acc2x0, acc2x0, 2, 3, 2, 3);
    acc1x0 = wasm_i32x4_shuffle(acc1x0, acc1x0, 2, 3, 2, 3);
    acc0x0 = wasm_i32x4_shuffle(acc0x0, acc0x0, 2, 3, 2, 3);
    c3 += 2; c2 += 2; c1 += 2; c0 += 2;
  }
  if (nc & 1) {
    wasm_v128_store32_lane(c3, acc3x0, 0); wasm_v128_store32_lane(c2, acc2x0, 0);
    wasm_v128_store32_lane(c1, acc1x0, 0); wasm_v128_store32_lane(c0, acc0x0, 0);
  }
}

static void run(int M, int N, int K, const float *A, size_t a_rs, size_t a_ks, const float *w,
                float *C, int ldc) {
  size_t panel = (size_t)(K + 1) * NR;
  for (int i = 0; i < M; i += MR) {
    int mr = M - i < MR ? M - i : MR;
    const float *wp = w;
    for (int j = 0; j < N; j += NR) {
      int nc = N - j < NR ? N - j : NR;
      gemm_4x8__wasmsimd(mr, nc, K, A + (size_t)i * a_rs, a_rs, a_ks, wp, C + (size_t)i * ldc + j, ldc);
      wp += panel;
    }
  }
}

void gemm_wasmsimd_nn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      const float *bias, float *C, int ldc, float *scratch) {
  pack_b_kn(N, K, B, ldb, bias, scratch);
  run(M, N, K, A, (size_t)lda, 1, scratch, C, ldc);
}

void gemm_wasmsimd_tn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      float *C, int ldc, float *scratch) {
  pack_b_kn(N, K, B, ldb, NULL, scratch);
  run(M, N, K, A, 1, (size_t)lda, scratch, C, ldc);
}

void gemm_wasmsimd_nt(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                      float *C, int ldc, float *scratch) {
  pack_b_nk(N, K, B, ldb, scratch);
  run(M, N, K, A, (size_t)lda, 1, scratch, C, ldc);
}
#endif
