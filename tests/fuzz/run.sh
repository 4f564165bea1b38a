#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz (ASan + UBSan) and runs each for
# SECONDS (default 60), FUZZ_JOBS at a time (default 2), on its corpus tests/fuzz/corpus/<name>/.
# By hand the corpus grows in place; under CI=true new inputs go to a scratch copy, so a run
# never changes the checkout. A crash, a leak, a sanitizer report or a timeout fails the
# script; the input is kept in build-fuzz/crashes/<name>/ (add it to regressions/<name>/ with
# the fix: tst_fuzzcorpus replays it in every build).
#
#   tests/fuzz/run.sh [SECONDS]        fuzz every target (FUZZ_TARGETS="a b" for some)
#   tests/fuzz/run.sh merge            minimize every corpus in place (-merge=1)
#   tests/fuzz/run.sh build            only configure and build build-fuzz, test suite included:
#                                      scripts/test.sh runs the sanitized suite there
# FUZZ_BUILD=0 runs the fuzzers already in $FUZZ_BUILD_DIR/tests/fuzz without building.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=fuzz
seconds=${1:-60}
case ${1:-} in
merge | build)
  mode=$1
  seconds=0
  ;;
esac
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-2}
targets=${FUZZ_TARGETS:-"workspace lesson docker_json docker_root mountinfo merged_operation json_writer layer_tar image_archive bolt"}

# The one sanitized build: the fuzzers and, with the same instrumentation (fuzzer-no-link
# only adds coverage counters), the whole test suite under ASan + UBSan. No benchmarks.
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O1 with line tables only: reports keep their file:line, the build takes far less time.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
    -DSTRATA_FUZZ=ON -DSTRATA_BUILD_BENCHMARKS=OFF "${launcher[@]}" >/dev/null
fi
if [ "$mode" = build ]; then
  exec cmake --build "$build"
fi
if [ "${FUZZ_BUILD:-1}" != 0 ]; then
  cmake --build "$build" --target fuzzers
fi

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp
export QT_QPA_PLATFORM=offscreen
results=$build/fuzz-results
rm -rf "$results"
mkdir -p "$results"

max_len() {
  case $1 in
  docker_root | image_archive) echo 65536 ;;
  layer_tar) echo 32768 ;;
  *) echo 8192 ;;
  esac
}

run_one() {
  local name=$1 corpus=tests/fuzz/corpus/$1 exe=$build/tests/fuzz/fuzz_$1
  local log=$results/$name.log crashes=$build/crashes/$name
  local dict=()
  [ -f "tests/fuzz/dict/$name.dict" ] && dict=(-dict="tests/fuzz/dict/$name.dict")
  mkdir -p "$corpus" "$crashes"
  if [ "$mode" = merge ]; then
    local fresh=$build/merged/$name
    rm -rf "$fresh"
    mkdir -p "$fresh"
    if "$exe" -merge=1 -max_len="$(max_len "$name")" -timeout=10 "$fresh" "$corpus" >"$log" 2>&1; then
      rm -rf "$corpus"
      mv "$fresh" "$corpus"
      echo ok >"$results/$name.status"
    fi
    return 0
  fi
  local dirs=("$corpus")
  if [ "${CI:-}" = true ]; then
    # New inputs go to the first directory: a scratch one, not the checkout.
    local scratch=$build/corpus/$name
    rm -rf "$scratch"
    mkdir -p "$scratch"
    dirs=("$scratch" "$corpus")
  fi
  if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$name")" \
    -print_final_stats=1 -artifact_prefix="$crashes/" "${dict[@]}" "${dirs[@]}" >"$log" 2>&1; then
    echo ok >"$results/$name.status"
  fi
  # One line per target: the inputs it ran and the corpus it has.
  local runs
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz: $name: $runs inputs in ${seconds}s, corpus $(find "$corpus" -type f | wc -l) files" \
    "($(du -sk --apparent-size "$corpus" | cut -f1) KB)$([ -f "$results/$name.status" ] || echo ', FAILED')"
}

for t in $targets; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run_one "$t" &
done
wait

failed=0
for t in $targets; do
  if [ ! -f "$results/$t.status" ]; then
    failed=1
    echo "fuzz: $t failed; the end of its log ($results/$t.log):" >&2
    tail -n 40 "$results/$t.log" >&2
    ls "$build/crashes/$t" >&2 2>/dev/null || true
  fi
done
exit $failed
