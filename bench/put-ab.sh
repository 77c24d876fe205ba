#!/usr/bin/env bash
# PUT progress on two builds side by side: each build serves its own new database, and wrk
# (-t2 -c64, bench/http.sh's PUT load: the bundled roadmap's learnable topics rotating, one
# token) alternates between them, ROUNDS times DUR each; prints req/s, p99, the status codes
# and the server's RSS after each run.
#
#   bench/put-ab.sh BEFORE_BINARY AFTER_BINARY
#   BACKEND=postgres bench/put-ab.sh …   # databases ab_before and ab_after on PG (default
#                                        # postgres://postgres@127.0.0.1:5432)
#   ROUNDS=3 DUR=10s                     # the defaults
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 2 ]; then
  echo "usage: bench/put-ab.sh BEFORE_BINARY AFTER_BINARY" >&2
  exit 2
fi
declare -A bins=([before]=$1 [after]=$2)
pg=${PG:-postgres://postgres@127.0.0.1:5432}
source bench/lib.sh
work=$(mktemp -d)
trap 'kill "${pid[@]}" 2>/dev/null; rm -rf "$work"' EXIT
backend=${BACKEND:-sqlite}
declare -A base tok pid
for name in before after; do
  bin=${bins[$name]}
  if [ $backend = sqlite ]; then db=$work/$name.db; else
    psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS ab_$name" -c "CREATE DATABASE ab_$name" >/dev/null
    db=$pg/ab_$name; fi
  printf '%s\n' "bench $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') passphrase" | $bin user add bench --password-stdin --database-url "$db" >/dev/null
  tok[$name]=$($bin token create bench --database-url "$db")
  port=$(free_port)
  LEADMAP_LOG=warn $bin serve --addr 127.0.0.1:$port --database-url "$db" >$work/$name.out 2>$work/$name.log &
  pid[$name]=$!
  base[$name]=http://127.0.0.1:$port
  wait_for ${base[$name]}/healthz
done
topics=$(roadmap_topics "${bins[after]}")
for name in before after; do
  put_lua "$topics" "${tok[$name]}" >"$work/put-$name.lua"
done
for r in $(seq ${ROUNDS:-3}); do
  for name in before after; do
    wrk -t2 -c64 -d${DUR:-10s} --latency -s $work/put-$name.lua ${base[$name]} > $work/w.txt 2>&1
    rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/${pid[$name]}/status)
    echo "round $r $name: $(awk '/^Requests\/sec/ {print $2}' $work/w.txt) req/s, p99 $(awk '$1=="99%" {print $2}' $work/w.txt), $(grep "^status codes" $work/w.txt), RSS $rss MiB"
  done
done
