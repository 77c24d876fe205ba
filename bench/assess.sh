#!/usr/bin/env bash
# Practice assessments at an organisation's size: 50 teams, 8 quarterly assessments each (and
# the organisation's own 8) on the 112-practice Engineering Leadership roadmap, on SQLite and on
# PostgreSQL.
#
#   bench/assess.sh                          # builds the release binary
#   LEADMAP=path/to/leadmap bench/assess.sh
#   TEAMS=50 QUARTERS=8 bench/assess.sh      # the organisation's size (the defaults)
#   PG=postgres://postgres@127.0.0.1:5432 bench/assess.sh
#   BACKENDS=sqlite bench/assess.sh          # one backend only
#   DURATION=10s bench/assess.sh             # each wrk run
#
# `leadmap synthetic-assessments` fills each database (an admin, TEAMS teams, QUARTERS published
# assessments per team and for the organisation: the first rates every practice, each later one
# starts as a copy of the one before and moves about a fifth). wrk with one connection (-t1 -c1:
# the latency is the server's time plus the loopback) measures, as the admin:
#   1. GET /assessments/overview/engineering-leadership (the organisation view: 51 latest
#      assessments, the heat strip of 50 teams × 112 practices in both themes, the index over
#      the quarters, the practices over time, the table);
#   2. GET /assessments/compare?from=FIRST&to=LAST (a team's first and last quarter);
#   3. the same two through the API;
# and curl times GET /assessments/{LAST}/report.pdf ten times (the median and the slowest).
# The bars: the organisation view and the compare page under 50 ms at p50 on both backends; the
# PDF report in under 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10s}
teams=${TEAMS:-50}
quarters=${QUARTERS:-8}
pg=${PG:-postgres://postgres@127.0.0.1:5432}
roadmap=engineering-leadership

if [ -n "${LEADMAP:-}" ]; then
  bin=$LEADMAP
else
  cargo build --release --quiet -p leadmap
  bin=${CARGO_TARGET_DIR:-target}/release/leadmap
fi

work=$(mktemp -d)
pid=
pgdb=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$pgdb" ] && psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/lib.sh
source bench/lib.sh

password="bench $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') passphrase"
rows=()
for backend in ${BACKENDS:-sqlite postgres}; do
  if [ "$backend" = sqlite ]; then
    url=$work/assess.db
  else
    pgdb=leadmap_bench_assess_$$
    psql -q "$pg/postgres" -c "CREATE DATABASE $pgdb" >/dev/null
    url=$pg/$pgdb
  fi
  start=$(date +%s.%N)
  "$bin" synthetic-assessments --teams "$teams" --quarters "$quarters" \
    --password "$password" --database-url "$url" >&2
  echo "$backend: generated in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s" >&2
  [ "$backend" = postgres ] && psql -q "$url" -c ANALYZE >/dev/null
  token=$("$bin" token create bench --user admin --database-url "$url")
  port=$(free_port)
  LEADMAP_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "$url" \
    >"$work/serve.out" 2>"$work/serve.log" &
  pid=$!
  base=http://127.0.0.1:$port
  wait_for "$base/healthz"
  admin=$(sign_in "$base" admin)
  # A team's first and last quarter, from the API's list.
  curl -s -H "Authorization: Bearer $token" "$base/api/v1/assessments" >"$work/list.json"
  read -r first last < <(python3 -c '
import json, sys
rows = [a for a in json.load(open(sys.argv[1])) if a["of"] == "team-000"]
print(rows[0]["id"], rows[-1]["id"])' "$work/list.json")
  overview=/assessments/overview/$roadmap
  compare="/assessments/compare?from=$first&to=$last"
  check "$base" "$overview" "Cookie: $admin" 'Teams by practice'
  check "$base" "$compare" "Cookie: $admin" ' rose, '
  check "$base" "/api/v1$overview" "Authorization: Bearer $token" '"practices"'
  check "$base" "/api/v1$compare" "Authorization: Bearer $token" '"changes"'
  for what in "$overview" "$compare" "/api/v1$overview" "/api/v1$compare"; do
    if [ "${what#/api}" != "$what" ]; then auth="Authorization: Bearer $token"; else auth="Cookie: $admin"; fi
    measure one "$base" "$what" "$auth"
    rows+=("| $backend | GET $what | $(p 50% "$work/one.wrk") ms | $(p 99% "$work/one.wrk") ms | $(awk '/^Requests\/sec:/ {print $2}' "$work/one.wrk") |")
  done
  : >"$work/pdf"
  for _ in $(seq 10); do
    curl -s -o "$work/report.pdf" -w '%{time_total}\n' -H "Cookie: $admin" \
      "$base/assessments/$last/report.pdf" >>"$work/pdf"
  done
  head -c 4 "$work/report.pdf" | grep -q '%PDF' || { echo "the report is not a PDF" >&2; exit 1; }
  rows+=("| $backend | GET /assessments/{id}/report.pdf ($(wc -c <"$work/report.pdf") bytes) | $(sort -n "$work/pdf" | awk '{ a[NR] = $1 } END { printf "%.0f", 1000 * a[int((NR + 1) / 2)] }') ms (median) | $(sort -n "$work/pdf" | tail -n 1 | awk '{ printf "%.0f", 1000 * $1 }') ms (slowest) | |")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  if grep -q -i panick "$work/serve.log"; then
    echo "$backend: the server panicked" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
  if [ -n "$pgdb" ]; then
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null
    pgdb=
  fi
done

cat <<EOT

$teams teams × $quarters assessments (and the organisation's $quarters), 112 practices; wrk -t1 -c1 -d$duration as the admin.

| Backend | What | p50 | p99 | req/s |
| --- | --- | --- | --- | --- |
EOT
printf '%s\n' "${rows[@]}"
