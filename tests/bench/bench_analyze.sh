#!/usr/bin/env bash
# Benchmark (issue 16): `strata image analyze` of a generated 30-layer `docker save` with
# 1,000,000 tar entries (half of each layer's files overwrite the layer below, every layer
# deletes one file) against `tar -tvf` over the same layer tars (warm cache, best of N), and
# analyze's peak memory per entry.
# Usage: [BENCH_TMP=/dev/shm] tests/bench/bench_analyze.sh [BUILD_DIR] [RUNS] [ENTRIES]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_setup analyze 3 "$@"
entries_wanted=${3:-1000000}
bench_tools tests/strata_archivegen
echo "generating the archive in $work ..."
entries=$("$gen" "$work" 30 "$entries_wanted" overwrite)
echo "tar entries in the layers: $entries ($(du -sh "$work/image.tar" | cut -f1) archive)"

cd "$work"
list_layers() { for f in layers/*.tar; do tar -tvf "$f"; done; }
list_layers > /dev/null # warm the cache
"$strata" image analyze image.tar > /dev/null
t_tar=$(best list_layers)
t_analyze=$(best "$strata" image analyze image.tar)
printf '\ntar -tvf (30 layers):       %.3f s\n' "$t_tar"
printf 'strata image analyze:       %.3f s   ratio %.2f x tar -tvf\n' "$t_analyze" "$(echo "$t_analyze / $t_tar" | bc -l)"
# CPU seconds (user + system) as well: on a loaded machine the wall times swing with the others.
cpu() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
c_tar=$(cpu bash -c 'for f in layers/*.tar; do tar -tvf "$f"; done')
c_analyze=$(cpu "$strata" image analyze image.tar)
printf 'CPU: tar -tvf %.2f s, analyze %.2f s   ratio %.2f\n' "$c_tar" "$c_analyze" "$(echo "$c_analyze / $c_tar" | bc -l)"
"$strata" image analyze image.tar | sed -n '2,4p'
memory_report "$entries" "tar entry" "$strata" image analyze image.tar
