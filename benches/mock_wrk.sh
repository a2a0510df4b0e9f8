#!/usr/bin/env bash
# The built-in mock's own throughput under wrk (apt-get install wrk).
#
#   benches/mock_wrk.sh [CORPUS] [SECONDS]   (default ../shared/corpus, 10 s)
#
# Serves the corpus on 127.0.0.1:$PORT (default 18080), logging one line a
# request to a file as `exemplar mock` does, and drives it with wrk: a
# documented GET, a create (POST /applications: parsed, merged with the
# documented entity and stored; the body names its id, so each create
# replaces the last instead of growing the store to its 20,000-item limit,
# past which the mock answers 507), and an unknown route (404).
# THREADS and CONNECTIONS tune wrk (default 2 and 64). The mock is
# stopped with SIGINT (Ctrl-C) at the end, which must end it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
seconds=${2:-10}
port=${PORT:-18080}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
if [[ -z "${EXEMPLAR:-}" ]]; then
  cargo build --release --quiet
  EXEMPLAR="${CARGO_TARGET_DIR:-target}/release/exemplar"
fi
log=$(mktemp)
post=$(mktemp --suffix=.lua)
"$EXEMPLAR" mock "$corpus" --listen "127.0.0.1:$port" 2>"$log" &
mock=$!
trap 'kill -INT $mock 2>/dev/null || true; rm -f "$log" "$post"' EXIT
for _ in $(seq 100); do
  grep -q "routes from" "$log" && break
  sleep 0.1
done
head -1 "$log"
base="http://127.0.0.1:$port/v1.0"
cat >"$post" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id": "bench-app", "displayName": "Bench app", "signInAudience": "AzureADMyOrg"}'
LUA
echo "cores: $(nproc); wrk -t$threads -c$connections -d${seconds}s"
echo "== GET a documented example: $base/me/planner/plans"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$base/me/planner/plans"
echo "== POST a create (stored): $base/applications"
wrk -t"$threads" -c"$connections" -d"${seconds}s" -s "$post" "$base/applications"
echo "== GET an unknown route (404): $base/no/such/thing"
wrk -t"$threads" -c"$connections" -d"${seconds}s" "$base/no/such/thing"
kill -INT "$mock"
wait "$mock"
echo "mock exit code: $? ($(tail -1 "$log")); $(($(wc -l <"$log") - 2)) requests logged"
