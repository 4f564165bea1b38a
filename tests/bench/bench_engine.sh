#!/usr/bin/env bash
# Benchmark: the userspace engine's copy-up of a 100 MB file (strata op --engine append)
# against cp of the same file, best of N runs, page cache warm.
# Usage: tests/bench/bench_engine.sh [BUILD_DIR] [RUNS]
set -euo pipefail
# shellcheck source=tests/bench/common.sh
. "$(dirname "$0")/common.sh"
bench_setup engine 5 "$@"
strata=$(built app/strata)

best_prepared() { # best_prepared PREPARE RUN: like best, with PREPARE N before each run N
  local b=999999 t s e
  for i in $(seq "$runs"); do
    "$1" "$i" # prepare
    s=$(date +%s.%N); "$2" "$i" > /dev/null; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); if (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
  done
  echo "$b"
}
prep_engine() {
  rm -rf "$work/ws"
  "$strata" scenario blog "$work/ws" > /dev/null
  head -c 100M /dev/urandom > "$work/ws/lower_layer/base_image/big.bin"
  cat "$work/ws/lower_layer/base_image/big.bin" > /dev/null
}
run_engine() { "$strata" op "$work/ws" --engine append /base_image/big.bin x; }
prep_cp() { rm -f "$work/copy.bin"; [ -f "$work/src.bin" ] || head -c 100M /dev/urandom > "$work/src.bin"; cat "$work/src.bin" > /dev/null; }
run_cp() { cp "$work/src.bin" "$work/copy.bin"; }

t_engine=$(best_prepared prep_engine run_engine)
t_cp=$(best_prepared prep_cp run_cp)
printf 'cp of 100 MB:                 %.3f s\n' "$t_cp"
printf 'engine copy-up of 100 MB:     %.3f s   ratio %.2f x cp\n' "$t_engine" "$(echo "$t_engine / $t_cp" | bc -l)"
