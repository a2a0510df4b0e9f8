#!/usr/bin/env bash
# Whole-corpus benchmark: times `extract` and `check` over ../shared/corpus
# (warm cache, best of N runs) and prints pages/s, MB/s, wall time, CPU time
# and the core count. Run on a quiet machine:  benches/corpus.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
corpus=${CORPUS:-../shared/corpus}
cargo build --release --quiet
bin=target/release/exemplar
pages=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
cores=$(nproc)
cat "$(find "$corpus" -type f | head -1)" >/dev/null # warm the cache
$bin check "$corpus" --format json >/dev/null || true

measure() {
  local name=$1; shift
  local best=999999 best_cpu=0
  for _ in $(seq "$runs"); do
    local t0 t1 ms
    t0=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o /tmp/exemplar-bench.time "$bin" "$@" >/dev/null || true
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ "$ms" -lt "$best" ]; then
      best=$ms
      best_cpu=$(awk '{printf "%d", ($1 + $2) * 1000}' /tmp/exemplar-bench.time)
    fi
  done
  awk -v n="$name" -v ms="$best" -v cpu="$best_cpu" -v p="$pages" -v b="$bytes" -v c="$cores" 'BEGIN {
    printf "%-8s %6d ms wall  %6d ms cpu  %8.0f pages/s  %6.1f MB/s  (%d pages, %.1f MB, %d cores, best of runs)\n",
      n, ms, cpu, p / (ms / 1000), b / 1e6 / (ms / 1000), p, b / 1e6, c }'
}

measure extract extract "$corpus" --format json
measure check check "$corpus" --format json
