/* gemm_wasmsimd.c: GEMMs as WebAssembly SIMD128 register tiles (XNNPACK style).
 *
 * The only file compiled with -msimd128. Plain SIMD128: relaxed SIMD (and so
 * fused multiply-add) is not available, so every step is an f32x4.mul and an
 * f32x4.add; no threads.
 *
 * Scheme. B is first packed into the caller's scratch as panels of NR = 8
 * columns: panel p holds, contiguously, 8 bias values (zeros when there is
 * no bias) followed by K rows of 8 values, columns past N zero-filled. The
 * micro-kernel gemm_4x8__wasmsimd computes a 4 x 8 tile of C in 8 v128
 * accumulators, which start from the panel's bias row (the bias add is free).
 * Per k it loads the panel row (two v128, streamed linearly), broadcasts one
 * element of each of the 4 rows of A (v128.load32_splat) and does 8 mul+add
 * pairs. Tiles sweep C row-block by row-block; within one, the 4 rows of A
 * (at most 4 x 784 floats) stay in L1 while the panels stream from L2.
 *
 * The three products differ only in packing and in how A is addressed:
 *   nn  B is K x N:      panels are row slices of B, copied with v128 loads.
 *   nt  B is N x K (W):  panels are B^T, packed with 4 x 4 in-register
 *                        transposes, so the kernel streams it exactly like nn
 *                        instead of striding down the columns of B^T.
 *   tn  A is K x M (X):  the tile's 4 "rows" of A^T are 4 adjacent columns of
 *                        A, so per k the kernel reads 16 contiguous bytes,
 *                        advancing by lda; B (dY) is packed as in nn.
 * The kernel takes A's two strides (between rows, between k) as arguments,
 * so one kernel serves all three. For tn, also packing A^T into 4-wide
 * panels (fully linear reads) was tried and measured: no difference beyond
 * noise, because each cache line of A fetched for one k is reused by the
 * next three tiles' columns and by all the panels, so it is not done.
 *
 * Why 4 x 8. V8 lowers SIMD128 to 128-bit SSE/AVX using 16 xmm registers.
 * 4 x 8 needs 8 accumulators + 2 B + 1 broadcast + 1 product = 12; the
 * mul/add ports, not loads or address arithmetic, are the limit. Larger
 * tiles spill, and unrolling k in C made it slower (clang reorders the
 * unrolled body accumulator by accumulator, V8 does not reschedule, and the
 * result has long dependency chains and more live values than there are xmm
 * registers). V8 unrolls the loop itself. Edge tiles reuse the same kernel:
 * missing rows of A alias the last real row (their results are the same and
 * are stored over it), missing columns of a panel are zeros, and only the
 * real columns are stored (v128, then 64- and 32-bit lane stores). */
#ifndef DLFS_DOUBLE
#include <math.h>
#include <stdint.h>
#include <wasm_simd128.h>

#include "gemm.h"

#define MR 4 /* rows of C per tile */
#define NR 8 /* columns of C per tile = width of a packed panel */

/* Packed panels start on a 64-byte boundary (gemm_scratch_floats has the
 * slack): a panel row is 32 bytes, so then no v128 load of B straddles a
 * cache line. malloc in Emscripten only aligns to 8 bytes. */
static float *align64(float *p) {
  return (float *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

/* Panels of B (K x N, row stride ldb) with the bias row in front. Returns
 * whether every value of B is finite (x * 0 is 0 exactly for finite x and NaN
 * otherwise, so one running sum tells), which the k-skip variants need. */
static int pack_kn(int N, int K, const float *B, int ldb, const float *bias, float *w) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t probe = zero;
  for (int j0 = 0; j0 < N; j0 += NR) {
    int nc = N - j0 < NR ? N - j0 : NR;
    if (nc == NR) {
      wasm_v128_store(w, bias ? wasm_v128_load(bias + j0) : zero);
      wasm_v128_store(w + 4, bias ? wasm_v128_load(bias + j0 + 4) : zero);
      w += NR;
      const float *b = B + j0;
      for (int k = 0; k < K; k++) {
        const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        probe = wasm_f32x4_add(probe, wasm_f32x4_add(wasm_f32x4_mul(b0, zero), wasm_f32x4_mul(b1, zero)));
        wasm_v128_store(w, b0);
        wasm_v128_store(w + 4, b1);
        b += ldb;
        w += NR;
      }
    } else {
      for (int j = 0; j < NR; j++) w[j] = (bias && j < nc) ? bias[j0 + j] : 0.0f;
      w += NR;
      for (int k = 0; k < K; k++) {
        for (int j = 0; j < NR; j++) w[j] = j < nc ? B[(size_t)k * ldb + j0 + j] : 0.0f;
        probe = wasm_f32x4_add(probe, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(w), zero),
                                                     wasm_f32x4_mul(wasm_v128_load(w + 4), zero)));
        w += NR;
      }
    }
  }
  return !wasm_v128_any_true(wasm_f32x4_ne(probe, zero));
}

/* Transposes the 4 x 4 block at b (row stride ld) into out (row stride stride). */
static void transpose_4x4(const float *b, size_t ld, float *out, size_t stride) {
  v128_t r0 = wasm_v128_load(b);
  v128_t r1 = wasm_v128_load(b + ld);
  v128_t r2 = wasm_v128_load(b + 2 * ld);
  v128_t r3 = wasm_v128_load(b + 3 * ld);
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5); /* r0[0] r1[0] r0[1] r1[1] */
  v128_t t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7); /* r0[2] r1[2] r0[3] r1[3] */
  v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  v128_t t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(out, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
  wasm_v128_store(out + stride, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
  wasm_v128_store(out + 2 * stride, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
  wasm_v128_store(out + 3 * stride, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
}

/* Panels of B^T, B being N x K (row stride ldb), with a zero bias row.
 * Returns whether B is all finite, as pack_kn. */
static int pack_nk(int N, int K, const float *B, int ldb, float *w) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t probe = zero;
  for (int j0 = 0; j0 < N; j0 += NR) {
    int nc = N - j0 < NR ? N - j0 : NR;
    for (int j = 0; j < NR; j++) w[j] = 0.0f;
    w += NR;
    int k = 0;
    if (nc == NR) {
      const float *b = B + (size_t)j0 * ldb;
      for (; k + 4 <= K; k += 4) {
        transpose_4x4(b + k, (size_t)ldb, w, NR);                     /* columns 0..3 */
        transpose_4x4(b + 4 * (size_t)ldb + k, (size_t)ldb, w + 4, NR); /* columns 4..7 */
        w += 4 * NR;
      }
    }
    for (; k < K; k++) {
      for (int j = 0; j < NR; j++) w[j] = j < nc ? B[(size_t)(j0 + j) * ldb + k] : 0.0f;
      w += NR;
    }
  }
  /* Checked on the packed copy: every value of B is in it exactly once, plus zeros. */
  const float *p = w - (size_t)((N + NR - 1) / NR) * NR * (size_t)(K + 1);
  for (const float *e = w; p < e; p += 4) probe = wasm_f32x4_add(probe, wasm_f32x4_mul(wasm_v128_load(p), zero));
  return !wasm_v128_any_true(wasm_f32x4_ne(probe, zero));
}

/* C[mr x nc] (row stride ldc) = panel's bias row + A-tile . panel, for
 * mr <= 4, nc <= 8. Element (r, k) of the A tile is a[r * a_rs + k * a_ks].
 * With ks != NULL only the nk steps k = ks[0..nk) are taken: the others are
 * steps where all of the tile's rows of A are zero, which add +-0 (B being
 * finite) to every accumulator. Adding +-0 changes nothing except that
 * -0 + +0 = +0, and an accumulator that has been -0 becomes exactly the
 * next nonzero term's value either way, so a skip can differ from the dense
 * sweep only in the sign of a result that is zero, and only when the sum
 * starts from -0 (x + y is -0 only if both are -0): a bias of -0. With
 * check_zero (the caller's bias holds a -0) the skipping sweep returns
 * whether any stored value is +-0, and the caller redoes such a tile
 * densely: the results are the dense sweep's, bit for bit. */
static int gemm_4x8__wasmsimd(int mr, int nc, int K, const int32_t *ks, int check_zero, int relu,
                              const float *a, size_t a_rs, size_t a_ks, const float *w, float *c,
                              size_t ldc) {
  const float *a0 = a, *a1 = a0 + a_rs, *a2 = a1 + a_rs, *a3 = a2 + a_rs;
  float *c0 = c, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
  if (mr < 2) {
    a1 = a0;
    c1 = c0;
  }
  if (mr <= 2) {
    a2 = a1;
    c2 = c1;
  }
  if (mr < 4) {
    a3 = a2;
    c3 = c2;
  }
  v128_t acc0x0 = wasm_v128_load(w), acc0x1 = wasm_v128_load(w + 4);
  v128_t acc1x0 = acc0x0, acc1x1 = acc0x1;
  v128_t acc2x0 = acc0x0, acc2x1 = acc0x1;
  v128_t acc3x0 = acc0x0, acc3x1 = acc0x1;
  w += NR;
#define STEP(vb0, vb1, o)                                                                          \
  do {                                                                                             \
    const v128_t va0 = wasm_v128_load32_splat(a0 + (o));                                           \
    const v128_t va1 = wasm_v128_load32_splat(a1 + (o));                                           \
    const v128_t va2 = wasm_v128_load32_splat(a2 + (o));                                           \
    const v128_t va3 = wasm_v128_load32_splat(a3 + (o));                                           \
    acc0x0 = wasm_f32x4_add(acc0x0, wasm_f32x4_mul(va0, vb0));                                     \
    acc0x1 = wasm_f32x4_add(acc0x1, wasm_f32x4_mul(va0, vb1));                                     \
    acc1x0 = wasm_f32x4_add(acc1x0, wasm_f32x4_mul(va1, vb0));                                     \
    acc1x1 = wasm_f32x4_add(acc1x1, wasm_f32x4_mul(va1, vb1));                                     \
    acc2x0 = wasm_f32x4_add(acc2x0, wasm_f32x4_mul(va2, vb0));                                     \
    acc2x1 = wasm_f32x4_add(acc2x1, wasm_f32x4_mul(va2, vb1));                                     \
    acc3x0 = wasm_f32x4_add(acc3x0, wasm_f32x4_mul(va3, vb0));                                     \
    acc3x1 = wasm_f32x4_add(acc3x1, wasm_f32x4_mul(va3, vb1));                                     \
  } while (0)
  /* A panel with at most 4 real columns (N = 100's last) takes half the
   * work: its other 4 columns are padding, never stored or checked. */
#define STEP4(vb0, o)                                                                              \
  do {                                                                                             \
    acc0x0 = wasm_f32x4_add(acc0x0, wasm_f32x4_mul(wasm_v128_load32_splat(a0 + (o)), vb0));        \
    acc1x0 = wasm_f32x4_add(acc1x0, wasm_f32x4_mul(wasm_v128_load32_splat(a1 + (o)), vb0));        \
    acc2x0 = wasm_f32x4_add(acc2x0, wasm_f32x4_mul(wasm_v128_load32_splat(a2 + (o)), vb0));        \
    acc3x0 = wasm_f32x4_add(acc3x0, wasm_f32x4_mul(wasm_v128_load32_splat(a3 + (o)), vb0));        \
  } while (0)
  if (ks && nc <= 4) {
    for (int i = 0; i < K; i++) {
      const size_t k = (size_t)ks[i];
      STEP4(wasm_v128_load(w + k * NR), k * a_ks);
    }
  } else if (ks) {
    for (int i = 0; i < K; i++) {
      const size_t k = (size_t)ks[i];
      const float *wk = w + k * NR;
      const v128_t vb0 = wasm_v128_load(wk), vb1 = wasm_v128_load(wk + 4);
      STEP(vb0, vb1, k * a_ks);
    }
  } else if (nc <= 4) {
    for (size_t k = 0, o = 0; k < (size_t)K; k++, o += a_ks) STEP4(wasm_v128_load(w + k * NR), o);
  } else {
    for (int k = 0; k < K; k++) {
      const v128_t vb0 = wasm_v128_load(w), vb1 = wasm_v128_load(w + 4);
      w += NR;
      STEP(vb0, vb1, 0);
      a0 += a_ks;
      a1 += a_ks;
      a2 += a_ks;
      a3 += a_ks;
    }
  }
#undef STEP4
#undef STEP
  int has_zero = 0;
  if (ks && check_zero) {
    /* Only the nc real columns count: padding columns are always 0. */
    const v128_t z = wasm_f32x4_splat(0.0f);
    const v128_t m0 = wasm_i32x4_make(-(nc > 0), -(nc > 1), -(nc > 2), -(nc > 3));
    const v128_t m1 = wasm_i32x4_make(-(nc > 4), -(nc > 5), -(nc > 6), -(nc > 7));
    v128_t e0 = wasm_v128_or(wasm_f32x4_eq(acc0x0, z), wasm_f32x4_eq(acc1x0, z));
    e0 = wasm_v128_or(e0, wasm_v128_or(wasm_f32x4_eq(acc2x0, z), wasm_f32x4_eq(acc3x0, z)));
    v128_t e1 = wasm_v128_or(wasm_f32x4_eq(acc0x1, z), wasm_f32x4_eq(acc1x1, z));
    e1 = wasm_v128_or(e1, wasm_v128_or(wasm_f32x4_eq(acc2x1, z), wasm_f32x4_eq(acc3x1, z)));
    has_zero = wasm_v128_any_true(wasm_v128_or(wasm_v128_and(e0, m0), wasm_v128_and(e1, m1)));
  }
  if (relu) { /* x & (x > 0): x or +0, as relu_forward (NaN > 0 is false) */
    const v128_t z = wasm_f32x4_splat(0.0f);
#define RELU(x) x = wasm_v128_and(x, wasm_f32x4_gt(x, z))
    RELU(acc0x0), RELU(acc0x1), RELU(acc1x0), RELU(acc1x1);
    RELU(acc2x0), RELU(acc2x1), RELU(acc3x0), RELU(acc3x1);
#undef RELU
  }
  /* Rows are stored last to first, so that for a short tile the aliased
   * rows' stores land before the real row's (all hold the same values). */
  if (nc == NR) {
    wasm_v128_store(c3, acc3x0);
    wasm_v128_store(c3 + 4, acc3x1);
    wasm_v128_store(c2, acc2x0);
    wasm_v128_store(c2 + 4, acc2x1);
    wasm_v128_store(c1, acc1x0);
    wasm_v128_store(c1 + 4, acc1x1);
    wasm_v128_store(c0, acc0x0);
    wasm_v128_store(c0 + 4, acc0x1);
    return has_zero;
  }
  if (nc & 4) {
    wasm_v128_store(c3, acc3x0);
    wasm_v128_store(c2, acc2x0);
    wasm_v128_store(c1, acc1x0);
    wasm_v128_store(c0, acc0x0);
    acc3x0 = acc3x1;
    acc2x0 = acc2x1;
    acc1x0 = acc1x1;
    acc0x0 = acc0x1;
    c3 += 4;
    c2 += 4;
    c1 += 4;
    c0 += 4;
  }
  if (nc & 2) {
    wasm_v128_store64_lane(c3, acc3x0, 0);
    wasm_v128_store64_lane(c2, acc2x0, 0);
    wasm_v128_store64_lane(c1, acc1x0, 0);
    wasm_v128_store64_lane(c0, acc0x0, 0);
    acc3x0 = wasm_i32x4_shuffle(acc3x0, acc3x0, 2, 3, 2, 3);
    acc2x0 = wasm_i32x4_shuffle(acc2x0, acc2x0, 2, 3, 2, 3);
    acc1x0 = wasm_i32x4_shuffle(acc1x0, acc1x0, 2, 3, 2, 3);
    acc0x0 = wasm_i32x4_shuffle(acc0x0, acc0x0, 2, 3, 2, 3);
    c3 += 2;
    c2 += 2;
    c1 += 2;
    c0 += 2;
  }
  if (nc & 1) {
    wasm_v128_store32_lane(c3, acc3x0, 0);
    wasm_v128_store32_lane(c2, acc2x0, 0);
    wasm_v128_store32_lane(c1, acc1x0, 0);
    wasm_v128_store32_lane(c0, acc0x0, 0);
  }
  return has_zero;
}

/* The k at which any of the mr rows of the A tile is nonzero, into ks;
 * returns how many. Branch-free: every k is written, only nonzero ones kept.
 * Full tiles take a SIMD path (the scan runs once per row block, and for the
 * 10000-image evaluation a scalar scan cost a fifth of the kernel time):
 *   a_ks == 1 (nn, nt): 4 k at a time from each row, OR-ed compares;
 *   a_rs == 1 (tn):     the tile's 4 rows at one k are one v128. */
static int nonzero_steps(int mr, int K, const float *a, size_t a_rs, size_t a_ks, int32_t *ks) {
  int n = 0, k = 0;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  if (mr == MR && a_ks == 1) {
    const float *a0 = a, *a1 = a + a_rs, *a2 = a1 + a_rs, *a3 = a2 + a_rs;
    for (; k + 4 <= K; k += 4) {
      v128_t nz = wasm_v128_or(wasm_f32x4_ne(wasm_v128_load(a0 + k), zero),
                               wasm_f32x4_ne(wasm_v128_load(a1 + k), zero));
      nz = wasm_v128_or(nz, wasm_f32x4_ne(wasm_v128_load(a2 + k), zero));
      nz = wasm_v128_or(nz, wasm_f32x4_ne(wasm_v128_load(a3 + k), zero));
      const int m = (int)wasm_i32x4_bitmask(nz);
      ks[n] = k, n += m & 1;
      ks[n] = k + 1, n += (m >> 1) & 1;
      ks[n] = k + 2, n += (m >> 2) & 1;
      ks[n] = k + 3, n += (m >> 3) & 1;
    }
  } else if (mr == MR && a_rs == 1) {
    for (; k < K; k++) {
      ks[n] = k;
      n += wasm_i32x4_bitmask(wasm_f32x4_ne(wasm_v128_load(a + (size_t)k * a_ks), zero)) != 0;
    }
  }
  for (; k < K; k++) {
    const float *p = a + (size_t)k * a_ks;
    int any = 0;
    for (int r = 0; r < mr; r++) any |= p[(size_t)r * a_rs] != 0.0f;
    ks[n] = k;
    n += any;
  }
  return n;
}

/* All tiles of C[M x N], B already packed at w. Row blocks outermost: for
 * the evaluation shape (M = 10000) this streams A once, where panel-major
 * order would stream it once per panel. With skip, each row block first
 * lists its nonzero steps (ks: K ints of workspace); the scan costs about one
 * panel's loads and is shared by all N / 8 panels. Below 3/4 of K the
 * indexed sweep wins; above, the dense sweep's linear streaming does. */
static void run_tiles(int M, int N, int K, const float *A, size_t a_rs, size_t a_ks,
                      const float *w, float *C, size_t ldc, int32_t *ks, int skip, int check_zero,
                      int relu) {
  const size_t panel = (size_t)(K + 1) * NR;
  for (int i = 0; i < M; i += MR) {
    const int mr = M - i < MR ? M - i : MR;
    const float *a = A + (size_t)i * a_rs;
    const int nk = skip ? nonzero_steps(mr, K, a, a_rs, a_ks, ks) : K;
    const int sparse = 4 * nk < 3 * K;
    const float *wp = w;
    for (int j = 0; j < N; j += NR) {
      const int nc = N - j < NR ? N - j : NR;
      float *c = C + (size_t)i * ldc + j;
      if (!sparse || gemm_4x8__wasmsimd(mr, nc, nk, ks, check_zero, relu, a, a_rs, a_ks, wp, c, ldc))
        gemm_4x8__wasmsimd(mr, nc, K, NULL, 0, relu, a, a_rs, a_ks, wp, c, ldc);
      wp += panel;
    }
  }
}

/* Scratch layout: K ints for the nonzero steps, then the 64-byte-aligned panels. */
static float *panels(float *scratch, int K) { return align64(scratch + K); }

/* Whether any of the n values is -0 (see gemm_4x8__wasmsimd). */
static int has_neg_zero(const float *b, int n) {
  int any = 0;
  for (int j = 0; b && j < n; j++) any |= b[j] == 0.0f && signbit(b[j]);
  return any;
}

/* Dense sweeps (every k step) and k-skip sweeps (steps where the tile's rows
 * of A are all zero left out; bit-identical, see gemm_4x8__wasmsimd, and used
 * only when B is finite, since 0 * inf would be NaN in the dense sweep). */
#define DEFINE_PRODUCTS(suffix, skip)                                                             \
  void gemm_nn_4x8##suffix##__wasmsimd(int M, int N, int K, const float *A, int lda,             \
                                       const float *B, int ldb, const float *bias, float *C,     \
                                       int ldc, float *scratch) {                               \
    float *w = panels(scratch, K);                                                               \
    const int finite = pack_kn(N, K, B, ldb, bias, w);                                           \
    run_tiles(M, N, K, A, (size_t)lda, 1, w, C, (size_t)ldc, (int32_t *)scratch, (skip) && finite, \
              (skip) && has_neg_zero(bias, N), 0);                                              \
  }                                                                                              \
  void gemm_nn_relu_4x8##suffix##__wasmsimd(int M, int N, int K, const float *A, int lda,        \
                                            const float *B, int ldb, const float *bias, float *C, \
                                            int ldc, float *scratch) {                          \
    float *w = panels(scratch, K);                                                               \
    const int finite = pack_kn(N, K, B, ldb, bias, w);                                           \
    run_tiles(M, N, K, A, (size_t)lda, 1, w, C, (size_t)ldc, (int32_t *)scratch, (skip) && finite, \
              (skip) && has_neg_zero(bias, N), 1);                                              \
  }                                                                                              \
  void gemm_tn_4x8##suffix##__wasmsimd(int M, int N, int K, const float *A, int lda,             \
                                       const float *B, int ldb, float *C, int ldc,               \
                                       float *scratch) {                                         \
    float *w = panels(scratch, K);                                                               \
    const int finite = pack_kn(N, K, B, ldb, NULL, w);                                           \
    run_tiles(M, N, K, A, 1, (size_t)lda, w, C, (size_t)ldc, (int32_t *)scratch, (skip) && finite, 0, 0); \
  }                                                                                              \
  void gemm_nt_4x8##suffix##__wasmsimd(int M, int N, int K, const float *A, int lda,             \
                                       const float *B, int ldb, float *C, int ldc,               \
                                       float *scratch) {                                         \
    float *w = panels(scratch, K);                                                               \
    const int finite = pack_nk(N, K, B, ldb, w);                                                 \
    run_tiles(M, N, K, A, (size_t)lda, 1, w, C, (size_t)ldc, (int32_t *)scratch, (skip) && finite, 0, 0); \
  }

DEFINE_PRODUCTS(, 0)
DEFINE_PRODUCTS(_kskip, 1)
#endif
