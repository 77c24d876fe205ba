#!/usr/bin/env bash
# What PostgreSQL costs a request on this machine: where issue 20's bars (the signed-in page at
# half of nginx's throughput, 5,000 durable PUTs/s with p99 under 20 ms) stand against what the
# database itself allows. One run, side by side:
#
#   1. nginx serving the signed-in page as a file; GET /healthz (reads nothing); GET /readyz
#      (one round trip, `SELECT 1`); the signed-in page (one statement; the account has no
#      records yet); alternating, twice;
#   2. PUT progress through the API (bench/http.sh's load), with the CPU time the server and
#      all PostgreSQL processes spent per request during it (from /proc);
#   3. the same for the page, now with the 112 records the PUTs wrote;
#   4. pgbench (the database alone, 16 clients: the server's pool) running the PUT's own
#      statements: the token lookup, then the write with the plan read back (history
#      function, upsert, clock trigger, plan); the write alone; a plain upsert with no history
#      and no clock (a floor for any durable write here); `SELECT 1` (a floor for any round
#      trip). Their throughput is a ceiling for the API's PUT, which adds HTTP, JSON and the
#      client on the same two cores.
#
#   LEADMAP=target/release/leadmap DURATION=10s bench/pg-floor.sh
#
# Database leadmap_floor on 127.0.0.1:5432 (user postgres), dropped and made anew. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
secs=${duration%s}
bin=${LEADMAP:-target/release/leadmap}
roadmap=engineering-leadership
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench | tail -n 1)
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# shellcheck source=bench/lib.sh
source bench/lib.sh
work_with_servers

pg=postgres://postgres@127.0.0.1:5432
psql -q "$pg/postgres" -c 'DROP DATABASE IF EXISTS leadmap_floor' \
  -c 'CREATE DATABASE leadmap_floor' >/dev/null
db=$pg/leadmap_floor
password="bench $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') passphrase"
printf '%s\n' "$password" | "$bin" user add bench --password-stdin --database-url "$db" >/dev/null
token=$("$bin" token create bench --database-url "$db")
port=$(free_port)
LEADMAP_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "$db" \
  >"$work/serve.out" 2>"$work/serve.log" &
server_pid=$!
base=http://127.0.0.1:$port
wait_for "$base/healthz"
cookie=$(sign_in "$base" bench)
mkdir -p "$work/www"
check "$base" "/r/$roadmap" "Cookie: $cookie" 'data-id="define-core-values"'
cp "$work/body" "$work/www/page.html"
check "$base" /readyz "X-No: 1" ready
chmod -R a+rX "$work/www"

nport=$(free_port)
nginx_conf "$work/nginx" "$nport" "$work/www"

roadmap_topics "$bin" >"$work/topics"
count_lua >"$work/count.lua"
put_lua "$(cat "$work/topics")" "$token" >"$work/put.lua"

# CPU seconds (user + system) of one process; and "pid ticks" of every PostgreSQL process,
# so that the database's share is summed over the processes alive at both ends of a run (a
# backend or worker that exits in between would take its ticks with it).
ticks=$(getconf CLK_TCK)
cpu_of() { awk -v t="$ticks" '{ printf "%.3f\n", ($14 + $15) / t }' "/proc/$1/stat"; }
pg_ticks() {
  for pid in $(pgrep -x postgres); do
    awk -v p="$pid" '{ print p, $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true
  done
}
pg_cpu_between() {
  awk -v t="$ticks" 'NR == FNR { a[$1] = $2; next } ($1 in a) { s += $2 - a[$1] }
    END { printf "%.3f\n", s / t }' "$1" "$2"
}

# wrk NAME ARGS…: prints "NAME req/s p99-ms codes" and keeps req/s in $work/NAME.rps.
bench() {
  local name=$1
  shift
  wrk -t2 -c64 -d"$duration" --latency "$@" >"$work/$name.wrk" 2>&1
  local rps p99 codes
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$name.wrk")
  p99=$(p 99% "$work/$name.wrk")
  codes=$(sed -n 's/^status codes: //p' "$work/$name.wrk")
  echo "$rps" >"$work/$name.rps"
  printf '%-22s %10s req/s  p99 %7s ms  %s\n' "$name" "$rps" "$p99" "$codes"
}

echo "== 1. one round trip against none, against nginx (alternating, twice)"
for round in 1 2; do
  "$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  nginx_pid=$!
  wait_for "http://127.0.0.1:$nport/page.html"
  bench "nginx-page-$round" -s "$work/count.lua" "http://127.0.0.1:$nport/page.html"
  kill "$nginx_pid"
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=
  bench "healthz-$round" -s "$work/count.lua" "$base/healthz"
  bench "readyz-$round" -s "$work/count.lua" "$base/readyz"
  bench "page-$round" -s "$work/count.lua" -H "Cookie: $cookie" "$base/r/$roadmap"
done

# with_cpu NAME ARGS…: bench, then the CPU each side spent per request.
with_cpu() {
  local name=$1 s0 p0=0 s1 p1 n
  s0=$(cpu_of "$server_pid")
  pg_ticks >"$work/pg0"
  bench "$@"
  s1=$(cpu_of "$server_pid")
  pg_ticks >"$work/pg1"
  p1=$(pg_cpu_between "$work/pg0" "$work/pg1")
  n=$(awk -v r="$(cat "$work/$name.rps")" -v s="$secs" 'BEGIN { print r * s }')
  awk -v a="$s0" -v b="$s1" -v c="$p0" -v d="$p1" -v n="$n" -v s="$secs" 'BEGIN {
    printf "    CPU per request: leadmap %.0f us, PostgreSQL %.0f us (cores busy: %.2f and %.2f)\n",
      (b - a) / n * 1e6, (d - c) / n * 1e6, (b - a) / s, (d - c) / s }'
}
echo "== 2. PUT through the API, and the CPU it costs each side"
with_cpu put -s "$work/put.lua" "$base"
echo "== 3. the signed-in page, and the CPU it costs each side"
with_cpu page-cpu -s "$work/count.lua" -H "Cookie: $cookie" "$base/r/$roadmap"

echo "== 4. pgbench, 16 clients, the PUT's statements without HTTP"
hash=$(psql -At "$db" -c "SELECT encode(token_hash, 'hex') FROM tokens LIMIT 1")
user=$(psql -At "$db" -c "SELECT id FROM users LIMIT 1")
now_ms="(extract(epoch from clock_timestamp())*1000)::bigint"
status="(ARRAY['done','learning','skipped'])[:s]"
# The PUT's write, as postgres/progress.rs makes it: the history function, the upsert (and
# its clock trigger), and the topic's plan joined to the written row.
write="WITH changed AS (SELECT leadmap_record_change($user, '$roadmap', 'topic' || :t, $status, $now_ms, 300000)), written AS (INSERT INTO progress (user_id, roadmap, topic, status, note, updated_at) SELECT $user, '$roadmap', 'topic' || :t, $status, '', $now_ms FROM changed ON CONFLICT (user_id, roadmap, topic) DO UPDATE SET status = excluded.status, note = COALESCE(NULL::text, progress.note), updated_at = excluded.updated_at RETURNING roadmap, topic, status, note, updated_at) SELECT w.roadmap, w.topic, w.status, w.note, w.updated_at, d.due_day, e.url, e.label FROM written w LEFT JOIN topic_due d ON d.user_id = $user AND d.roadmap = '$roadmap' AND d.topic = 'topic' || :t LEFT JOIN evidence e ON e.user_id = $user AND e.roadmap = '$roadmap' AND e.topic = 'topic' || :t ORDER BY e.position;"
vars='\set t random(1, 112)
\set s random(1, 3)'
# The PUT's two statements: the token's lookup (the access check), then the write.
printf '%s\n%s\n%s\n' "$vars" \
  "SELECT t.id AS token_id, t.last_used, u.id, u.name, u.display_name, u.is_admin, u.created_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = decode('$hash', 'hex') AND (t.expires_at IS NULL OR t.expires_at > 0);" \
  "$write" >"$work/put.sql"
printf '%s\n%s\n' "$vars" "$write" >"$work/write.sql"
# A floor for any durable write here: the same upsert into a table of the same shape with no
# history and no clock (no trigger, one index), committed on its own.
psql -q "$db" -c 'CREATE TABLE plain (LIKE progress INCLUDING DEFAULTS, PRIMARY KEY (user_id, roadmap, topic))'
printf '%s\n%s\n' "$vars" \
  "INSERT INTO plain (user_id, roadmap, topic, status, note, updated_at) VALUES ($user, '$roadmap', 'topic' || :t, $status, '', $now_ms) ON CONFLICT (user_id, roadmap, topic) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at;" \
  >"$work/plain.sql"
# One round trip that reads nothing and writes nothing.
echo 'SELECT 1;' >"$work/select1.sql"
for script in put write plain select1; do
  (cd "$work" && "$pgbench" -n -M prepared -c 16 -j 2 -T "$secs" -l --log-prefix="$script" \
    -f "$script.sql" "$db" >"$script.pgbench" 2>&1)
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/$script.pgbench")
  p99=$(cat "$work/$script".* | awk '{ print $3 }' | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.2f", v[int(NR * 0.99)] / 1000 }')
  printf '%-22s %10s tx/s   p99 %7s ms\n' "pgbench-$script" "$tps" "$p99"
done
