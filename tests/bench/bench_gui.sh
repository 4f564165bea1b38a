#!/usr/bin/env bash
# Benchmark: the main window, shown offscreen, on the 5-lower, ~500,000-entry stack of
# bench_tree.sh with an upper layer added: opening it (merged view plus one column per layer)
# against `find` walking the same directories, and two edits through the engine and through a
# kernel mount (root only): from the edit to the first painted frame of its animation (the
# target: 50 ms), and to every view showing it. Best of N runs, all in one run of this script.
# Usage: tests/bench/bench_gui.sh [BUILD_DIR] [RUNS]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_setup gui 3 "$@"
gen=$(built tests/strata_benchgen)
win=$(built tests/strata_benchwindow)
echo "generating the stack in $work ..."
entries=$("$gen" "$work/stack")
cd "$work/stack"
mkdir -p U W
sed -i 's/"mountpoint": "mnt",/"upper": "U", "work": "W", "mountpoint": "mnt",/' stratascope.json
find L0 L1 L2 L3 L4 U > /dev/null # warm the cache
best_find=$(echo "$(best find L0 L1 L2 L3 L4 U) * 1000" | bc -l)
declare -A best
keep() { # keep NAME VALUE: the smallest VALUE seen for NAME
  if [ -z "${best[$1]:-}" ] || (( $2 < best[$1] )); then best[$1]=$2; fi
}
for i in $(seq "$runs"); do
  out=$(QT_QPA_PLATFORM=offscreen "$win" "$work/stack" "/bench_new_$i" 2>/dev/null) || { echo "strata_benchwindow failed" >&2; exit 1; }
  read -r open frame again done done_again <<< "$out"
  keep open "$open"; keep eframe "$frame"; keep eagain "$again"; keep edone "$done"; keep edone2 "$done_again"
  if [ "$(id -u)" -eq 0 ]; then # the kernel backend mounts: root only
    out=$(QT_QPA_PLATFORM=offscreen "$win" "$work/stack" "/bench_kernel_$i" kernel 2>/dev/null) || { echo "strata_benchwindow (kernel) failed" >&2; exit 1; }
    read -r _ frame again done done_again <<< "$out"
    keep kframe "$frame"; keep kagain "$again"; keep kdone "$done"; keep kdone2 "$done_again"
  fi
done
line() { # line LABEL MS: milliseconds and the ratio to find
  printf '%-46s %8d ms   ratio %.2f x find\n' "$1" "$2" "$(echo "$2 / $best_find" | bc -l)"
}
echo "entries in the layer directories: $entries"
printf '%-46s %8.0f ms\n' 'find (6 layers):' "$best_find"
line 'open (merged view + 8 columns, shown):' "${best[open]}"
line 'engine, first edit -> first animation frame:' "${best[eframe]}"
line 'engine, next edit -> first animation frame:' "${best[eagain]}"
line 'engine, first edit -> every view shows it:' "${best[edone]}"
line 'engine, next edit -> every view shows it:' "${best[edone2]}"
if [ "$(id -u)" -eq 0 ]; then
  line 'kernel, first edit -> first animation frame:' "${best[kframe]}"
  line 'kernel, next edit -> first animation frame:' "${best[kagain]}"
  line 'kernel, first edit -> every view shows it:' "${best[kdone]}"
  line 'kernel, next edit -> every view shows it:' "${best[kdone2]}"
fi
