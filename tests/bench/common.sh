# shellcheck shell=bash
# Sourced by the benchmarks: their arguments, the built programs, a scratch directory that goes
# away on exit, and best-of-N timing.

# bench_setup NAME DEFAULT_RUNS [BUILD_DIR] [RUNS]: sets build, runs and work.
bench_setup() {
  local name=$1 default_runs=$2
  build=${3:-build}
  runs=${4:-$default_runs}
  work=$(mktemp -d "${BENCH_TMP:-/tmp}/strata-bench-$name.XXXXXX") # BENCH_TMP=/dev/shm: no disk noise
  # shellcheck disable=SC2064 # $work is meant to be expanded now
  trap "rm -rf '$work'" EXIT
}

# built PATH: the absolute path of PATH in the build directory; stops when it is not built.
built() {
  local p
  p=$(realpath -m "$build/$1")
  [ -x "$p" ] || { echo "build first (scripts/build.sh): there is no $build/$1" >&2; exit 1; }
  echo "$p"
}

# best COMMAND...: the best wall time of $runs runs of COMMAND, in seconds.
best() {
  local b=999999 t s e
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); if (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
  done
  echo "$b"
}

# bench_tools GENERATOR: strata and the benchmark's generator, built; GNU time. Sets strata, gen.
# shellcheck disable=SC2034 # strata and gen are for the script that sources this
bench_tools() {
  strata=$(built app/strata)
  gen=$(built "$1")
  need_time
}

# need_time: GNU time, for peak memory.
need_time() {
  command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
}

# memory_report ENTRIES WHAT COMMAND...: COMMAND's peak RSS against its program's --version
# (the process baseline), and per WHAT ("scanned entry", "tar entry").
memory_report() {
  local entries=$1 what=$2 rss base
  shift 2
  rss=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
  base=$(/usr/bin/time -f %M "$1" --version 2>&1 >/dev/null | tail -1)
  printf 'peak RSS: %d KiB (process baseline %d KiB)\n' "$rss" "$base"
  printf 'bytes per %s: %.0f gross, %.0f above baseline\n' "$what" \
    "$(echo "$rss * 1024 / $entries" | bc -l)" "$(echo "($rss - $base) * 1024 / $entries" | bc -l)"
}
