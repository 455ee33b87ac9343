/* real.h: the engine's scalar type.
 *
 * The engine is float32 (as the browser needs it), but the numerical
 * gradient check (book section 5.7.3 / 6.3.2's batch_norm_gradient_check.py)
 * compiles the very same sources with -DDLFS_DOUBLE so that central
 * differences are accurate to ~1e-10 and a wrong backward pass cannot hide
 * behind float32 rounding. */
#ifndef DLFS_REAL_H
#define DLFS_REAL_H

#ifdef DLFS_DOUBLE
typedef double real;
#else
typedef float real;
#endif

#endif
