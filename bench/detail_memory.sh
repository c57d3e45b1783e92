#!/usr/bin/env bash
# Peak memory of the detail outputs (docs/performance.md, "Detail outputs streamed"): runs each
# synthetic scenario twice, with the default outputs (one detail replicate: trajectories, events
# and the tie list at every step) and with the detail outputs off (the scenario as it is in
# bench/scenarios), and prints max RSS (GNU time), wall seconds and the results file's size.
#
#   bench/detail_memory.sh [--sizes 20k,100k] [--klynge PATH] [--threads N]
#
# Environment: KLYNGE_BENCH_WORK (scratch folder; default a new /tmp/klynge-detail.*, deleted at
# the end unless given). The ratio column is detail RSS / no-detail RSS (the bar: <= 1.2).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES="20k 100k"
KLYNGE="$ROOT/build/klynge"
THREADS=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) SIZES=${2//,/ }; shift ;;
    --klynge) KLYNGE=$2; shift ;;
    --threads) THREADS=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "detail_memory.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -x /usr/bin/time ]] || { echo "detail_memory.sh: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }
[[ -x "$KLYNGE" ]] || { echo "detail_memory.sh: no klynge at $KLYNGE (build it first)" >&2; exit 2; }
if [[ -n "${KLYNGE_BENCH_WORK:-}" ]]; then
  WORK=$KLYNGE_BENCH_WORK; mkdir -p "$WORK"; KEEP=1
else
  WORK=$(mktemp -d /tmp/klynge-detail.XXXXXX); KEEP=0
fi
trap '[[ $KEEP = 1 ]] || rm -rf "$WORK"' EXIT

# One run: prints "max_rss_kib wall_s cpu_s file_bytes" (CPU: user + sys, all threads; a
# neighbour's load moves it far less than the wall time).
measure() {
  local scenario=$1 out=$2 log=$3
  rm -f "$out"
  /usr/bin/time -v "$KLYNGE" run "$scenario" -o "$out" --force --threads "$THREADS" \
    >"$log.out" 2>"$log"
  local rss wall cpu
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  echo "$rss $wall $cpu $(stat -c %s "$out")"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| firms | outputs | max RSS (MB) | wall (s) | CPU (s) | file (MB) | RSS ratio |"
echo "|---|---|---:|---:|---:|---:|---:|"
for size in $SIZES; do
  src="$ROOT/bench/scenarios/synthetic_$size.yaml"
  [[ -f $src ]] || { echo "detail_memory.sh: no $src" >&2; exit 2; }
  # The scenario's data paths are relative to its folder: make them absolute for the copies.
  sed "s#\.\./\.\./scenarios/#$ROOT/scenarios/#g" "$src" >"$WORK/off_$size.yaml"
  # Default outputs: drop the outputs line (detail_replicates defaults to 3, at most replicates).
  grep -v '^outputs:' "$WORK/off_$size.yaml" >"$WORK/on_$size.yaml"
  read -r rss_off wall_off cpu_off bytes_off < <(measure "$WORK/off_$size.yaml" "$WORK/off_$size.h5" "$WORK/off_$size.time")
  read -r rss_on wall_on cpu_on bytes_on < <(measure "$WORK/on_$size.yaml" "$WORK/on_$size.h5" "$WORK/on_$size.time")
  awk -v s="$size" -v a="$rss_off" -v b="$wall_off" -v u="$cpu_off" -v c="$bytes_off" \
    'BEGIN { printf "| %s | detail off | %.0f | %.1f | %.1f | %.1f | |\n", s, a/1024, b, u, c/1e6 }'
  awk -v s="$size" -v a="$rss_on" -v b="$wall_on" -v u="$cpu_on" -v c="$bytes_on" -v r="$rss_off" \
    'BEGIN { printf "| %s | default (1 detail replicate) | %.0f | %.1f | %.1f | %.1f | %.2f |\n", s, a/1024, b, u, c/1e6, a/r }'
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
