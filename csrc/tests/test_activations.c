/* test_activations.c: dlfs_activation_histograms, the book's section 6.2.2
 * experiment (ch06/weight_init_activation_histogram.py).
 *
 * 1. Exactness against a separate, naive transcription of the script: the
 *    same seeded draws, np.histogram's bin rule written from its definition
 *    (edges from np.linspace, edges[b] <= v < edges[b+1], last bin closed),
 *    found by a linear search over the edges rather than by scaling.
 * 2. What the book's figures show, at its shape (1000 x 100, 5 layers, 30 bins).
 * 3. ReLU's positive homogeneity: one seed draws the same weights up to scale,
 *    so layer l's values under std s are exactly s^l times those under std 1.
 * 4. Every documented error. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "dlfs.h"
#include "rng.h"

#define MAXL 5
#define MAXB 30

typedef struct {
  int32_t counts[MAXL * MAXB], below[MAXL], above[MAXL];
  float mean[MAXL], stdev[MAXL];
} hist_t;

static dlfs_status run(hist_t *h, int samples, int width, int layers, int act, int init,
                       float std, uint32_t seed, int bins, float lo, float hi) {
  memset(h, 0, sizeof *h);
  return dlfs_activation_histograms(samples, width, layers, act, init, std, seed, bins, lo, hi,
                                    h->counts, h->below, h->above, h->mean, h->stdev);
}

/* ---- 1. the naive transcription ---- */
enum { RS = 40, RW = 16, RL = 4, RB = 10 };

static double ref_act(int kind, double a) {
  return kind == DLFS_SIGMOID ? 1 / (1 + exp(-a)) : kind == DLFS_TANH ? tanh(a) : (a > 0 ? a : 0);
}

static void reference(hist_t *h, int act, double std, uint32_t seed, double lo, double hi) {
  static double x[RS][RW], z[RS][RW], w[RW][RW];
  double edges[RB + 1];
  for (int k = 0; k <= RB; k++) edges[k] = k * ((hi - lo) / RB) + lo;
  edges[RB] = hi;
  rng_t dr, ir;
  rng_seed(&dr, seed, RNG_STREAM_BATCH);
  rng_seed(&ir, seed, RNG_STREAM_INIT);
  for (int r = 0; r < RS; r++)
    for (int k = 0; k < RW; k++) x[r][k] = rng_normal(&dr);
  memset(h, 0, sizeof *h);
  for (int l = 0; l < RL; l++) {
    for (int k = 0; k < RW; k++)
      for (int j = 0; j < RW; j++) w[k][j] = rng_normal(&ir) * std;
    double sum = 0, sq = 0;
    for (int r = 0; r < RS; r++)
      for (int j = 0; j < RW; j++) {
        double a = 0;
        for (int k = 0; k < RW; k++) a += x[r][k] * w[k][j];
        z[r][j] = ref_act(act, a);
        sum += z[r][j];
      }
    for (int r = 0; r < RS; r++)
      for (int j = 0; j < RW; j++) {
        double v = z[r][j];
        sq += (v - sum / (RS * RW)) * (v - sum / (RS * RW));
        x[r][j] = v;
        if (v < lo) h->below[l]++;
        else if (v > hi) h->above[l]++;
        else
          for (int b = 0; b < RB; b++)
            if (edges[b] <= v && (v < edges[b + 1] || b == RB - 1)) {
              h->counts[l * RB + b]++;
              break;
            }
      }
    h->mean[l] = (float)(sum / (RS * RW));
    h->stdev[l] = (float)sqrt(sq / (RS * RW));
  }
}

static void test_against_reference(void) {
  const int inits[] = {DLFS_INIT_STD, DLFS_INIT_STD, DLFS_INIT_XAVIER, DLFS_INIT_HE};
  const float stds[] = {1.0f, 0.01f, 0, 0};
  const float ranges[][2] = {{0, 1}, {-1, 1}, {0.25f, 3}};
  for (int act = DLFS_RELU; act <= DLFS_TANH; act++)
    for (int i = 0; i < 4; i++)
      for (int r = 0; r < 3; r++) {
        hist_t got, want;
        double std = inits[i] == DLFS_INIT_XAVIER ? sqrt(1.0 / RW)
                     : inits[i] == DLFS_INIT_HE   ? sqrt(2.0 / RW)
                                                  : (double)stds[i];
        CHECK(run(&got, RS, RW, RL, act, inits[i], stds[i], 7, RB, ranges[r][0], ranges[r][1]) ==
              DLFS_OK);
        reference(&want, act, std, 7, ranges[r][0], ranges[r][1]);
        for (int l = 0; l < RL; l++) {
          for (int b = 0; b < RB; b++) CHECK(got.counts[l * RB + b] == want.counts[l * RB + b]);
          CHECK(got.below[l] == want.below[l]);
          CHECK(got.above[l] == want.above[l]);
          CHECK_CLOSE(got.mean[l], want.mean[l], 1e-6, 1e-30);
          CHECK_CLOSE(got.stdev[l], want.stdev[l], 1e-6, 1e-30);
        }
      }
}

/* ---- 2. the book's figures ---- */
enum { N = 1000, W = 100, L = 5, B = 30 };

static double frac(const hist_t *h, int l, int b0, int b1) { /* share of values in bins b0..b1 */
  long s = 0;
  for (int b = b0; b <= b1; b++) s += h->counts[l * B + b];
  return (double)s / (N * W);
}

static double rms(const hist_t *h, int l) {
  return sqrt((double)h->mean[l] * h->mean[l] + (double)h->stdev[l] * h->stdev[l]);
}

static void test_book_figures(void) {
  hist_t h;
  /* Figure 6-10, sigmoid with std 1: values pile up at 0 and 1 (vanishing gradients);
   * the two end bins hold 0.57 to 0.74 of a layer for seeds 1..3. */
  CHECK(run(&h, N, W, L, DLFS_SIGMOID, DLFS_INIT_STD, 1, 1, B, 0, 1) == DLFS_OK);
  for (int l = 0; l < L; l++) {
    CHECK(frac(&h, l, 0, 0) + frac(&h, l, B - 1, B - 1) > 0.5);
    CHECK(h.below[l] == 0 && h.above[l] == 0); /* sigmoid stays in [0, 1]: nothing hidden */
  }
  /* Figure 6-11, std 0.01: everything near 0.5 (limited expressiveness). The first
   * layer's inputs have std 0.1 (|sigmoid - 0.5| <= 0.1 but for 4-sigma outliers),
   * later ones std ~0.05, so bins 12..17 = [0.4, 0.6) hold all but a handful. */
  CHECK(run(&h, N, W, L, DLFS_SIGMOID, DLFS_INIT_STD, 0.01f, 1, B, 0, 1) == DLFS_OK);
  for (int l = 0; l < L; l++) CHECK(frac(&h, l, 12, 17) > 0.999);
  /* Figure 6-13, Xavier: spread out, no bin holds a fifth of the values (seeds 1..3:
   * the fullest bin holds 0.14 to 0.16). */
  CHECK(run(&h, N, W, L, DLFS_SIGMOID, DLFS_INIT_XAVIER, 0, 1, B, 0, 1) == DLFS_OK);
  for (int l = 0; l < L; l++)
    for (int b = 0; b < B; b++) CHECK(frac(&h, l, b, b) < 0.2);
  /* Figure 6-14, ReLU: He keeps the root mean square of the activations from layer
   * to layer (in expectation; ratio layer 5 / layer 1 = 1), Xavier halves its square
   * per layer (ratio 0.5^2 = 0.25), std 0.01 multiplies it by 0.01 * sqrt(50) per
   * layer (2.5e-5). One fixed weight draw per layer makes the ratios wander: seeds
   * 1..3 gave He 0.64, 1.01, 0.92; Xavier 0.16, 0.25, 0.23; std 0.01 1.6e-5 to 2.5e-5. */
  hist_t he, xa;
  CHECK(run(&he, N, W, L, DLFS_RELU, DLFS_INIT_HE, 0, 1, B, 0, 1) == DLFS_OK);
  CHECK(run(&xa, N, W, L, DLFS_RELU, DLFS_INIT_XAVIER, 0, 1, B, 0, 1) == DLFS_OK);
  CHECK(run(&h, N, W, L, DLFS_RELU, DLFS_INIT_STD, 0.01f, 1, B, 0, 1) == DLFS_OK);
  const double he_r = rms(&he, L - 1) / rms(&he, 0), xa_r = rms(&xa, L - 1) / rms(&xa, 0);
  CHECK(he_r > 0.5 && he_r < 2);
  CHECK(xa_r > 0.1 && xa_r < 0.4);
  CHECK(rms(&h, L - 1) / rms(&h, 0) < 1e-4);
  /* ReLU outputs are never below 0; about half are exactly 0 and land in bin 0
   * (seeds 1..3: 0.43 to 0.60 per layer). */
  for (int l = 0; l < L; l++) {
    CHECK(he.below[l] == 0);
    CHECK(frac(&he, l, 0, 0) > 0.4);
  }
  /* tanh is symmetric: the book's range (0, 1) hides about half of it (seeds 1..3: 0.497..0.504). */
  CHECK(run(&h, N, W, L, DLFS_TANH, DLFS_INIT_XAVIER, 0, 1, B, 0, 1) == DLFS_OK);
  for (int l = 0; l < L; l++) CHECK_CLOSE((double)h.below[l] / (N * W), 0.5, 0.05, 0);
}

/* ---- 3. ReLU homogeneity and seeding ---- */
static void test_homogeneity_and_seed(void) {
  hist_t one, small, again, other;
  CHECK(run(&one, N, W, L, DLFS_RELU, DLFS_INIT_STD, 1, 3, B, 0, 1) == DLFS_OK);
  CHECK(run(&small, N, W, L, DLFS_RELU, DLFS_INIT_STD, 0.5f, 3, B, 0, 1) == DLFS_OK);
  for (int l = 0; l < L; l++) {
    CHECK_CLOSE(small.mean[l], one.mean[l] * pow(0.5, l + 1), 1e-6, 0);
    CHECK_CLOSE(small.stdev[l], one.stdev[l] * pow(0.5, l + 1), 1e-6, 0);
  }
  CHECK(run(&again, N, W, L, DLFS_RELU, DLFS_INIT_STD, 1, 3, B, 0, 1) == DLFS_OK);
  CHECK(memcmp(&again, &one, sizeof one) == 0);
  CHECK(run(&other, N, W, L, DLFS_RELU, DLFS_INIT_STD, 1, 4, B, 0, 1) == DLFS_OK);
  CHECK(memcmp(other.counts, one.counts, sizeof one.counts) != 0);
}

/* ---- 4. errors ---- */
static void test_errors(void) {
  hist_t h;
  int32_t c[4], lo[1], hi[1];
  float m[1], s[1];
  CHECK(dlfs_activation_histograms(10, 4, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 0, 1, NULL, lo, hi,
                                   m, s) == DLFS_E_ARG);
  CHECK(dlfs_activation_histograms(10, 4, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 0, 1, c, lo, hi, m,
                                   NULL) == DLFS_E_ARG);
  CHECK(run(&h, 0, 4, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 0, 1) == DLFS_E_ARG);
  CHECK(run(&h, 10, 1025, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 0, 1) == DLFS_E_ARG);
  CHECK(run(&h, 10, 4, 0, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 0, 1) == DLFS_E_ARG);
  CHECK(run(&h, 10, 4, DLFS_MAX_HIDDEN + 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 0, 1) == DLFS_E_ARG);
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 0, 0, 1) == DLFS_E_ARG);
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 1, 1) == DLFS_E_ARG);
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, 0, INFINITY) == DLFS_E_ARG);
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, DLFS_INIT_HE, 0, 1, 4, NAN, 1) == DLFS_E_ARG);
  CHECK(run(&h, 10, 4, 1, 3, DLFS_INIT_HE, 0, 1, 4, 0, 1) == DLFS_E_ACTIVATION);
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, 3, 0, 1, 4, 0, 1) == DLFS_E_INIT);
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, DLFS_INIT_STD, 0, 1, 4, 0, 1) == DLFS_E_INIT);
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, DLFS_INIT_STD, NAN, 1, 4, 0, 1) == DLFS_E_INIT);
  /* Xavier and He ignore init_std, as dlfs_config does. */
  CHECK(run(&h, 10, 4, 1, DLFS_RELU, DLFS_INIT_XAVIER, -1, 1, 4, 0, 1) == DLFS_OK);
}

int main(void) {
  test_against_reference();
  test_book_figures();
  test_homogeneity_and_seed();
  test_errors();
  return check_finish("test_activations");
}
