#!/usr/bin/env bash
# The test suite under a sanitizer (docs/reliability.md, "Sanitizers"): builds the whole tree with
# -DKLYNGE_SANITIZE=KIND in its own folder (build-address/, build-thread/) and runs ctest there.
#   scripts/sanitize.sh address   # AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/sanitize.sh thread    # ThreadSanitizer
# Extra arguments go to ctest (e.g. -R runner). Uses clang-14 when installed, else the default
# compiler. Any sanitizer report fails the test that triggered it (halt_on_error).
# `thread` links a oneTBB built with ThreadSanitizer (scripts/tsan_onetbb.sh, built on first use
# into build-tsan-onetbb/). Environment: KLYNGE_JOBS (build and test jobs; default all cores),
# KLYNGE_SANITIZE_TARGETS (build only these targets, e.g. "klynge klynge_tests").
# Example, the tests that run threads under TSan:
#   scripts/sanitize.sh thread -R "runner|phase|parallel|simulation|writer|world structures|interrupt|results_h5py|stop|shared draws"
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-}
case "$kind" in
  address | thread) shift ;;
  *) echo "usage: scripts/sanitize.sh address|thread [ctest arguments]" >&2; exit 2 ;;
esac
BUILD=${KLYNGE_SANITIZE_BUILD_DIR:-build-$kind}
compilers=()
if command -v clang++-14 >/dev/null 2>&1; then
  compilers=(-DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14)
fi
# ThreadSanitizer sees oneTBB's synchronisation only in an instrumented oneTBB: built once from
# Debian's source package (scripts/tsan_onetbb.sh, a few minutes) and linked instead of libtbb.so.
tbb=()
if [[ $kind = thread ]]; then
  tbb=(-DTBB_DIR="$(scripts/tsan_onetbb.sh)")
fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${compilers[@]}" -DKLYNGE_SANITIZE="$kind" \
  -DKLYNGE_WERROR=ON -DKLYNGE_BUILD_BENCH=OFF "${tbb[@]}" >/dev/null
cmake --build "$BUILD" -j "${KLYNGE_JOBS:-$(nproc)}" ${KLYNGE_SANITIZE_TARGETS:+--target $KLYNGE_SANITIZE_TARGETS}
# halt_on_error: a report is a failure, not a line in a log. Leak checking stays on under ASan.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp:${TSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:${LSAN_OPTIONS:-}"
ctest --test-dir "$BUILD" --output-on-failure -j "${KLYNGE_JOBS:-$(nproc)}" "$@"
