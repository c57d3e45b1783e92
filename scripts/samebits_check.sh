#!/bin/bash
# Did a change that should change no result change one? Runs the same scenarios with two klynge
# binaries and compares every dataset and attribute of the results (scripts/samebits.py):
#   the workshop (scenarios/midtjylland.yaml, 7 variants x 30 replicates, detail outputs on) on 2
#   threads, and 10k synthetic firms x 24 steps with every intervention type
#   (bench/scenarios/synthetic_10k_24.yaml) on 1 and on 2 threads.
# Usage: scripts/samebits_check.sh BEFORE_BINARY AFTER_BINARY [WORK_DIR]
# Build the before binary from the base commit first (e.g. cp build/klynge /tmp/klynge-before).
# Exits 1 when any dataset differs, and prints each run's wall time.
set -euo pipefail
before=$(readlink -f "$1")
after=$(readlink -f "$2")
work=${3:-$(mktemp -d)}
mkdir -p "$work"
source_dir=$(cd "$(dirname "$0")/.." && pwd)
status=0
run() {  # binary tag name scenario threads [options]
  local binary=$1 tag=$2 name=$3 scenario=$4 threads=$5
  shift 5
  /usr/bin/time -f "$name $tag: %e s wall, %U s user" "$binary" run "$scenario" --threads "$threads" \
    -o "$work/$name-$tag.h5" --force --quiet "$@"
}
check() {  # name scenario threads [options]
  local name=$1
  run "$before" before "$@"
  run "$after" after "$@"
  /usr/bin/python3 "$source_dir/scripts/samebits.py" "$work/$1-before.h5" "$work/$1-after.h5" \
    | tail -n 20 || status=1
}
check workshop "$source_dir/scenarios/midtjylland.yaml" 2 --replicates 30
check synthetic-1t "$source_dir/bench/scenarios/synthetic_10k_24.yaml" 1
check synthetic-2t "$source_dir/bench/scenarios/synthetic_10k_24.yaml" 2
echo "results in $work"
exit $status
