#!/usr/bin/env bash
# Benchmark (not run by ctest): a Docker host with 200+ layers, many small images sharing a
# base; times `strata docker images` (and --json, layers, containers) against `docker images`
# of the same daemon and prints the ratio. Needs root; prepares dockerd with dockerd.sh.
#
#   tests/docker/bench_docker.sh [STRATA_BINARY] [IMAGES]     (default: build-docker, 70 images)
#   tests/docker/bench_docker.sh --clean                       removes the benchmark images
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DOCKER=/usr/bin/docker

if [ "${1:-}" = --clean ]; then
  "$DOCKER" images --format '{{.Repository}}:{{.Tag}}' | grep '^strata-bench/' | xargs -r "$DOCKER" rmi -f >/dev/null
  exit 0
fi
strata=${1:-$here/../../build/app/strata}
count=${2:-70}
"$here/dockerd.sh"

ctx=$(mktemp -d /tmp/strata-bench.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
built=0
for i in $(seq 1 "$count"); do
  t="strata-bench/img$i:v1"
  "$DOCKER" image inspect "$t" >/dev/null 2>&1 && continue
  # Three layers per image, different in every image: COPY makes a layer without a container.
  for f in a b c; do printf '%s %s\n' "$i" "$f" >"$ctx/$f.txt"; done
  printf 'FROM strata-test/base:v1\nCOPY a.txt /bench/a.txt\nCOPY b.txt /bench/b.txt\nCOPY c.txt /bench/c.txt\n' >"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 "$DOCKER" build --network none -q -t "$t" "$ctx" >/dev/null
  built=$((built + 1))
done
layers=$(ls /var/lib/docker/image/overlay2/layerdb/sha256 | wc -l)
images=$("$DOCKER" images -q | wc -l)
echo "bench: $images images, $layers layers in the layer store ($built images built now)"

# Median wall time of 7 runs, in milliseconds.
median_ms() {
  local times=()
  for _ in 1 2 3 4 5 6 7; do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s%N)
    times+=($(((e - s) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 4p
}
d=$(median_ms "$DOCKER" images)
s=$(median_ms "$strata" docker images)
j=$(median_ms "$strata" docker images --json)
l=$(median_ms "$strata" docker layers strata-bench/img1:v1)
c=$(median_ms "$strata" docker containers)
echo "bench: docker images            ${d} ms"
echo "bench: strata docker images     ${s} ms  (ratio $(echo "scale=2; $s / $d" | bc) x docker images)"
echo "bench: strata docker images --json ${j} ms"
echo "bench: strata docker layers     ${l} ms"
echo "bench: strata docker containers ${c} ms"
if [ "$s" -ge 1000 ]; then
  echo "bench: FAIL: strata docker images took ${s} ms (target: under 1 s)" >&2
  exit 1
fi
