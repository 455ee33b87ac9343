/* dlfs.h: the public C API of the dlfs-playground engine.
 *
 * A multi-layer perceptron exactly as Deep Learning from Scratch's
 * MultiLayerNetExtend (ch06/common/multi_layer_net_extend.py):
 *   per hidden layer:  Affine -> [BatchNorm] -> Activation -> [Dropout]
 *   then:              Affine -> Softmax-with-loss
 * trained with the book's optimizers (common/optimizer.py) on uint8 images.
 *
 * Two opaque handles, no global state:
 *   dlfs_data  a growable set of uint8 images + labels (MNIST shards are
 *              appended as they arrive). Many runs may read one data set.
 *   dlfs_run   one network + optimizer + PRNG + curves, all in one arena
 *              allocated by dlfs_run_create. Training never allocates.
 *
 * Every function that can fail returns a dlfs_status; dlfs_status_str gives
 * a message naming the offending setting (by its JS config key) and its
 * allowed range. Nothing here prints, exits or asserts on user input, and
 * every destroy accepts NULL. */
#ifndef DLFS_H
#define DLFS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  DLFS_OK = 0,
  DLFS_E_NOMEM = 1,         /* allocation failed */
  DLFS_E_ARG = 2,           /* NULL pointer or argument out of range for this call */
  DLFS_E_INPUT_SIZE = 3,    /* config.input_size out of 1..4096 */
  DLFS_E_OUTPUT_SIZE = 4,   /* config.output_size out of 2..256 */
  DLFS_E_HIDDEN_COUNT = 5,  /* hidden: 1..10 layers */
  DLFS_E_HIDDEN_WIDTH = 6,  /* hidden: each width 1..1024 */
  DLFS_E_ACTIVATION = 7,    /* activation not relu|sigmoid|tanh */
  DLFS_E_INIT = 8,          /* init kind unknown, or std not a finite number > 0 */
  DLFS_E_BATCH_NORM = 9,    /* batchNorm not 0/1 */
  DLFS_E_DROPOUT = 10,      /* dropout not 0 <= r < 1 */
  DLFS_E_DROPOUT_MODE = 11, /* dropoutMode not book|inverted */
  DLFS_E_WEIGHT_DECAY = 12, /* weightDecay not finite >= 0 */
  DLFS_E_OPTIMIZER = 13,    /* optimizer not sgd|momentum|adagrad|adam */
  DLFS_E_LR = 14,           /* lr not finite > 0 */
  DLFS_E_BATCH_SIZE = 15,   /* batchSize not 1..1024 */
  DLFS_E_TRAIN_SIZE = 16,   /* trainSize not 1..1000000 */
  DLFS_E_MAX_ITERATIONS = 17, /* maxIterations not 1..10000000 */
  DLFS_E_EVAL_BATCH = 18,   /* evalBatch not 1..10000 */
  DLFS_E_DATA_SHAPE = 19,   /* data set's features/classes differ from the network's */
  DLFS_E_LABEL = 20,        /* a label outside 0..classes-1 */
  DLFS_E_DATA_FULL = 21,    /* appending past the data set's capacity */
  DLFS_E_NOT_ENOUGH_DATA = 22, /* trainSize (or an eval range) exceeds the images loaded */
  DLFS_E_NO_TRAIN_DATA = 23,   /* dlfs_run_train before dlfs_run_set_train */
  DLFS_E_CURVE_FULL = 24,   /* maxIterations reached: the curves have no room left */
  DLFS_E_DIVERGED = 25,     /* loss or weights became non-finite; training stopped */
  DLFS_E_SHUFFLE = 26,      /* shuffle not 0/1 */
  DLFS_E_LOSS_MODE = 27,    /* lossMode not forward|book|none */
  DLFS_STATUS_COUNT
} dlfs_status;

typedef enum { DLFS_RELU = 0, DLFS_SIGMOID = 1, DLFS_TANH = 2 } dlfs_activation;
typedef enum { DLFS_INIT_STD = 0, DLFS_INIT_XAVIER = 1, DLFS_INIT_HE = 2 } dlfs_init;
typedef enum { DLFS_DROPOUT_BOOK = 0, DLFS_DROPOUT_INVERTED = 1 } dlfs_dropout_mode;
typedef enum { DLFS_SGD = 0, DLFS_MOMENTUM = 1, DLFS_ADAGRAD = 2, DLFS_ADAM = 3 } dlfs_optimizer;
/* Which loss the per-iteration curve records:
 *   FORWARD  the training-mode loss of the step's own forward pass (free);
 *   BOOK     as the book's scripts: network.loss(x_batch, t_batch) after the
 *            update, in test mode (costs one more forward pass);
 *   NONE     no loss curve (the LOSS and DECAY curves stay empty): for runs
 *            whose loss nobody reads (the search's trials). The step still
 *            stops a run whose loss is not finite, exactly when FORWARD would,
 *            but skips the decay term's exact sum over every weight. */
typedef enum { DLFS_LOSS_FORWARD = 0, DLFS_LOSS_BOOK = 1, DLFS_LOSS_NONE = 2 } dlfs_loss_mode;

#define DLFS_MAX_HIDDEN 10
#define DLFS_MAX_EVAL_SLOTS 4

/* Inclusive ranges that dlfs_config_check, dlfs_data_create and
 * dlfs_activation_histograms enforce (minimums not named here are 1).
 * dlfs_abi_entry hands them to JS; wasm-tests/abi.test.mjs checks each bound
 * against what C accepts and rejects. */
#define DLFS_INPUT_SIZE_MAX 4096
#define DLFS_OUTPUT_SIZE_MIN 2
#define DLFS_OUTPUT_SIZE_MAX 256
#define DLFS_HIDDEN_WIDTH_MAX 1024
#define DLFS_BATCH_SIZE_MAX 1024
#define DLFS_TRAIN_SIZE_MAX 1000000
#define DLFS_MAX_ITERATIONS_MAX 10000000
#define DLFS_EVAL_BATCH_MAX 10000
#define DLFS_DATA_CAPACITY_MAX 1000000
#define DLFS_HIST_SAMPLES_MAX 100000
#define DLFS_HIST_BINS_MAX 4096

/* Every field is 4 bytes wide so that JS can fill the struct through an
 * Int32Array/Float32Array view at word offsets that dlfs_abi_entry reports
 * (web/engine/abi.js is generated from them at build time). */
typedef struct {
  int32_t input_size;              /* 784 for MNIST */
  int32_t output_size;             /* 10 for MNIST */
  int32_t n_hidden;                /* 1..10 */
  int32_t hidden[DLFS_MAX_HIDDEN]; /* widths 1..1024; entries past n_hidden ignored */
  int32_t activation;              /* dlfs_activation */
  int32_t init;                    /* dlfs_init */
  float init_std;                  /* std of the normal when init == DLFS_INIT_STD */
  int32_t batch_norm;              /* 0/1 */
  float dropout;                   /* ratio, 0 = no dropout layers */
  int32_t dropout_mode;            /* dlfs_dropout_mode */
  float weight_decay;              /* L2 lambda */
  int32_t optimizer;               /* dlfs_optimizer */
  float lr;
  int32_t batch_size;
  int32_t train_size;              /* train on the first N images of the train set */
  int32_t shuffle;                 /* 0: draw with replacement (book); 1: epoch-wise shuffle */
  uint32_t seed;
  int32_t max_iterations;          /* capacity of the curves */
  int32_t eval_batch;              /* images per forward pass when evaluating */
  int32_t loss_mode;               /* dlfs_loss_mode */
} dlfs_config;

typedef struct dlfs_data dlfs_data;
typedef struct dlfs_run dlfs_run;

/* Curves a run records. LOSS and DECAY have one point per iteration; the EVAL
 * curves one point per epoch for each attached eval slot, recorded when
 * iteration % iter_per_epoch == 0 after that iteration's update (as the book).
 * DECAY is the weight-decay term 0.5 * lambda * sum(W^2) included in the LOSS
 * point of the same iteration (0 while lambda is 0), so LOSS - DECAY is the
 * cross-entropy: with decay the book's loss is mostly that term (6.4.2). */
typedef enum {
  DLFS_CURVE_LOSS = 0,
  DLFS_CURVE_EVAL_ACC = 1,  /* + 2 * slot */
  DLFS_CURVE_EVAL_LOSS = 2, /* + 2 * slot */
  DLFS_CURVE_DECAY = 1 + 2 * DLFS_MAX_EVAL_SLOTS,
} dlfs_curve;

/* ---- status ---- */
/* Never fails: an unknown status gives "unknown status". */
const char *dlfs_status_str(int status);

/* ---- ABI description (abi.c) ----
 * The facts JS needs to call this API, as a table generated from this header
 * by the compiler: config field word offsets and types, enum names and values,
 * status ids with the config key each names, limits. Entry i (0-based) gives
 * *group ("config", "config_words", "status", "enum.activation", ...,
 * "limit"), *name, *value and *text (the field type "i32"/"f32"/"u32" with
 * "*N" for arrays; for a status the config key it names, or ""). Pointers are
 * to static strings. E_ARG if i is out of range or an output is NULL. */
int dlfs_abi_count(void);
dlfs_status dlfs_abi_entry(int i, const char **group, const char **name, int32_t *value,
                           const char **text);

/* ---- config ---- */
/* Fills *cfg with the book's defaults (784-100-10, relu, he, sgd lr 0.01, batch 100). NULL is ignored. */
void dlfs_config_default(dlfs_config *cfg);
/* Size of dlfs_config in 32-bit words; never fails. */
int dlfs_config_words(void);
/* DLFS_OK or the status naming the first invalid field; DLFS_E_ARG if cfg is NULL. */
dlfs_status dlfs_config_check(const dlfs_config *cfg);

/* ---- data ---- */
/* E_ARG if out is NULL or capacity/features/classes out of range (1..1e6, 1..4096, 2..256);
 * E_NOMEM. *out is NULL on failure. */
dlfs_status dlfs_data_create(int capacity, int features, int classes, dlfs_data **out);
void dlfs_data_destroy(dlfs_data *data);
/* Where the next images go: JS copies shard bytes to pixels()+count*features and
 * labels()+count, then commits. NULL if data is NULL. */
uint8_t *dlfs_data_pixels(dlfs_data *data);
uint8_t *dlfs_data_labels(dlfs_data *data);
/* Makes n more images visible. E_ARG (NULL, n < 0), E_DATA_FULL past capacity,
 * E_LABEL if any new label is out of range (nothing is committed then). */
dlfs_status dlfs_data_commit(dlfs_data *data, int n);
/* Whether runs read this data set's images through the per-image lists of
 * nonzero pixels built at commit (1, the default) or through the dense pixels
 * (0). Results are bit-identical either way; the lists make the first layer
 * about 5x less work on MNIST. Runs fall back to the dense pixels by
 * themselves when the lists could not be allocated or more than half the
 * pixels are nonzero. For tests and benchmarks. E_ARG if data is NULL or
 * enable is not 0/1. */
dlfs_status dlfs_data_set_sparse(dlfs_data *data, int enable);
/* 1 if runs read the data set through its nonzero lists right now, 0 if through
 * the dense pixels, -1 if data is NULL. */
int dlfs_data_sparse(const dlfs_data *data);
/* Images committed so far; 0 if data is NULL. */
int dlfs_data_count(const dlfs_data *data);
int dlfs_data_capacity(const dlfs_data *data);

/* ---- run ---- */
/* Validates cfg (status names the field), allocates the run's arena and
 * initialises the weights from the seed. E_NOMEM. *out is NULL on failure. */
dlfs_status dlfs_run_create(const dlfs_config *cfg, dlfs_run **out);
void dlfs_run_destroy(dlfs_run *run);
/* The run trains on the first config.train_size images of `train`, which must
 * outlive the run (or be replaced first). E_ARG on NULL, E_DATA_SHAPE. The size
 * is checked at train time, so shards may still be arriving. */
dlfs_status dlfs_run_set_train(dlfs_run *run, const dlfs_data *train);
/* Attaches an evaluation set to slot 0..3, recorded every epoch over its first
 * `count` images (count 0 = all images it holds at that moment). data NULL detaches.
 * E_ARG (run NULL, slot out of range, count < 0), E_DATA_SHAPE. */
dlfs_status dlfs_run_set_eval(dlfs_run *run, int slot, const dlfs_data *data, int count);
/* Runs up to `iterations` training steps. E_NO_TRAIN_DATA, E_NOT_ENOUGH_DATA,
 * E_CURVE_FULL (max_iterations reached), E_DIVERGED (the run stops for good;
 * curves recorded so far stay readable). Never allocates. */
dlfs_status dlfs_run_train(dlfs_run *run, int iterations);
/* Test-mode loss (with the weight-decay term, as network.loss) and accuracy
 * over images [first, first+count) of data, in eval_batch chunks.
 * E_ARG, E_DATA_SHAPE, E_NOT_ENOUGH_DATA. Never allocates. */
dlfs_status dlfs_run_evaluate(dlfs_run *run, const dlfs_data *data, int first, int count,
                              float *loss, float *accuracy);
/* Live settings (the rest are structural: make a new run). Same range errors as create;
 * set_dropout fails with E_DROPOUT if the run was created without dropout layers
 * (ratio 0) or the ratio is out of range. */
dlfs_status dlfs_run_set_lr(dlfs_run *run, float lr);
dlfs_status dlfs_run_set_weight_decay(dlfs_run *run, float weight_decay);
dlfs_status dlfs_run_set_dropout(dlfs_run *run, float ratio);
/* A recorded curve (see dlfs_curve); *len points. The pointer is stable for the
 * run's life. NULL and *len = 0 for a bad id or NULL run. */
const float *dlfs_run_curve(const dlfs_run *run, int which, int *len);
/* Iterations done; the book's iterations per epoch, max(train_size / batch_size, 1) as a real
 * number; 1 if the run diverged. Each -1 on NULL. */
int dlfs_run_iterations(const dlfs_run *run);
float dlfs_run_iter_per_epoch(const dlfs_run *run);
int dlfs_run_diverged(const dlfs_run *run);

/* Class probabilities (softmax of a test-mode forward pass) for images
 * [first, first+count) of data, written to probs[count * output_size]; a
 * non-finite network gives NaN rows. E_ARG (NULL, first < 0, count < 1),
 * E_DATA_SHAPE, E_NOT_ENOUGH_DATA. Never allocates. (predict.c) */
dlfs_status dlfs_run_predict(dlfs_run *run, const dlfs_data *data, int first, int count, float *probs);

/* Activations of hidden layer `layer` (0-based; the output of its activation
 * function) from a test-mode forward pass over images [first, first+count) of
 * data (count <= eval_batch), summarised as a histogram of `bins` bins over
 * [lo, hi) written to counts[bins]; values outside go to *below / *above.
 * *mean and *std describe all values. E_ARG, E_DATA_SHAPE, E_NOT_ENOUGH_DATA. */
dlfs_status dlfs_run_activation_hist(dlfs_run *run, const dlfs_data *data, int first, int count,
                                     int layer, int bins, float lo, float hi, int32_t *counts,
                                     int32_t *below, int32_t *above, float *mean, float *std);

/* ==== The activation-distribution experiment (6.2.2; activations.c) =========
 * ch06/weight_init_activation_histogram.py, with no run and no training:
 *   x = np.random.randn(samples, width)
 *   `layers` times: x = activation(np.dot(x, np.random.randn(width, width) * std))
 *   per layer: plt.hist(x.flatten(), bins, range=(lo, hi))
 * in double, as NumPy. std is init_std for DLFS_INIT_STD, Xavier sqrt(1/width)
 * or He sqrt(2/width). The input comes from the seed's batch stream and the
 * weights from its init stream: one seed gives every activation/init pair the
 * same input and the same weights up to their scale.
 * Per layer l, into caller buffers: counts[l * bins + b] exactly as
 * np.histogram (equal bins from np.linspace(lo, hi, bins + 1), the last bin
 * closed), below[l] / above[l] the values outside [lo, hi] (NaN counts as
 * above), mean[l] and stdev[l] (population, as np.std) of all values.
 * E_ARG (a NULL output; samples not 1..100000, width not 1..1024, layers not
 * 1..DLFS_MAX_HIDDEN, bins not 1..4096, lo/hi not finite with lo < hi),
 * E_ACTIVATION, E_INIT (as dlfs_config), E_NOMEM. Allocates
 * (2 * samples + width) * width doubles for the call only. */
dlfs_status dlfs_activation_histograms(int samples, int width, int layers, int activation,
                                       int init, float init_std, uint32_t seed, int bins,
                                       float lo, float hi, int32_t *counts, int32_t *below,
                                       int32_t *above, float *mean, float *stdev);

/* ==== The numerical gradient check (5.7.3, 6.3.2; gradcheck.c) =============
 * ch06/batch_norm_gradient_check.py: backprop against the central difference
 * (L(p + h) - L(p - h)) / 2h of common/gradient.py for every parameter of
 * `run`'s network, on images [first, first + batch_size) of `data`, in
 * training mode with the dropout masks of the backprop pass replayed. Built
 * into both engines; the float64 build (dlfs_f64.wasm, -DDLFS_DOUBLE) is the
 * meaningful one, the float32 build shows what float32 rounding does to it.
 * The run serves as workspace: its parameters are left as they were, its
 * gradients, BatchNorm running statistics and dropout stream are not.
 * A handle so that the caller can advance it in slices. */
typedef struct dlfs_gradcheck dlfs_gradcheck;
/* Kinds of parameter tensor, in params order per layer (the book's W, b, gamma, beta). */
typedef enum { DLFS_GC_WEIGHT = 0, DLFS_GC_BIAS = 1, DLFS_GC_GAMMA = 2, DLFS_GC_BETA = 3 } dlfs_gradcheck_kind;
/* The fields dlfs_gradcheck_result writes, as doubles. */
typedef enum {
  DLFS_GC_LAYER = 0,           /* 1-based layer: W1, b1, gamma1, beta1, W2 ... */
  DLFS_GC_KIND = 1,            /* dlfs_gradcheck_kind */
  DLFS_GC_SIZE = 2,            /* entries in the tensor */
  DLFS_GC_CHECKED = 3,         /* entries differenced so far */
  DLFS_GC_MEAN_ABS_DIFF = 4,   /* mean |backprop - numerical| over the checked entries */
  DLFS_GC_REL_ERROR = 5,       /* ||backprop - numerical|| / (||backprop|| + ||numerical||), 0 if both 0,
                                  NaN if no entry counts (none checked, or all crossed a kink) */
  DLFS_GC_MAX_ABS_BACKPROP = 6,
  DLFS_GC_MAX_ABS_DIFF = 7,
  DLFS_GC_KINKS = 8,           /* entries whose differences straddled a ReLU kink (left out of the relative errors) */
  DLFS_GC_ZERO_IN_THEORY = 9,  /* 1: the bias before BatchNorm, whose true gradient is 0 */
  DLFS_GC_LOSS = 10,           /* the loss differentiated, at the unperturbed point */
  DLFS_GC_REL_ERROR_RICHARDSON = 11, /* REL_ERROR for (4 n_h - n_2h) / 3: no O(h^2) truncation */
  DLFS_GC_FIELDS = 12
} dlfs_gradcheck_field;
/* Gathers the batch, runs backprop once and remembers its gradient. E_ARG (NULL,
 * first < 0, h not finite > 0), E_DATA_SHAPE, E_NOT_ENOUGH_DATA, E_NOMEM.
 * *out is NULL on failure. Allocates about 13 bytes per parameter. */
dlfs_status dlfs_gradcheck_create(dlfs_run *run, const dlfs_data *data, int first, double h,
                                  dlfs_gradcheck **out);
void dlfs_gradcheck_destroy(dlfs_gradcheck *gc);
/* Differences up to `entries` more parameters (each costs four partial training-mode passes;
 * first-layer weights of an all-zero pixel cost nothing); *remaining (if not NULL)
 * gets the parameters left. E_ARG (NULL gc, entries < 0). The run must stay alive. */
dlfs_status dlfs_gradcheck_step(dlfs_gradcheck *gc, int entries, int *remaining);
/* Parameter tensors in the network; 0 for NULL. */
int dlfs_gradcheck_tensors(const dlfs_gradcheck *gc);
/* fields[DLFS_GC_FIELDS] for tensor 0..tensors-1, over the entries checked so far.
 * E_ARG (NULL, tensor out of range). */
dlfs_status dlfs_gradcheck_result(const dlfs_gradcheck *gc, int tensor, double *fields);
/* The tensor's entries: backprop[size] and numerical[size] (NaN where not yet
 * differenced). E_ARG (NULL, tensor out of range). */
dlfs_status dlfs_gradcheck_values(const dlfs_gradcheck *gc, int tensor, double *backprop,
                                  double *numerical);

#ifdef __cplusplus
}
#endif
#endif
