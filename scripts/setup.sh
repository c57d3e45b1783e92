#!/usr/bin/env bash
# Installs every Debian 12 package klynge's build, tests and Python analysis need.
# Idempotent; run as root (or with sudo available). Safe to run again.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libboost-random-dev libboost-program-options-dev
  libboost-dev  # Boost.Beast/Asio headers: the `klynge studio` server (docs/workshop.md)
  libtbb-dev
  libhdf5-dev hdf5-tools
  libyaml-cpp-dev
  catch2
  librandom123-dev
  openmpi-bin libopenmpi-dev
  python3 python3-h5py python3-numpy python3-pandas python3-matplotlib python3-networkx
  python3-igraph
  chromium fonts-dejavu-core
  valgrind libbenchmark-dev time
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: run as root (missing: ${missing[*]})" >&2; exit 1; }
  SUDO="sudo"
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
