#!/usr/bin/env bash
# setup.sh: install what the project needs, once; quick when all is there.
#   ./scripts/setup.sh            toolchain (emscripten) + npm packages
#   ./scripts/setup.sh --browser  ... + Debian's chromium and firefox-esr for the browser tests
# Needs root (or sudo) only when an apt package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

pkgs=()
command -v emcc >/dev/null 2>&1 || pkgs+=(emscripten)
command -v cmake >/dev/null 2>&1 || pkgs+=(cmake)
command -v gcc >/dev/null 2>&1 || pkgs+=(gcc)
# clang with libFuzzer's runtime, for the C API fuzzer the tests run (csrc/fuzz).
command -v clang >/dev/null 2>&1 || pkgs+=(clang)
dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || pkgs+=(libclang-rt-14-dev)
# NumPy for csrc/tests/numpy_ref.py (the C tests' reference values) and the benchmark's
# book-style NumPy peer; without OpenBLAS's threaded build NumPy's matmul is ~8x slower.
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || pkgs+=(python3-numpy)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || pkgs+=(libopenblas0-pthread)
if [ "$want_browser" = 1 ] && ! [ -x /usr/bin/chromium ]; then pkgs+=(chromium); fi
# The browser tests run in Firefox too (puppeteer-core over WebDriver BiDi, Debian's ESR).
if [ "$want_browser" = 1 ] && ! [ -x /usr/bin/firefox-esr ]; then pkgs+=(firefox-esr); fi
# Korean glyphs for the screenshots the browser tests save (the page itself needs none).
if [ "$want_browser" = 1 ] && ! [ -d /usr/share/fonts/truetype/nanum ]; then pkgs+=(fonts-nanum); fi

if [ ${#pkgs[@]} -gt 0 ]; then
  echo "setup: installing ${pkgs[*]} with apt-get" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
