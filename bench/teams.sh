#!/usr/bin/env bash
# The team dashboard of a large team, and a member's own roadmap page with and without teams,
# on SQLite and on PostgreSQL.
#
#   bench/teams.sh                         # builds the release binary
#   LEADMAP=path/to/leadmap bench/teams.sh
#   MEMBERS=10000 bench/teams.sh           # a larger team (default 1,000)
#   TOPICS=300 DAYS=365 bench/teams.sh     # the roadmap's learnable topics, the history's days
#   PG=postgres://postgres@127.0.0.1:5432 bench/teams.sh   # the PostgreSQL server to use
#   BACKENDS=sqlite bench/teams.sh         # one backend only
#   ROUNDS=3 bench/teams.sh                # alternations of the personal page (default 3)
#   NO_ANALYZE=1 bench/teams.sh            # PostgreSQL measured right after the load, before
#                                          # it is vacuumed and its statistics gathered
#
# For each backend, two databases made by `leadmap synthetic-team` with the same seed: the same
# synthetic roadmap (published as `synthetic-team`, visible to the signed-in), a manager and
# MEMBERS members with a spread of statuses over DAYS days, through the same writes as an
# import (so the history fills); one with the team `bench` (the manager manages it, everyone
# else is a member), one without any team (the baseline). Both servers run at once; wrk with one
# connection (-t1 -c1: the latency is the server's time plus the loopback) measures
#   1. GET /teams/bench/r/synthetic-team (the dashboard: heatmap, gaps, single points), as the
#      manager;
#   2. GET /teams/bench/r/synthetic-team/matrix (members × topics), as the manager;
#   3. GET /api/v1/teams/bench/roadmaps/synthetic-team with the manager's token;
#   4. GET /r/synthetic-team as member0001, on the database with the team and on the one
#      without, alternating ROUNDS times;
#   5. the dashboard again while 20 members mark topics through the API, about WRITES a
#      second (default 10): the server keeps members' records between requests and reads
#      again those of the members whose records changed (issue 16), so 1-3 are the view of a
#      team at rest and 5 the view of a team at work;
# and the first view of the dashboard after the server started (nothing kept yet), by curl.
# Prints p50 and p99 of each. The bars: the dashboard under 50 ms at p50 and under 100 ms at
# p99; the personal page with the team within 10 % of the page without.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10s}
members=${MEMBERS:-1000}
topics=${TOPICS:-300}
days=${DAYS:-365}
rounds=${ROUNDS:-3}
pg=${PG:-postgres://postgres@127.0.0.1:5432}
roadmap=synthetic-team
# member N: the Nth member, named as `leadmap synthetic-team` names them (zero-padded to the
# count's width, at least four digits).
member() { printf "member%0*d" "$(( ${#members} > 4 ? ${#members} : 4 ))" "$1"; }
first=$(member 1)

if [ -n "${LEADMAP:-}" ]; then
  bin=$LEADMAP
else
  cargo build --release --quiet -p leadmap
  bin=${CARGO_TARGET_DIR:-target}/release/leadmap
fi

work=$(mktemp -d)
pids=()
pgdbs=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  for d in "${pgdbs[@]}"; do
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/lib.sh
source bench/lib.sh
# mean of numbers on standard input, two decimals.
mean() { awk '{ s += $1; n++ } END { printf "%.2f", s / n }'; }

password="bench $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') passphrase"
rows=()
for backend in ${BACKENDS:-sqlite postgres}; do
  declare -A url=()
  for kind in team base; do
    if [ "$backend" = sqlite ]; then
      url[$kind]=$work/$kind.db
    else
      d=leadmap_bench_teams_${kind}_$$
      psql -q "$pg/postgres" -c "CREATE DATABASE $d" >/dev/null
      pgdbs+=("$d")
      url[$kind]=$pg/$d
    fi
    flag=()
    [ "$kind" = base ] && flag=(--no-team)
    start=$(date +%s.%N)
    "$bin" synthetic-team --members "$members" --topics "$topics" --days "$days" \
      --password "$password" "${flag[@]}" --database-url "${url[$kind]}" >&2
    echo "$backend/$kind: generated in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s" >&2
    # VACUUM and the planner's statistics, as autovacuum does a minute after a bulk load: without
    # them PostgreSQL plans for a few dozen rows where there are a hundred thousand, and an
    # index-only scan still visits the table for every row (the visibility map is not set).
    if [ "$backend" = postgres ] && [ -z "${NO_ANALYZE:-}" ]; then
      psql -q "${url[$kind]}" -c "VACUUM (ANALYZE)" >/dev/null
    fi
  done
  token=$("$bin" token create bench --user manager --database-url "${url[team]}")

  declare -A base=()
  for kind in team base; do
    port=$(free_port)
    LEADMAP_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "${url[$kind]}" \
      >"$work/serve-$kind.out" 2>"$work/serve-$kind.log" &
    pids+=($!)
    base[$kind]=http://127.0.0.1:$port
    wait_for "${base[$kind]}/healthz"
  done

  manager=$(sign_in "${base[team]}" manager)
  member_team=$(sign_in "${base[team]}" "$first")
  member_base=$(sign_in "${base[base]}" "$first")
  if [ -z "$manager" ] || [ -z "$member_team" ] || [ -z "$member_base" ]; then
    echo "$backend: signing in failed" >&2
    exit 1
  fi
  dash=/teams/bench/r/$roadmap
  first_view=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $manager" "${base[team]}$dash")
  rows+=("| $backend | GET $dash, the first view after the start (curl, one request) | $(awk -v t="$first_view" 'BEGIN { printf "%.2f", t * 1000 }') ms | | |")
  check "${base[team]}" "$dash" "Cookie: $manager" '<svg'
  check "${base[team]}" "$dash/matrix" "Cookie: $manager" "$first"
  check "${base[team]}" "/api/v1/teams/bench/roadmaps/$roadmap" "Authorization: Bearer $token" "$first"
  check "${base[team]}" "/r/$roadmap" "Cookie: $member_team" 'data-kind="topic"'
  check "${base[base]}" "/r/$roadmap" "Cookie: $member_base" 'data-kind="topic"'
  for what in "$dash" "$dash/matrix" "/api/v1/teams/bench/roadmaps/$roadmap"; do
    if [ "${what#/api}" != "$what" ]; then auth="Authorization: Bearer $token"; else auth="Cookie: $manager"; fi
    measure one "${base[team]}" "$what" "$auth"
    rows+=("| $backend | GET $what | $(p 50% "$work/one.wrk") ms | $(p 99% "$work/one.wrk") ms | $(awk '/^Requests\/sec:/ {print $2}' "$work/one.wrk") |")
  done

  # The dashboard while members write: 20 members, each with a token, mark topics in turn.
  if [ "$backend" = sqlite ]; then
    mapfile -t topic_ids < <(python3 -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for (t,) in c.execute("SELECT DISTINCT topic FROM progress WHERE roadmap = ? LIMIT 40", (sys.argv[2],)):
    print(t)' "${url[team]}" "$roadmap")
  else
    mapfile -t topic_ids < <(psql -At "${url[team]}" \
      -c "SELECT DISTINCT topic FROM progress WHERE roadmap = '$roadmap' LIMIT 40")
  fi
  writer_tokens=()
  for i in $(seq 2 21); do
    writer_tokens+=("$("$bin" token create bench-writes --user "$(member "$i")" --database-url "${url[team]}")")
  done
  (
    statuses=(done learning skipped pending)
    pause=$(awk -v w="${WRITES:-10}" 'BEGIN { printf "%.3f", 1 / w }')
    i=0
    while :; do
      code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT \
        -H "Authorization: Bearer ${writer_tokens[i % 20]}" -H 'Content-Type: application/json' \
        -d "{\"status\":\"${statuses[i % 4]}\"}" \
        "${base[team]}/api/v1/me/progress/$roadmap/${topic_ids[(i * 7) % ${#topic_ids[@]}]}")
      [ "$code" = 200 ] || echo "a member's PUT answered $code" >&2
      i=$((i + 1))
      echo "$i" >"$work/writes"
      sleep "$pause"
    done
  ) &
  writer=$!
  sleep 1
  echo 0 >"$work/writes"
  measure one "${base[team]}" "$dash" "Cookie: $manager"
  writes=$(cat "$work/writes")
  kill "$writer" 2>/dev/null || true
  wait "$writer" 2>/dev/null || true
  rows+=("| $backend | GET $dash while members write ($writes PUTs in the $duration) | $(p 50% "$work/one.wrk") ms | $(p 99% "$work/one.wrk") ms | $(awk '/^Requests\/sec:/ {print $2}' "$work/one.wrk") |")

  # The personal page, alternating: without any team, then with the team.
  : >"$work/page-base"
  : >"$work/page-team"
  for round in $(seq "$rounds"); do
    measure page "${base[base]}" "/r/$roadmap" "Cookie: $member_base"
    echo "$(p 50% "$work/page.wrk") $(p 99% "$work/page.wrk") $(awk '/^Requests\/sec:/ {print $2}' "$work/page.wrk")" >>"$work/page-base"
    measure page "${base[team]}" "/r/$roadmap" "Cookie: $member_team"
    echo "$(p 50% "$work/page.wrk") $(p 99% "$work/page.wrk") $(awk '/^Requests\/sec:/ {print $2}' "$work/page.wrk")" >>"$work/page-team"
    echo "$backend: round $round: page without teams $(tail -n 1 "$work/page-base"), with the team $(tail -n 1 "$work/page-team") (p50 p99 req/s)" >&2
  done
  for kind in base team; do
    label="GET /r/$roadmap as $first, $([ "$kind" = base ] && echo "no team (baseline)" || echo "in the team")"
    rows+=("| $backend | $label | $(cut -d' ' -f1 "$work/page-$kind" | mean) ms | $(cut -d' ' -f2 "$work/page-$kind" | mean) ms | $(cut -d' ' -f3 "$work/page-$kind" | mean) |")
  done
  ratio=$(paste -d' ' "$work/page-team" "$work/page-base" | awk '{ t += $1; b += $4 } END { printf "%.0f", 100 * t / b }')
  rows+=("| $backend | personal page p50, with the team / without | $ratio % | | |")

  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
  if grep -q -i panick "$work"/serve-*.log; then
    echo "$backend: a server panicked" >&2
    cat "$work"/serve-*.log >&2
    exit 1
  fi
  unset url base
done

cat <<EOT

Summary ($(date -u +%Y-%m-%d), $(nproc) cores, $members members × $topics topics, $days days of history, wrk -t1 -c1 -d$duration, personal page: mean of $rounds alternating runs)
| backend | request | p50 | p99 | req/s |
|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")
EOT
