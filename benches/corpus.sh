#!/usr/bin/env bash
# Whole-corpus benchmark: times `extract` and `check` over ../shared/corpus
# with a warm cache and prints, per command, the best and median wall time,
# the mean and its spread, CPU time, pages/s and MB/s (at the median) and
# the core count.
#
#   benches/corpus.sh [RUNS]        (default 30 runs each)
#
# Uses hyperfine when it is installed (apt-get install hyperfine): no shell
# in between, warm-up runs, exact statistics. Without it, a plain loop.
# Shared or virtual machines vary by ±30% from run to run: compare the best
# and the median, never a single run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
corpus=${CORPUS:-../shared/corpus}
cargo build --release --quiet
bin=target/release/exemplar
pages=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
cores=$(nproc)
echo "corpus: $pages pages, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB; $cores cores; $runs runs each"

# Prints one line from a list of wall times (ms) and the mean CPU time (ms).
report() {
  local name=$1 cpu=$2; shift 2
  printf '%s\n' "$@" | sort -n | awk -v n="$name" -v cpu="$cpu" -v p="$pages" -v b="$bytes" '
    { t[NR] = $1; s += $1; ss += $1 * $1 }
    END {
      med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      mean = s / NR; sd = sqrt(ss / NR - mean * mean)
      printf "%-14s best %6.1f ms  median %6.1f ms  mean %6.1f ± %5.1f ms  cpu %6.1f ms  %7.0f pages/s  %6.1f MB/s\n",
        n, t[1], med, mean, sd, cpu, p / (med / 1000), b / 1e6 / (med / 1000)
    }'
}

measure() {
  local name=$1; shift
  if command -v hyperfine >/dev/null; then
    local json
    json=$(mktemp)
    hyperfine -N --warmup 3 --runs "$runs" -i --export-json "$json" "$bin $*" >/dev/null 2>&1
    local cpu times
    cpu=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print((r["user"]+r["system"])*1000)' "$json")
    times=$(python3 -c 'import json,sys; print("\n".join(str(t*1000) for t in json.load(open(sys.argv[1]))["results"][0]["times"]))' "$json")
    rm -f "$json"
    # shellcheck disable=SC2086
    report "$name" "$cpu" $times
  else
    local times=() cpu_total=0
    "$bin" "$@" >/dev/null 2>&1 || true # warm-up
    for _ in $(seq "$runs"); do
      local t0 t1
      t0=$(date +%s%N)
      /usr/bin/time -f "%U %S" -o /tmp/exemplar-bench.time "$bin" "$@" >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      times+=("$(awk -v d=$((t1 - t0)) 'BEGIN {print d / 1e6}')")
      # The last line: time writes "Command exited with non-zero status 1" first.
      cpu_total=$(tail -1 /tmp/exemplar-bench.time | awk -v c="$cpu_total" '{print c + ($1 + $2) * 1000}')
    done
    report "$name" "$(awk -v c="$cpu_total" -v n="$runs" 'BEGIN {print c / n}')" "${times[@]}"
  fi
}

measure extract extract "$corpus"
measure "extract json" extract "$corpus" --format json
measure "check json" check "$corpus" --format json
measure check check "$corpus"

# What the resource-type model adds to `check` (Model::build + types::check, in process):
cargo bench --quiet --bench types
