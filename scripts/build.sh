#!/usr/bin/env bash
# Configures and builds Stratascope in ./build (incremental when run again).
#   STRATA_BUILD_DIR=build-asan STRATA_CMAKE_ARGS=-DSTRATA_SANITIZE=ON scripts/build.sh: another
#   build directory with other options (configured once, when it has no build.ninja yet).
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${STRATA_BUILD_TYPE:-RelWithDebInfo}
dir=${STRATA_BUILD_DIR:-build}
if [ ! -f "$dir/build.ninja" ]; then
  # shellcheck disable=SC2086 # STRATA_CMAKE_ARGS is a list of options
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" ${STRATA_CMAKE_ARGS:-}
fi
cmake --build "$dir"
