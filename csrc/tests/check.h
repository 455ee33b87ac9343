/* check.h: the C tests' tiny harness. A failed CHECK records the failure
 * and the test continues; check_finish() prints how many checks ran and
 * returns non-zero if any failed, so main() can `return check_finish();`
 * and ctest sees it. The count covers CHECK, CHECK_CLOSE, CHECK_VEC,
 * CHECK_EXACT and check_ok(); it is deterministic (every draw is seeded),
 * so splitting a test file must keep the sum of the counts. */
#ifndef DLFS_CHECK_H
#define DLFS_CHECK_H

#include <stdio.h>

#include "real.h"

/* Counts one check and returns ok; a caller that builds its own message calls
 * check_fail() when it returns 0. */
int check_ok(int ok);
void check_fail(const char *file, int line, const char *what);
void check_close(const char *file, int line, const char *what, double got, double want, double rtol,
                 double atol);
void check_vec(const char *file, int line, const char *what, const real *got, const double *want, int n,
               double rtol, double atol);
void check_exact(const char *file, int line, const char *what, const real *got, const double *want, int n);
int check_finish(const char *test_name);

/* The layer tests' default tolerance: a few ulps of `real`. */
#ifdef DLFS_DOUBLE
#define REAL_RTOL 1e-12
#define REAL_ATOL 1e-12
#else
#define REAL_RTOL 2e-6
#define REAL_ATOL 1e-6
#endif

/* dst[i] = (real)src[i]: the tests write their inputs in double, as numpy printed them. */
void load_real(real *dst, const double *src, int n);

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!check_ok(!!(cond))) check_fail(__FILE__, __LINE__, #cond);                                \
  } while (0)

/* |got - want| <= atol + rtol * |want| */
#define CHECK_CLOSE(got, want, rtol, atol)                                                         \
  check_close(__FILE__, __LINE__, #got, (double)(got), (double)(want), (rtol), (atol))

/* CHECK_CLOSE for each of n values (one check per value). */
#define CHECK_VEC(what, got, want, n, rtol, atol)                                                  \
  check_vec(__FILE__, __LINE__, (what), (got), (want), (n), (rtol), (atol))

/* Bit-exact: got[i] must equal want[i] rounded to `real` (for operations that only select or
 * multiply by 0/1, so no rounding can occur). One check per value. */
#define CHECK_EXACT(what, got, want, n) check_exact(__FILE__, __LINE__, (what), (got), (want), (n))

#endif
