#!/usr/bin/env bash
# Benchmark: the main window on the 5-lower, ~500,000-entry stack of bench_tree.sh with an
# upper layer added: opening it (merged view plus one column per layer) and one edit through
# the engine with its rescan, against `find` walking the same directories. Best of N runs.
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
best_open=999999; best_edit=999999; best_again=999999; best_kfirst=999999; best_kagain=999999
for i in $(seq "$runs"); do
  out=$(QT_QPA_PLATFORM=offscreen "$win" "$work/stack" "/bench_new_$i" 2>/dev/null) || { echo "strata_benchwindow failed" >&2; exit 1; }
  read -r open edit again <<< "$out"
  (( open < best_open )) && best_open=$open
  (( edit < best_edit )) && best_edit=$edit
  (( again < best_again )) && best_again=$again
  if [ "$(id -u)" -eq 0 ]; then # the kernel backend mounts: root only
    out=$(QT_QPA_PLATFORM=offscreen "$win" "$work/stack" "/bench_kernel_$i" kernel 2>/dev/null) || { echo "strata_benchwindow (kernel) failed" >&2; exit 1; }
    read -r _ kfirst kagain <<< "$out"
    (( kfirst < best_kfirst )) && best_kfirst=$kfirst
    (( kagain < best_kagain )) && best_kagain=$kagain
  fi
done
ratio() { echo "$1 / $best_find" | bc -l; }
echo "entries in the layer directories: $entries"
printf 'find (6 layers):                          %8.0f ms\n' "$best_find"
printf 'open (merged view + 8 columns):           %8d ms   ratio %.2f x find\n' "$best_open" "$(ratio "$best_open")"
printf 'first edit + rescan, engine:              %8d ms   ratio %.2f x find\n' "$best_edit" "$(ratio "$best_edit")"
printf 'next edit + rescan, engine:               %8d ms   ratio %.2f x find\n' "$best_again" "$(ratio "$best_again")"
if [ "$(id -u)" -eq 0 ]; then
  printf 'first edit + rescan, kernel mount:        %8d ms   ratio %.2f x find\n' "$best_kfirst" "$(ratio "$best_kfirst")"
  printf 'next edit + rescan, kernel mount:         %8d ms   ratio %.2f x find\n' "$best_kagain" "$(ratio "$best_kagain")"
fi
