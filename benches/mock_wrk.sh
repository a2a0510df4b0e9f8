#!/usr/bin/env bash
# The built-in mock's own throughput under wrk (apt-get install wrk).
#
#   benches/mock_wrk.sh [CORPUS] [SECONDS]   (default ../shared/corpus, 10 s)
#
# Serves the corpus on 127.0.0.1:$PORT (default 18080), logging one line a
# request to a file as `exemplar mock` does, and drives it with wrk:
#   - GET of an item: a user the corpus documents (read from the store);
#   - a create: POST /users, validated, stored with what the service sets
#     (the body names its id, so each create replaces the last instead of
#     growing the store to its 20,000-item limit, past which the mock
#     answers 507: a create is the same work either way);
#   - a filtered, paged list of the users ($filter, $top, $count);
#   - an unknown route (404).
# THREADS and CONNECTIONS tune wrk (default 2 and 64); EXEMPLAR names the
# binary (default: a release build of this tree), so that two builds can be
# compared in the same minute. The load of the machine (uptime) is printed
# before and after: the figures mean little without it. The mock is stopped
# with SIGINT (Ctrl-C) at the end, which must end it cleanly.
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
for _ in $(seq 300); do
  grep -q "routes from" "$log" && break
  sleep 0.1
done
head -1 "$log"
base="http://127.0.0.1:$port/v1.0"
cat >"$post" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id": "bench-user", "accountEnabled": true, "displayName": "Bench user", "mailNickname": "bench", "userPrincipalName": "bench@contoso.com", "passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d"}}'
LUA
echo "cores: $(nproc); wrk -t$threads -c$connections -d${seconds}s; load: $(uptime | sed 's/.*load average: //')"
echo "== GET an item: $base/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$base/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd"
echo "== POST a create (stored): $base/users"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$post" "$base/users"
echo "== GET a filtered list: $base/users?\$filter=accountEnabled eq true&\$top=5&\$count=true"
wrk -t"$threads" -c"$connections" -d"${seconds}s" "$base/users?%24filter=accountEnabled%20eq%20true&%24top=5&%24count=true"
echo "== GET an unknown route (404): $base/no/such/thing"
wrk -t"$threads" -c"$connections" -d"${seconds}s" "$base/no/such/thing"
echo "load after: $(uptime | sed 's/.*load average: //')"
kill -INT "$mock"
wait "$mock"
echo "mock exit code: $? ($(tail -1 "$log")); $(($(wc -l <"$log") - 2)) requests logged"
