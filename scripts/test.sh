#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite.
# Kernel tests mount real overlays in a private mount namespace and need root; without root
# they skip, except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
ctest --test-dir build --output-on-failure "$@"
