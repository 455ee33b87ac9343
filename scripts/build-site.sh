#!/usr/bin/env bash
# build-site.sh: the release build, dist/ (a static site any host can serve,
# also from a sub-path). Installs and builds what is missing first.
# Usage: ./scripts/build-site.sh   then e.g.  node scripts/serve.mjs --root dist
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
node scripts/build-site.mjs "$@"
