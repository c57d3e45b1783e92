#!/usr/bin/env bash
# Installs klynge from BUILD_DIR into a temporary prefix, builds tests/consumer against it with
# find_package(klynge) and runs it on the workshop scenario.
# usage: build_and_run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/klynge-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/klynge"
test -f "$work/prefix/include/klynge/sim/cli/cli.hpp"
cmake -S "$source_dir/tests/consumer" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/consumer" "$source_dir/scenarios/midtjylland.yaml" | tee "$work/out.txt"
grep -q "^metrics: [0-9]" "$work/out.txt"
grep -qi "firms" "$work/out.txt"
echo "consumer: built against the installed package and ran"
