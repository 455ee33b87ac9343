/* entry.c: the translation unit of dlfs.wasm. The engine lives in the dlfs
 * library; this file only exists because a linked executable needs one.
 * The exported names come from csrc/exports.txt. */
#include "dlfs.h"
