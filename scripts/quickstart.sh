#!/usr/bin/env bash
# The README's first command: installs the Debian packages, builds klynge and runs the workshop
# scenario. Run as root (or a user with sudo). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
mkdir -p out
build/klynge validate scenarios/midtjylland.yaml
build/klynge run scenarios/midtjylland.yaml -o out/midtjylland.h5 --force
echo
echo "Results: out/midtjylland.h5  (inspect with: build/klynge inspect out/midtjylland.h5)"
