#include "check.h"

#include <math.h>

static long g_checks;
static long g_failures;
static int g_failures_reported;

int check_ok(int ok) {
  g_checks++;
  return ok;
}

void check_fail(const char *file, int line, const char *what) {
  g_failures++;
  if (g_failures_reported++ < 50) fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
}

void check_close(const char *file, int line, const char *what, double got, double want, double rtol,
                 double atol) {
  double err = fabs(got - want);
  if (!check_ok(err <= atol + rtol * fabs(want))) { /* written so that NaN fails */
    g_failures++;
    if (g_failures_reported++ < 50)
      fprintf(stderr, "FAIL %s:%d: %s = %.9g, want %.9g (err %.3g)\n", file, line, what, got, want,
              err);
  }
}

void check_vec(const char *file, int line, const char *what, const real *got, const double *want, int n,
               double rtol, double atol) {
  for (int i = 0; i < n; i++) {
    double err = fabs((double)got[i] - want[i]);
    if (!check_ok(err <= atol + rtol * fabs(want[i]))) {
      char buf[160];
      snprintf(buf, sizeof buf, "%s[%d] = %.9g, want %.9g", what, i, (double)got[i], want[i]);
      check_fail(file, line, buf);
    }
  }
}

void check_exact(const char *file, int line, const char *what, const real *got, const double *want, int n) {
  for (int i = 0; i < n; i++) {
    if (!check_ok(got[i] == (real)want[i])) {
      char buf[160];
      snprintf(buf, sizeof buf, "%s[%d] = %.9g, want exactly %.9g", what, i, (double)got[i], want[i]);
      check_fail(file, line, buf);
    }
  }
}

void load_real(real *dst, const double *src, int n) {
  for (int i = 0; i < n; i++) dst[i] = (real)src[i];
}

int check_finish(const char *test_name) {
  if (g_failures) {
    fprintf(stderr, "%s: %ld of %ld check(s) failed\n", test_name, g_failures, g_checks);
    return 1;
  }
  printf("%s: all %ld checks passed\n", test_name, g_checks);
  return 0;
}
