#!/usr/bin/env bash
# The activity page of a person with a long history, on SQLite and on PostgreSQL.
#
#   bench/activity.sh                      # builds the release binary
#   LEADMAP=path/to/leadmap bench/activity.sh
#   CHANGES=1000000 bench/activity.sh      # a longer history (default 100,000)
#   PG=postgres://postgres@127.0.0.1:5432 bench/activity.sh   # the PostgreSQL server to use
#   BACKENDS=sqlite bench/activity.sh      # one backend only
#
# For each backend: one account, CHANGES status changes spread over the last 400 days
# (`leadmap synthetic-history`, through the same writes as an import), then wrk with one
# connection (-t1 -c1: the latency is the server's time plus the loopback) on
#   1. GET /activity (the calendar, the lines, the newest 50 changes);
#   2. GET /activity?status=skipped&from=… (a filtered list);
#   3. GET /api/v1/me/history?limit=50.
# Prints p50 and p99 of each. The bar: /activity under 20 ms at p50 on both backends.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10s}
changes=${CHANGES:-100000}
pg=${PG:-postgres://postgres@127.0.0.1:5432}

if [ -n "${LEADMAP:-}" ]; then
  bin=$LEADMAP
else
  cargo build --release --quiet -p leadmap
  bin=${CARGO_TARGET_DIR:-target}/release/leadmap
fi

work=$(mktemp -d)
server_pid=
pgdb=leadmap_bench_activity_$$
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() {
  for _ in $(seq 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "nothing answers at $1" >&2
  exit 1
}
p() { awk -v q="$1" '$1 == q {
      v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      printf "%.2f", v }' "$2"; }

rows=()
for backend in ${BACKENDS:-sqlite postgres}; do
  if [ "$backend" = sqlite ]; then
    url=$work/leadmap.db
  else
    psql -q "$pg/postgres" -c "CREATE DATABASE $pgdb" >/dev/null
    url=$pg/$pgdb
  fi
  password="bench $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') passphrase"
  printf '%s\n' "$password" | "$bin" user add bench --password-stdin --database-url "$url" >/dev/null
  token=$("$bin" token create bench --database-url "$url")
  start=$(date +%s.%N)
  "$bin" synthetic-history "$changes" --days 400 --database-url "$url" >&2
  echo "$backend: stored in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s" >&2
  port=$(free_port)
  LEADMAP_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "$url" >"$work/serve.out" 2>"$work/serve.log" &
  server_pid=$!
  base=http://127.0.0.1:$port
  wait_for "$base/healthz"
  cookie=$(curl -s -o /dev/null -D - \
    --data-urlencode name=bench --data-urlencode "password=$password" \
    --data-urlencode "next=/" "$base/login" |
    tr -d '\r' | sed -n 's/^set-cookie: \(leadmap_session=[^;]*\).*/\1/Ip' | head -n 1)
  code=$(curl -s -o "$work/activity.html" -w '%{http_code}' -H "Cookie: $cookie" "$base/activity")
  if [ "$code" != 200 ] || ! grep -q 'class="heat"' "$work/activity.html"; then
    echo "$backend: /activity answered $code" >&2
    exit 1
  fi
  from=$(date -u -d '-90 days' +%Y-%m-%d)
  for what in "/activity" "/activity?status=skipped&from=$from" "/api/v1/me/history?limit=50"; do
    if [ "${what#/api}" != "$what" ]; then auth="Authorization: Bearer $token"; else auth="Cookie: $cookie"; fi
    wrk -t1 -c1 -d"$duration" --latency -H "$auth" "$base$what" >"$work/w" 2>&1
    rows+=("| $backend | GET $what | $(p 50% "$work/w") ms | $(p 99% "$work/w") ms | $(awk '/^Requests\/sec:/ {print $2}' "$work/w") |")
  done
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
done

cat <<EOT

Summary ($(date -u +%Y-%m-%d), $(nproc) cores, $changes changes for one person, wrk -t1 -c1 -d$duration)
| backend | request | p50 | p99 | req/s |
|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")
EOT
