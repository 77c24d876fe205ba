#!/usr/bin/env bash
# Property tests of the API against its own OpenAPI document (schemathesis): every operation,
# a bounded number of generated requests each, every check (no 5xx, status codes, content
# types, headers and bodies as documented). Runs the binary the test build made.
#
#   .ci/schemathesis.sh [BINARY] [MAX_EXAMPLES]     # default target/debug/leadmap, 60
#   LEADMAP_SCHEMATHESIS_DB=postgres://…/db .ci/schemathesis.sh   # on PostgreSQL instead
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/leadmap}
examples=${2:-60}

venv=${LEADMAP_SCHEMATHESIS_VENV:-$HOME/.cache/leadmap-schemathesis}
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis>=4,<5'
fi

work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

db=${LEADMAP_SCHEMATHESIS_DB:-$work/leadmap.db}
echo "plum orbit canvas lantern 87" | "$bin" user add probe --password-stdin --database-url "$db" >/dev/null
token=$("$bin" token create probe --database-url "$db")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LEADMAP_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "$db" >"$work/out" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

status=0
"$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/api/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all \
  --max-examples "$examples" \
  --request-timeout 10 \
  --seed 1 || status=$?
if grep -q 'request failed' "$work/log"; then
  echo "the server logged a failed request:"; cat "$work/log"; status=1
fi
exit "$status"
