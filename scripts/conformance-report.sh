#!/usr/bin/env bash
# Regenerates the published conformance report of the corpus: one
# `exemplar run` over every page of every locale against the built-in mock
# (no --endpoint), which replays each example and also runs every static
# check (the locale pairs and the type model need all locales at once).
#   reports/corpus.html          the source locale's HTML page (en-us; exemplar
#                                merge --format html of its share of the run):
#                                its findings and every example's outcome
#   reports/corpus-LOCALE.html   the same for every other locale (one page
#                                for all would be over the 5 MB limit)
#   reports/corpus.json          the JSON summary: totals, findings by rule
#                                and locale, examples replayed/passed/failed/
#                                skipped by locale with the skip reasons counted
#   reports/corpus-results.json  every example: locale, page, example name,
#                                outcome and the reason it was skipped or failed
#
# Usage: scripts/conformance-report.sh [PATH]   (default: ../shared/corpus,
# whose locale folders each get a page). Run it from anywhere; it builds
# release first unless EXEMPLAR names a binary; SOURCE_LOCALE (default en-us)
# names the locale whose page is reports/corpus.html.
#
# Each committed HTML page must stay small enough for git (at most 5 MB).
# The JSON summary holds no findings; `exemplar run --format json CORPUS`
# prints them all.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [ "$#" -eq 0 ]; then
  set -- ../shared/corpus
fi
corpus="$*"
limit=$((5 * 1024 * 1024))

command -v jq >/dev/null || { echo "conformance-report: jq is needed (apt-get install jq)" >&2; exit 2; }
for path in "$@"; do
  [ -e "$path" ] || { echo "conformance-report: no corpus at $path" >&2; exit 2; }
done

# EXEMPLAR names a binary to use instead of building release here.
if [ -n "${EXEMPLAR:-}" ]; then
  bin="$EXEMPLAR"
else
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/exemplar"
fi
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

json="$(mktemp)"
share="$(mktemp)"
trap 'rm -f "$json" "$share"' EXIT
run "$bin" run --format json --output "$json" "$@"

# One HTML page per locale: the run's findings, pages and results of that
# locale, its summary counted again, rendered by `exemplar merge` (which
# reads the pages again for the snippets). Rule links in the committed
# pages point at docs/rules/ from reports/.
rm -f reports/corpus.html reports/corpus-??-??.html
locales="$(jq -r '[.pages[].locale // empty] | unique | .[]' "$json")"
source_locale="${SOURCE_LOCALE:-en-us}"
page_of() { if [ "$1" = "$source_locale" ]; then echo corpus.html; else echo "corpus-$1.html"; fi; }
for locale in $locales; do
  jq --arg loc "$locale" '
    def here: contains("/" + $loc + "/");
    .findings |= map(select(.path | here))
    | .results |= map(select(.id | here))
    | .pages |= map(select(.locale == $loc))
    | .summary |= (del(.paired_pages))
    | .summary.pages = (.pages | length)
    | .summary.examples = (.results | length)
    | .summary.replayed = (.results | map(select(.outcome != "skipped")) | length)
    | .summary.passed = (.results | map(select(.outcome == "passed")) | length)
    | .summary.failed = (.results | map(select(.outcome == "failed")) | length)
    | .summary.skipped = (.results | map(select(.outcome == "skipped")) | length)
    | .summary.errors = (.findings | map(select(.severity == "error")) | length)
    | .summary.warnings = (.findings | map(select(.severity == "warning")) | length)
    | .summary.notes = (.findings | map(select(.severity == "note")) | length)
  ' "$json" > "$share"
  run env EXEMPLAR_DOCS_BASE_URI=../docs/rules \
    "$bin" merge --format html --output "reports/$(page_of "$locale")" "$share"
done

# A result's locale, page below the locale root and example name, from its
# id (`CORPUS/zh-cn/api-reference/x.md#name`); a skip reason without its
# particulars (the placeholder's name, the mock's first difference).
jq_defs='
  def locale: (capture("(^|/)(?<l>[a-z]{2}-[a-z]{2})/") | .l) // "unknown";
  def page: (capture("(^|/)[a-z]{2}-[a-z]{2}/(?<p>[^#]*)#") | .p) // (split("#")[0]);
  def kind: if . == null then null
    else sub(" \\(.*\\); replay against.*$"; "")
      | sub("`[^`]*`"; "`…`"; "g") | sub("; give it a value with --var .*$"; "") end;
'
jq "$jq_defs"'[.results[] | {
  locale: (.id | locale), page: (.id | page), example: (.id | split("#") | last),
  outcome} + (if .reason then {reason} else {} end)]' "$json" > reports/corpus-results.json

jq --arg corpus "$corpus" --arg source "$source_locale" "$jq_defs"'{
  version,
  command,
  corpus: $corpus,
  reports: ([.pages[].locale // empty] | unique
    | map({key: ., value: (if . == $source then "corpus.html" else "corpus-\(.).html" end)})
    | from_entries),
  results: "corpus-results.json",
  endpoint: "the built-in mock",
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
    | from_entries),
  examples_by_locale: (.results
    | group_by(.id | locale)
    | map({key: (.[0].id | locale), value: {
        examples: length,
        replayed: map(select(.outcome != "skipped")) | length,
        passed: map(select(.outcome == "passed")) | length,
        failed: map(select(.outcome == "failed")) | length,
        skipped: map(select(.outcome == "skipped")) | length,
        skip_reasons: (map(select(.outcome == "skipped") | .reason | kind)
          | group_by(.) | map({key: .[0], value: length}) | sort_by(-.value) | from_entries)}})
    | from_entries)
}' "$json" > reports/corpus.json

for locale in $locales; do
  page="reports/$(page_of "$locale")"
  size=$(wc -c < "$page")
  if [ "$size" -gt "$limit" ]; then
    echo "conformance-report: $page is $size bytes, over 5 MB" >&2
    exit 1
  fi
  echo "conformance-report: $page ($size bytes, $locale)"
done
echo "conformance-report: reports/corpus.json ($(wc -c < reports/corpus.json) bytes), reports/corpus-results.json ($(wc -c < reports/corpus-results.json) bytes)"
jq -c '.summary' reports/corpus.json
