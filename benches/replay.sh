#!/usr/bin/env bash
# Whole-corpus replay against the built-in mock: examples/s.
#
#   benches/replay.sh [CORPUS] [RUNS]      (default ../shared/corpus, 3 runs)
#
# Prints, per run, the replay phase alone (EXEMPLAR_TIMINGS=1: planning done,
# requests sent to the in-process mock and answers read) and the whole
# command's wall time (discovery, static checks, mock build, replay,
# comparison, report), then checks that the summary counts add up.
# JOBS sets --jobs (default 8). EXEMPLAR names a prebuilt binary.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
runs=${2:-3}
jobs=${JOBS:-8}
if [[ -z "${EXEMPLAR:-}" ]]; then
  cargo build --release --quiet
  EXEMPLAR="${CARGO_TARGET_DIR:-target}/release/exemplar"
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "cores: $(nproc), jobs: $jobs, corpus: $corpus"
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s.%N)
  EXEMPLAR_TIMINGS=1 "$EXEMPLAR" run "$corpus" --format json --output "$out" --jobs "$jobs" || true
  end=$(date +%s.%N)
  python3 - "$out" "$start" "$end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
wall = float(sys.argv[3]) - float(sys.argv[2])
assert s["examples"] == s["replayed"] + s["skipped"], s
assert s["replayed"] == s["passed"] + s["failed"], s
print(f"whole run: {wall:.2f}s, {s['examples'] / wall:.0f} examples/s end to end; "
      f"examples {s['examples']}, replayed {s['replayed']} (passed {s['passed']}, "
      f"failed {s['failed']}), skipped {s['skipped']}")
PY
done
