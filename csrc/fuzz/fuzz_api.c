/* fuzz_api.c: a libFuzzer target for the whole C API (dlfs.h), built with
 * AddressSanitizer + UndefinedBehaviorSanitizer (cmake -DDLFS_FUZZ=ON with
 * clang; ./scripts/test.sh runs it for a bounded number of executions over
 * the corpus in csrc/fuzz/corpus/).
 *
 * One input is read as a little script:
 *   1. a raw config (29 words of fuzz bytes) through dlfs_config_check and, when
 *      it is valid and small, dlfs_run_create: create must agree with check;
 *   2. a "shaped" config: sizes folded into small ranges so a run is cheap,
 *      floats (lr, dropout, decay, init std) left as raw bits (NaN, Inf, 1e-50);
 *   3. up to two data sets filled from the input, with raw commit counts and
 *      labels, some with a shape the run does not expect;
 *   4. up to 24 operations: set_train/set_eval/train/evaluate/live settings/
 *      curves/activation histograms/getters with raw arguments, and the
 *      activation-distribution experiment.
 * Sizes are bounded by the harness, not the library: the API is allowed to
 * allocate what it is asked for (a 1e6 x 4096 data set is valid), but a
 * fuzzer should spend its time on edge cases, not on gigabytes.
 *
 * What counts as a bug: any sanitizer report, a status outside the enum, a
 * failed create that leaves *out set, create disagreeing with check, an
 * accuracy outside [0, 1], a curve longer than its capacity. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dlfs.h"

typedef struct {
  const uint8_t *p;
  size_t n;
} input_t;

static uint32_t take32(input_t *in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    v |= (uint32_t)(in->n ? *in->p : 0) << (8 * i);
    if (in->n) in->p++, in->n--;
  }
  return v;
}
static uint8_t take8(input_t *in) {
  uint8_t v = in->n ? *in->p : 0;
  if (in->n) in->p++, in->n--;
  return v;
}
static int32_t take_i32(input_t *in) { return (int32_t)take32(in); }
static float take_f32(input_t *in) {
  uint32_t bits = take32(in);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}
/* Mostly a small value in [lo, lo + span), sometimes raw bits (negative, huge). */
static int32_t take_small(input_t *in, int32_t lo, int32_t span) {
  uint8_t sel = take8(in);
  if (sel >= 248) return take_i32(in);
  return lo + (int32_t)(take32(in) % (uint32_t)span);
}

static void expect(int ok) {
  if (!ok) abort(); /* libFuzzer reports the input that broke an invariant */
}
static dlfs_status status(dlfs_status s) {
  expect((int)s >= 0 && (int)s < DLFS_STATUS_COUNT);
  expect(dlfs_status_str(s) != NULL);
  return s;
}

/* A config whose run is cheap enough to build many times a second. */
static int small_enough(const dlfs_config *c) {
  if (c->input_size > 256 || c->output_size > 64 || c->batch_size > 256 || c->eval_batch > 1024) return 0;
  if (c->max_iterations > 100000 || c->n_hidden < 1 || c->n_hidden > DLFS_MAX_HIDDEN) return 0;
  for (int l = 0; l < c->n_hidden; l++)
    if (c->hidden[l] > 128) return 0;
  return 1;
}

static void raw_config(input_t *in) {
  dlfs_config c;
  uint32_t words[sizeof c / 4];
  for (size_t i = 0; i < sizeof c / 4; i++) words[i] = take32(in);
  memcpy(&c, words, sizeof c);
  dlfs_status st = status(dlfs_config_check(&c));
  if (st != DLFS_OK || small_enough(&c)) {
    dlfs_run *r = (dlfs_run *)&c; /* not NULL: create must reset it on failure */
    dlfs_status cs = status(dlfs_run_create(&c, &r));
    expect(cs == st || cs == DLFS_E_NOMEM);
    expect((cs == DLFS_OK) == (r != NULL));
    dlfs_run_destroy(r);
  }
}

static dlfs_config shaped_config(input_t *in) {
  dlfs_config c;
  dlfs_config_default(&c);
  c.input_size = take_small(in, 1, 40);
  c.output_size = take_small(in, 2, 12);
  c.n_hidden = take_small(in, 1, DLFS_MAX_HIDDEN);
  for (int l = 0; l < DLFS_MAX_HIDDEN; l++) c.hidden[l] = take_small(in, 1, 24);
  c.activation = take_small(in, 0, 3);
  c.init = take_small(in, 0, 3);
  c.init_std = take_f32(in);
  c.batch_norm = take_small(in, 0, 2);
  c.dropout = (take8(in) & 1) ? take_f32(in) : 0.0f;
  c.dropout_mode = take_small(in, 0, 2);
  c.weight_decay = (take8(in) & 1) ? take_f32(in) : 0.0f;
  c.optimizer = take_small(in, 0, 4);
  c.lr = take_f32(in);
  c.batch_size = take_small(in, 1, 32);
  c.train_size = take_small(in, 1, 64);
  c.shuffle = take_small(in, 0, 2);
  c.seed = take32(in);
  c.max_iterations = take_small(in, 1, 64);
  c.eval_batch = take_small(in, 1, 48);
  c.loss_mode = take_small(in, 0, 2);
  return c;
}

/* A data set shaped for `c` (or not), filled and committed from the input. */
static dlfs_data *make_data(input_t *in, const dlfs_config *c) {
  int mismatch = take8(in) >= 224;
  int capacity = take_small(in, 0, 96);
  int features = mismatch ? take_small(in, 0, 48) : c->input_size;
  int classes = mismatch ? take_small(in, 0, 16) : c->output_size;
  /* Valid sizes allocate capacity * features bytes: keep those small. */
  int valid = capacity >= 1 && capacity <= 1000000 && features >= 1 && features <= 4096 && classes >= 2 &&
              classes <= 256;
  if (valid && (int64_t)capacity * features > (1 << 16)) return NULL;
  dlfs_data *d = (dlfs_data *)in; /* not NULL: create must reset it on failure */
  dlfs_status st = status(dlfs_data_create(capacity, features, classes, &d));
  expect((st == DLFS_OK) == (d != NULL));
  if (!d) return NULL;
  expect(dlfs_data_capacity(d) == capacity && dlfs_data_count(d) == 0);
  for (int k = take8(in) % 4; k > 0; k--) {
    int room = dlfs_data_capacity(d) - dlfs_data_count(d);
    int n = take_small(in, 0, room + 2); /* sometimes one or two past capacity */
    uint8_t *px = dlfs_data_pixels(d), *lab = dlfs_data_labels(d);
    int fill = n < room ? n : room;
    if (fill > 0) {
      int at = dlfs_data_count(d);
      for (long i = 0; i < (long)fill * features; i++) px[(long)at * features + i] = take8(in);
      /* Labels mostly valid, sometimes not: a bad one must refuse the whole commit. */
      for (int i = 0; i < fill; i++) {
        uint8_t b = take8(in);
        lab[at + i] = b >= 240 ? b : (uint8_t)(b % classes);
      }
    }
    int before = dlfs_data_count(d);
    dlfs_status cs = status(dlfs_data_commit(d, n));
    expect(dlfs_data_count(d) == (cs == DLFS_OK ? before + n : before));
  }
  return d;
}

static void activation_experiment(input_t *in) {
  int samples = take_small(in, 1, 48), width = take_small(in, 1, 24), layers = take_small(in, 1, 10);
  int bins = take_small(in, 1, 40), act = take_small(in, 0, 3), init = take_small(in, 0, 3);
  float std = take_f32(in), lo = take_f32(in), hi = take_f32(in);
  uint32_t seed = take32(in);
  int valid = samples >= 1 && samples <= 100000 && width >= 1 && width <= 1024 && layers >= 1 &&
              layers <= DLFS_MAX_HIDDEN && bins >= 1 && bins <= 4096;
  if (valid && (int64_t)samples * width * width > (1 << 20)) return;
  /* Invalid sizes must be refused before anything is written: give the smallest buffers. */
  size_t nl = valid ? (size_t)layers : 1, nb = valid ? (size_t)bins : 1;
  int32_t *counts = malloc(nl * nb * sizeof *counts), *below = malloc(nl * sizeof *below),
          *above = malloc(nl * sizeof *above);
  float *mean = malloc(nl * sizeof *mean), *sd = malloc(nl * sizeof *sd);
  if (counts && below && above && mean && sd) {
    dlfs_status st = status(dlfs_activation_histograms(samples, width, layers, act, init, std, seed, bins, lo,
                                                       hi, counts, below, above, mean, sd));
    if (st == DLFS_OK) {
      for (size_t l = 0; l < nl; l++) {
        int64_t total = (int64_t)below[l] + above[l];
        for (size_t b = 0; b < nb; b++) total += counts[l * nb + b];
        expect(total == (int64_t)samples * width);
      }
    }
  }
  free(counts), free(below), free(above), free(mean), free(sd);
}

static void operate(input_t *in, dlfs_run *r, dlfs_data *a, dlfs_data *b) {
  dlfs_data *sets[3] = {a, b, NULL};
  for (int op = 0; op < 24 && in->n; op++) {
    dlfs_data *d = sets[take8(in) % 3];
    switch (take8(in) % 10) {
    case 0: status(dlfs_run_set_train(r, d)); break;
    case 1: status(dlfs_run_set_eval(r, take_small(in, 0, 5), d, take_small(in, 0, 40))); break;
    case 2: {
      int before = dlfs_run_iterations(r);
      int k = take_small(in, 0, 6);
      if (k > 6) k = 6; /* raw huge counts: the run stops at max_iterations anyway, but stay quick */
      status(dlfs_run_train(r, k));
      expect(dlfs_run_iterations(r) >= before);
      break;
    }
    case 3: {
      float loss = 0, acc = -1;
      if (!d) break;
      if (status(dlfs_run_evaluate(r, d, take_small(in, 0, 64), take_small(in, 1, 64), &loss, &acc)) == DLFS_OK)
        expect(acc >= 0 && acc <= 1);
      break;
    }
    case 4: status(dlfs_run_set_lr(r, take_f32(in))); break;
    case 5: status(dlfs_run_set_weight_decay(r, take_f32(in))); break;
    case 6: status(dlfs_run_set_dropout(r, take_f32(in))); break;
    case 7: {
      int len = -1;
      const float *p = dlfs_run_curve(r, take_small(in, 0, 2 + 2 * DLFS_MAX_EVAL_SLOTS), &len);
      expect(len >= 0 && (p != NULL || len == 0));
      volatile float sink = 0;
      for (int i = 0; i < len; i++) sink += p[i]; /* ASan checks every point is inside the arena */
      (void)sink;
      break;
    }
    case 8: {
      if (!d) break;
      int32_t counts[64], below, above;
      float mean, sd;
      int bins = take_small(in, 1, 64);
      if (bins > 64) break; /* the buffer above holds 64; larger valid counts are not this test's business */
      status(dlfs_run_activation_hist(r, d, take_small(in, 0, 32), take_small(in, 1, 48), take_small(in, 0, 11),
                                      bins, take_f32(in), take_f32(in), counts, &below, &above, &mean, &sd));
      break;
    }
    default:
      expect(dlfs_run_iterations(r) >= 0);
      (void)dlfs_run_iter_per_epoch(r);
      expect(dlfs_run_diverged(r) == 0 || dlfs_run_diverged(r) == 1);
      break;
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
  input_t in = {bytes, size};
  uint8_t plan = take8(&in);
  if (plan & 1) raw_config(&in);
  if (plan & 2) activation_experiment(&in);
  dlfs_config c = shaped_config(&in);
  dlfs_status st = status(dlfs_config_check(&c));
  dlfs_run *r = NULL;
  dlfs_status cs = status(dlfs_run_create(&c, &r));
  expect((cs == st || cs == DLFS_E_NOMEM) && (cs == DLFS_OK) == (r != NULL));
  dlfs_data *a = make_data(&in, &c);
  dlfs_data *b = (plan & 4) ? make_data(&in, &c) : NULL;
  if (r) operate(&in, r, a, b);
  /* Destroy order: a run may point at data sets, but never reads them on destroy. */
  dlfs_data_destroy(a);
  dlfs_data_destroy(b);
  dlfs_run_destroy(r);
  return 0;
}
