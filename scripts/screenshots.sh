#!/usr/bin/env bash
# Regenerates the README's screenshots under Xvfb (needs xvfb and a build in ./build).
# Animated states are caught half-way with --screenshot-delay; look at every image after.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
app=build/app/stratascope
mkdir -p "$out"
shot() { xvfb-run -a -s "-screen 0 1280x800x24" "$app" "$@" --quit 2>/dev/null; }

shot --side-by-side --select /base_image/common.txt --screenshot "$out/blog.png"
shot --edit "rm /base_image/common.txt" --screenshot-delay "${WHITEOUT_MS:-2300}" --screenshot "$out/whiteout.png"
shot --edit "append /base_image/second_instruction.txt edited in class" \
  --screenshot-delay "${COPYUP_MS:-1900}" --screenshot "$out/copy-up.png"
shot --backend engine --edit "rm /base_image/common.txt" --edit "append /base_image/second_instruction.txt edited in class" \
  --screenshot-delay 9000 --screenshot "$out/edits.png"
shot --replay blog --side-by-side --screenshot-delay 1500 --screenshot "$out/stacked.png"
shot --lesson blog --presentation --screenshot "$out/presentation.png"
xvfb-run -a -s "-screen 0 1280x720x24" "$app" --dark --backend engine --side-by-side --select /base_image/common.txt \
  --edit "rm /base_image/common.txt" --screenshot-delay 1500 --screenshot "$out/dark-720.png" --quit 2>/dev/null
STRATA_SHOTS_DIR="$out" STRATA_SOURCE_DIR="$PWD" xvfb-run -a -s "-screen 0 1280x720x24" \
  build/tests/tst_help -platform xcb helpMenuFromTheKeyboard >/dev/null # legend.png
ls -l "$out"
