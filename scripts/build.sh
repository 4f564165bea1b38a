#!/usr/bin/env bash
# Configures and builds Stratascope in ./build (incremental when run again).
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${STRATA_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type"
fi
cmake --build build
