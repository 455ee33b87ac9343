#!/usr/bin/env bash
# serve.sh: install and build whatever is missing, then serve the playground
# on http://127.0.0.1:8080/ (PORT=... to change).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
exec node scripts/serve.mjs --port "${PORT:-8080}"
