/* rng.h: the run's seeded PRNG (xoshiro128**, seeded through splitmix64).
 *
 * A run keeps independent streams for initialisation, mini-batch sampling
 * and dropout masks, all derived from its one seed. That is what lets the
 * book's comparisons be fair: two runs with the same seed but different
 * init scales or BatchNorm on/off draw exactly the same mini-batches, as
 * the book's scripts do by feeding one batch_mask to every network. */
#ifndef DLFS_RNG_H
#define DLFS_RNG_H

#include <stdint.h>

typedef struct {
  uint32_t s[4];
} rng_t;

enum { RNG_STREAM_INIT = 1, RNG_STREAM_BATCH = 2, RNG_STREAM_DROPOUT = 3 };

void rng_seed(rng_t *r, uint32_t seed, uint32_t stream);
uint32_t rng_u32(rng_t *r);
/* Uniform in [0, 1) with 24 random bits (every float32 step representable). */
float rng_uniform(rng_t *r);
/* Uniform integer in [0, n), n >= 1, without modulo bias (Lemire's method). */
uint32_t rng_below(rng_t *r, uint32_t n);
/* Standard normal (Box-Muller in double; one draw per call for simplicity). */
double rng_normal(rng_t *r);

#endif
