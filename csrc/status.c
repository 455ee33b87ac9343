/* status.c: status messages and config validation.
 *
 * Messages name the setting by the key of the JS config object that the
 * engine, CLI, URL state and page share, with the allowed range, so that
 * web/engine.js can throw them as they are. */
#include <math.h>
#include <stddef.h>

#include "dlfs.h"

/* The ranges in the messages are dlfs.h's limits, spelled out by the
 * preprocessor, so a limit is written once. */
#define STR_(x) #x
#define STR(x) STR_(x)

static const char *const messages[DLFS_STATUS_COUNT] = {
    [DLFS_OK] = "ok",
    [DLFS_E_NOMEM] = "out of memory",
    [DLFS_E_ARG] = "invalid argument",
    [DLFS_E_INPUT_SIZE] = "inputSize: must be an integer from 1 to " STR(DLFS_INPUT_SIZE_MAX),
    [DLFS_E_OUTPUT_SIZE] = "outputSize: must be an integer from " STR(DLFS_OUTPUT_SIZE_MIN) " to " STR(DLFS_OUTPUT_SIZE_MAX),
    [DLFS_E_HIDDEN_COUNT] = "hidden: must list 1 to " STR(DLFS_MAX_HIDDEN) " hidden layer widths",
    [DLFS_E_HIDDEN_WIDTH] = "hidden: every width must be an integer from 1 to " STR(DLFS_HIDDEN_WIDTH_MAX),
    [DLFS_E_ACTIVATION] = "activation: must be one of relu, sigmoid, tanh",
    [DLFS_E_INIT] = "init: must be 'he', 'xavier' or a finite standard deviation > 0",
    [DLFS_E_BATCH_NORM] = "batchNorm: must be true or false",
    [DLFS_E_DROPOUT] = "dropout: must be a ratio with 0 <= dropout < 1 (and > 0 to change it live, "
                       "since a run created without dropout has no dropout layers)",
    [DLFS_E_DROPOUT_MODE] = "dropoutMode: must be 'book' or 'inverted'",
    [DLFS_E_WEIGHT_DECAY] = "weightDecay: must be a finite number >= 0",
    [DLFS_E_OPTIMIZER] = "optimizer: must be one of sgd, momentum, adagrad, adam",
    [DLFS_E_LR] = "lr: must be a finite number > 0",
    [DLFS_E_BATCH_SIZE] = "batchSize: must be an integer from 1 to " STR(DLFS_BATCH_SIZE_MAX),
    [DLFS_E_TRAIN_SIZE] = "trainSize: must be an integer from 1 to " STR(DLFS_TRAIN_SIZE_MAX),
    [DLFS_E_MAX_ITERATIONS] = "maxIterations: must be an integer from 1 to " STR(DLFS_MAX_ITERATIONS_MAX),
    [DLFS_E_EVAL_BATCH] = "evalBatch: must be an integer from 1 to " STR(DLFS_EVAL_BATCH_MAX),
    [DLFS_E_DATA_SHAPE] = "data: image size or class count does not match the network",
    [DLFS_E_LABEL] = "data: a label is outside 0..classes-1",
    [DLFS_E_DATA_FULL] = "data: more images than the data set's capacity",
    [DLFS_E_NOT_ENOUGH_DATA] = "trainSize: more images requested than are loaded",
    [DLFS_E_NO_TRAIN_DATA] = "no training data attached to the run",
    [DLFS_E_CURVE_FULL] = "maxIterations: the run has reached its iteration limit",
    [DLFS_E_DIVERGED] = "diverged: the loss or a weight became non-finite (try a smaller lr or "
                        "init scale); training stopped",
    [DLFS_E_SHUFFLE] = "shuffle: must be true or false",
    [DLFS_E_LOSS_MODE] = "lossMode: must be 'forward', 'book' or 'none'",
};

const char *dlfs_status_str(int status) {
  if (status < 0 || status >= DLFS_STATUS_COUNT || !messages[status]) return "unknown status";
  return messages[status];
}

void dlfs_config_default(dlfs_config *c) {
  if (!c) return;
  *c = (dlfs_config){
      .input_size = 784,
      .output_size = 10,
      .n_hidden = 1,
      .hidden = {100},
      .activation = DLFS_RELU,
      .init = DLFS_INIT_HE,
      .init_std = 0.01f,
      .batch_norm = 0,
      .dropout = 0,
      .dropout_mode = DLFS_DROPOUT_BOOK,
      .weight_decay = 0,
      .optimizer = DLFS_SGD,
      .lr = 0.01f,
      .batch_size = 100,
      .train_size = 60000,
      .shuffle = 0,
      .seed = 1,
      .max_iterations = 100000,
      .eval_batch = 1000,
      .loss_mode = DLFS_LOSS_FORWARD,
  };
}

int dlfs_config_words(void) { return (int)(sizeof(dlfs_config) / 4); }

static int finite_positive(float x) { return isfinite(x) && x > 0; }

dlfs_status dlfs_config_check(const dlfs_config *c) {
  if (!c) return DLFS_E_ARG;
  if (c->input_size < 1 || c->input_size > DLFS_INPUT_SIZE_MAX) return DLFS_E_INPUT_SIZE;
  if (c->output_size < DLFS_OUTPUT_SIZE_MIN || c->output_size > DLFS_OUTPUT_SIZE_MAX) return DLFS_E_OUTPUT_SIZE;
  if (c->n_hidden < 1 || c->n_hidden > DLFS_MAX_HIDDEN) return DLFS_E_HIDDEN_COUNT;
  for (int l = 0; l < c->n_hidden; l++)
    if (c->hidden[l] < 1 || c->hidden[l] > DLFS_HIDDEN_WIDTH_MAX) return DLFS_E_HIDDEN_WIDTH;
  if (c->activation < DLFS_RELU || c->activation > DLFS_TANH) return DLFS_E_ACTIVATION;
  if (c->init < DLFS_INIT_STD || c->init > DLFS_INIT_HE) return DLFS_E_INIT;
  if (c->init == DLFS_INIT_STD && !finite_positive(c->init_std)) return DLFS_E_INIT;
  if (c->batch_norm != 0 && c->batch_norm != 1) return DLFS_E_BATCH_NORM;
  if (!(c->dropout >= 0 && c->dropout < 1)) return DLFS_E_DROPOUT;
  if (c->dropout_mode != DLFS_DROPOUT_BOOK && c->dropout_mode != DLFS_DROPOUT_INVERTED)
    return DLFS_E_DROPOUT_MODE;
  if (!(isfinite(c->weight_decay) && c->weight_decay >= 0)) return DLFS_E_WEIGHT_DECAY;
  if (c->optimizer < DLFS_SGD || c->optimizer > DLFS_ADAM) return DLFS_E_OPTIMIZER;
  if (!finite_positive(c->lr)) return DLFS_E_LR;
  if (c->batch_size < 1 || c->batch_size > DLFS_BATCH_SIZE_MAX) return DLFS_E_BATCH_SIZE;
  if (c->train_size < 1 || c->train_size > DLFS_TRAIN_SIZE_MAX) return DLFS_E_TRAIN_SIZE;
  if (c->shuffle != 0 && c->shuffle != 1) return DLFS_E_SHUFFLE;
  if (c->max_iterations < 1 || c->max_iterations > DLFS_MAX_ITERATIONS_MAX) return DLFS_E_MAX_ITERATIONS;
  if (c->eval_batch < 1 || c->eval_batch > DLFS_EVAL_BATCH_MAX) return DLFS_E_EVAL_BATCH;
  if (c->loss_mode != DLFS_LOSS_FORWARD && c->loss_mode != DLFS_LOSS_BOOK && c->loss_mode != DLFS_LOSS_NONE)
    return DLFS_E_LOSS_MODE;
  return DLFS_OK;
}
