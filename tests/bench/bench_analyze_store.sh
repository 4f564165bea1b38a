#!/usr/bin/env bash
# Benchmark (issue 16): `strata docker analyze` of a 30-layer image with ~1,000,000 files in
# Docker's own store (overlay2 or the containerd store, whichever the daemon uses) against
# `find` over the same layer directories (warm cache, best of N), CPU ratios too, and peak
# memory per file. The image is the archive bench_analyze.sh generates, `docker load`ed (the
# daemon writes its store; strata only reads it) and removed again at the end.
# Usage: tests/bench/bench_analyze_store.sh [BUILD_DIR] [RUNS] [ENTRIES]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_setup analyze-store 3 "$@"
entries_wanted=${3:-1000000}
bench_tools tests/strata_archivegen
docker info > /dev/null 2>&1 || { echo "needs a running dockerd (tests/docker/dockerd.sh)" >&2; exit 1; }
echo "generating the archive in $work ..."
"$gen" "$work" 30 "$entries_wanted" overwrite > /dev/null
# The archive names its image (bench:1): loaded, then removed by ID with every tag it has, so
# that no test sees it in the daemon's list afterwards.
loaded=$(docker load -i "$work/image.tar" | sed -n 's/^Loaded image: //p; s/^Loaded image ID: //p' | tail -1)
image=$(docker image inspect "$loaded" --format '{{.Id}}')
# shellcheck disable=SC2064
trap "docker rmi -f '$image' > /dev/null 2>&1 || true; rm -rf '$work'" EXIT
rm -f "$work/image.tar"
rm -rf "$work/layers"

# The layer directories the daemon reads the image from, top first.
dirs=$(docker image inspect "$image" --format '{{.GraphDriver.Data.UpperDir}}:{{.GraphDriver.Data.LowerDir}}' | tr ':' ' ')
[ -n "${dirs// /}" ] || { echo "the daemon does not name the layer directories (GraphDriver $(docker info --format '{{.Driver}}'))" >&2; exit 1; }
files=$(find $dirs | wc -l)
echo "image $image: $(echo $dirs | wc -w) layer directories, $files entries (find)"
find_all() { find $dirs -printf '%s %m %u %p\n'; }
find_all > /dev/null # warm the cache
"$strata" docker analyze "$image" > /dev/null
t_find=$(best find_all)
t_analyze=$(best "$strata" docker analyze "$image")
printf '\nfind -printf (%s layers):  %.3f s\n' "$(echo $dirs | wc -w)" "$t_find"
printf 'strata docker analyze:     %.3f s   ratio %.2f x find\n' "$t_analyze" "$(echo "$t_analyze / $t_find" | bc -l)"
cpu() { /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
c_find=$(cpu bash -c "find $dirs -printf '%s %m %u %p\n'")
c_analyze=$(cpu "$strata" docker analyze "$image")
printf 'CPU: find %.2f s, analyze %.2f s   ratio %.2f\n' "$c_find" "$c_analyze" "$(echo "$c_analyze / $c_find" | bc -l)"
"$strata" docker analyze "$image" | sed -n '2,4p'
memory_report "$files" "layer entry" "$strata" docker analyze "$image"
