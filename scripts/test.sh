#!/usr/bin/env bash
# test.sh: every test. Installs and builds what is missing, then runs
#   1. native C tests (ctest) with AddressSanitizer + UndefinedBehaviorSanitizer
#   2. libFuzzer over the C API (csrc/fuzz, clang, ASan + UBSan), about a minute
#   3. the C tests' numpy reference values against csrc/tests/numpy_ref.py, and
#      the same C tests compiled to WebAssembly, run under Node (ctest)
#   4. node --test wasm-tests/  (engine API, shards, fidelity, the page in Chromium,
#      the release build dist/ in Chromium and Firefox)
# and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --browser || exit 1
./scripts/build.sh || exit 1
node scripts/build-site.mjs || exit 1
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

fail=0
step() { echo; echo "==== $*"; }

step "native C tests (ASan + UBSan)"
if [ ! -f build/native-asan/CMakeCache.txt ]; then
  cmake -S . -B build/native-asan -DCMAKE_BUILD_TYPE=Debug -DDLFS_SANITIZE=ON >/dev/null || fail=1
fi
cmake --build build/native-asan -j"$(nproc)" >/dev/null || fail=1
(cd build/native-asan && ctest --output-on-failure -j"$(nproc)") || fail=1

step "libFuzzer: the C API under ASan + UBSan (about a minute)"
# The committed corpus seeds it; new inputs go to a temp dir, not the repo.
if [ ! -f build/fuzz/CMakeCache.txt ]; then
  cmake -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDLFS_FUZZ=ON >/dev/null || fail=1
fi
if cmake --build build/fuzz --target fuzz_api -j"$(nproc)" >/dev/null; then
  fuzz_dir=$(mktemp -d)
  if build/fuzz/fuzz_api -max_total_time="${FUZZ_SECONDS:-60}" -runs=200000 -max_len=2048 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$fuzz_dir/" -print_final_stats=1 "$fuzz_dir" csrc/fuzz/corpus \
      > build/fuzz/last-run.log 2>&1; then
    grep -E "^stat::number_of_executed_units|^Done" build/fuzz/last-run.log
  else
    tail -40 build/fuzz/last-run.log; echo "fuzz_api: crash input kept in $fuzz_dir"; fail=1
  fi
  [ "$fail" = 1 ] || rm -rf "$fuzz_dir"
else
  fail=1
fi

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
