#include "check.h"

#include <math.h>

static int g_failures;
static int g_checks_reported;

void check_fail(const char *file, int line, const char *what) {
  g_failures++;
  if (g_checks_reported++ < 50) fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
}

void check_close(const char *file, int line, const char *what, double got, double want, double rtol,
                 double atol) {
  double err = fabs(got - want);
  if (!(err <= atol + rtol * fabs(want))) { /* written so that NaN fails */
    g_failures++;
    if (g_checks_reported++ < 50)
      fprintf(stderr, "FAIL %s:%d: %s = %.9g, want %.9g (err %.3g)\n", file, line, what, got, want,
              err);
  }
}

int check_finish(const char *test_name) {
  if (g_failures) {
    fprintf(stderr, "%s: %d check(s) failed\n", test_name, g_failures);
    return 1;
  }
  printf("%s: all checks passed\n", test_name);
  return 0;
}
