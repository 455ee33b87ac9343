/* abi.c: the C API described as data, for the JS side.
 *
 * Everything JS must know to fill a dlfs_config and read statuses (word
 * offsets from offsetof, enum values from the enums, limits from the
 * defines, the config key each status names) is taken here from dlfs.h by
 * the compiler, so it is written once. scripts/gen-abi.mjs turns this table
 * into web/engine/abi.js at build time; engine.js checks at load that the
 * .wasm it runs reports the same table. */
#include <stddef.h>

#include "dlfs.h"

typedef struct {
  const char *group;
  const char *name;
  int32_t value;
  const char *text;
} abi_entry;

/* Word offset of a field: every field is 4 bytes wide (see dlfs_config). */
#define FIELD(f, type) {"config", #f, (int32_t)(offsetof(dlfs_config, f) / 4), type}
#define STATUS(code, key) {"status", #code, code, key}
#define ENUM(group, name, v) {"enum." group, name, v, ""}
#define LIMIT(name, v) {"limit", name, v, ""}
#define STR2(x) #x
#define STR(x) STR2(x)

/* One word per field, as JS writes them: keep this in step with dlfs_config
 * (abi.test.mjs checks that every word of the struct is listed once). */
_Static_assert(sizeof(dlfs_config) % 4 == 0, "dlfs_config must be whole 32-bit words");

static const abi_entry entries[] = {
    {"config_words", "words", (int32_t)(sizeof(dlfs_config) / 4), ""},
    FIELD(input_size, "i32"),
    FIELD(output_size, "i32"),
    FIELD(n_hidden, "i32"),
    FIELD(hidden, "i32*" STR(DLFS_MAX_HIDDEN)),
    FIELD(activation, "i32"),
    FIELD(init, "i32"),
    FIELD(init_std, "f32"),
    FIELD(batch_norm, "i32"),
    FIELD(dropout, "f32"),
    FIELD(dropout_mode, "i32"),
    FIELD(weight_decay, "f32"),
    FIELD(optimizer, "i32"),
    FIELD(lr, "f32"),
    FIELD(batch_size, "i32"),
    FIELD(train_size, "i32"),
    FIELD(shuffle, "i32"),
    FIELD(seed, "u32"),
    FIELD(max_iterations, "i32"),
    FIELD(eval_batch, "i32"),
    FIELD(loss_mode, "i32"),

    /* Status ids are the enum's names without DLFS_; the key is the JS config
     * key the status is about ("" when none), which its message starts with. */
    STATUS(DLFS_OK, ""),
    STATUS(DLFS_E_NOMEM, ""),
    STATUS(DLFS_E_ARG, ""),
    STATUS(DLFS_E_INPUT_SIZE, "inputSize"),
    STATUS(DLFS_E_OUTPUT_SIZE, "outputSize"),
    STATUS(DLFS_E_HIDDEN_COUNT, "hidden"),
    STATUS(DLFS_E_HIDDEN_WIDTH, "hidden"),
    STATUS(DLFS_E_ACTIVATION, "activation"),
    STATUS(DLFS_E_INIT, "init"),
    STATUS(DLFS_E_BATCH_NORM, "batchNorm"),
    STATUS(DLFS_E_DROPOUT, "dropout"),
    STATUS(DLFS_E_DROPOUT_MODE, "dropoutMode"),
    STATUS(DLFS_E_WEIGHT_DECAY, "weightDecay"),
    STATUS(DLFS_E_OPTIMIZER, "optimizer"),
    STATUS(DLFS_E_LR, "lr"),
    STATUS(DLFS_E_BATCH_SIZE, "batchSize"),
    STATUS(DLFS_E_TRAIN_SIZE, "trainSize"),
    STATUS(DLFS_E_MAX_ITERATIONS, "maxIterations"),
    STATUS(DLFS_E_EVAL_BATCH, "evalBatch"),
    STATUS(DLFS_E_DATA_SHAPE, ""),
    STATUS(DLFS_E_LABEL, ""),
    STATUS(DLFS_E_DATA_FULL, ""),
    STATUS(DLFS_E_NOT_ENOUGH_DATA, "trainSize"),
    STATUS(DLFS_E_NO_TRAIN_DATA, ""),
    STATUS(DLFS_E_CURVE_FULL, "maxIterations"),
    STATUS(DLFS_E_DIVERGED, ""),
    STATUS(DLFS_E_SHUFFLE, "shuffle"),
    STATUS(DLFS_E_LOSS_MODE, "lossMode"),

    /* The names JS uses for each enum value (the config's values). */
    ENUM("activation", "relu", DLFS_RELU),
    ENUM("activation", "sigmoid", DLFS_SIGMOID),
    ENUM("activation", "tanh", DLFS_TANH),
    ENUM("init", "std", DLFS_INIT_STD),
    ENUM("init", "xavier", DLFS_INIT_XAVIER),
    ENUM("init", "he", DLFS_INIT_HE),
    ENUM("dropoutMode", "book", DLFS_DROPOUT_BOOK),
    ENUM("dropoutMode", "inverted", DLFS_DROPOUT_INVERTED),
    ENUM("optimizer", "sgd", DLFS_SGD),
    ENUM("optimizer", "momentum", DLFS_MOMENTUM),
    ENUM("optimizer", "adagrad", DLFS_ADAGRAD),
    ENUM("optimizer", "adam", DLFS_ADAM),
    ENUM("lossMode", "forward", DLFS_LOSS_FORWARD),
    ENUM("lossMode", "book", DLFS_LOSS_BOOK),
    ENUM("lossMode", "none", DLFS_LOSS_NONE),
    ENUM("curve", "loss", DLFS_CURVE_LOSS),
    ENUM("curve", "evalAcc", DLFS_CURVE_EVAL_ACC),
    ENUM("curve", "evalLoss", DLFS_CURVE_EVAL_LOSS),
    ENUM("curve", "decay", DLFS_CURVE_DECAY),

    LIMIT("statusCount", DLFS_STATUS_COUNT),
    LIMIT("maxHidden", DLFS_MAX_HIDDEN),
    LIMIT("maxEvalSlots", DLFS_MAX_EVAL_SLOTS),
    LIMIT("inputSizeMax", DLFS_INPUT_SIZE_MAX),
    LIMIT("outputSizeMin", DLFS_OUTPUT_SIZE_MIN),
    LIMIT("outputSizeMax", DLFS_OUTPUT_SIZE_MAX),
    LIMIT("hiddenWidthMax", DLFS_HIDDEN_WIDTH_MAX),
    LIMIT("batchSizeMax", DLFS_BATCH_SIZE_MAX),
    LIMIT("trainSizeMax", DLFS_TRAIN_SIZE_MAX),
    LIMIT("maxIterationsMax", DLFS_MAX_ITERATIONS_MAX),
    LIMIT("evalBatchMax", DLFS_EVAL_BATCH_MAX),
    LIMIT("dataCapacityMax", DLFS_DATA_CAPACITY_MAX),
    LIMIT("histSamplesMax", DLFS_HIST_SAMPLES_MAX),
    LIMIT("histBinsMax", DLFS_HIST_BINS_MAX),
};

int dlfs_abi_count(void) { return (int)(sizeof(entries) / sizeof(entries[0])); }

dlfs_status dlfs_abi_entry(int i, const char **group, const char **name, int32_t *value,
                           const char **text) {
  if (i < 0 || i >= dlfs_abi_count() || !group || !name || !value || !text) return DLFS_E_ARG;
  *group = entries[i].group;
  *name = entries[i].name;
  *value = entries[i].value;
  *text = entries[i].text;
  return DLFS_OK;
}
