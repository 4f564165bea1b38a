#!/usr/bin/env bash
# Benchmark: `strata tree` on a 5-lower stack of ~500,000 entries against `find` walking the
# same layer directories (warm cache, best of N runs), and strata's peak memory per entry.
# Usage: tests/bench/bench_tree.sh [BUILD_DIR] [RUNS]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_setup tree 5 "$@"
bench_tools tests/strata_benchgen
echo "generating the stack in $work ..."
entries=$("$gen" "$work/stack")
echo "entries in the layer directories: $entries"

cd "$work/stack"
"$strata" tree . > /dev/null # warm the cache
find L0 L1 L2 L3 L4 > /dev/null
t_find=$(best find L0 L1 L2 L3 L4)
t_text=$(best "$strata" tree .)
t_json=$(best "$strata" tree . --json)
merged=$("$strata" tree . --visible | tail -n +2 | wc -l)

printf '\nfind (5 layers):        %.3f s\n' "$t_find"
printf 'strata tree (text):     %.3f s   ratio %.2f x find\n' "$t_text" "$(echo "$t_text / $t_find" | bc -l)"
printf 'strata tree --json:     %.3f s   ratio %.2f x find\n' "$t_json" "$(echo "$t_json / $t_find" | bc -l)"
printf 'merged view entries:    %d (of %d scanned)\n' "$merged" "$entries"
memory_report "$entries" "scanned entry" "$strata" tree . --json
