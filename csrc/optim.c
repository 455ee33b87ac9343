#include "optim.h"

#include <math.h>

#include "dlfs.h"

/* The wasm build updates all but the last n % 4 parameters in SIMD128
 * (optim_wasmsimd.c, bit-identical); the loops below are the reference, and
 * do the rest. */
#if defined(DLFS_HAVE_WASMSIMD) && !defined(DLFS_DOUBLE)
long optim_update__wasmsimd(int kind, float lr, float lr_t, float *params, const float *grads, float *m,
                            float *v, long n, int *finite, float *sumsq);
#define OPTIM_SIMD 1
#endif

int optim_update(optim_state *st, real *params, const real *grads, real *m, real *v, long n,
                 real *sumsq) {
  real lr = st->lr, lr_t = 0;
  if (st->kind == DLFS_ADAM) { /* (6.1.6) the book's bias-corrected step size lr_t */
    st->steps++;
    /* 1 - beta is taken in double: in float32, 1 - 0.999f is 0.00099998713. */
    double b1t = pow(OPTIM_BETA1, st->steps), b2t = pow(OPTIM_BETA2, st->steps);
    lr_t = (real)(lr * sqrt(1.0 - b2t) / (1.0 - b1t));
  }
  long i = 0;
  int finite = 1;
  real sq = 0;
#ifdef OPTIM_SIMD
  i = optim_update__wasmsimd(st->kind, lr, lr_t, params, grads, m, v, n, &finite, &sq);
#endif
  const long from = i; /* the rest, after the switch: squares of what it updated */
  /* p * 0 is 0 for every finite p and NaN for inf or NaN, so this sum tells
   * whether any updated parameter is non-finite at the cost of one mul+add
   * per element inside the pass that already has the value in a register. */
  real nonfinite = 0;
  switch (st->kind) {
  case DLFS_SGD: /* W <- W - lr * dW   (6.1.2) */
    for (; i < n; i++) {
      params[i] -= lr * grads[i];
      nonfinite += params[i] * 0;
    }
    break;
  case DLFS_MOMENTUM: /* v <- 0.9 v - lr dW;  W <- W + v   (6.1.4) */
    for (; i < n; i++) {
      m[i] = OPTIM_MOMENTUM * m[i] - lr * grads[i];
      params[i] += m[i];
      nonfinite += params[i] * 0;
    }
    break;
  case DLFS_ADAGRAD: /* h <- h + dW^2;  W <- W - lr dW / (sqrt(h) + 1e-7)   (6.1.5) */
    for (; i < n; i++) {
      m[i] += grads[i] * grads[i];
      params[i] -= lr * grads[i] / ((real)sqrt(m[i]) + OPTIM_EPS);
      nonfinite += params[i] * 0;
    }
    break;
  case DLFS_ADAM: { /* (6.1.6) */
    const real one_minus_b1 = (real)(1.0 - OPTIM_BETA1), one_minus_b2 = (real)(1.0 - OPTIM_BETA2);
    for (; i < n; i++) {
      real g = grads[i];
      m[i] += one_minus_b1 * (g - m[i]);
      v[i] += one_minus_b2 * (g * g - v[i]);
      params[i] -= lr_t * m[i] / ((real)sqrt(v[i]) + OPTIM_EPS);
      nonfinite += params[i] * 0;
    }
    break;
  }
  default:
    break;
  }
  for (i = from; i < n; i++) sq += params[i] * params[i];
  *sumsq = sq;
  return finite && nonfinite == 0;
}
