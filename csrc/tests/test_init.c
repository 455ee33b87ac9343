/* test_init.c: weight initialisation (sections 6.2, 6.3).
 *
 * Runs of 784-100-100-10 with std 0.01, Xavier sqrt(1/n_in) and He
 * sqrt(2/n_in); each W's sample mean and standard deviation must lie within
 * 5 standard errors of the target: for n normal samples the sample std has
 * relative standard error 1/sqrt(2n) (0.25% for the 78400 weights of layer 1,
 * 0.71% for 10000, 2.2% for 1000) and the mean has standard error
 * sigma/sqrt(n). Biases 0, gamma 1, beta 0. The same seed gives the same
 * weights, and the init kinds differ only by their scale. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "dlfs.h"
#include "internal.h"
#include "rng.h"

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

int main(void) {
  test_init_stats(DLFS_INIT_STD, 0, "std 0.01");
  test_init_stats(DLFS_INIT_XAVIER, 0, "xavier");
  test_init_stats(DLFS_INIT_HE, 0, "he");
  test_init_stats(DLFS_INIT_HE, 1, "he + batchnorm");
  test_init_stats(DLFS_INIT_STD, 1, "std 0.01 + batchnorm");
  test_init_determinism();
  return check_finish("test_init");
}
