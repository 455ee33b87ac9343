/* test_optim_init_rng.c: the book's optimizers, weight initialisation and the PRNG.
 *
 * Optimizers (common/optimizer.py, section 6.1): three steps of each rule on
 * four parameters, against values computed in float64 with numpy 1.24
 * (/usr/bin/python3) by a line-by-line transcription of the book's classes
 * (SGD; Momentum 0.9; AdaGrad with 1e-7; Adam beta1 0.9, beta2 0.999 with
 * lr_t = lr * sqrt(1 - 0.999^t) / (1 - 0.9^t) and 1e-7), pasted with repr();
 * csrc/tests/numpy_ref.py regenerates them and scripts/test.sh checks them.
 *
 * Initialisation (6.2, 6.3): runs of 784-100-100-10 with std 0.01, Xavier
 * sqrt(1/n_in) and He sqrt(2/n_in); each W's sample mean and standard
 * deviation must lie within 5 standard errors of the target: for n normal
 * samples the sample std has relative standard error 1/sqrt(2n) (0.25% for
 * the 78400 weights of layer 1, 0.71% for 10000, 2.2% for 1000) and the mean
 * has standard error sigma/sqrt(n). Biases 0, gamma 1, beta 0.
 *
 * PRNG (xoshiro128** seeded by splitmix64): reference outputs, determinism,
 * stream independence, and distribution checks with 5-sigma bounds (each
 * check has a false-alarm probability below 1e-6; all draws are seeded, so a
 * pass is reproducible). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dlfs.h"
#include "internal.h"
#include "optim.h"
#include "rng.h"

#ifdef DLFS_DOUBLE
#define RTOL 1e-12
#define ATOL 1e-14
#else
#define RTOL 2e-6 /* a few float32 ulps after three updates */
#define ATOL 1e-7
#endif

/* ---------------- optimizers ---------------- */

#define NP 5
static const double P0[NP] = {1.0, -0.5, 0.25, 2.0, 0.5};
/* Gradients of steps 1..3. The third parameter's first gradient is 0, so Adam leaves it in
 * place at step 1 (m = 0) and AdaGrad moves it by 0 / (0 + 1e-7) = 0. The fifth has gradients
 * of the size of the 1e-7 in AdaGrad's and Adam's denominators, which makes that constant
 * matter at float32 precision (AdaGrad step 1 by hand: 0.5 - 0.1 * 1e-7 / (1e-7 + 1e-7) = 0.45). */
static const double GRADS[3][NP] = {{0.5, -1.0, 0.0, 2.0, 1e-7},
                                    {0.25, 0.5, -0.125, 1.0, 2e-7},
                                    {-1.0, 0.75, 0.5, 0.0, -1e-7}};
#define LR 0.1

/* numpy output, parameters after steps 1, 2, 3 (SGD step 1 by hand: 1 - 0.1 * 0.5 = 0.95) */
static const double WANT_SGD[3][NP] = {{0.95, -0.4, 0.25, 1.8, 0.49999999},
                                       {0.9249999999999999, -0.45, 0.2625, 1.7, 0.49999997},
                                       {1.025, -0.525, 0.21250000000000002, 1.7, 0.49999998}};
static const double WANT_MOMENTUM[3][NP] = {
    {0.95, -0.4, 0.25, 1.8, 0.49999999},
    {0.8799999999999999, -0.36, 0.2625, 1.52, 0.499999961},
    {0.9169999999999999, -0.39899999999999997, 0.22375, 1.268, 0.4999999449}};
static const double WANT_ADAGRAD[3][NP] = {
    {0.900000019999996, -0.400000009999999, 0.25, 1.9000000049999997, 0.45},
    {0.8552786684499988, -0.4447213655499952, 0.34999992000006397, 1.8552786474500038,
     0.38819660112501053},
    {0.9425658169253488, -0.50042996286518, 0.25298568880905653, 1.8552786474500038,
     0.4171863959806741}};
/* Adam's first step moves every parameter with |g| >> 1e-7 by ~lr (by hand: lr_t = 0.1 *
 * sqrt(0.001) / 0.1, m = 0.1 g, v = 0.001 g^2, so lr_t * m / sqrt(v) = 0.1 * sign(g)). */
static const double WANT_ADAM[3][NP] = {
    {0.9000006324515321, -0.400000316226766, 0.25, 1.900000158113633, 0.4969346569968284},
    {0.8067831960988964, -0.37336668762215414, 0.32441179987051916, 1.8067823261151785,
     0.4905611050709632},
    {0.827418841846741, -0.3918835901859209, 0.2763808146387132, 1.7347246718570428,
     0.48754244215422315}};

static void test_optimizer(int kind, const char *name, const double want[3][NP]) {
  optim_state st = {.kind = kind, .lr = (real)LR, .steps = 0};
  real p[NP], g[NP], m[NP] = {0}, v[NP] = {0};
  for (int i = 0; i < NP; i++) p[i] = (real)P0[i];
  for (int s = 0; s < 3; s++) {
    for (int i = 0; i < NP; i++) g[i] = (real)GRADS[s][i];
    optim_update(&st, p, g, m, v, NP);
    for (int i = 0; i < NP; i++) {
      if (!check_ok(fabs(p[i] - want[s][i]) <= RTOL * fabs(want[s][i]) + ATOL)) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s step %d param %d = %.9g, want %.9g", name, s + 1, i,
                 (double)p[i], want[s][i]);
        check_fail(__FILE__, __LINE__, buf);
      }
    }
    /* the gradient array is read, never written */
    for (int i = 0; i < NP; i++) CHECK(g[i] == (real)GRADS[s][i]);
  }
  if (kind == DLFS_ADAM) CHECK(st.steps == 3);
  if (kind == DLFS_SGD) /* SGD keeps no state */
    for (int i = 0; i < NP; i++) CHECK(m[i] == 0 && v[i] == 0);
  if (kind == DLFS_MOMENTUM) /* velocity after 3 steps = p3 - p2 */
    for (int i = 0; i < NP; i++) CHECK_CLOSE(m[i], want[2][i] - want[1][i], 1e-5, 10 * ATOL);
  if (kind == DLFS_ADAGRAD) /* h = sum of squared gradients */
    for (int i = 0; i < NP; i++)
      CHECK_CLOSE(m[i], GRADS[0][i] * GRADS[0][i] + GRADS[1][i] * GRADS[1][i] + GRADS[2][i] * GRADS[2][i],
                  RTOL, 0);
  if (kind == DLFS_ADAM) {
    /* m and v are the book's exponential averages with rates 1 - 0.9 and 1 - 0.999
     * (the engine forms 1 - beta in double, so no float32 rounding of 0.999 leaks in). */
    const double r1 = 1 - 0.9, r2 = 1 - 0.999;
    for (int i = 0; i < NP; i++) {
      double em = 0, ev = 0;
      for (int s = 0; s < 3; s++) {
        em += r1 * (GRADS[s][i] - em);
        ev += r2 * (GRADS[s][i] * GRADS[s][i] - ev);
      }
      CHECK_CLOSE(m[i], em, 4 * RTOL, ATOL * 1e-2);
      CHECK_CLOSE(v[i], ev, 4 * RTOL, ATOL * 1e-4);
    }
  }
}

/* optim_update (SIMD128 in the wasm build, 4 at a time plus a scalar tail)
 * equals the book's rules written out here one parameter at a time, bit for
 * bit, for every length 1..37 (every tail) and for a non-finite parameter,
 * which must be reported wherever it sits. */
static void test_optimizer_bit_identity(int kind, const char *name) {
  enum { N = 37 };
  unsigned s = 12345u + (unsigned)kind;
  for (int n = 1; n <= N; n++) {
    optim_state st = {.kind = kind, .lr = (real)0.013, .steps = 0};
    real p[N], g[N], m[N] = {0}, v[N] = {0}, rp[N], rm[N] = {0}, rv[N] = {0};
    for (int i = 0; i < n; i++) {
      s = s * 1664525u + 1013904223u;
      p[i] = rp[i] = (real)((double)(s >> 8) / (1 << 23) - 1.0);
    }
    for (int step = 1; step <= 3; step++) {
      for (int i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        g[i] = (real)((double)(s >> 8) / (1 << 22) - 2.0);
      }
      CHECK(optim_update(&st, p, g, m, v, n) == 1);
      const double b1t = pow(OPTIM_BETA1, step), b2t = pow(OPTIM_BETA2, step);
      const real lr = (real)0.013, lr_t = (real)(lr * sqrt(1.0 - b2t) / (1.0 - b1t));
      for (int i = 0; i < n; i++) {
        if (kind == DLFS_SGD) rp[i] -= lr * g[i];
        if (kind == DLFS_MOMENTUM) rm[i] = OPTIM_MOMENTUM * rm[i] - lr * g[i], rp[i] += rm[i];
        if (kind == DLFS_ADAGRAD) rm[i] += g[i] * g[i], rp[i] -= lr * g[i] / ((real)sqrt(rm[i]) + OPTIM_EPS);
        if (kind == DLFS_ADAM) {
          rm[i] += (real)(1.0 - OPTIM_BETA1) * (g[i] - rm[i]);
          rv[i] += (real)(1.0 - OPTIM_BETA2) * (g[i] * g[i] - rv[i]);
          rp[i] -= lr_t * rm[i] / ((real)sqrt(rv[i]) + OPTIM_EPS);
        }
      }
      int same = 1;
      for (int i = 0; i < n; i++) same &= p[i] == rp[i] && m[i] == rm[i] && v[i] == rv[i];
      if (!check_ok(same)) {
        char buf[96];
        snprintf(buf, sizeof buf, "%s: n=%d step %d differs from the scalar rule", name, n, step);
        check_fail(__FILE__, __LINE__, buf);
        return;
      }
    }
    /* a parameter that becomes infinite, at each position in turn */
    for (int at = 0; at < n; at++) {
      real q[N], z[N] = {0}, zm[N] = {0}, zv[N] = {0};
      for (int i = 0; i < n; i++) q[i] = rp[i];
      z[at] = kind == DLFS_SGD || kind == DLFS_MOMENTUM ? (real)-INFINITY : (real)NAN;
      optim_state st2 = {.kind = kind, .lr = (real)1, .steps = 0};
      CHECK(optim_update(&st2, q, z, zm, zv, n) == 0);
    }
  }
}

/* A run hands the configured rule and lr to the optimizer; set_lr changes it live. */
static void test_run_optimizer_settings(void) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.input_size = 4, c.output_size = 2, c.hidden[0] = 3, c.train_size = 10, c.batch_size = 2;
  c.max_iterations = 5, c.eval_batch = 2, c.optimizer = DLFS_ADAM, c.lr = 0.001f;
  dlfs_run *r = NULL;
  CHECK(dlfs_run_create(&c, &r) == DLFS_OK && r);
  if (!r) return;
  CHECK(r->opt.kind == DLFS_ADAM && r->opt.lr == (real)0.001f && r->opt.steps == 0);
  CHECK(dlfs_run_set_lr(r, 0.05f) == DLFS_OK && r->opt.lr == (real)0.05f);
  CHECK(dlfs_run_set_lr(r, 0) == DLFS_E_LR && r->opt.lr == (real)0.05f);
  CHECK(dlfs_run_set_lr(r, NAN) == DLFS_E_LR);
  for (long i = 0; i < r->n_params; i++) CHECK(r->opt_m[i] == 0 && r->opt_v[i] == 0);
  dlfs_run_destroy(r);
}

/* ---------------- initialisation ---------------- */

static dlfs_run *mnist_run(int init, int bn, uint32_t seed) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.n_hidden = 2, c.hidden[0] = 100, c.hidden[1] = 100; /* 784-100-100-10 */
  c.init = init, c.init_std = 0.01f, c.batch_norm = bn, c.seed = seed;
  c.train_size = 1000, c.max_iterations = 10;
  dlfs_run *r = NULL;
  dlfs_status st = dlfs_run_create(&c, &r);
  CHECK(st == DLFS_OK && r);
  return r;
}

static void test_init_stats(int init, int bn, const char *name) {
  dlfs_run *r = mnist_run(init, bn, 1);
  if (!r) return;
  CHECK(r->n_affine == 3);
  for (int l = 0; l < r->n_affine; l++) {
    const layer_t *L = &r->layer[l];
    const long n = (long)L->K * L->N;
    const double target = init == DLFS_INIT_HE       ? sqrt(2.0 / L->K)
                          : init == DLFS_INIT_XAVIER ? sqrt(1.0 / L->K)
                                                     : (double)0.01f;
    double sum = 0, sq = 0;
    long within1 = 0;
    for (long i = 0; i < n; i++) sum += L->W[i], sq += (double)L->W[i] * L->W[i];
    const double mean = sum / n;
    const double sd = sqrt(sq / n - mean * mean);
    for (long i = 0; i < n; i++) within1 += fabs(L->W[i] - mean) < target;
    const double rel_se = 1 / sqrt(2.0 * n);                      /* of the sample std */
    const double p1 = 0.6826894921370859;                         /* P(|z| < 1) */
    printf("  %-20s W%d: n=%6ld target std %.6f  sample std %.6f (rel err %+.4f, bound %.4f)  "
           "mean %+.2e (bound %.2e)\n",
           name, l + 1, n, target, sd, sd / target - 1, 5 * rel_se, mean, 5 * target / sqrt((double)n));
    CHECK(fabs(sd / target - 1) <= 5 * rel_se);
    CHECK(fabs(mean) <= 5 * target / sqrt((double)n));
    /* Normal shape: ~68.3% of the weights within one target std (binomial 5-sigma bound). */
    CHECK(fabs((double)within1 / n - p1) <= 5 * sqrt(p1 * (1 - p1) / n));
    for (int j = 0; j < L->N; j++) CHECK(L->b[j] == 0);
    if (l < r->cfg.n_hidden && bn) {
      CHECK(L->gamma && L->beta && L->running_mean && L->running_var);
      if (L->gamma)
        for (int j = 0; j < L->N; j++)
          CHECK(L->gamma[j] == 1 && L->beta[j] == 0 && L->running_mean[j] == 0 &&
                L->running_var[j] == 0);
    } else {
      CHECK(L->gamma == NULL && L->beta == NULL);
    }
  }
  /* Parameter count: W and b per layer (+ gamma and beta per hidden layer with BN). */
  long want = 784L * 100 + 100 + 100L * 100 + 100 + 100L * 10 + 10 + (bn ? 4L * 100 : 0);
  CHECK(r->n_params == want);
  for (long i = 0; i < r->n_params; i++) CHECK(r->grads[i] == 0 && r->opt_m[i] == 0 && r->opt_v[i] == 0);
  dlfs_run_destroy(r);
}

/* Same seed: identical weights, with or without BN (BN draws nothing), and the
 * init kinds differ only by their scale; a different seed gives different weights. */
static void test_init_determinism(void) {
  dlfs_run *a = mnist_run(DLFS_INIT_HE, 0, 5), *b = mnist_run(DLFS_INIT_HE, 1, 5),
           *x = mnist_run(DLFS_INIT_XAVIER, 0, 5), *s = mnist_run(DLFS_INIT_STD, 0, 5),
           *d = mnist_run(DLFS_INIT_HE, 0, 6);
  if (!a || !b || !x || !s || !d) goto done;
  long same_bn = 0, ratio_bad = 0, std_bad = 0, same_seed6 = 0, total = 0;
  for (int l = 0; l < a->n_affine; l++) {
    const layer_t *La = &a->layer[l], *Lb = &b->layer[l], *Lx = &x->layer[l], *Ls = &s->layer[l],
                  *Ld = &d->layer[l];
    const double he = sqrt(2.0 / La->K), xa = sqrt(1.0 / La->K), sd = (double)0.01f;
    for (long i = 0; i < (long)La->K * La->N; i++) {
      same_bn += La->W[i] == Lb->W[i];
      /* W = (real)(scale * z) for one z per position: the ratio is the ratio of scales up to rounding */
      double z = La->W[i] / he;
      if (fabs(Lx->W[i] - xa * z) > 4e-7 * fabs(xa * z) + 1e-30) ratio_bad++;
      if (fabs(Ls->W[i] - sd * z) > 4e-7 * fabs(sd * z) + 1e-30) std_bad++;
      same_seed6 += La->W[i] == Ld->W[i];
      total++;
    }
  }
  CHECK(same_bn == total);
  CHECK(ratio_bad == 0);
  CHECK(std_bad == 0);
  CHECK(same_seed6 < total / 1000);
  /* The first weight is the first normal draw of the init stream, scaled. */
  rng_t g;
  rng_seed(&g, 5, RNG_STREAM_INIT);
  CHECK(a->layer[0].W[0] == (real)(sqrt(2.0 / 784) * rng_normal(&g)));
  CHECK(a->layer[0].W[1] == (real)(sqrt(2.0 / 784) * rng_normal(&g)));
done:
  dlfs_run_destroy(a), dlfs_run_destroy(b), dlfs_run_destroy(x), dlfs_run_destroy(s),
      dlfs_run_destroy(d);
}

/* ---------------- PRNG ---------------- */

static void test_rng_reference(void) {
  /* xoshiro128** from state {1, 2, 3, 4}: the reference implementation's output
   * (prng.di.unimi.it/xoshiro128starstar.c; the first two by hand: rotl(2*5, 7)*9 = 11520,
   * then s[1] = 2^3 ... gives rotl(0)*9 = 0), also reproduced by an independent Python
   * transcription of that file. */
  static const uint32_t want[10] = {11520u,      0u,          5927040u,    70819200u,  2031721883u,
                                    1637235492u, 1287239034u, 3734860849u, 3729100597u, 4258142804u};
  rng_t r = {{1, 2, 3, 4}};
  for (int i = 0; i < 10; i++) CHECK(rng_u32(&r) == want[i]);

  /* Seeding: state = two splitmix64 outputs of (stream << 32 | seed), low word first.
   * Python transcription of splitmix64 (validated against its published first outputs for
   * seed 1234567: 6457827717110365317, 3203168211198807973, 9817491932198370423). */
  static const uint32_t state_1_1[4] = {0xfd59956fu, 0x204391a6u, 0xe9fc3811u, 0x31eacba8u};
  static const uint32_t out_1_1[8] = {0xf04d19d0u, 0x3c58fc24u, 0x29a67f9cu, 0xd3e63e51u,
                                      0x65285089u, 0xe48a86c0u, 0x8618ee15u, 0xd098e551u};
  static const uint32_t out_42_3[8] = {0x32a545f8u, 0x51ff2728u, 0xf3bd651cu, 0xfc57f91bu,
                                       0xefbaae03u, 0xd71fbd3du, 0x615625efu, 0x3077d891u};
  static const uint32_t state_0_0[4] = {0x7b1dcdafu, 0xe220a839u, 0xa1b965f4u, 0x6e789e6au};
  rng_seed(&r, 1, 1);
  for (int i = 0; i < 4; i++) CHECK(r.s[i] == state_1_1[i]);
  for (int i = 0; i < 8; i++) CHECK(rng_u32(&r) == out_1_1[i]);
  rng_seed(&r, 42, 3);
  for (int i = 0; i < 8; i++) CHECK(rng_u32(&r) == out_42_3[i]);
  rng_seed(&r, 0, 0); /* seed 0 is a valid seed (splitmix64 never yields an all-zero state here) */
  for (int i = 0; i < 4; i++) CHECK(r.s[i] == state_0_0[i]);
}

static void test_rng_determinism(void) {
  enum { N = 10000 };
  rng_t a, b, c, d, e;
  rng_seed(&a, 123, RNG_STREAM_BATCH);
  rng_seed(&b, 123, RNG_STREAM_BATCH);
  rng_seed(&c, 124, RNG_STREAM_BATCH);   /* different seed */
  rng_seed(&d, 123, RNG_STREAM_DROPOUT); /* different stream */
  rng_seed(&e, 123, RNG_STREAM_INIT);
  long equal_ab = 0, equal_ac = 0, equal_ad = 0, equal_de = 0;
  for (int i = 0; i < N; i++) {
    uint32_t va = rng_u32(&a), vb = rng_u32(&b), vc = rng_u32(&c), vd = rng_u32(&d), ve = rng_u32(&e);
    equal_ab += va == vb, equal_ac += va == vc, equal_ad += va == vd, equal_de += vd == ve;
  }
  CHECK(equal_ab == N);
  /* Independent 32-bit streams coincide with probability 2^-32 per draw. */
  CHECK(equal_ac <= 1 && equal_ad <= 1 && equal_de <= 1);
  /* Copying the state replays the sequence (what the gradient check relies on). */
  rng_t saved = a;
  uint32_t first[16];
  for (int i = 0; i < 16; i++) first[i] = rng_u32(&a);
  for (int i = 0; i < 16; i++) CHECK(rng_u32(&saved) == first[i]);
}

static void test_rng_uniform(void) {
  enum { N = 1000000 };
  rng_t r, copy;
  rng_seed(&r, 2024, RNG_STREAM_DROPOUT);
  double sum = 0, sq = 0;
  float lo = 1, hi = 0;
  long bad = 0, mapping_bad = 0;
  for (int i = 0; i < N; i++) {
    copy = r;
    float u = rng_uniform(&r);
    /* u = (top 24 bits) / 2^24: so 0 <= u <= 1 - 2^-24 < 1, every value a multiple of 2^-24 */
    if (i < 1000 && u != (float)((rng_u32(&copy) >> 8) * (1.0 / 16777216.0))) mapping_bad++;
    if (!(u >= 0 && u < 1)) bad++;
    double k = (double)u * 16777216.0;
    if (k != floor(k)) bad++;
    sum += u, sq += (double)u * u;
    lo = u < lo ? u : lo, hi = u > hi ? u : hi;
  }
  CHECK(bad == 0 && mapping_bad == 0);
  const double mean = sum / N, var = sq / N - mean * mean;
  /* mean: sd sqrt(1/12 / N) = 2.9e-4; variance of U^2-ish terms: sd of the sample variance
   * = sqrt((1/80 - 1/144) / N) = 7.5e-5 */
  CHECK(fabs(mean - 0.5) <= 5 * sqrt(1.0 / 12 / N));
  CHECK(fabs(var - 1.0 / 12) <= 5 * sqrt((1.0 / 80 - 1.0 / 144) / N));
  CHECK(lo < 1e-5 && hi > 1 - 1e-5); /* P(min > 1e-5) = (1 - 1e-5)^1e6 = e^-10 */
  /* The largest value is below 1 even when it is a float */
  CHECK((float)(0xFFFFFFFFu >> 8) * (1.0f / 16777216.0f) < 1.0f);
}

/* Pearson's chi-square for rng_below(n) over `draws` draws: n - 1 degrees of freedom,
 * mean n - 1 and sd sqrt(2(n - 1)); the bound is mean + 5 sd. */
static void chi_square_below(uint32_t n, long draws, uint32_t seed) {
  long *count = calloc(n, sizeof *count);
  rng_t r;
  rng_seed(&r, seed, 9);
  long out_of_range = 0;
  for (long i = 0; i < draws; i++) {
    uint32_t v = rng_below(&r, n);
    if (v >= n) out_of_range++;
    else count[v]++;
  }
  CHECK(out_of_range == 0);
  const double expect = (double)draws / n;
  double chi2 = 0;
  long empty = 0;
  for (uint32_t k = 0; k < n; k++) {
    chi2 += (count[k] - expect) * (count[k] - expect) / expect;
    empty += count[k] == 0;
  }
  const double dof = n - 1.0, bound = dof + 5 * sqrt(2 * dof);
  printf("  rng_below(%u): %ld draws, chi-square %.1f (dof %.0f, bound %.1f)\n", n, draws, chi2, dof,
         bound);
  CHECK(empty == 0);
  CHECK(chi2 <= bound);
  free(count);
}

static void test_rng_below(void) {
  rng_t r;
  rng_seed(&r, 3, 3);
  for (int i = 0; i < 1000; i++) CHECK(rng_below(&r, 1) == 0);
  chi_square_below(2, 100000, 1);
  chi_square_below(10, 100000, 2);
  chi_square_below(7, 70000, 3);
  chi_square_below(1000, 1000000, 4);   /* 1000 draws per bin */
  chi_square_below(60000, 6000000, 5);  /* MNIST's train_size: 100 per bin */

  /* Large n, where u32 % n would be visibly biased: for n = 3 * 2^30 the values below
   * 2^32 - n = 2^30 = n/3 would get probability 1/2 instead of 1/3 with a modulo. */
  const uint32_t big = 3u << 30;
  long below_third = 0, out = 0;
  const long N = 200000;
  for (long i = 0; i < N; i++) {
    uint32_t v = rng_below(&r, big);
    out += v >= big;
    below_third += v < big / 3;
  }
  CHECK(out == 0);
  CHECK(fabs((double)below_third / N - 1.0 / 3) <= 5 * sqrt(2.0 / 9 / N));
  /* n = 2^31 + 1 has the largest rejection zone (almost half the draws are retried). */
  const uint32_t half = (1u << 31) + 1;
  long upper = 0;
  out = 0;
  for (long i = 0; i < N; i++) {
    uint32_t v = rng_below(&r, half);
    out += v >= half;
    upper += v >= half / 2;
  }
  CHECK(out == 0);
  CHECK(fabs((double)upper / N - 0.5) <= 5 * sqrt(0.25 / N));
  /* n = 2^32 - 1 */
  for (int i = 0; i < 1000; i++) CHECK(rng_below(&r, 0xFFFFFFFFu) < 0xFFFFFFFFu);
}

static void test_rng_normal(void) {
  enum { N = 400000 };
  rng_t r;
  rng_seed(&r, 77, RNG_STREAM_INIT);
  double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  long in1 = 0, in2 = 0, nonfinite = 0;
  for (int i = 0; i < N; i++) {
    double z = rng_normal(&r);
    if (!isfinite(z)) nonfinite++;
    s1 += z, s2 += z * z, s3 += z * z * z, s4 += z * z * z * z;
    in1 += fabs(z) < 1, in2 += fabs(z) < 2;
  }
  CHECK(nonfinite == 0);
  const double mean = s1 / N, var = s2 / N - mean * mean, sd = sqrt(var);
  const double skew = s3 / N, kurt = s4 / N; /* mean ~ 0, so raw moments suffice */
  printf("  rng_normal: %d draws, mean %+.5f, std %.5f, skew %+.4f, kurtosis %.4f, "
         "P(|z|<1) %.5f, P(|z|<2) %.5f\n",
         N, mean, sd, skew, kurt, (double)in1 / N, (double)in2 / N);
  /* 5-sigma bounds: mean 1/sqrt(N); std 1/sqrt(2N); skewness sqrt(15/N) (Var z^3 = 15);
   * kurtosis sqrt(96/N) (Var z^4 = 105 - 9); binomial for the two fractions. */
  CHECK(fabs(mean) <= 5 / sqrt((double)N));
  CHECK(fabs(sd - 1) <= 5 / sqrt(2.0 * N));
  CHECK(fabs(skew) <= 5 * sqrt(15.0 / N));
  CHECK(fabs(kurt - 3) <= 5 * sqrt(96.0 / N));
  const double p1 = 0.6826894921370859, p2 = 0.9544997361036416;
  CHECK(fabs((double)in1 / N - p1) <= 5 * sqrt(p1 * (1 - p1) / N));
  CHECK(fabs((double)in2 / N - p2) <= 5 * sqrt(p2 * (1 - p2) / N));
}

int main(void) {
  test_optimizer(DLFS_SGD, "sgd", WANT_SGD);
  test_optimizer(DLFS_MOMENTUM, "momentum", WANT_MOMENTUM);
  test_optimizer(DLFS_ADAGRAD, "adagrad", WANT_ADAGRAD);
  test_optimizer(DLFS_ADAM, "adam", WANT_ADAM);
  test_optimizer_bit_identity(DLFS_SGD, "sgd");
  test_optimizer_bit_identity(DLFS_MOMENTUM, "momentum");
  test_optimizer_bit_identity(DLFS_ADAGRAD, "adagrad");
  test_optimizer_bit_identity(DLFS_ADAM, "adam");
  test_run_optimizer_settings();

  test_init_stats(DLFS_INIT_STD, 0, "std 0.01");
  test_init_stats(DLFS_INIT_XAVIER, 0, "xavier");
  test_init_stats(DLFS_INIT_HE, 0, "he");
  test_init_stats(DLFS_INIT_HE, 1, "he + batchnorm");
  test_init_stats(DLFS_INIT_STD, 1, "std 0.01 + batchnorm");
  test_init_determinism();

  test_rng_reference();
  test_rng_determinism();
  test_rng_uniform();
  test_rng_below();
  test_rng_normal();
  return check_finish("test_optim_init_rng");
}
