#!/usr/bin/env bash
# Parallel scaling in one prepared run (issue 12, item 5; docs/performance.md, "Scaling"):
#   1. over replicates: the workshop scenario (7 variants) at 1, 2, 4, ... threads up to the cores;
#   2. within one large replicate: 100k synthetic firms x 24 steps at the same thread counts;
#   3. over MPI ranks x threads (when mpirun and an MPI build are there): the workshop run as
#      1 x C, then ranks x threads with ranks = 2, 4, ... and ranks x threads = C.
# Prints a Markdown table per part: wall seconds (median of --repeats), CPU seconds, speed-up
# over the first row and parallel efficiency = speed-up / cores used.
#
#   bench/scaling.sh [--cores C] [--replicates N] [--repeats K] [--klynge PATH] [--quick]
#
# Sized for a 10-minute slot on 16 cores (defaults: C = all cores, N = 400 workshop replicates,
# K = 1): about 5 minutes there. On a 2-core machine it takes about as long (fewer thread
# counts, slower ones). --quick: N = 40 and 10k firms (a smoke run).
# Environment: KLYNGE_BENCH_WORK (scratch folder; default a new /tmp/klynge-scaling.*, deleted).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KLYNGE="$ROOT/build/klynge"
CORES=$(nproc)
REPLICATES=400
REPEATS=1
LARGE=100k
LARGE_STEPS=24
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cores) CORES=$2; shift ;;
    --replicates) REPLICATES=$2; shift ;;
    --repeats) REPEATS=$2; shift ;;
    --klynge) KLYNGE=$2; shift ;;
    --quick) REPLICATES=40; LARGE=10k ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scaling.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -x /usr/bin/time ]] || { echo "scaling.sh: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }
[[ -x "$KLYNGE" ]] || { echo "scaling.sh: no klynge at $KLYNGE (build it first)" >&2; exit 2; }
if [[ -n "${KLYNGE_BENCH_WORK:-}" ]]; then
  WORK=$KLYNGE_BENCH_WORK; mkdir -p "$WORK"; KEEP=1
else
  WORK=$(mktemp -d /tmp/klynge-scaling.XXXXXX); KEEP=0
fi
trap '[[ $KEEP = 1 ]] || rm -rf "$WORK"' EXIT

# Thread counts: 1, 2, 4, ... up to CORES, and CORES itself.
COUNTS=()
for ((n = 1; n < CORES; n *= 2)); do COUNTS+=("$n"); done
COUNTS+=("$CORES")

# One timed command, REPEATS times: prints "median_wall cpu_of_that_run".
timed() {
  local runs=()
  for ((k = 0; k < REPEATS; ++k)); do
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" ||
      { echo "scaling.sh: failed: $*" >&2; cat "$WORK/err" >&2; exit 1; }
    runs+=("$(awk '{printf "%s %.2f\n", $1, $2 + $3}' "$WORK/time")")
  done
  printf '%s\n' "${runs[@]}" | sort -n | awk -v n="${#runs[@]}" 'NR == int((n + 1) / 2)'
}

# Rows "label cores wall cpu" on stdin -> a Markdown table against the first row. Efficiency is
# speed-up / cores, or with a second argument "same-cores" the speed-up itself (every row uses
# the same cores).
table() {
  echo "| $1 | cores | wall (s) | CPU (s) | speed-up | efficiency |"
  echo "|---|---:|---:|---:|---:|---:|"
  awk -v same="${2:-}" 'NR == 1 {base = $3} {s = base / $3; e = same == "same-cores" ? s : s / $2
    printf "| %s | %d | %.2f | %.2f | %.2f | %.0f%% |\n", $1, $2, $3, $4, s, 100 * e}'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "klynge: $KLYNGE ($("$KLYNGE" --version 2>/dev/null | head -1))"
echo

WORKSHOP="$ROOT/scenarios/midtjylland.yaml"
echo "### Over replicates: workshop, 7 variants x $REPLICATES replicates x 36 steps"
echo
for n in "${COUNTS[@]}"; do
  row=$(timed "$KLYNGE" run "$WORKSHOP" --replicates "$REPLICATES" --threads "$n" \
    -o "$WORK/workshop.h5" --force --quiet) || exit 1
  echo "threads=$n $n $row"
done | table "run"
echo

src="$ROOT/bench/scenarios/synthetic_$LARGE.yaml"
sed -e "s#\.\./\.\./scenarios/#$ROOT/scenarios/#g" -e "s/^horizon: .*/horizon: $LARGE_STEPS/" \
  "$src" >"$WORK/large.yaml"
echo "### Within one replicate: $LARGE synthetic firms x $LARGE_STEPS steps"
echo
for n in "${COUNTS[@]}"; do
  row=$(timed "$KLYNGE" run "$WORK/large.yaml" --threads "$n" -o "$WORK/large.h5" --force \
    --quiet) || exit 1
  echo "threads=$n $n $row"
done | table "run"
echo

if command -v mpirun >/dev/null 2>&1; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  echo "### Over MPI ranks x threads: workshop, 7 variants x $REPLICATES replicates"
  echo
  {
    row=$(timed "$KLYNGE" run "$WORKSHOP" --replicates "$REPLICATES" --threads "$CORES" \
      -o "$WORK/mpi.h5" --force --quiet) || exit 1
    echo "1x$CORES(no-mpirun) $CORES $row"
    for ((ranks = 2; ranks <= CORES; ranks *= 2)); do
      threads=$((CORES / ranks))
      row=$(timed mpirun -np "$ranks" --bind-to none "$KLYNGE" run "$WORKSHOP" --replicates \
        "$REPLICATES" --threads "$threads" -o "$WORK/mpi.h5" --force --quiet) || exit 1
      echo "${ranks}x$threads $CORES $row"
    done
  } | table "ranks x threads" same-cores
  echo
  echo "(efficiency here is against 1 process on all $CORES cores: 100% = ranks cost nothing)"
fi
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
