#!/usr/bin/env bash
# The soak: CLIENTS clients (default 200) read the signed-in roadmap page and write progress
# through the API for MINUTES minutes (default 10), on one backend:
#
#   bench/soak.sh sqlite      # one server on a SQLite file
#   bench/soak.sh postgres    # two servers on one PostgreSQL database (127.0.0.1:5432, user
#                             # postgres; database leadmap_soak, dropped and made anew); server
#                             # B is killed (SIGKILL) at KILL_AT seconds (default 30), its
#                             # clients move to server A
#   KILL_AT=300 bench/soak.sh postgres   # kill B half-way instead
#
# B dies inside the first minute by default so that A carries the whole load from before the
# first-minute RSS sample on: memory is then compared under one load, not across the takeover
# (which doubles A's connections and requests in flight, and its RSS with them).
#   MINUTES=1 CLIENTS=50 bench/soak.sh sqlite     # a short run
#   LEADMAP=path/to/leadmap SOAK=path/to/soak bench/soak.sh sqlite   # no build
#
# Prints every 10 s the servers' resident memory (RSS), then per route the requests, errors,
# requests lost in flight (to the killed server), p50/p99/max, and whether every acknowledged
# write is stored. Fails when there was an error, when an acknowledged write is missing, or
# when a surviving server's RSS at the end is more than 10 % above its RSS after the first
# minute. Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=${1:-sqlite}
minutes=${MINUTES:-10}
clients=${CLIENTS:-200}
# Accounts that also sign in for pages (the sign-in throttle allows 50 a window from one address).
readers=${READERS:-40}
roadmap=engineering-leadership
case "$backend" in sqlite | postgres) ;; *) echo "usage: $0 sqlite|postgres" >&2; exit 2 ;; esac

if [ -n "${LEADMAP:-}" ]; then
  bin=$LEADMAP
  soak=${SOAK:?SOAK=path/to/the soak example with LEADMAP}
else
  cargo build --release --quiet -p leadmap --bin leadmap --example soak
  bin=target/release/leadmap
  soak=target/release/examples/soak
fi

work=$(mktemp -d)
pids=()
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() {
  for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "nothing answers at $1" >&2
  exit 1
}

if [ "$backend" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS leadmap_soak' \
    -c 'CREATE DATABASE leadmap_soak' >/dev/null
  db=postgres://postgres@127.0.0.1:5432/leadmap_soak
  servers=2
else
  db=$work/leadmap.db
  servers=1
fi

echo "soak: $backend, $servers server(s), $clients clients, $minutes min; making $clients accounts" >&2
password="soak $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') passphrase"
for i in $(seq "$clients"); do
  printf '%s\n' "$password" | "$bin" user add "soak$i" --password-stdin --database-url "$db" >/dev/null
  token=$("$bin" token create soak --user "soak$i" --database-url "$db")
  printf 'soak%s\t%s\n' "$i" "$token" >>"$work/tokens"
done

urls=()
for s in $(seq "$servers"); do
  port=$(free_port)
  "$bin" serve --addr "127.0.0.1:$port" --database-url "$db" \
    >"$work/serve$s.out" 2>"$work/serve$s.log" &
  pids+=($!)
  urls+=("http://127.0.0.1:$port")
  wait_for "http://127.0.0.1:$port/healthz"
done

# Sessions for the readers, signed in on server A (a session works on every server).
: >"$work/accounts"
i=0
while IFS=$'\t' read -r name token; do
  i=$((i + 1))
  cookie=
  if [ "$i" -le "$readers" ]; then
    cookie=$(curl -s -o /dev/null -D - \
      --data-urlencode "name=$name" --data-urlencode "password=$password" \
      "${urls[0]}/login" | tr -d '\r' |
      sed -n 's/^set-cookie: \([^=]*session=[^;]*\).*/\1/Ip' | head -n 1)
    [ -n "$cookie" ] || { echo "signing in as $name failed" >&2; exit 1; }
  fi
  printf '%s\t%s\t%s\n' "$name" "$token" "$cookie" >>"$work/accounts"
done <"$work/tokens"

"$bin" show "$roadmap" --json | python3 -c '
import json, sys
ids = []
def walk(n):
    if n.get("kind") in ("topic", "subtopic"):
        ids.append(n["id"])
    for c in n.get("children", []):
        walk(c)
walk(json.load(sys.stdin))
print("\n".join(ids))' >"$work/topics"

# RSS of each server every 10 s: "SECONDS RSS_KB_A [RSS_KB_B]".
(
  t=0
  while sleep 10; do
    t=$((t + 10))
    row="$t"
    for p in "${pids[@]}"; do
      row="$row $(ps -o rss= -p "$p" 2>/dev/null | tr -d ' ' || true)"
    done
    echo "$row" >>"$work/rss"
    echo "rss: $row" >&2
  done
) &
sampler=$!

seconds=$((minutes * 60))
server_list=$(IFS=,; echo "${urls[*]}")
"$soak" --servers "$server_list" --accounts "$work/accounts" --topics "$work/topics" \
  --clients "$clients" --seconds "$seconds" >"$work/soak.out" &
driver=$!
if [ "$servers" -gt 1 ]; then
  kill_at=${KILL_AT:-30}
  sleep "$kill_at"
  echo "soak: killing server B (pid ${pids[1]}) at $kill_at s" >&2
  kill -KILL "${pids[1]}"
  wait "${pids[1]}" 2>/dev/null || true
fi
status=0
wait "$driver" || status=$?
kill "$sampler" 2>/dev/null || true
sampler=

echo
echo "== $backend: $clients clients, $minutes min, $servers server(s)"
cat "$work/soak.out"
echo
echo "RSS (KiB) every 10 s, per server:"
column -t "$work/rss" | sed 's/^/  /'
# Server A's RSS after the first minute against its RSS at the end.
first=$(awk '$1 == 60 {print $2}' "$work/rss")
last=$(tail -n 1 "$work/rss" | awk '{print $2}')
if [ -n "$first" ] && [ -n "$last" ]; then
  growth=$(python3 -c "print(round(($last - $first) * 100 / $first, 1))")
  echo "server A: RSS after the first minute $first KiB, at the end $last KiB: ${growth} %"
  if python3 -c "import sys; sys.exit(0 if $last <= $first * 1.10 else 1)"; then
    echo "RSS: flat (within 10 %)"
  else
    echo "RSS: grew more than 10 %"
    status=1
  fi
fi
if grep -qi 'panicked' "$work"/serve*.log; then
  echo "a server panicked" >&2
  status=1
fi
exit "$status"
