#!/usr/bin/env bash
# Regenerates the published conformance report of the corpus:
#   reports/corpus.html  the HTML report (exemplar check --format html)
#   reports/corpus.json  its JSON summary: totals, findings by rule and locale
#
# Usage: scripts/conformance-report.sh [CORPUS]   (default: ../shared/corpus,
# the en-us and zh-cn pages). Run it from anywhere; it builds release first.
#
# The committed HTML must stay small enough for git (at most 5 MB): its
# snippets are cut to SNIPPET_CHARS characters around each finding (every
# finding stays). The JSON summary holds no findings; `exemplar check
# --format json CORPUS` prints them all.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
corpus="${1:-../shared/corpus}"
snippet_chars="${SNIPPET_CHARS:-48}"
limit=$((5 * 1024 * 1024))

command -v jq >/dev/null || { echo "conformance-report: jq is needed (apt-get install jq)" >&2; exit 2; }
[ -d "$corpus" ] || { echo "conformance-report: no corpus at $corpus" >&2; exit 2; }

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$repo/target}/release/exemplar"
mkdir -p reports

# Exit code 1 only says the corpus has error findings, which is the point.
run() {
  local code=0
  "$@" || code=$?
  if [ "$code" -gt 1 ]; then
    echo "conformance-report: $* failed with exit code $code" >&2
    exit "$code"
  fi
}

# Rule links in the committed page point at docs/rules/ from reports/.
run env EXEMPLAR_HTML_SNIPPET_CHARS="$snippet_chars" EXEMPLAR_DOCS_BASE_URI=../docs/rules \
  "$bin" check --format html --output reports/corpus.html "$corpus"

json="$(mktemp)"
trap 'rm -f "$json"' EXIT
run "$bin" check --format json --output "$json" "$corpus"
jq --arg corpus "$corpus" '{
  version,
  command,
  corpus: $corpus,
  report: "corpus.html",
  summary,
  findings: (.findings | length),
  by_rule: (.findings | group_by(.rule)
    | map({key: .[0].rule, value: length}) | sort_by(-.value, .key) | from_entries),
  by_locale: (.findings
    | map(. + {locale: ((.path | capture("(^|/)(?<l>[a-z]{2}-[a-z]{2})/") | .l) // "unknown")})
    | group_by(.locale)
    | map({key: .[0].locale, value: {
        errors: map(select(.severity == "error")) | length,
        warnings: map(select(.severity == "warning")) | length,
        notes: map(select(.severity == "note")) | length,
        pages_with_findings: (map(.path) | unique | length)}})
    | from_entries)
}' "$json" > reports/corpus.json

size=$(wc -c < reports/corpus.html)
if [ "$size" -gt "$limit" ]; then
  echo "conformance-report: reports/corpus.html is $size bytes, over 5 MB: lower SNIPPET_CHARS" >&2
  exit 1
fi
echo "conformance-report: reports/corpus.html ($size bytes), reports/corpus.json ($(wc -c < reports/corpus.json) bytes)"
jq -c '.summary' reports/corpus.json
