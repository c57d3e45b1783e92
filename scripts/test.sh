#!/usr/bin/env bash
# The README's second command: builds (if needed) and runs the whole test suite (C++ and Python).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir "${KLYNGE_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"
