#!/usr/bin/env bash
# Peak memory (maximum resident set size, /usr/bin/time -v) of a
# whole-corpus `check` and a whole-corpus `run` against the built-in mock,
# release binary, against the targets of issue 13:
#
#   check  < 150 MB        run  < 300 MB
#
#   benches/memory.sh [CORPUS] [RUNS]      (default ../shared/corpus, 3 runs)
#
# Prints each run's peak RSS and wall time, then the highest peak per
# command and whether it is within its target; exits 1 when one is not.
# EXEMPLAR names a prebuilt binary; JOBS sets run's --jobs (default 8).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
runs=${2:-3}
jobs=${JOBS:-8}
if [[ ! -x /usr/bin/time ]]; then
  echo "benches/memory.sh needs GNU time (/usr/bin/time): apt-get install time" >&2
  exit 2
fi
if [[ -z "${EXEMPLAR:-}" ]]; then
  cargo build --release --quiet
  EXEMPLAR="${CARGO_TARGET_DIR:-target}/release/exemplar"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs the command RUNS times; prints each peak (KB) on stdout.
peaks() {
  local name=$1
  shift
  for ((i = 1; i <= runs; i++)); do
    # Exit code 1 (findings of severity error) is the corpus's normal outcome.
    /usr/bin/time -v -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" || [[ $? -eq 1 ]] || {
      echo "$name failed:" >&2
      cat "$tmp/err" "$tmp/time" >&2
      exit 2
    }
    local kb wall
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time")
    echo "$name run $i: peak RSS $((kb / 1024)) MB, wall $wall" >&2
    echo "$kb"
  done
}

status=0
report() {
  local name=$1 target_mb=$2
  shift 2
  local max=0 kb
  for kb in $(peaks "$name" "$@"); do
    ((kb > max)) && max=$kb
  done
  local mb=$((max / 1024))
  if ((mb < target_mb)); then
    echo "$name: peak RSS $mb MB (highest of $runs), target < $target_mb MB: ok"
  else
    echo "$name: peak RSS $mb MB (highest of $runs), target < $target_mb MB: OVER"
    status=1
  fi
}

echo "cores: $(nproc), corpus: $corpus ($(find "$corpus" -type f | wc -l) files), binary: $EXEMPLAR"
report check 150 "$EXEMPLAR" check "$corpus" --format json --output "$tmp/check.json"
report run 300 "$EXEMPLAR" run "$corpus" --format json --output "$tmp/run.json" --jobs "$jobs"
exit $status
