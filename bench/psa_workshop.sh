#!/usr/bin/env bash
# The probabilistic-run benchmark of issue 11 (docs/performance.md, "A probabilistic run of the
# workshop scenario"): scenarios/midtjylland.yaml with its shipped `uncertainty:` block switched
# on (500 LHS draws x 20 replicates x 7 variants = 70,000 simulations, default outputs), then
# `compare` and `report` on the file. Prints wall and CPU seconds and peak memory (GNU time) of
# each step. The bar: the run within 10 minutes on 2 cores, memory bounded.
#
#   bench/psa_workshop.sh [--draws N] [--replicates R]    (defaults: the block's 500 and 20)
#
# Environment: KLYNGE_BUILD_DIR (default build), KLYNGE_BENCH_WORK (scratch folder, kept if given).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${KLYNGE_BUILD_DIR:-$ROOT/build}
KLYNGE=$BUILD/klynge
DRAWS="" REPLICATES=""
while [ $# -gt 0 ]; do
  case $1 in
    --draws) DRAWS=$2; shift 2 ;;
    --replicates) REPLICATES=$2; shift 2 ;;
    *) echo "usage: $0 [--draws N] [--replicates R]" >&2; exit 2 ;;
  esac
done
[ -x "$KLYNGE" ] || { echo "no $KLYNGE: run scripts/build.sh first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
WORK=${KLYNGE_BENCH_WORK:-$(mktemp -d /tmp/klynge-psa-bench.XXXXXX)}
mkdir -p "$WORK"
# The switched-on copy lives beside the original so that its relative data paths resolve.
SCENARIO=$ROOT/scenarios/.psa-bench-$$.yaml
trap 'rm -f "$SCENARIO"; [ -n "${KLYNGE_BENCH_WORK:-}" ] || rm -rf "$WORK"' EXIT
sed -e 's/^  enabled: false/  enabled: true/' \
    ${DRAWS:+-e "s/^  draws: 500/  draws: $DRAWS/"} \
    ${REPLICATES:+-e "s/^  replicates: 20/  replicates: $REPLICATES/"} \
    "$ROOT/scenarios/midtjylland.yaml" > "$SCENARIO"
grep -q '^  enabled: true' "$SCENARIO" || { echo "the workshop block was not found" >&2; exit 1; }

step() {  # name, command...
  local name=$1; shift
  /usr/bin/time -f "$name: %e s wall, %U s user, %M KB peak" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" \
    || { cat "$WORK/$name.err" >&2; exit 1; }
  tail -n 1 "$WORK/$name.err"
}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); klynge $("$KLYNGE" --version 2>/dev/null | head -n 1)"
step run "$KLYNGE" run "$SCENARIO" -o "$WORK/psa.h5" --quiet
grep -h "^ran" "$WORK/run.out" || true
step compare "$KLYNGE" compare "$WORK/psa.h5" --format json
step report "$KLYNGE" report "$WORK/psa.h5" -o "$WORK/psa.html" --quiet
echo "results file: $(du -h "$WORK/psa.h5" | cut -f1), report: $(du -h "$WORK/psa.html" | cut -f1)"
grep -o '"verdict": *"[^"]*"' "$WORK/compare.out" | head -n 1 || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
