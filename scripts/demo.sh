#!/usr/bin/env bash
# Installs what is needed, builds, and starts Stratascope on the built-in blog lesson, on the
# stage with its panel
# (created in a fresh temporary folder). Extra arguments go to stratascope.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "demo: no display found (DISPLAY / WAYLAND_DISPLAY are unset)." >&2
  echo "      Run it from a desktop session, or headless: xvfb-run -a $0 --screenshot shot.png --quit" >&2
  exit 1
fi
exec ./build/app/stratascope --lesson blog "$@"
