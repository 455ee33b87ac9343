/* check.h: the C tests' tiny harness. A failed CHECK records the failure
 * and the test continues; check_finish() returns non-zero if anything
 * failed, so main() can `return check_finish();` and ctest sees it. */
#ifndef DLFS_CHECK_H
#define DLFS_CHECK_H

#include <stdio.h>

void check_fail(const char *file, int line, const char *what);
void check_close(const char *file, int line, const char *what, double got, double want, double rtol,
                 double atol);
int check_finish(const char *test_name);

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) check_fail(__FILE__, __LINE__, #cond);                                            \
  } while (0)

/* |got - want| <= atol + rtol * |want| */
#define CHECK_CLOSE(got, want, rtol, atol)                                                         \
  check_close(__FILE__, __LINE__, #got, (double)(got), (double)(want), (rtol), (atol))

#endif
