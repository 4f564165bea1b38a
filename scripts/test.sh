#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite.
# Kernel tests mount real overlays in a private mount namespace and need root; the Docker
# tests need root and a dockerd, which tests/docker/dockerd.sh starts (without network) and
# fills with test images. Without root they skip, except under CI=true, where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
if [ "$(id -u)" -eq 0 ]; then
  # Not fatal here: tst_docker runs it again and then skips, or fails under CI=true.
  ./tests/docker/dockerd.sh || echo "test: warning: tests/docker/dockerd.sh failed" >&2
fi
ctest --test-dir build --output-on-failure "$@"
