#!/usr/bin/env bash
# exemplar against ripgrep on the same files (issue 17): the floor for any
# static check of a docs set is walking, reading and scanning its files
# once, which is what `rg -c --no-ignore blockType` does.
#
#   benches/versus_rg.sh [CORPUS] [PAIRS]     (default ../shared/corpus, 11 pairs)
#
# Runs `rg`, `exemplar check --format json` and `exemplar extract` in turn,
# PAIRS times (alternated, so that a busy moment of a shared machine falls
# on all of them alike), warm cache, and prints each command's median wall
# time, the median of the per-round ratios exemplar/rg, files/s, MB/s and
# the core count, then whether the targets hold (check <= 2.0x, extract
# <= 1.5x). EXEMPLAR names a prebuilt binary (else `cargo build --release`).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
pairs=${2:-11}
if ! command -v rg >/dev/null; then
  echo "benches/versus_rg.sh needs ripgrep: apt-get install ripgrep" >&2
  exit 2
fi
if [[ -z "${EXEMPLAR:-}" ]]; then
  cargo build --release --quiet
  EXEMPLAR="${CARGO_TARGET_DIR:-target}/release/exemplar"
fi
files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Wall time of one run in ms (the exit code is the command's business:
# findings of severity error exit 1).
wall() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

rg_cmd=(rg -c --no-ignore blockType "$corpus")
check_cmd=("$EXEMPLAR" check "$corpus" --format json --output /dev/null)
extract_cmd=("$EXEMPLAR" extract "$corpus" --format json)
# One warm-up of each: the page cache, not the disk, is measured.
wall "${rg_cmd[@]}" >/dev/null
wall "${check_cmd[@]}" >/dev/null
wall "${extract_cmd[@]}" >/dev/null
for ((i = 1; i <= pairs; i++)); do
  r=$(wall "${rg_cmd[@]}")
  c=$(wall "${check_cmd[@]}")
  e=$(wall "${extract_cmd[@]}")
  echo "$r $c $e" >>"$tmp/rounds"
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
rg_med=$(awk '{print $1}' "$tmp/rounds" | median)
check_med=$(awk '{print $2}' "$tmp/rounds" | median)
extract_med=$(awk '{print $3}' "$tmp/rounds" | median)
check_ratio=$(awk '{printf "%.4f\n", $2 / $1}' "$tmp/rounds" | median)
extract_ratio=$(awk '{printf "%.4f\n", $3 / $1}' "$tmp/rounds" | median)

echo "corpus: $corpus, $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB; nproc $(nproc); $pairs paired rounds"
line() {
  awk -v n="$1" -v us="$2" -v ratio="$3" -v f="$files" -v b="$bytes" 'BEGIN {
    s = us / 1e6
    printf "%-9s median %7.1f ms  %8.0f files/s  %7.1f MB/s", n, us / 1000, f / s, b / 1e6 / s
    if (ratio != "") printf "  median ratio to rg %.2fx", ratio
    printf "\n"
  }'
}
line rg "$rg_med" ""
line check "$check_med" "$check_ratio"
line extract "$extract_med" "$extract_ratio"
ok=0
awk -v r="$check_ratio" 'BEGIN {exit !(r <= 2.0)}' && echo "check   <= 2.0x rg: yes" || { echo "check   <= 2.0x rg: no"; ok=1; }
awk -v r="$extract_ratio" 'BEGIN {exit !(r <= 1.5)}' && echo "extract <= 1.5x rg: yes" || { echo "extract <= 1.5x rg: no"; ok=1; }
exit $ok
