#!/usr/bin/env bash
# The libFuzzer targets (fuzz/; docs/reliability.md, "Fuzzing"): builds them with clang-14 under
# ASan+UBSan in build-fuzz/, seeds each corpus from the shipped scenarios and data (and a small
# results file), and runs every target for SECONDS (default: $KLYNGE_FUZZ_SECONDS, else 60), one
# process each. Exit 0: no finding; 1: a finding (the input is in build-fuzz/findings/);
# 77: clang-14 or libFuzzer is not installed (ctest counts the test as skipped).
#
#   scripts/fuzz.sh                 # the short run the test suite does (60 s per target)
#   scripts/fuzz.sh 3600            # the long run of docs/reliability.md (an hour per target)
#   KLYNGE_FUZZ_TARGETS=fuzz_scenario scripts/fuzz.sh 600   # one target
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-${KLYNGE_FUZZ_SECONDS:-60}}
BUILD=${KLYNGE_FUZZ_BUILD_DIR:-build-fuzz}
TARGETS=${KLYNGE_FUZZ_TARGETS:-"fuzz_interview_csv fuzz_scenario fuzz_results_reader"}

if ! command -v clang++-14 >/dev/null 2>&1 || ! command -v clang-14 >/dev/null 2>&1; then
  echo "fuzz: clang-14 is not installed (apt-get install clang-14 libclang-rt-14-dev); skipped"
  exit 77
fi
if [ ! -e "$(clang-14 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ]; then
  echo "fuzz: libFuzzer is not installed (apt-get install libclang-rt-14-dev); skipped"
  exit 77
fi

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DKLYNGE_FUZZ=ON -DKLYNGE_SANITIZE=address -DKLYNGE_WERROR=ON \
  -DKLYNGE_BUILD_TESTS=OFF -DKLYNGE_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j "${KLYNGE_JOBS:-2}" --target klynge $TARGETS

# Seeds: every shipped scenario, catalogue and CSV, the firms and relations files joined (the CSV
# target's two-file form), and a small results file made by this build's klynge.
# allocator_may_return_null: libhdf5 asks malloc for what damaged metadata says (terabytes);
# outside ASan that fails as NULL and becomes an HDF5 error, which is what should be fuzzed.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
seeds="$BUILD/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/fuzz_scenario" "$seeds/fuzz_interview_csv" "$seeds/fuzz_results_reader"
cp scenarios/*.yaml scenarios/data/*.yaml bench/*.yaml bench/scenarios/*.yaml "$seeds/fuzz_scenario/"
cp scenarios/data/*.csv "$seeds/fuzz_interview_csv/"
{ cat scenarios/data/midtjylland_firms.csv; printf '\n#RELATIONS\n'
  cat scenarios/data/midtjylland_relations.csv; } >"$seeds/fuzz_interview_csv/joined.csv"
cat >"$seeds/tiny.yaml" <<'YAML'
schema_version: 1
name: fuzz-seed
horizon: 6
replicates: 2
population: {synthetic: {firms: 12, participants: 6}}
outputs: {detail_replicates: 1}
variants:
  baseline: {}
  other: {budget_dkk: 100000}
YAML
"$BUILD/klynge" run "$seeds/tiny.yaml" -o "$seeds/fuzz_results_reader/tiny.h5" --quiet --force \
  --threads 1 >/dev/null 2>&1
# Inputs that once found a problem (fuzz/regressions/<target>/) stay seeds for good.
for target in fuzz_scenario fuzz_interview_csv fuzz_results_reader; do
  if [ -d "fuzz/regressions/$target" ]; then cp fuzz/regressions/"$target"/* "$seeds/$target/"; fi
done

status=0
for target in $TARGETS; do
  corpus="$BUILD/corpus/$target"  # grows across runs
  mkdir -p "$corpus" "$BUILD/findings"
  max_len=65536
  [ "$target" = fuzz_results_reader ] && max_len=1048576
  echo "fuzz: $target for ${SECONDS_PER_TARGET} s"
  # A fixed libFuzzer seed (KLYNGE_FUZZ_SEED, 0 = random): the short run in the test suite takes
  # the same mutation path on every machine, so it passes or fails alike; long runs may vary it.
  if ! "$BUILD/fuzz/$target" "$corpus" "$seeds/$target" -max_total_time="$SECONDS_PER_TARGET" \
      -seed="${KLYNGE_FUZZ_SEED:-1}" -timeout=90 -rss_limit_mb=2048 -max_len=$max_len -print_final_stats=1 \
      -artifact_prefix="$BUILD/findings/$target-" 2>"$BUILD/$target.log"; then
    echo "fuzz: $target FOUND a problem; see $BUILD/$target.log and $BUILD/findings/"
    tail -40 "$BUILD/$target.log"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|^#[0-9]+.*DONE" "$BUILD/$target.log" |
    sed "s/^/fuzz: $target /" || true
done
exit $status
