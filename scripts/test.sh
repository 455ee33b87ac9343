#!/usr/bin/env bash
# test.sh: every test. Installs and builds what is missing, then runs
#   1. native C tests (ctest) with AddressSanitizer + UndefinedBehaviorSanitizer
#   2. the C tests' numpy reference values against csrc/tests/numpy_ref.py, and
#      the same C tests compiled to WebAssembly, run under Node (ctest)
#   3. node --test wasm-tests/  (engine API, shards, fidelity, the page in Chromium)
# and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --browser || exit 1
./scripts/build.sh || exit 1
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

fail=0
step() { echo; echo "==== $*"; }

step "native C tests (ASan + UBSan)"
if [ ! -f build/native-asan/CMakeCache.txt ]; then
  cmake -S . -B build/native-asan -DCMAKE_BUILD_TYPE=Debug -DDLFS_SANITIZE=ON >/dev/null || fail=1
fi
cmake --build build/native-asan -j"$(nproc)" >/dev/null || fail=1
(cd build/native-asan && ctest --output-on-failure -j"$(nproc)") || fail=1

step "numpy reference values in the C tests (csrc/tests/numpy_ref.py)"
/usr/bin/python3 csrc/tests/numpy_ref.py --check | tail -1
[ "${PIPESTATUS[0]}" = 0 ] || fail=1

step "C tests in WebAssembly under Node"
(cd build/wasm && ctest --output-on-failure -j"$(nproc)") || fail=1

step "node --test wasm-tests/"
node --test --test-reporter=spec wasm-tests/ || fail=1

echo
if [ "$fail" = 0 ]; then echo "test.sh: ALL PASSED"; else echo "test.sh: FAILURES (see above)"; fi
exit "$fail"
