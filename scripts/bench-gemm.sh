#!/usr/bin/env bash
# bench-gemm.sh: build csrc/bench/bench_gemm.c for WebAssembly and run it
# under Node, printing GFLOP/s for ref, portable and wasmsimd side by side.
#
#   scripts/bench-gemm.sh [--native] [SHAPE_FILTER [IMPLS]]
#
#   --native       also build with the host C compiler and run that (ref, portable)
#   SHAPE_FILTER   only shapes whose label contains it, e.g. "tn" ("" for all)
#   IMPLS          only these implementations, e.g. "ref,wasmsimd"
#
# Self-contained: compiles just the GEMM files (not the whole library) into
# build/bench-gemm/, with the flags the CMake wasm build uses for them
# (-O3; -msimd128 on the *_wasmsimd.c files only; DLFS_HAVE_WASMSIMD=1 everywhere).
# Needs emcc (apt-get install emscripten) and node. Takes about 30 s: every
# kernel gets a 0.2 s warm-up so that V8 tiers it up before it is timed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/bench-gemm
native=0
if [[ ${1:-} == --native ]]; then
  native=1
  shift
fi

command -v emcc >/dev/null || { echo "bench-gemm.sh: emcc not found (apt-get install emscripten)" >&2; exit 1; }
command -v node >/dev/null || { echo "bench-gemm.sh: node not found" >&2; exit 1; }
# Debian's emscripten finds its Node modules here.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}

mkdir -p "$out"
cd "$root"
cflags=(-O3 -std=c11 -Wall -Wextra -DDLFS_HAVE_WASMSIMD=1 -Icsrc)
srcs=(csrc/bench/bench_gemm.c csrc/gemm_ref.c csrc/gemm_portable.c csrc/gemm_dispatch.c csrc/gemm_sparse.c)

emcc "${cflags[@]}" -msimd128 -c csrc/gemm_wasmsimd.c -o "$out/gemm_wasmsimd.o"
emcc "${cflags[@]}" -msimd128 -c csrc/gemm_sparse_wasmsimd.c -o "$out/gemm_sparse_wasmsimd.o"
emcc "${cflags[@]}" -msimd128 -c csrc/bench/simd_ceiling_wasmsimd.c -o "$out/simd_ceiling_wasmsimd.o"
# SINGLE_FILE embeds the .wasm in the .js: the default glue would fetch() a
# file path, which fails under Node 20. The glue is CommonJS, but the repo's
# package.json says "type": "module", so it runs as .cjs.
emcc "${cflags[@]}" "${srcs[@]}" "$out/gemm_wasmsimd.o" "$out/gemm_sparse_wasmsimd.o" \
  "$out/simd_ceiling_wasmsimd.o" -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 \
  -o "$out/bench_gemm.js"
mv "$out/bench_gemm.js" "$out/bench_gemm.cjs"

echo "== wasm (node $(node --version), emcc $(emcc --version | head -1 | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1))"
node "$out/bench_gemm.cjs" "$@"

if [[ $native == 1 ]]; then
  cc=${CC:-cc}
  "$cc" -O3 -std=c11 -Wall -Wextra -Icsrc "${srcs[@]}" -o "$out/bench_gemm_native" -lm
  echo
  echo "== native ($cc, -O3, no -march: baseline SIMD only)"
  "$out/bench_gemm_native" "$@"
fi
