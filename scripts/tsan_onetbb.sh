#!/usr/bin/env bash
# A oneTBB built with ThreadSanitizer, for `scripts/sanitize.sh thread` (docs/reliability.md,
# "Sanitizers"). Debian's libtbb.so is not instrumented, so TSan cannot see the synchronisation
# inside oneTBB's parallel_for and reports its bookkeeping as races. This builds Debian's own
# oneTBB source (the same version as libtbb-dev) with clang-14 and -fsanitize=thread and installs
# it under PREFIX (default build-tsan-onetbb/ in the repository; ignored by git):
#
#   scripts/tsan_onetbb.sh [PREFIX]
#
# Needs the Debian source package: a deb-src line for bookworm (the script adds one, as root,
# when apt has none) and clang-14. Takes a few minutes on 2 cores. Prints the CMake package
# folder (TBB_DIR) at the end; sanitize.sh finds PREFIX by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(realpath -m "${1:-build-tsan-onetbb}")
if [[ -f "$prefix/lib/cmake/TBB/TBBConfig.cmake" ]]; then
  echo "$prefix/lib/cmake/TBB"
  exit 0
fi
command -v clang++-14 >/dev/null || { echo "tsan_onetbb.sh: needs clang-14 (apt-get install clang-14)" >&2; exit 2; }
version=$(dpkg-query -W -f '${Version}' libtbb-dev 2>/dev/null || true)
[[ -n $version ]] || { echo "tsan_onetbb.sh: libtbb-dev is not installed" >&2; exit 2; }
work=$(mktemp -d /tmp/klynge-onetbb.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get source --download-only -qq "onetbb=$version" >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 && -f /etc/apt/sources.list.d/debian.sources ]]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      >/etc/apt/sources.list.d/klynge-deb-src.sources
    apt-get update -qq
  fi
  apt-get source --download-only -qq "onetbb=$version" >/dev/null ||
    { echo "tsan_onetbb.sh: cannot fetch the onetbb source package (no deb-src line?)" >&2; exit 2; }
fi
tar xf onetbb_*.orig.tar.*
source_dir=$(find . -maxdepth 1 -type d -name 'oneTBB-*' | head -1)
cmake -S "$source_dir" -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang-14 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DTBB_SANITIZE=thread -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF \
  -DTBB_STRICT=OFF -DTBBMALLOC_BUILD=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build build -j "${KLYNGE_JOBS:-$(nproc)}" >/dev/null
cmake --install build >/dev/null
echo "$prefix/lib/cmake/TBB"
