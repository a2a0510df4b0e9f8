#!/usr/bin/env bash
# Doubling benchmark for the input classes that once grew super-linearly
# (issue 13): for each class it builds a page of size N and one of size 2N,
# times `check` (and `extract` where the class hurt there) on each with the
# release binary, and prints the time ratios (wall and CPU). A linear class doubles (ratio
# about 2); the issue's bound is 2.3. Timings under ~20 ms are dominated by
# start-up, so the default sizes are large, but kept under the bounds of
# src/limits.rs (a 2N body stays under 4 MB, a 2N page under 10 MB) so that
# the 2N page is read, not skipped as page-too-large.
#
#   benches/doubling.sh [SCALE]       (SCALE multiplies every N; default 1)
#   BIN=target/debug/exemplar benches/doubling.sh 0.1
#   COUNT=instructions benches/doubling.sh 0.25
#
# On a shared machine wall time waits for a core and even CPU time (10 ms
# resolution) is noisy; COUNT=instructions counts the instructions executed
# under valgrind (callgrind) instead: slow (~50×, hence the smaller SCALE),
# but the same on every run.
#
# Classes:
#   examples      a page of N request/response examples
#   properties    one POST body of N properties that the response echoes
#   quotes        a body holding a run of N `"` characters
#   apostrophes   a body holding a run of N `'` characters
#   percents      a body holding a run of N `%` characters
#   braces        a body whose one line holds N `{` where a value belongs
#   oneline       a valid body of N properties on one line (1 MB at N = 40,000)
#   nbsp          a body of N lines indented with no-break spaces
#   unclosed      N lines of `<!-- {` before one `-->`
#   unclosed-req  N lines of `<!-- {` + `"blockType": "request",`
#   suppressed    N examples, each with an exemplar-disable comment that
#                 suppresses its body's trailing comma
#
# The generator is `benches/doubling.sh gen CLASS N FILE`, used by the
# script itself and handy for a quick reproduction.
set -euo pipefail

gen() {
  local class=$1 n=$2 out=$3
  case $class in
    examples)
      awk -v n="$n" 'BEGIN {
        print "# Examples\n\n## Examples\n"
        for (i = 0; i < n; i++) {
          printf "### Example %d\n\n<!-- { \"blockType\": \"request\", \"name\": \"get_item_%d\" } -->\n", i, i
          printf "```http\nGET https://graph.microsoft.com/v1.0/items/%d\n```\n\n", i
          printf "<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\n  \"id\": \"%d\"\n}\n```\n\n", i
        }
      }' >"$out" ;;
    properties)
      awk -v n="$n" 'BEGIN {
        print "# Create item\n\n<!-- { \"blockType\": \"request\", \"name\": \"create_item\" } -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n\n{"
        for (i = 0; i < n; i++) printf "  \"property%d\": \"value %d\"%s\n", i, i, (i < n - 1 ? "," : "")
        print "}\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{\n  \"id\": \"1\","
        for (i = 0; i < n; i++) printf "  \"property%d\": \"value %d\"%s\n", i, i, (i < n - 1 ? "," : "")
        print "}\n```"
      }' >"$out" ;;
    quotes | apostrophes | percents | braces)
      local c
      case $class in
        quotes) c='"' ;; apostrophes) c="'" ;; percents) c='%' ;; braces) c='{' ;;
      esac
      awk -v n="$n" -v c="$c" -v class="$class" 'BEGIN {
        print "# Broken\n\n<!-- { \"blockType\": \"request\", \"name\": \"create_item\" } -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n"
        printf (class == "braces" ? "{\"displayName\": " : "{\"displayName\": \"x\", ")
        for (i = 0; i < n; i++) printf "%s", c
        print "}"
        print "```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 204 No Content\n```"
      }' >"$out" ;;
    oneline)
      awk -v n="$n" 'BEGIN {
        print "# One line\n\n<!-- { \"blockType\": \"request\", \"name\": \"create_item\" } -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n"
        printf "{"
        for (i = 0; i < n; i++) printf "\"property%d\": \"value %d\"%s", i, i, (i < n - 1 ? ", " : "")
        print "}\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 204 No Content\n```"
      }' >"$out" ;;
    nbsp)
      awk -v n="$n" 'BEGIN {
        print "# Indented\n\n<!-- { \"blockType\": \"request\", \"name\": \"create_item\" } -->\n```http\nPOST https://graph.microsoft.com/v1.0/items\nContent-Type: application/json\n\n{"
        for (i = 0; i < n; i++) printf "\302\240\302\240\"p%d\": %d%s\n", i, i, (i < n - 1 ? "," : "")
        print "}\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 204 No Content\n```"
      }' >"$out" ;;
    suppressed)
      awk -v n="$n" 'BEGIN {
        print "# Examples\n\n## Examples\n"
        for (i = 0; i < n; i++) {
          printf "<!-- exemplar-disable json-syntax -->\n<!-- { \"blockType\": \"request\", \"name\": \"get_item_%d\" } -->\n", i
          printf "```http\nGET https://graph.microsoft.com/v1.0/items/%d\n```\n\n", i
          printf "<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"%d\",}\n```\n\n", i
        }
      }' >"$out" ;;
    unclosed)
      awk -v n="$n" 'BEGIN {
        print "# Unclosed\n"
        for (i = 0; i < n; i++) print "<!-- {"
        print "-->"
      }' >"$out" ;;
    unclosed-req)
      awk -v n="$n" 'BEGIN {
        print "# Unclosed\n"
        for (i = 0; i < n; i++) print "<!-- {\n  \"blockType\": \"request\","
        print "-->"
      }' >"$out" ;;
    *) echo "unknown class $class" >&2; return 2 ;;
  esac
}

if [[ ${1:-} == gen ]]; then
  gen "$2" "$3" "$4"
  exit 0
fi
cd "$(dirname "$0")/.."

scale=${1:-1}
if [[ -z ${BIN:-} ]]; then
  cargo build --release --quiet
  BIN=target/release/exemplar
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Best of five runs: "wall cpu" in milliseconds (CPU = user + system, the
# figure to compare on a shared machine, where wall time waits for a core).
best_ms() {
  local best_wall='' best_cpu=''
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %U %S' -o "$dir/time" "$@" >/dev/null 2>&1 || true
    read -r wall user sys < <(tail -n 1 "$dir/time")
    local w c
    w=$(awk -v x="$wall" 'BEGIN { printf "%d", x * 1000 }')
    c=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
    if [[ -z $best_wall || $w -lt $best_wall ]]; then best_wall=$w; fi
    if [[ -z $best_cpu || $c -lt $best_cpu ]]; then best_cpu=$c; fi
  done
  echo "$best_wall $best_cpu"
}

# Instructions executed (all threads), counted by callgrind.
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$dir/cg" || true
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$dir/cg" | tail -n 1
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }

if [[ ${COUNT:-} == instructions ]]; then
  printf '%-13s %-8s %8s %14s %8s %14s %6s\n' class command N instructions 2N instructions ratio
else
  printf '%-13s %-8s %8s %8s %8s %8s %8s %8s %6s %6s\n' class command N wall_ms cpu_ms 2N wall_ms cpu_ms wall× cpu×
fi
while read -r class n commands; do
  n=$(awk -v n="$n" -v s="$scale" 'BEGIN { printf "%d", n * s }')
  gen "$class" "$n" "$dir/n.md"
  gen "$class" $((2 * n)) "$dir/2n.md"
  for command in $commands; do
    if [[ ${COUNT:-} == instructions ]]; then
      a=$(instructions "$BIN" "$command" --format json "$dir/n.md")
      b=$(instructions "$BIN" "$command" --format json "$dir/2n.md")
      printf '%-13s %-8s %8d %14d %8d %14d %6s\n' "$class" "$command" "$n" "$a" $((2 * n)) "$b" "$(ratio "$a" "$b")"
      continue
    fi
    read -r aw ac < <(best_ms "$BIN" "$command" --format json "$dir/n.md")
    read -r bw bc < <(best_ms "$BIN" "$command" --format json "$dir/2n.md")
    printf '%-13s %-8s %8d %8d %8d %8d %8d %8d %6s %6s\n' "$class" "$command" "$n" "$aw" "$ac" \
      $((2 * n)) "$bw" "$bc" "$(ratio "$aw" "$bw")" "$(ratio "$ac" "$bc")"
  done
done <<'EOF'
examples 20000 check extract
properties 40000 check
quotes 1500000 check
apostrophes 1500000 check
percents 1500000 check
braces 1500000 check
oneline 40000 check
nbsp 50000 check
suppressed 10000 check
unclosed 200000 check extract
unclosed-req 120000 check extract
EOF
