/* test_layers.c: each layer's forward and backward pass (Affine, ReLU,
 * Sigmoid, tanh, BatchNormalization) against values computed independently.
 *
 * All expected values below were computed in float64 with numpy 1.24
 * (/usr/bin/python3), transcribing the book's common/layers.py (Affine, Relu,
 * Sigmoid, BatchNormalization with eps = 10e-7 and momentum 0.9), then pasted
 * here with repr(). csrc/tests/numpy_ref.py regenerates them from the inputs
 * below, and scripts/test.sh checks the committed values against it. The
 * inputs are small hand-picked numbers so the simplest ones can also be
 * checked by hand (noted where so). The loss layer is in test_loss.c and
 * Dropout in test_dropout.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gemm.h"
#include "layers.h"

static real scratch[8192];

/* ---- Affine (5.6.2) ---- */
static void test_affine(void) {
  /* x[2x3] . W[3x4] + b[4]; the first entry by hand: 1*0.1 + (-2)*0.5 + 0.5*(-1) + 0.5 = -0.9 */
  static const double x[6] = {1.0, -2.0, 0.5, 0.25, 3.0, -1.5};
  static const double W[12] = {0.1, -0.2, 0.3, 0.0, 0.5, 0.25, -0.75, 1.0, -1.0, 2.0, 0.125, -0.5};
  static const double b[4] = {0.5, -1.0, 0.0, 2.0};
  static const double dout[8] = {1.0, -1.0, 0.5, 2.0, -0.5, 0.25, 1.5, -2.0};
  /* numpy: x @ W + b, dout @ W.T, x.T @ dout, dout.sum(0) */
  static const double want_out[8] = {-0.8999999999999999, -0.7, 1.8625, -0.25,
                                     3.525, -3.3, -2.3625, 5.75};
  static const double want_dx[6] = {0.45000000000000007, 1.875, -3.9375, 0.35, -3.3125, 2.1875};
  static const double want_dW[12] = {0.875, -0.9375, 0.875, 1.5, -3.5, 2.75,
                                     3.5, -10.0, 1.25, -0.875, -2.0, 4.0};
  static const double want_db[4] = {0.5, -0.75, 2.0, 0.0};
  real rx[6], rW[12], rb[4], rd[8], out[8], dx[6], dW[12], db[4];
  load_real(rx, x, 6), load_real(rW, W, 12), load_real(rb, b, 4), load_real(rd, dout, 8);
  affine_forward(out, rx, rW, rb, scratch, 2, 3, 4);
  CHECK_VEC("affine out", out, want_out, 8, REAL_RTOL, REAL_ATOL);
  affine_backward(dx, dW, db, rd, rx, rW, scratch, 2, 3, 4);
  CHECK_VEC("affine dx", dx, want_dx, 6, REAL_RTOL, REAL_ATOL);
  CHECK_VEC("affine dW", dW, want_dW, 12, REAL_RTOL, REAL_ATOL);
  CHECK_VEC("affine db", db, want_db, 4, REAL_RTOL, REAL_ATOL);
  /* dinp may be NULL (first layer): dW and db must still be right. */
  memset(dW, 0, sizeof dW), memset(db, 0, sizeof db);
  affine_backward(NULL, dW, db, rd, rx, rW, scratch, 2, 3, 4);
  CHECK_VEC("affine dW (dinp NULL)", dW, want_dW, 12, REAL_RTOL, REAL_ATOL);
  CHECK_VEC("affine db (dinp NULL)", db, want_db, 4, REAL_RTOL, REAL_ATOL);
}

/* ---- ReLU, Sigmoid, tanh and their backward passes ---- */
static void test_activations(void) {
  static const double v[5] = {-3.0, -0.5, 0.0, 0.7, 2.5};
  static const double dv[5] = {0.3, -1.2, 2.0, -0.4, 1.1};
  /* ReLU by hand: max(x, 0); backward passes dout where x > 0 (the book masks x <= 0, so x = 0 gives 0). */
  static const double want_relu[5] = {0, 0, 0, 0.7, 2.5};
  static const double want_relu_b[5] = {0, 0, 0, -0.4, 1.1};
  /* numpy: s = 1/(1+exp(-v)); dv*(1-s)*s; t = tanh(v); dv*(1-t*t). sigmoid(0) = 0.5 and tanh(0) = 0 by hand. */
  static const double want_sig[5] = {0.04742587317756678, 0.3775406687981454, 0.5,
                                     0.668187772168166, 0.9241418199787566};
  static const double want_sig_b[5] = {0.01355299791927364, -0.28200445464191337, 0.5,
                                       -0.08868514931724363, 0.07711408819961889};
  static const double want_tanh[5] = {-0.9950547536867305, -0.46211715726000974, 0.0,
                                      0.6043677771171634, 0.9866142981514303};
  static const double want_tanh_b[5] = {0.0029598111496320634, -0.9437372795591128, 2.0,
                                        -0.2538958359929835, 0.02925144935147658};
  real x[5], d[5], y[5], g[5];
  load_real(x, v, 5), load_real(d, dv, 5);

  relu_forward(y, x, 5);
  CHECK_EXACT("relu", y, want_relu, 5);
  relu_backward(g, d, y, 5);
  CHECK_EXACT("relu backward", g, want_relu_b, 5);
  memcpy(g, d, sizeof g); /* in place, as the run does */
  relu_backward(g, g, y, 5);
  CHECK_EXACT("relu backward in place", g, want_relu_b, 5);

  sigmoid_forward(y, x, 5);
  CHECK_VEC("sigmoid", y, want_sig, 5, REAL_RTOL, REAL_ATOL);
  sigmoid_backward(g, d, y, 5);
  CHECK_VEC("sigmoid backward", g, want_sig_b, 5, 2 * REAL_RTOL, REAL_ATOL);
  memcpy(g, d, sizeof g);
  sigmoid_backward(g, g, y, 5);
  CHECK_VEC("sigmoid backward in place", g, want_sig_b, 5, 2 * REAL_RTOL, REAL_ATOL);

  tanh_forward(y, x, 5);
  CHECK_VEC("tanh", y, want_tanh, 5, REAL_RTOL, REAL_ATOL);
  tanh_backward(g, d, y, 5);
  /* 1 - y^2 near |y| = 1 loses relative precision: compare with an absolute bound. */
  CHECK_VEC("tanh backward", g, want_tanh_b, 5, 2 * REAL_RTOL, 4 * REAL_ATOL);
  memcpy(g, d, sizeof g);
  tanh_backward(g, g, y, 5);
  CHECK_VEC("tanh backward in place", g, want_tanh_b, 5, 2 * REAL_RTOL, 4 * REAL_ATOL);

  /* Saturation: no NaN or inf from large inputs. */
  real big[4] = {-100, 100, -1000, 1000}, out[4];
  sigmoid_forward(out, big, 4);
  CHECK(out[0] >= 0 && out[0] < 1e-40 && out[1] == 1 && out[2] == 0 && out[3] == 1);
  tanh_forward(out, big, 4);
  CHECK(out[0] == -1 && out[1] == 1 && out[2] == -1 && out[3] == 1);
}

/* ReLU over every length 0..37 (SIMD body plus each tail length in the wasm
 * build), in place and not, against the scalar definition, bit for bit. */
static void test_relu_lengths(void) {
  real x[37], y[37], d[37], g[37];
  for (int i = 0; i < 37; i++) {
    x[i] = (real)((i * 7 % 11) - 5) * (real)0.25; /* negatives, zeros, positives */
    d[i] = (real)(i + 1) * (real)0.5;
  }
  x[3] = (real)-0.0;
  for (int n = 0; n <= 37; n++) {
    for (int i = 0; i < 37; i++) y[i] = g[i] = (real)99;
    relu_forward(y, x, n);
    relu_backward(g, d, y, n);
    for (int i = 0; i < n; i++) {
      real want = x[i] > 0 ? x[i] : 0;
      CHECK(memcmp(&y[i], &want, sizeof want) == 0);
      CHECK(g[i] == (x[i] > 0 ? d[i] : 0));
    }
    for (int i = n; i < 37; i++) CHECK(y[i] == 99 && g[i] == 99); /* nothing past n */
  }
  memcpy(y, x, sizeof x);
  relu_forward(y, y, 37);
  for (int i = 0; i < 37; i++) CHECK(y[i] == (x[i] > 0 ? x[i] : 0));
}

/* ---- BatchNormalization (6.3) ---- */
static void test_batchnorm(void) {
  /* x[4x3]; the third column is constant, so its variance is 0 and std = sqrt(eps) = 1e-3
   * (by hand), which exercises eps. Column 0 by hand: mean 1.5, var = (0.25+0.25+6.25+6.25)/4
   * = 3.25 (biased), std = sqrt(3.25 + 1e-6). */
  static const double x[12] = {1.0, -2.0, 0.5, 2.0, 0.0, 0.5, 4.0, 1.0, 0.5, -1.0, 3.0, 0.5};
  static const double x2[12] = {0.0, 1.0, -1.0, 2.0, 2.0, 1.0, 1.0, -1.0, 3.0, 5.0, 0.0, 1.0};
  static const double gamma[3] = {1.5, 0.5, 2.0}, beta[3] = {0.1, -0.2, 0.3};
  static const double dout[12] = {0.5, -1.0, 2.0, 1.0, 0.25, -1.0, -0.5, 2.0, 0.5, 0.75, -0.5, 1.5};
  /* numpy, common/layers.py __forward with train_flg=True and running stats starting at 0: */
  static const double want_out[12] = {
      -0.31602508316506783, -0.8933751386084463, 0.3, 0.5160250831650678,  -0.3386750277216893,
      0.3,                  2.1801254158253394,  -0.06132497227831074, 0.3, -1.9801254158253392,
      0.49337513860844634,  0.3};
  static const double want_xn[12] = {-0.27735005544337854, -1.3867502772168927, 0.0,
                                     0.27735005544337854,  -0.27735005544337854, 0.0,
                                     1.3867502772168927,   0.27735005544337854,  0.0,
                                     -1.3867502772168927,  1.3867502772168927,   0.0};
  static const double want_std[3] = {1.8027759150820715, 1.8027759150820715, 0.001};
  /* running = 0.9 * running + 0.1 * batch stat, after one and two batches (no bias correction) */
  static const double want_rm1[3] = {0.15000000000000002, 0.05, 0.05};
  static const double want_rv1[3] = {0.325, 0.325, 0.0};
  static const double want_rm2[3] = {0.3350000000000001, 0.095, 0.14500000000000002};
  static const double want_rv2[3] = {0.6425000000000001, 0.41750000000000004, 0.2};
  /* test mode on x with the running stats after two batches:
   * gamma * (x - rm2) / sqrt(rv2 + 1e-6) + beta */
  static const double want_test[12] = {
      1.3444458403558854, -1.821157730653915,  1.8876042950190743, 3.215792968710601,
      -0.2735131190511322, 1.8876042950190743, 6.958487225420032,  0.5003091867502591,
      1.8876042950190743, -2.3982484163535447, 2.0479537983530416, 1.8876042950190743};
  /* the book's staged __backward (dxn, dxc, dstd, dvar, dmu) on the first batch */
  static const double want_dx[12] = {-0.04000238353340457, -0.21601305882497968, 2500.0,
                                     0.5600337374897393,   0.040002404868017635, -3500.0,
                                     -0.32001943628931206, 0.4800289490883171,   -500.0,
                                     -0.20001191766702275, -0.30401829513135503, 1500.0};
  static const double want_dgamma[3] = {-1.5947628187994267, 1.178737735634359, 0.0};
  static const double want_dbeta[3] = {1.75, 0.75, 3.0};

  real rx[12], rx2[12], g[3], bt[3], rd[12];
  real out[12], xn[12], sd[3], rm[3] = {0, 0, 0}, rv[3] = {0, 0, 0}, dx[12], dg[3], dbt[3];
  load_real(rx, x, 12), load_real(rx2, x2, 12), load_real(g, gamma, 3), load_real(bt, beta, 3), load_real(rd, dout, 12);

  batchnorm_forward_train(out, xn, sd, rx, g, bt, rm, rv, 4, 3);
  CHECK_VEC("bn out", out, want_out, 12, 4 * REAL_RTOL, REAL_ATOL);
  CHECK_VEC("bn xn", xn, want_xn, 12, 4 * REAL_RTOL, REAL_ATOL);
  CHECK_VEC("bn std", sd, want_std, 3, REAL_RTOL, REAL_ATOL * 1e-3);
  CHECK_VEC("bn running_mean 1", rm, want_rm1, 3, REAL_RTOL, REAL_ATOL);
  CHECK_VEC("bn running_var 1", rv, want_rv1, 3, REAL_RTOL, REAL_ATOL);

  batchnorm_backward(dx, dg, dbt, rd, xn, sd, g, 4, 3);
  /* The constant column's dx is ~1e3 (divided by sqrt(eps)): compare it relatively. */
  CHECK_VEC("bn dx", dx, want_dx, 12, 20 * REAL_RTOL, 4 * REAL_ATOL);
  CHECK_VEC("bn dgamma", dg, want_dgamma, 3, 4 * REAL_RTOL, REAL_ATOL);
  CHECK_VEC("bn dbeta", dbt, want_dbeta, 3, REAL_RTOL, REAL_ATOL);
  /* dx has zero column sums (the mean is subtracted) */
  for (int j = 0; j < 3; j++) CHECK_CLOSE(dx[j] + dx[3 + j] + dx[6 + j] + dx[9 + j], 0, 0, 1e-3);

  /* A second training batch: running stats keep their momentum; out is independent of them. */
  batchnorm_forward_train(out, xn, sd, rx2, g, bt, rm, rv, 4, 3);
  CHECK_VEC("bn running_mean 2", rm, want_rm2, 3, 4 * REAL_RTOL, REAL_ATOL);
  CHECK_VEC("bn running_var 2", rv, want_rv2, 3, 4 * REAL_RTOL, REAL_ATOL);

  batchnorm_forward_test(out, rx, g, bt, rm, rv, 4, 3);
  CHECK_VEC("bn test mode", out, want_test, 12, 8 * REAL_RTOL, 4 * REAL_ATOL);
  /* in place, as eval.c calls it */
  memcpy(out, rx, sizeof out);
  batchnorm_forward_test(out, out, g, bt, rm, rv, 4, 3);
  CHECK_VEC("bn test mode in place", out, want_test, 12, 8 * REAL_RTOL, 4 * REAL_ATOL);
}

/* The bias gradient (column sums; SIMD128 in the wasm build) equals rows
 * added in order one column at a time, bit for bit, for widths around the
 * 16- and 4-column blocks; add_scaled equals its scalar loop for every tail;
 * all_finite finds one inf or NaN wherever it is. */
static void test_bias_grad_and_finite(void) {
  static const int Ns[] = {1, 3, 4, 5, 15, 16, 17, 21, 100};
  static const int Bs[] = {1, 3, 100};
  static real dout[100 * 100], x[100 * 100], dW[100 * 100], db[100], ws[20000];
  unsigned s = 99;
  for (int bi = 0; bi < 3; bi++)
    for (int ni = 0; ni < 9; ni++) {
      const int B = Bs[bi], N = Ns[ni], K = 2;
      for (int i = 0; i < B * N; i++) {
        s = s * 1664525u + 1013904223u;
        dout[i] = (real)((double)(s >> 8) / (1 << 20) - 8.0);
      }
      for (int i = 0; i < B * K; i++) x[i] = (real)(i % 7) - 3;
      affine_backward(NULL, dW, db, dout, x, NULL, ws, B, K, N);
      for (int j = 0; j < N; j++) {
        real want = 0;
        for (int r = 0; r < B; r++) want += dout[r * N + j];
        if (!check_ok(db[j] == want)) {
          char buf[80];
          snprintf(buf, sizeof buf, "db B=%d N=%d column %d: %.9g, want %.9g", B, N, j, (double)db[j], (double)want);
          check_fail(__FILE__, __LINE__, buf);
          break;
        }
      }
    }
  for (int n = 1; n <= 21; n++) { /* add_scaled: y += a x, the same mul and add per value */
    real y[21], want[21];
    for (int i = 0; i < n; i++) x[i] = (real)(0.37 * i - 2.9), y[i] = want[i] = (real)(1.3 - 0.11 * i);
    add_scaled(y, x, (real)3e-4, n);
    for (int i = 0; i < n; i++) want[i] += (real)3e-4 * x[i];
    CHECK(memcmp(y, want, sizeof(real) * n) == 0);
  }
  for (int n = 1; n <= 21; n++) {
    for (int i = 0; i < n; i++) x[i] = (real)i - 5;
    CHECK(all_finite(x, n));
    for (int at = 0; at < n; at++) {
      x[at] = (real)(at % 2 ? NAN : -INFINITY);
      CHECK(!all_finite(x, n));
      x[at] = 0;
    }
  }
}

int main(void) {
  test_bias_grad_and_finite();
  test_relu_lengths();
  test_affine();
  test_activations();
  test_batchnorm();
  return check_finish("test_layers");
}
