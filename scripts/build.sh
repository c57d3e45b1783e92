#!/usr/bin/env bash
# Configures and builds klynge (Release) into build/. Used by quickstart.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${KLYNGE_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DKLYNGE_WERROR=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
