#!/usr/bin/env bash
# Runs one fuzz target for a while on the stable toolchain, keeping going
# past crashes, timeouts and out-of-memory inputs (each is saved under
# fuzz/artifacts/TARGET/), with the committed seeds in fuzz/corpus/TARGET
# and the growing working corpus in fuzz/work/TARGET (not committed).
#
#   fuzz/run.sh TARGET [SECONDS]        (default 600)
#
# Targets: page http json mock check run (see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")"
target=$1
secs=${2:-600}
mkdir -p "work/$target" "artifacts/$target"
# cargo-fuzz needs nightly-only flags (-Zsanitizer); RUSTC_BOOTSTRAP lets
# the stable compiler accept them.
export RUSTC_BOOTSTRAP=1
exec nice -n "${NICE:-15}" cargo fuzz run -O "$target" "work/$target" "corpus/$target" -- \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -timeout="${TIMEOUT:-5}" -rss_limit_mb="${RSS_MB:-1024}" -report_slow_units=1 \
  -max_len="${MAX_LEN:-16384}" -max_total_time="$secs" \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1
