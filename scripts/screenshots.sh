#!/usr/bin/env bash
# Regenerates the dark-palette and legend screenshots under Xvfb (needs a build in ./build);
# every blog step's are made by docs/screenshots/make.sh. Look at every image after.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
app=build/app/stratascope
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1280x720x24" "$app" --dark --backend engine --side-by-side --select /base_image/common.txt \
  --edit "rm /base_image/common.txt" --screenshot-delay 1500 --screenshot "$out/dark-720.png" --quit 2>/dev/null
STRATA_SHOTS_DIR="$out" STRATA_SOURCE_DIR="$PWD" xvfb-run -a -s "-screen 0 1280x720x24" \
  build/tests/tst_help -platform xcb helpMenuFromTheKeyboard >/dev/null # legend.png
ls -l "$out"
