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
build/klynge compare out/midtjylland.h5
build/klynge report out/midtjylland.h5 -o out/midtjylland.html --quiet
echo
echo "Results: out/midtjylland.h5 (build/klynge inspect out/midtjylland.h5 shows what it holds)"
echo "Report:  out/midtjylland.html (open it in a browser; it works offline)"
