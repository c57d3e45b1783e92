#!/usr/bin/env bash
# The benchmark suite (docs/performance.md): runs every benchmark and prints a Markdown report
# with medians over repeated runs, the machine, the command behind each figure and the targets
# of the product specification (met / not met).
#
#   bench/run_benchmarks.sh [--quick] [--repeats N] [--only LIST] [--skip-1m] [--large SIZE]
#                           [--sizes LIST] [--update-doc]
#
#   --quick        smoke run (a few minutes): small sizes, few replicates, one repeat
#   --repeats N    repeats per timed figure (default 5; 3 for the workshop and 100k, 1 for 1M)
#   --only LIST    comma-separated sections: machine,workshop,outputs,threads,scaling,
#                  callgrind,graph,population,micro (default: all but micro)
#   --skip-1m      leave out the 1,000,000-firm run (the longest)
#   --large SIZE   synthetic size of the one-large-replicate speed-up (default 100k; quick 10k)
#   --sizes LIST   comma-separated synthetic sizes of the scaling runs (default 1k,10k,20k,100k,1m)
#   --update-doc   also replace the report at the end of docs/performance.md (between its bench markers)
#
# Environment: KLYNGE_BUILD_DIR (default build; built with scripts/build.sh when klynge is
# missing), KLYNGE_BENCH_WORK (scratch folder; default a new /tmp/klynge-bench.*; results files
# land there and are deleted at the end unless it was given), KLYNGE_THREADS (the "N threads"
# of the speed-up figures; default nproc).
#
# Wall-clock figures are only as good as the machine is quiet: the report prints the load
# average before and after, and CPU (user) seconds next to wall seconds; callgrind's instruction
# counts are repeatable on any machine. Peak memory comes from GNU time (/usr/bin/time, %M).
# Time per phase needs the engine's KLYNGE_PHASE_TIMES=1 (`klynge run --phase-times`; per-phase seconds on stderr as
# "phase-seconds NAME SECONDS" lines); where the engine does not print them the report says n/a.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

QUICK=0
REPEATS=""
ALL_SECTIONS="machine,workshop,outputs,threads,scaling,callgrind,graph,population"
ONLY=$ALL_SECTIONS
SKIP_1M=0
UPDATE_DOC=0
LARGE_ARG=""
SIZES_ARG=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --repeats) REPEATS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --skip-1m) SKIP_1M=1 ;;
    --large) LARGE_ARG=$2; shift ;;
    --sizes) SIZES_ARG=$2; shift ;;
    --update-doc) UPDATE_DOC=1 ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_benchmarks.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -n "$REPEATS" && ! "$REPEATS" =~ ^[1-9][0-9]*$ ]] && { echo "--repeats needs a positive integer" >&2; exit 2; }

BUILD=${KLYNGE_BUILD_DIR:-build}
KLYNGE="$ROOT/$BUILD/klynge"
[[ "$BUILD" = /* ]] && KLYNGE="$BUILD/klynge"
THREADS=${KLYNGE_THREADS:-$(nproc)}
if [[ -n "${KLYNGE_BENCH_WORK:-}" ]]; then
  WORK=$KLYNGE_BENCH_WORK; mkdir -p "$WORK"; KEEP_WORK=1
else
  WORK=$(mktemp -d /tmp/klynge-bench.XXXXXX); KEEP_WORK=0
fi
cleanup() { [[ $KEEP_WORK = 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT
REPORT="$WORK/report.md"
: > "$REPORT"

if [[ $QUICK = 1 ]]; then
  R=${REPEATS:-1}; R_BIG=1; WORKSHOP_REPLICATES=50
  SIZES="1k 10k"; LARGE=10k; GRAPH_FIRMS=10000; POPULATION_FIRMS=100000
else
  R=${REPEATS:-5}; R_BIG=${REPEATS:-3}; WORKSHOP_REPLICATES=1000
  SIZES="1k 10k 20k 100k 1m"; LARGE=100k; GRAPH_FIRMS=100000; POPULATION_FIRMS=1000000
  [[ $SKIP_1M = 1 ]] && SIZES="1k 10k 20k 100k"
fi
LARGE=${LARGE_ARG:-$LARGE}
[[ -n $SIZES_ARG ]] && SIZES=${SIZES_ARG//,/ }
for size in $SIZES; do
  [[ -f bench/scenarios/synthetic_$size.yaml ]] || { echo "--sizes: no bench/scenarios/synthetic_$size.yaml" >&2; exit 2; }
done
[[ -f bench/scenarios/synthetic_$LARGE.yaml ]] || { echo "--large: no bench/scenarios/synthetic_$LARGE.yaml" >&2; exit 2; }

say() { echo "[bench] $*" >&2; }
out() { echo "$*" >> "$REPORT"; }
has() { [[ ",$ONLY," == *",$1,"* ]]; }

# --- helpers -------------------------------------------------------------------------------
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN { if (x == "n/a" || x == "") print "n/a"; else printf "%.*f\n", d, x }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.6g\n", a / b }'; }
mul() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6g\n", a * b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a") print "n/a"; else if (a <= b) print "met"; else print "**not met**" }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a") print "n/a"; else if (a >= b) print "met"; else print "**not met**" }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# timed LABEL CMD...: runs CMD once under GNU time; sets T_WALL T_USER T_SYS T_RSS_MB and
# leaves stdout/stderr in $WORK/LABEL.out/.err. Fails the suite if CMD fails.
timed() {
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  if ! /usr/bin/time -f "%U %S %M" -o "$WORK/$label.time" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err"; then
    say "FAILED: $*"; tail -n 20 "$WORK/$label.err" >&2; exit 1
  fi
  t1=$(date +%s.%N)
  T_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }')
  read -r T_USER T_SYS T_RSS_KB < <(tail -n 1 "$WORK/$label.time")
  T_RSS_MB=$(awk -v k="$T_RSS_KB" 'BEGIN { printf "%.0f\n", k / 1024 }')
  T_CPU=$(awk -v u="$T_USER" -v s="$T_SYS" 'BEGIN { printf "%.2f\n", u + s }')
}

# repeat_timed N LABEL CMD...: N runs; sets M_WALL M_USER M_CPU (user + sys) M_RSS_MB (medians)
# and M_WALLS (all).
repeat_timed() {
  local n=$1 label=$2; shift 2
  local walls="" users="" cpus="" rss="" i
  for ((i = 1; i <= n; i++)); do
    timed "$label" "$@"
    walls+="$T_WALL"$'\n'; users+="$T_USER"$'\n'; cpus+="$T_CPU"$'\n'; rss+="$T_RSS_MB"$'\n'
  done
  M_WALL=$(printf '%s' "$walls" | median); M_USER=$(printf '%s' "$users" | median)
  M_CPU=$(printf '%s' "$cpus" | median)
  M_RSS_MB=$(printf '%s' "$rss" | median)
  M_WALLS=$(printf '%s' "$walls" | sort -g | tr '\n' ' ')
}

# Sum of "phase-seconds NAME S" lines (KLYNGE_PHASE_TIMES=1) of a run's stderr, as
# "name s; name s; ..." per step, or n/a.
phases_per_step() {
  local err=$1 steps=$2
  if grep -q '^phase-seconds ' "$err"; then
    awk -v steps="$steps" '/^phase-seconds / { s[$2] += $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }; t += $3 }
      END { for (i = 1; i <= n; i++) printf "%s%s %.2f ms (%.0f%%)", (i > 1 ? "; " : ""), order[i], 1000 * s[order[i]] / steps, (t > 0 ? 100 * s[order[i]] / t : 0); print "" }' "$err"
  else
    echo "n/a"
  fi
}

scenario_variants() { "$KLYNGE" validate "$1" | awk '/^variants:/ { print $2; exit }'; }
scenario_firms() { "$KLYNGE" validate "$1" | awk '/^firms:/ { print $2; exit }'; }
scenario_horizon() { "$KLYNGE" validate "$1" | sed -n 's/.*horizon \([0-9]*\) steps.*/\1/p' | head -n 1; }

# --- build ---------------------------------------------------------------------------------
if [[ ! -x "$KLYNGE" ]]; then
  say "building klynge (scripts/build.sh) ..."
  KLYNGE_BUILD_DIR=$BUILD scripts/build.sh >&2
fi
GRAPH_BENCH="$(dirname "$KLYNGE")/bench/graph_bench"
MICRO_BENCH="$(dirname "$KLYNGE")/bench/micro_bench"
if [[ ! -x "$GRAPH_BENCH" ]] && { has graph || has population || has micro; }; then
  # bench/ is not (yet) part of the top-level build: build it standalone.
  STANDALONE=${KLYNGE_BENCH_BUILD_DIR:-build-bench-standalone}
  say "building bench/ standalone into $STANDALONE ..."
  cmake -S bench -B "$STANDALONE" -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build "$STANDALONE" -j "$(nproc)" >&2
  GRAPH_BENCH="$ROOT/$STANDALONE/graph_bench"; MICRO_BENCH="$ROOT/$STANDALONE/micro_bench"
fi

DATE=$(date -u +%Y-%m-%dT%H:%MZ)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=""
if git status --porcelain 2> /dev/null | grep -qv '^??'; then DIRTY="+local changes"; fi
LOAD_BEFORE=$(loadavg)
out "## Benchmark run $DATE"
out ""
COMMAND="bench/run_benchmarks.sh"
[[ $QUICK = 1 ]] && COMMAND+=" --quick"
[[ -n $REPEATS ]] && COMMAND+=" --repeats $REPEATS"
[[ $SKIP_1M = 1 ]] && COMMAND+=" --skip-1m"
[[ -n $LARGE_ARG ]] && COMMAND+=" --large $LARGE_ARG"
[[ -n $SIZES_ARG ]] && COMMAND+=" --sizes $SIZES_ARG"
[[ $ONLY != "$ALL_SECTIONS" ]] && COMMAND+=" --only $ONLY"
out "Command: \`$COMMAND\`; commit $COMMIT$DIRTY; binary \`$KLYNGE\`; $THREADS threads for \"N threads\"."
out ""

# --- machine -------------------------------------------------------------------------------
if has machine; then
  say "machine"
  CPU=$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)
  MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  OS=$(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release 2> /dev/null)
  out "Machine: $CPU, $(nproc) cores, $MEM; $OS; $(g++ --version | head -n 1); load average before: $LOAD_BEFORE."
  out ""
fi

SUMMARY="$WORK/summary.md"
: > "$SUMMARY"
target() { echo "| $1 | $2 | $3 | $4 |" >> "$SUMMARY"; }

# --- workshop ------------------------------------------------------------------------------
WORKSHOP=scenarios/midtjylland.yaml
NO_OUTPUTS=bench/workshop_no_outputs.yaml
workshop_cmd() { echo "$KLYNGE" run "$1" --replicates "$WORKSHOP_REPLICATES" --threads "$2" -o "$WORK/workshop.h5" --force --quiet; }
if has workshop || has outputs || has threads; then
  WS_VARIANTS=$(scenario_variants "$WORKSHOP")
  WS_FIRMS=$(scenario_firms "$WORKSHOP")
  WS_HORIZON=$(scenario_horizon "$WORKSHOP")
  WS_FIRM_STEPS=$((WS_FIRMS * WS_HORIZON * WORKSHOP_REPLICATES * WS_VARIANTS))
fi
WS_R=${REPEATS:-3}; [[ $QUICK = 1 ]] && WS_R=1

if has workshop || has threads; then
  say "workshop: $WORKSHOP_REPLICATES replicates x $WS_VARIANTS variants, $THREADS threads, $WS_R runs"
  # shellcheck disable=SC2046
  repeat_timed "$WS_R" workshop $(workshop_cmd "$WORKSHOP" "$THREADS")
  WS_WALL=$M_WALL; WS_USER=$M_USER; WS_RSS=$M_RSS_MB; WS_WALLS=$M_WALLS
  WS_PER_VARIANT=$(div "$WS_WALL" "$WS_VARIANTS")
  WS_RATE=$(div "$WS_FIRM_STEPS" "$WS_WALL")
  out "### Workshop scenario"
  out ""
  out "\`klynge run $WORKSHOP --replicates $WORKSHOP_REPLICATES --threads $THREADS\` ($WS_FIRMS firms x $WS_HORIZON steps x $WORKSHOP_REPLICATES replicates x $WS_VARIANTS variants = $WS_FIRM_STEPS firm-steps, default outputs), median of $WS_R:"
  out ""
  out "| wall s | per variant s | CPU (user) s | firm-steps/s (wall) | firm-steps per CPU s | peak MB | all walls |"
  out "|---|---|---|---|---|---|---|"
  out "| $(fmt "$WS_WALL") | $(fmt "$WS_PER_VARIANT" 3) | $(fmt "$WS_USER") | $(fmt "$WS_RATE" 0) | $(fmt "$(div "$WS_FIRM_STEPS" "$WS_USER")" 0) | $WS_RSS | $WS_WALLS |"
  out ""
  target "workshop, s per variant at 1000 replicates, $THREADS threads, default outputs" "<= 0.4" "$(fmt "$WS_PER_VARIANT" 3)" "$(if [[ $QUICK = 1 ]]; then echo "n/a (quick)"; else le "$WS_PER_VARIANT" 0.4; fi)"
fi

# --- outputs -------------------------------------------------------------------------------
if has outputs; then
  if ! diff -q <(grep -v '^# bench:' "$NO_OUTPUTS" | sed -e 's#\.\./scenarios/data/#data/#' -e '/^outputs:/d') \
               <(sed -e '/^outputs:/d' "$WORKSHOP") > /dev/null; then
    say "WARNING: $NO_OUTPUTS has drifted from $WORKSHOP (apart from outputs): regenerate it"
    out "> Warning: \`$NO_OUTPUTS\` differs from \`$WORKSHOP\` in more than \`outputs\`: the ratio compares different scenarios."
    out ""
  fi
  say "outputs: with / without, alternating, $WS_R pairs"
  with="" without="" with_cpu="" without_cpu=""
  for ((i = 1; i <= WS_R; i++)); do
    # shellcheck disable=SC2046
    timed outputs_with $(workshop_cmd "$WORKSHOP" "$THREADS")
    with+="$T_WALL"$'\n'; with_cpu+="$T_CPU"$'\n'
    # shellcheck disable=SC2046
    timed outputs_without $(workshop_cmd "$NO_OUTPUTS" "$THREADS")
    without+="$T_WALL"$'\n'; without_cpu+="$T_CPU"$'\n'
  done
  OUT_WITH=$(printf '%s' "$with" | median); OUT_WITHOUT=$(printf '%s' "$without" | median)
  OUT_RATIO=$(div "$OUT_WITH" "$OUT_WITHOUT")
  OUT_WITH_CPU=$(printf '%s' "$with_cpu" | median); OUT_WITHOUT_CPU=$(printf '%s' "$without_cpu" | median)
  OUT_CPU_RATIO=$(div "$OUT_WITH_CPU" "$OUT_WITHOUT_CPU")
  out "### Cost of writing results"
  out ""
  out "Workshop as above, default outputs vs \`$NO_OUTPUTS\` (firm_trajectories, events, ties off, detail_replicates 0), runs alternated, median of $WS_R each:"
  out ""
  out "| | with outputs | without | ratio |"
  out "|---|---|---|---|"
  out "| wall s | $(fmt "$OUT_WITH") | $(fmt "$OUT_WITHOUT") | $(fmt "$OUT_RATIO" 3) |"
  out "| CPU (user + sys) s, all threads incl. the writer | $(fmt "$OUT_WITH_CPU") | $(fmt "$OUT_WITHOUT_CPU") | $(fmt "$OUT_CPU_RATIO" 3) |"
  out ""
  target "outputs: wall with / without" "<= 1.10" "$(fmt "$OUT_RATIO" 3)" "$(le "$OUT_RATIO" 1.10)"
  target "outputs: CPU with / without (steadier on a busy machine)" "<= 1.10" "$(fmt "$OUT_CPU_RATIO" 3)" "$(le "$OUT_CPU_RATIO" 1.10)"
fi

# --- scaling -------------------------------------------------------------------------------
declare -A SC_WALL SC_CPU
SYNTHETIC_WIRED=1
if has scaling || has threads; then
  probe=$(scenario_firms bench/scenarios/synthetic_1k.yaml)
  if [[ "$probe" -lt 1000 ]]; then
    SYNTHETIC_WIRED=0
    say "WARNING: population.synthetic.firms is not applied by load_inputs (validate reports $probe firms): see bench/LEAD_TODO.txt"
    out "> Synthetic firms are not wired into \`load_inputs\` in this build (\`klynge validate bench/scenarios/synthetic_1k.yaml\` reports $probe firms): scaling figures skipped."
    out ""
  fi
fi
if has scaling && [[ $SYNTHETIC_WIRED = 1 ]]; then
  out "### Synthetic populations, 120 steps, one replicate"
  out ""
  out "\`KLYNGE_PHASE_TIMES=1 klynge run bench/scenarios/synthetic_SIZE.yaml --threads $THREADS\` (38 interviewed + SIZE synthetic firms, \`cluster_every: 12\`, no detail outputs); wall and CPU medians over the runs shown:"
  out ""
  out "| size | firms | runs | wall s | CPU (user + sys) s | peak MB | ms per step (wall) | firm-steps per CPU s | wall per step by phase |"
  out "|---|---|---|---|---|---|---|---|---|"
  for size in $SIZES; do
    yaml=bench/scenarios/synthetic_$size.yaml
    case $size in 100k) runs=$R_BIG ;; 1m) runs=1 ;; *) runs=$R ;; esac
    firms=$(( $(sed -n 's/.*synthetic: {firms: \([0-9]*\)}.*/\1/p' "$yaml") + 38 ))
    horizon=$(sed -n 's/^horizon: \([0-9]*\).*/\1/p' "$yaml")
    say "scaling: $size ($firms firms), $runs run(s)"
    KLYNGE_PHASE_TIMES=1 repeat_timed "$runs" "scaling_$size" "$KLYNGE" run "$yaml" --threads "$THREADS" -o "$WORK/scaling.h5" --force --quiet
    SC_WALL[$size]=$M_WALL; SC_CPU[$size]=$M_CPU
    per_step=$(div "$M_WALL" "$horizon"); rate=$(div "$((firms * horizon))" "$M_CPU")
    phases=$(phases_per_step "$WORK/scaling_$size.err" "$horizon")
    out "| $size | $firms | $runs | $(fmt "$M_WALL") | $(fmt "$M_CPU") | $M_RSS_MB | $(fmt "$(mul "$per_step" 1000)" 1) | $(fmt "$rate" 0) | $phases |"
    if [[ $size = 100k ]]; then
      target "100k firms x 120 steps, wall s" "<= 60" "$(fmt "$M_WALL" 1)" "$(le "$M_WALL" 60)"
      target "100k firms x 120 steps, peak memory MB" "<= 4096" "$M_RSS_MB" "$(le "$M_RSS_MB" 4096)"
    fi
  done
  out ""
  if [[ -n "${SC_WALL[20k]:-}" && -n "${SC_WALL[100k]:-}" ]]; then
    ratio=$(div "${SC_WALL[100k]}" "${SC_WALL[20k]}")
    cpu_ratio=$(div "${SC_CPU[100k]}" "${SC_CPU[20k]}")
    out "100k / 20k (5x the firms): wall $(fmt "$ratio" 2), CPU $(fmt "$cpu_ratio" 2)."
    out ""
    target "scaling: wall 100k / 20k" "<= 6" "$(fmt "$ratio" 2)" "$(le "$ratio" 6)"
    target "scaling: CPU 100k / 20k (steadier on a busy machine)" "<= 6" "$(fmt "$cpu_ratio" 2)" "$(le "$cpu_ratio" 6)"
  fi
fi

# --- threads -------------------------------------------------------------------------------
if has threads; then
  out "### Speed-up from 1 to $THREADS threads"
  out ""
  out "| run | 1 thread s | $THREADS threads s | speed-up |"
  out "|---|---|---|---|"
  say "threads: workshop at 1 thread, $WS_R runs"
  # shellcheck disable=SC2046
  repeat_timed "$WS_R" workshop_t1 $(workshop_cmd "$WORKSHOP" 1)
  SPEEDUP=$(div "$M_WALL" "$WS_WALL")
  out "| workshop, $WORKSHOP_REPLICATES replicates x $WS_VARIANTS variants (over replicates) | $(fmt "$M_WALL") | $(fmt "$WS_WALL") | $(fmt "$SPEEDUP" 2) |"
  target "speed-up 1 -> $THREADS threads over replicates" ">= 1.8" "$(fmt "$SPEEDUP" 2)" "$(if [[ $THREADS -ge 2 ]]; then ge "$SPEEDUP" 1.8; else echo "n/a (1 thread)"; fi)"
  if [[ $SYNTHETIC_WIRED = 1 ]]; then
    yaml=bench/scenarios/synthetic_$LARGE.yaml
    if [[ -n "${SC_WALL[$LARGE]:-}" ]]; then
      large_n=${SC_WALL[$LARGE]}
    else
      say "threads: $LARGE at $THREADS threads"
      repeat_timed 1 large_tn "$KLYNGE" run "$yaml" --threads "$THREADS" -o "$WORK/large.h5" --force --quiet
      large_n=$M_WALL
    fi
    say "threads: $LARGE at 1 thread"
    repeat_timed 1 large_t1 "$KLYNGE" run "$yaml" --threads 1 -o "$WORK/large.h5" --force --quiet
    out "| one replicate of $LARGE synthetic firms x 120 steps | $(fmt "$M_WALL") | $(fmt "$large_n") | $(fmt "$(div "$M_WALL" "$large_n")" 2) |"
  fi
  out ""
fi

# --- callgrind -----------------------------------------------------------------------------
callgrind_ir() {  # instructions of one run (all threads)
  local file="$WORK/callgrind.out"
  rm -f "$file"
  valgrind --tool=callgrind --callgrind-out-file="$file" "$@" > /dev/null 2> "$WORK/callgrind.err" \
    || { say "callgrind FAILED: $*"; tail -n 20 "$WORK/callgrind.err" >&2; exit 1; }
  awk '/^(summary|totals):/ { print $2; exit }' "$file"
}
# Instructions per step by phase, from a callgrind profile's inclusive costs: the step loop's
# phase functions (sim/run/simulation.cpp); "interventions" is the rest of Simulation::step.
callgrind_phases() {
  local file=$1 steps=$2
  callgrind_annotate --inclusive=yes --threshold=100 "$file" 2> /dev/null | awk -v steps="$steps" '
    BEGIN {
      n = split("Simulation::step market_arrivals awareness consortia_and_award run_projects end_projects encounters triadic_closure knowledge_spillover firm_development growth decay observe detect_communities", f, " ")
      split("step market awareness consortia projects_run projects_end encounters closure spillover development growth decay observe detection", label, " ")
    }
    {
      for (i = 1; i <= n; i++)
        if (index($0, "klynge::" f[i] "(") && !(i in ir)) { v = $1; gsub(",", "", v); ir[i] = v }
    }
    END {
      if (!(1 in ir)) { print "n/a"; exit }
      rest = ir[1]
      for (i = 2; i <= n - 1; i++) rest -= ir[i]
      printf "interventions %.2f M (%.0f%%)", rest / steps / 1e6, 100 * rest / ir[1]
      for (i = 2; i <= n; i++) {
        if (!(i in ir)) continue
        name = label[i]; if (i == n) name = "(of which detection)"
        printf "; %s %.2f M (%.0f%%)", name, ir[i] / steps / 1e6, 100 * ir[i] / ir[1]
      }
      print ""
    }'
}

if has callgrind; then
  if ! command -v valgrind > /dev/null; then
    out "### Instructions per firm-step: n/a (valgrind not installed)"; out ""
  else
    CG_VARIANT=full_programme
    cg_small=1; cg_large=2; [[ $QUICK = 0 ]] && { cg_small=2; cg_large=4; }
    CG_FIRMS=$(scenario_firms "$WORKSHOP"); CG_HORIZON=$(scenario_horizon "$WORKSHOP")
    say "callgrind: workshop, variant $CG_VARIANT, $cg_small and $cg_large replicates, 1 thread"
    ir_small=$(callgrind_ir "$KLYNGE" run "$WORKSHOP" --variant "$CG_VARIANT" --replicates "$cg_small" --threads 1 -o "$WORK/cg.h5" --force --quiet)
    ir_large=$(callgrind_ir "$KLYNGE" run "$WORKSHOP" --variant "$CG_VARIANT" --replicates "$cg_large" --threads 1 -o "$WORK/cg.h5" --force --quiet)
    fs_small=$((CG_FIRMS * CG_HORIZON * cg_small)); fs_extra=$((CG_FIRMS * CG_HORIZON * (cg_large - cg_small)))
    per_fs=$(div "$ir_large" "$((CG_FIRMS * CG_HORIZON * cg_large))")
    marginal=$(div "$((ir_large - ir_small))" "$fs_extra")
    out "### Instructions per firm-step (callgrind)"
    out ""
    out "\`valgrind --tool=callgrind klynge run $WORKSHOP --variant $CG_VARIANT --replicates N --threads 1\` for N = $cg_small and $cg_large ($CG_FIRMS firms x $CG_HORIZON steps each). Counts are exact and repeatable; *marginal* = (Ir($cg_large) - Ir($cg_small)) / extra firm-steps excludes start-up and file writing set-up."
    out ""
    out "| run | instructions | per firm-step |"
    out "|---|---|---|"
    out "| workshop, $cg_small replicate(s) | $ir_small | $(fmt "$(div "$ir_small" "$fs_small")" 0) |"
    out "| workshop, $cg_large replicates | $ir_large | $(fmt "$per_fs" 0) |"
    out "| marginal | $((ir_large - ir_small)) | **$(fmt "$marginal" 0)** |"
    cp "$WORK/callgrind.out" "$WORK/callgrind_workshop.out"
    if [[ $QUICK = 0 && $SYNTHETIC_WIRED = 1 ]]; then
      say "callgrind: synthetic_1k, 1 thread"
      ir_1k=$(callgrind_ir "$KLYNGE" run bench/scenarios/synthetic_1k.yaml --threads 1 -o "$WORK/cg.h5" --force --quiet)
      out "| synthetic_1k (1038 firms x 120 steps) | $ir_1k | **$(fmt "$(div "$ir_1k" $((1038 * 120)))" 0)** |"
      out ""
      out "Instructions per step by phase (callgrind, inclusive; a repeatable stand-in for time per phase), synthetic_1k: $(callgrind_phases "$WORK/callgrind.out" 120)."
    fi
    out ""
    out "Workshop ($CG_VARIANT, $cg_large replicates) instructions per step by phase: $(callgrind_phases "$WORK/callgrind_workshop.out" $((CG_HORIZON * cg_large)))."
    out ""
  fi
fi

# --- graph ---------------------------------------------------------------------------------
if has graph; then
  say "graph: $GRAPH_FIRMS nodes, graph_bench and igraph"
  timed graph "$GRAPH_BENCH" --firms "$GRAPH_FIRMS" --repeats "$R" --edges "$WORK/graph.edges" --labels "$WORK/graph.labels"
  cp "$WORK/graph.out" "$WORK/graph.kv"
  kv() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }
  out "### Graph analytics at $GRAPH_FIRMS nodes"
  out ""
  out "\`graph_bench --firms $GRAPH_FIRMS --repeats $R\` (collaboration-like graph over a synthetic population; see bench/graph_bench.cpp) and \`/usr/bin/python3 bench/igraph_compare.py\` on the same edges (medians of $R):"
  out ""
  if /usr/bin/python3 -c "import igraph" 2> /dev/null; then
    /usr/bin/python3 bench/igraph_compare.py "$WORK/graph.edges" --labels "$WORK/graph.labels" --klynge "$WORK/graph.kv" --repeats "$R" > "$WORK/igraph.kv"
    IG="$WORK/igraph.kv"
  else
    IG=/dev/null
    out "> python3-igraph is not installed: igraph columns n/a (apt-get install python3-igraph)."
    out ""
  fi
  G="$WORK/graph.kv"
  or_na() { [[ -n "$1" ]] && echo "$1" || echo "n/a"; }
  out "Graph: $(kv nodes "$G") nodes, $(kv edges "$G") edges, mean degree $(fmt "$(kv mean_degree "$G")" 2), transitivity $(fmt "$(kv transitivity "$G")" 3), $(kv components "$G") components; igraph $(or_na "$(kv igraph_version "$IG")")."
  out ""
  out "| | klynge CPU s (wall) | igraph CPU s (wall) | klynge / igraph (CPU) | modularity klynge | modularity igraph (min-max) | communities klynge / igraph |"
  out "|---|---|---|---|---|---|---|"
  out "| metrics (density, transitivity, components) | $(fmt "$(kv summarize_cpu_seconds "$G")" 3) ($(fmt "$(kv summarize_seconds "$G")" 3)) | $(fmt "$(or_na "$(kv igraph_metrics_cpu_seconds "$IG")")" 3) ($(fmt "$(or_na "$(kv igraph_metrics_seconds "$IG")")" 3)) | $(fmt "$(or_na "$(kv ratio_metrics_klynge_over_igraph "$IG")")" 2) | | | |"
  out "| Louvain (detect_communities / community_multilevel) | $(fmt "$(kv communities_cpu_seconds "$G")" 3) ($(fmt "$(kv communities_seconds "$G")" 3)) | $(fmt "$(or_na "$(kv igraph_multilevel_cpu_seconds "$IG")")" 3) ($(fmt "$(or_na "$(kv igraph_multilevel_seconds "$IG")")" 3)) | $(fmt "$(or_na "$(kv ratio_louvain_klynge_over_igraph "$IG")")" 2) | $(fmt "$(kv modularity "$G")" 4) | $(fmt "$(or_na "$(kv igraph_modularity "$IG")")" 4) ($(fmt "$(or_na "$(kv igraph_modularity_min "$IG")")" 4)-$(fmt "$(or_na "$(kv igraph_modularity_max "$IG")")" 4)) | $(kv communities "$G") / $(or_na "$(kv igraph_communities "$IG")") |"
  out ""
  out "Also: CSR build $(fmt "$(kv build_seconds "$G")" 3) s; igraph's modularity of klynge's partition $(fmt "$(or_na "$(kv igraph_modularity_of_klynge_partition "$IG")")" 6) (same definition: $(or_na "$(kv modularity_definition_agrees "$IG")")); metrics agree with igraph: $(or_na "$(kv metrics_agree "$IG")")."
  out ""
  ratio=$(or_na "$(kv ratio_louvain_klynge_over_igraph "$IG")")
  dq=$(or_na "$(kv modularity_klynge_minus_igraph "$IG")")
  target "graph: Louvain CPU time klynge / igraph at $GRAPH_FIRMS nodes" "<= 1" "$(fmt "$ratio" 2)" "$(le "$ratio" 1)"
  target "graph: modularity klynge - igraph" ">= -0.005" "$(fmt "$dq" 4)" "$(ge "$dq" -0.005)"
fi

# --- population ----------------------------------------------------------------------------
if has population; then
  say "population: $POPULATION_FIRMS synthetic firms"
  repeat_timed "$R_BIG" population "$GRAPH_BENCH" --population-only --firms "$POPULATION_FIRMS"
  secs=$(awk '$1 == "population_seconds" { print $2 }' "$WORK/population.out")
  cpu=$(awk '$1 == "population_cpu_seconds" { print $2 }' "$WORK/population.out")
  rels=$(awk '$1 == "synthetic_relations" { print $2 }' "$WORK/population.out")
  out "### Synthetic population generation"
  out ""
  out "\`graph_bench --population-only --firms $POPULATION_FIRMS\` (add_synthetic_firms alone, archetypes): $(fmt "$secs" 2) s wall, $(fmt "$cpu" 2) s CPU in the last run, process wall median $(fmt "$M_WALL" 2) s over $R_BIG, peak $M_RSS_MB MB, $rels relations."
  out ""
fi

# --- micro ---------------------------------------------------------------------------------
if has micro; then
  if [[ -x "$MICRO_BENCH" ]]; then
    say "micro benchmarks"
    out "### Micro benchmarks (Google Benchmark, median of $R repetitions)"
    out ""
    out '```'
    "$MICRO_BENCH" --benchmark_repetitions="$R" --benchmark_report_aggregates_only=true 2> /dev/null \
      | grep -E '^(BM_|Benchmark|-)' | grep -v '_mean\|_stddev\|_cv' >> "$REPORT"
    out '```'
    out ""
  else
    out "Micro benchmarks: n/a (libbenchmark-dev not installed)"; out ""
  fi
fi

# --- targets -------------------------------------------------------------------------------
if [[ -s "$SUMMARY" ]]; then
  out "### Targets (product specification, issue \"performance\")"
  out ""
  out "| target | bar | measured | |"
  out "|---|---|---|---|"
  cat "$SUMMARY" >> "$REPORT"
  out ""
fi
out "Load average after: $(loadavg) (before: $LOAD_BEFORE; above ~$(nproc) the wall-clock figures are noisy)."

cat "$REPORT"

if [[ $UPDATE_DOC = 1 ]]; then
  DOC=docs/performance.md
  if grep -q '<!-- bench:begin -->' "$DOC" && grep -q '<!-- bench:end -->' "$DOC"; then
    awk -v report="$REPORT" '
      /<!-- bench:begin -->/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
      /<!-- bench:end -->/ { skip = 0 }
      !skip { print }' "$DOC" > "$WORK/doc.md" && cp "$WORK/doc.md" "$DOC"
    say "updated $DOC"
  else
    say "$DOC has no <!-- bench:begin --> / <!-- bench:end --> block: not updated"
  fi
fi
