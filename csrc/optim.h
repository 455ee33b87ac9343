/* optim.h: the book's update rules (common/optimizer.py, section 6.1),
 * applied to the run's parameters as one flat array, as the book applies
 * one rule to every entry of its params dict (W, b, gamma, beta). */
#ifndef DLFS_OPTIM_H
#define DLFS_OPTIM_H

#include "real.h"

typedef struct {
  int kind;  /* dlfs_optimizer */
  real lr;
  int steps; /* Adam's iteration counter, for its bias-corrected lr */
} optim_state;

#define OPTIM_MOMENTUM ((real)0.9)
/* Adam's betas stay double: 1 - beta must be formed before rounding to float. */
#define OPTIM_BETA1 0.9
#define OPTIM_BETA2 0.999
#define OPTIM_EPS ((real)1e-7)

/* m and v are the optimizer's per-parameter state (m: momentum's velocity or
 * AdaGrad's h or Adam's m; v: Adam's v), zero at start, n entries each.
 * Returns 1 if every updated parameter is finite, 0 if any is inf or NaN.
 * *sumsq: the sum of the updated parameters' squares in no particular order
 * (within n u of the exact sum, or +inf), taken in the same pass: what the
 * next step's test of the weight-decay term's finiteness needs (net.c),
 * without a second pass over every weight. */
int optim_update(optim_state *st, real *params, const real *grads, real *m, real *v, long n,
                 real *sumsq);

#endif
