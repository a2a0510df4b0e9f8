#!/usr/bin/env bash
# The pull-request gate's time to a verdict: `check --changed-since HEAD`
# after a one-page change in a git copy of the corpus (the page and its
# locale partners are read and checked; the type model comes from
# .exemplar_cache, filled by the first run), the same without the cache
# (`--no-cache`: every resource page is read for the model), and a whole
# `check` of the same copy, with the core count.
#
#   benches/changed.sh [RUNS]       (default 20 runs each; BIN=... to skip the build)
#
# Needs git; uses hyperfine when installed (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
corpus=$(realpath "${CORPUS:-../shared/corpus}")
# BIN=path/to/exemplar measures a binary already built.
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/exemplar
fi
bin=$(realpath "$BIN")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/docs"
cd "$work"
git init -q -b main
# No background gc or maintenance writing objects while the copy is timed or removed.
git config gc.auto 0
git config maintenance.auto false
git -c user.name=bench -c user.email=bench@example.com add -A
git -c user.name=bench -c user.email=bench@example.com commit -q -m corpus
# The copy was written in the second its index was: every entry is "racily
# clean" and each `git diff` would read every file again. A checkout is
# older than its index by then (and `git status` settles it): as there.
sleep 1
git update-index -q --refresh
# The copy just made is still being written to disk: not this run's work.
sync
page=$(find docs/en-us -name '*.md' | sort | awk 'NR == 200')
printf '\nAn edit of one paragraph.\n' >>"$page"
echo "one-page change: $page; $(nproc) cores; $runs runs each"
pages=$("$bin" check docs --changed-since HEAD --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["pages"]))')
echo "pages read by --changed-since: $pages (the page and its locale partners)"

# PREPARE="cmd": run before each timed run (the CI case restores a cache).
measure() {
  local name=$1; shift
  local prepare=()
  if [ -n "${PREPARE:-}" ]; then prepare=(--prepare "$PREPARE"); fi
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs "$runs" -i --style none "${prepare[@]}" --export-json "$work/h.json" "$bin $*" >/dev/null 2>&1
    python3 - "$work/h.json" "$name" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
t = sorted(x * 1000 for x in r["times"])
print(f"{sys.argv[2]:<26} best {t[0]:7.1f} ms  median {statistics.median(t):7.1f} ms  cpu {(r['user'] + r['system']) * 1000:7.1f} ms")
PY
  else
    local times=()
    for _ in $(seq "$runs"); do
      local t0 t1
      if [ -n "${PREPARE:-}" ]; then $PREPARE; fi
      t0=$(date +%s%N)
      "$bin" "$@" >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      times+=("$(( (t1 - t0) / 1000 ))")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" '{t[NR]=$1} END {m=(NR%2)?t[(NR+1)/2]:(t[NR/2]+t[NR/2+1])/2; printf "%-26s best %7.1f ms  median %7.1f ms\n", n, t[1]/1000, m/1000}'
  fi
}

# The first run fills the cache (as a CI job's first run, or one whose
# cache was not restored); hyperfine's warm-up runs take it.
measure "check --changed-since HEAD" check docs --changed-since HEAD --format json
echo "type cache: $(du -k .exemplar_cache/types-v1.bin | cut -f1) KB in .exemplar_cache"
measure "  the same, --no-cache" check docs --changed-since HEAD --no-cache --format json

# The CI case: the cache restored from a run at an older commit. The base
# moves on by a commit that changed 20 pages (as the main branch does
# between two pull requests), then one page is edited; each run starts from
# the restored cache, so each asks git how the two bases' trees differ,
# reads the pages that changed and writes the cache again.
cp .exemplar_cache/types-v1.bin "$work/restored.bin"
find docs/en-us -name '*.md' | sort | awk 'NR % 160 == 7' | head -20 | while read -r p; do
  printf '\nA change merged meanwhile.\n' >>"$p"
done
git -c user.name=bench -c user.email=bench@example.com commit -q -am 'meanwhile'
sleep 1
git update-index -q --refresh
sync
printf '\nAnother edit of one paragraph.\n' >>"$page"
PREPARE="cp $work/restored.bin .exemplar_cache/types-v1.bin" \
  measure "  from a restored cache" check docs --changed-since HEAD --format json
measure "check (whole copy)" check docs --format json
