#!/usr/bin/env bash
# Where `check` and `extract` spend their instructions on a docs set, by
# stage (issue 17): callgrind over each, summed by benches/breakdown.py.
#
#   benches/breakdown.sh [CORPUS] [BASE_BIN]     (default ../shared/corpus)
#
# Builds `--profile profiling` (release code with symbols, no LTO) unless
# EXEMPLAR names a binary. With BASE_BIN (another profiling build, e.g. of
# the commit before a change), prints both side by side with the change.
# Instruction counts do not depend on the machine's load, so this is the
# measure to compare two builds on a shared machine; wall time is
# benches/versus_rg.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
base=${2:-}
if ! command -v valgrind >/dev/null; then
  echo "benches/breakdown.sh needs valgrind: apt-get install valgrind" >&2
  exit 2
fi
if [[ -z "${EXEMPLAR:-}" ]]; then
  cargo build --profile profiling --quiet
  EXEMPLAR="${CARGO_TARGET_DIR:-target}/profiling/exemplar"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
profile() { # NAME BIN COMMAND...
  local name=$1 bin=$2
  shift 2
  valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$tmp/$name" \
    "$bin" "$@" >/dev/null 2>&1 || true
}
for command in check extract; do
  args=("$command" "$corpus" --format json)
  [[ $command == check ]] && args+=(--output /dev/null)
  profile "$command.new" "$EXEMPLAR" "${args[@]}"
  echo "== exemplar ${args[*]} ($(nproc) cores)"
  if [[ -n "$base" ]]; then
    profile "$command.base" "$base" "${args[@]}"
    python3 benches/breakdown.py "$tmp/$command.base" "$tmp/$command.new"
  else
    python3 benches/breakdown.py "$tmp/$command.new"
  fi
done
