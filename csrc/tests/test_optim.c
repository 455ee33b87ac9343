/* test_optim.c: the book's optimizers (common/optimizer.py, section 6.1).
 *
 * Three steps of each rule on five parameters, against values computed in
 * float64 with numpy 1.24 (/usr/bin/python3) by a line-by-line transcription
 * of the book's classes (SGD; Momentum 0.9; AdaGrad with 1e-7; Adam beta1 0.9,
 * beta2 0.999 with lr_t = lr * sqrt(1 - 0.999^t) / (1 - 0.9^t) and 1e-7),
 * pasted with repr(); csrc/tests/numpy_ref.py regenerates them and
 * scripts/test.sh checks them. Then optim_update (SIMD128 in the wasm build)
 * against the scalar rules bit for bit, and a run's optimizer settings. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "dlfs.h"
#include "internal.h"
#include "optim.h"

#ifdef DLFS_DOUBLE
#define RTOL 1e-12
#define ATOL 1e-14
#else
#define RTOL 2e-6 /* a few float32 ulps after three updates */
#define ATOL 1e-7
#endif

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
    real sq;
    optim_update(&st, p, g, m, v, NP, &sq);
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
      real sq;
      CHECK(optim_update(&st, p, g, m, v, n, &sq) == 1);
      /* The sum of squares of what it wrote, in any order: within n u of the exact sum. */
      double exact = 0;
      for (int i = 0; i < n; i++) exact += (double)p[i] * p[i];
      CHECK(fabs(sq - exact) <= n * 6e-8 * exact + 1e-30);
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
      real sq;
      CHECK(optim_update(&st2, q, z, zm, zv, n, &sq) == 0);
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
  return check_finish("test_optim");
}
