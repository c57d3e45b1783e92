#!/usr/bin/env bash
# The README's second command: installs what the tests need (scripts/setup.sh, idempotent and
# quick when everything is there), builds (if needed) and runs the whole test suite (C++ and
# Python). Works on a fresh Debian 12 machine on its own, before or after quickstart.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
ctest --test-dir "${KLYNGE_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"
