#!/usr/bin/env bash
# Benchmark: `strata image tree` of a 20-layer, 200,000-file `docker save` (read in place,
# nothing extracted) against `tar -tvf` over the same layer tars (warm cache, best of N runs),
# strata's peak memory per entry, and `strata image extract` of it against `tar -xf` of each
# layer into its own directory (best of N, each timed to its sync). On a shared disk the
# extraction times swing by 10x with what others write: BENCH_TMP=/dev/shm measures the work
# itself.
# Usage: [BENCH_TMP=/dev/shm] tests/bench/bench_archive.sh [BUILD_DIR] [RUNS] [ENTRIES]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_setup archive 3 "$@"
entries_wanted=${3:-200000}
bench_tools tests/strata_archivegen
echo "generating the archive in $work ..."
entries=$("$gen" "$work" 20 "$entries_wanted")
echo "tar entries in the layers: $entries ($(du -sh "$work/image.tar" | cut -f1) archive)"

cd "$work"
list_layers() { for f in layers/*.tar; do tar -tvf "$f"; done; }
list_layers > /dev/null # warm the cache
"$strata" image tree image.tar > /dev/null
t_tar=$(best list_layers)
t_text=$(best "$strata" image tree image.tar)
t_json=$(best "$strata" image tree image.tar --json)
merged=$("$strata" image tree image.tar --visible | tail -n +2 | wc -l)

printf '\ntar -tvf (20 layers):       %.3f s\n' "$t_tar"
printf 'strata image tree (text):   %.3f s   ratio %.2f x tar -tvf\n' "$t_text" "$(echo "$t_text / $t_tar" | bc -l)"
printf 'strata image tree --json:   %.3f s   ratio %.2f x tar -tvf\n' "$t_json" "$(echo "$t_json / $t_tar" | bc -l)"
printf 'merged view entries:        %d (of %d in the layers)\n' "$merged" "$entries"
memory_report "$entries" "tar entry" "$strata" image tree image.tar --json

# Extraction: the same layers, each into a directory of its own, on the same disk, every run
# into a new directory and timed to its `sync` (written to disk, not only to the page cache).
# Nothing is removed between runs: removing a tree slows down whoever writes next.
untar_layers() {
  local n=0
  for f in layers/*.tar; do mkdir -p "$1/$n" && tar -xf "$f" -C "$1/$n"; n=$((n + 1)); done
}
timed_sync() { local s e; s=$(date +%s.%N); "$@" > /dev/null; sync; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
sync
t_untar=999999 t_extract=999999
for i in $(seq "$runs"); do
  t=$(timed_sync untar_layers "untar.$i"); if (( $(echo "$t < $t_untar" | bc -l) )); then t_untar=$t; fi
  t=$(timed_sync "$strata" image extract image.tar "stack.$i"); if (( $(echo "$t < $t_extract" | bc -l) )); then t_extract=$t; fi
done
printf '\ntar -xf (20 layers):        %.3f s\n' "$t_untar"
printf 'strata image extract:       %.3f s   ratio %.2f x tar -xf\n' "$t_extract" "$(echo "$t_extract / $t_untar" | bc -l)"
