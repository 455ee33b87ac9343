#!/usr/bin/env bash
# build.sh: dlfs.wasm (emcmake), the vendored Chart.js and the MNIST shards
# into web/, incrementally. Usage: ./scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's emscripten needs Debian's acorn for its optimiser; our Node is not Debian's.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

if [ ! -f build/wasm/CMakeCache.txt ]; then
  # emcmake passes Node a flag it rejects: name the emulator ourselves.
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" >/dev/null
fi
cmake --build build/wasm -j"$(nproc)" >/dev/null
cp -p build/wasm/dlfs.wasm web/engine/dlfs.wasm
cp -p build/wasm/dlfs_f64.wasm web/engine/dlfs_f64.wasm # the gradient check's float64 engine
# The JS view of the C API (web/engine/abi.js), from the table dlfs.wasm reports (csrc/abi.c).
node scripts/gen-abi.mjs

# Chart.js 4 from npm, served from our own origin (never a CDN).
mkdir -p web/vendor
cp -p node_modules/chart.js/dist/chart.umd.min.js web/vendor/chart.umd.min.js 2>/dev/null ||
  cp -p node_modules/chart.js/dist/chart.umd.js web/vendor/chart.umd.min.js

node scripts/make-shards.mjs >&2
