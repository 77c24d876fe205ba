#!/usr/bin/env bash
# The web app under load, against nginx serving the same page as a static file.
#
#   bench/http.sh                 # builds the release binary, installs nginx and wrk when missing
#   LEADMAP=path/to/leadmap bench/http.sh   # measures that binary instead (no build)
#   DURATION=30s bench/http.sh    # longer runs (default 10s)
#   BACKEND=postgres bench/http.sh  # the same on the local PostgreSQL (127.0.0.1:5432, user
#                                 # postgres; database leadmap_bench, dropped and made anew)
#   DATABASE_URL=postgres://… bench/http.sh   # any database URL (it must be empty)
#
# Measures, each with wrk as a second process (-t2 -c64 --latency):
#   1. GET /r/engineering-leadership signed in (the session cookie), on a SQLite database;
#   2. nginx (2 workers) serving the same page, saved as a static file;
#   3. PUT /api/v1/me/progress/engineering-leadership/TOPIC with a token (rotating topics);
#   4. the page's weight compressed (br, gzip) with its assets from /static/;
#   5. the server's resident memory after the load;
#   6. GET /s/TOKEN/badge.svg (a share link's badge) and nginx serving the same bytes;
#   7. GET /s/TOKEN (the share page, without an account), alternating with its owner's own
#      signed-in page in the same state (after the PUTs: the same 112 records);
#   8. GET /r/engineering-leadership without an account (the public page) and nginx serving
#      the same bytes;
#   9. GET /r/custom signed in: a published roadmap of 160 topics (leadmap synthetic 68), and
#      GET /r/el-copy: the bundled roadmap's own text published under another id (the same
#      page, so the difference is what serving a published roadmap costs), against the
#      bundled page for an account without progress, alternating.
# Every request goes to 127.0.0.1. Prints a summary table at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10s}
roadmap=engineering-leadership

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  apt-get install -y "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

if [ -n "${LEADMAP:-}" ]; then
  bin=$LEADMAP
else
  cargo build --release --quiet -p leadmap
  bin=target/release/leadmap
fi

# work_with_servers, free_port, wait_for, and the wrk scripts (roadmap_topics, count_lua, put_lua).
# shellcheck source=bench/lib.sh
source bench/lib.sh
work_with_servers

# --- the server, with one account, a token and a session -------------------------------------
db=$work/leadmap.db
if [ -n "${DATABASE_URL:-}" ]; then
  db=$DATABASE_URL
elif [ "${BACKEND:-sqlite}" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS leadmap_bench' \
    -c 'CREATE DATABASE leadmap_bench' >/dev/null
  db=postgres://postgres@127.0.0.1:5432/leadmap_bench
fi
echo "database: $db" >&2
case $db in postgres*) backend_name=PostgreSQL ;; *) backend_name=SQLite ;; esac
password="bench $(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') passphrase"
printf '%s\n' "$password" | "$bin" user add bench --password-stdin --database-url "$db" >/dev/null
token=$("$bin" token create bench --database-url "$db")

port=$(free_port)
"$bin" serve --addr "127.0.0.1:$port" --database-url "$db" >"$work/serve.out" 2>"$work/serve.log" &
server_pid=$!
base=http://127.0.0.1:$port
wait_for "$base/healthz"

cookie=$(curl -s -o /dev/null -D - \
  --data-urlencode name=bench --data-urlencode "password=$password" \
  --data-urlencode "next=/r/$roadmap" "$base/login" |
  tr -d '\r' | sed -n 's/^set-cookie: \(leadmap_session=[^;]*\).*/\1/Ip' | head -n 1)
if [ -z "$cookie" ]; then
  echo "signing in failed" >&2
  exit 1
fi

page=$work/www/page.html
mkdir -p "$work/www"
code=$(curl -s -o "$page" -w '%{http_code}' -H "Cookie: $cookie" "$base/r/$roadmap")
if [ "$code" != 200 ] || ! grep -q 'data-id="define-core-values"' "$page"; then
  echo "the signed-in roadmap page answered $code, not the page" >&2
  exit 1
fi
chmod -R a+rX "$work/www"

# --- wrk scripts: count every status code; the PUT one builds its requests ------------------
roadmap_topics "$bin" >"$work/topics"
count_lua >"$work/count.lua"
put_lua "$(cat "$work/topics")" "$token" >"$work/put.lua"

# Runs wrk; prints its output and leaves "REQ_PER_S P99_MS CODES" in $work/last.
run_wrk() {
  local name=$1
  shift
  echo "== $name" >&2
  wrk -t2 -c64 -d"$duration" --latency "$@" | tee "$work/$name.wrk" >&2
  local rps p99 codes
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$name.wrk")
  p99=$(awk '/^ +99%/ {
      v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /m$/) { sub(/m$/, "", v); v = v * 60000 }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      printf "%.2f", v }' "$work/$name.wrk")
  codes=$(sed -n 's/^status codes: //p' "$work/$name.wrk" | tr ' ' ',')
  echo "$rps $p99 ${codes:-?}" >"$work/last"
}

rss_before=$(ps -o rss= -p "$server_pid" | tr -d ' ')

# 1. The signed-in roadmap page.
run_wrk page -s "$work/count.lua" -H "Cookie: $cookie" "$base/r/$roadmap"
read -r page_rps page_p99 page_codes <"$work/last"

# 2. nginx, the same bytes from a file.
nport=$(free_port)
nginx_conf "$work/nginx" "$nport" "$work/www"
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nport/page.html"
if ! cmp -s <(curl -s "http://127.0.0.1:$nport/page.html") "$page"; then
  echo "nginx does not serve the saved page" >&2
  exit 1
fi
run_wrk nginx -s "$work/count.lua" "http://127.0.0.1:$nport/page.html"
read -r nginx_rps nginx_p99 nginx_codes <"$work/last"
kill "$nginx_pid"
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=

# 3. PUT progress updates (each acknowledged only once stored: SQLite, synchronous=FULL).
run_wrk put -s "$work/put.lua" "$base"
read -r put_rps put_p99 put_codes <"$work/last"
stored=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/me/progress/$roadmap" |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["topics"]))')

# 6. A share link's badge, and nginx serving the same bytes; 7. the share page.
share_path=$(curl -s -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  -d "{\"roadmap\": \"$roadmap\"}" "$base/api/v1/me/shares" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["path"])')
curl -s -o "$work/www/badge.svg" "$base$share_path/badge.svg"
run_wrk badge -s "$work/count.lua" "$base$share_path/badge.svg"
read -r badge_rps badge_p99 badge_codes <"$work/last"
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nport/badge.svg"
run_wrk nginx-badge -s "$work/count.lua" "http://127.0.0.1:$nport/badge.svg"
read -r nbadge_rps nbadge_p99 nbadge_codes <"$work/last"
kill "$nginx_pid"
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=
# The share page against the owner's own signed-in page in the same state (their 112 records,
# after the PUTs), alternating, two rounds each: the same person's data, drawn for a visitor
# and for its owner.
run_wrk share -s "$work/count.lua" "$base$share_path"
read -r share_rps share_p99 share_codes <"$work/last"
run_wrk owner -s "$work/count.lua" -H "Cookie: $cookie" "$base/r/$roadmap"
read -r owner_rps owner_p99 owner_codes <"$work/last"
run_wrk share2 -s "$work/count.lua" "$base$share_path"
read -r share2_rps _ _ <"$work/last"
run_wrk owner2 -s "$work/count.lua" -H "Cookie: $cookie" "$base/r/$roadmap"
read -r owner2_rps _ _ <"$work/last"
share_mean=$(awk -v a="$share_rps" -v b="$share2_rps" 'BEGIN { printf "%.2f", (a + b) / 2 }')
owner_mean=$(awk -v a="$owner_rps" -v b="$owner2_rps" 'BEGIN { printf "%.2f", (a + b) / 2 }')

# 8. The public roadmap page for a visitor without an account, and nginx serving its bytes.
curl -s -o "$work/www/public.html" "$base/r/$roadmap"
if ! grep -q 'Sign in to track your progress' "$work/www/public.html"; then
  echo "the public roadmap page is not what a visitor gets" >&2
  exit 1
fi
run_wrk public -s "$work/count.lua" "$base/r/$roadmap"
read -r public_rps public_p99 public_codes <"$work/last"
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nport/public.html"
run_wrk nginx-public -s "$work/count.lua" "http://127.0.0.1:$nport/public.html"
read -r npublic_rps npublic_p99 npublic_codes <"$work/last"
kill "$nginx_pid"
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=

# 9. A published roadmap of 160 topics and subtopics, signed in (the bundled page above has 112).
"$bin" synthetic 68 | sed '1s/^/---\nid: custom\n---\n/' >"$work/custom.md"
code=$(curl -s -o "$work/publish.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
  -H "Content-Type: text/markdown" --data-binary @"$work/custom.md" "$base/api/v1/roadmaps/custom")
if [ "$code" != 201 ]; then
  echo "publishing the 160-topic roadmap answered $code: $(head -c 600 "$work/publish.json")" >&2
  exit 1
fi
run_wrk custom -s "$work/count.lua" -H "Cookie: $cookie" "$base/r/custom"
read -r custom_rps custom_p99 custom_codes <"$work/last"
curl -s -H "Cookie: $cookie" "$base/r/$roadmap/v/1.md" | sed "s/^id: $roadmap\$/id: el-copy/" >"$work/copy.md"
code=$(curl -s -o "$work/publish.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
  -H "Content-Type: text/markdown" --data-binary @"$work/copy.md" "$base/api/v1/roadmaps/el-copy?visibility=signed-in")
if [ "$code" != 201 ]; then
  echo "publishing the copy answered $code: $(head -c 600 "$work/publish.json")" >&2
  exit 1
fi
# The copy against the bundled page, fairly: a second account with no progress on either (the
# bench account now has a record of every bundled topic and a long history), three 5-second
# runs of each, alternating; the means.
printf '%s\n' "$password" | "$bin" user add reader --password-stdin --database-url "$db" >/dev/null
reader=$(curl -s -o /dev/null -D - \
  --data-urlencode name=reader --data-urlencode "password=$password" "$base/login" |
  tr -d '\r' | sed -n 's/^set-cookie: \(leadmap_session=[^;]*\).*/\1/Ip' | head -n 1)
for p in "$roadmap" el-copy; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $reader" "$base/r/$p")
  if [ "$code" != 200 ]; then
    echo "the second account's /r/$p answered $code" >&2
    exit 1
  fi
done
ab_bundled=() ab_copy=()
for _ in 1 2 3; do
  ab_bundled+=("$(wrk -t2 -c64 -d5s -H "Cookie: $reader" "$base/r/$roadmap" | awk '/^Requests\/sec:/ {print $2}')")
  ab_copy+=("$(wrk -t2 -c64 -d5s -H "Cookie: $reader" "$base/r/el-copy" | awk '/^Requests\/sec:/ {print $2}')")
done
echo "== A/B, bundled: ${ab_bundled[*]}; copy: ${ab_copy[*]}" >&2
again_rps=$(printf '%s\n' "${ab_bundled[@]}" | awk '{ s += $1 } END { printf "%.2f", s / NR }')
copy_rps=$(printf '%s\n' "${ab_copy[@]}" | awk '{ s += $1 } END { printf "%.2f", s / NR }')

# 5. Resident memory after the load (before the weighing adds anything).
rss_after=$(ps -o rss= -p "$server_pid" | tr -d ' ')

# 4. The page's weight with its assets, as a browser fetches them.
mapfile -t assets < <(grep -oE '(href|src)="/static/[^"]+"' "$page" | sed -E 's/^(href|src)="//; s/"$//' | sort -u)
# Bytes on the wire (the body as sent) and the content-encoding the server chose.
weigh() {
  local enc=$1 url=$2 size got
  size=$(curl -s -o /dev/null -D "$work/h" -w '%{size_download}' -H "Cookie: $cookie" \
    ${enc:+-H "Accept-Encoding: $enc"} "$url")
  got=$(tr -d '\r' <"$work/h" | sed -n 's/^content-encoding: //Ip' | head -n 1)
  echo "$size ${got:-identity}"
}
echo "== page weight" >&2
printf '%-40s %10s %16s %16s\n' resource identity br gzip >&2
tot_id=0 tot_br=0 tot_gz=0
for path in "/r/$roadmap" "${assets[@]}"; do
  read -r s_id _ < <(weigh "" "$base$path")
  read -r s_br e_br < <(weigh br "$base$path")
  read -r s_gz e_gz < <(weigh gzip "$base$path")
  printf '%-40s %10s %10s %-5s %10s %-5s\n' "$path" "$s_id" "$s_br" "$e_br" "$s_gz" "$e_gz" >&2
  tot_id=$((tot_id + s_id)) tot_br=$((tot_br + s_br)) tot_gz=$((tot_gz + s_gz))
done
printf '%-40s %10s %10s %-5s %10s\n' total "$tot_id" "$tot_br" "" "$tot_gz" >&2
# The same with curl --compressed, the way the page is usually weighed.
compressed_total=0
for path in "/r/$roadmap" "${assets[@]}"; do
  s=$(curl -s --compressed -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$base$path")
  compressed_total=$((compressed_total + s))
done

# --- summary ----------------------------------------------------------------------------------
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
met() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }
cat <<EOF

Summary ($(date -u +%Y-%m-%d), $(nproc) cores, wrk -t2 -c64 -d$duration, $("$bin" --version 2>/dev/null || echo leadmap))
| measurement | req/s | p99 | status codes |
|---|---|---|---|
| leadmap: GET /r/$roadmap (signed in) | $page_rps | $page_p99 ms | $page_codes |
| nginx: the same page as a static file | $nginx_rps | $nginx_p99 ms | $nginx_codes |
| leadmap: PUT progress ($backend_name, $stored topics) | $put_rps | $put_p99 ms | $put_codes |
| leadmap: GET /s/TOKEN/badge.svg | $badge_rps | $badge_p99 ms | $badge_codes |
| nginx: the same badge as a static file | $nbadge_rps | $nbadge_p99 ms | $nbadge_codes |
| leadmap: GET /s/TOKEN (the share page) | $share_rps | $share_p99 ms | $share_codes |
| leadmap: GET /r/$roadmap (signed in, its owner, the same 112 records) | $owner_rps | $owner_p99 ms | $owner_codes |
| share page / owner's page, second round | $share2_rps / $owner2_rps | | |
| leadmap: GET /r/$roadmap without an account | $public_rps | $public_p99 ms | $public_codes |
| nginx: the same public page as a static file | $npublic_rps | $npublic_p99 ms | $npublic_codes |
| leadmap: GET /r/custom (published, 160 topics, signed in) | $custom_rps | $custom_p99 ms | $custom_codes |
| leadmap: GET /r/$roadmap, an account without progress (mean of 3 × 5 s, alternating) | $again_rps | | |
| leadmap: GET /r/el-copy, the bundled roadmap published as a copy (the same) | $copy_rps | | |

| page weight (page + ${#assets[@]} assets) | bytes |
|---|---|
| uncompressed | $tot_id ($(kib "$tot_id")) |
| br | $tot_br ($(kib "$tot_br")) |
| gzip | $tot_gz ($(kib "$tot_gz")) |
| curl --compressed | $compressed_total ($(kib "$compressed_total")) |

| server memory (RSS) | |
|---|---|
| before the load | $(mib "$rss_before") |
| after the load | $(mib "$rss_after") |

Targets:
- page >= half of nginx's throughput: $(met "$page_rps >= $nginx_rps / 2") ($(awk -v a="$page_rps" -v b="$nginx_rps" 'BEGIN { printf "%.0f %%", 100 * a / b }') of nginx)
- page p99 < 10 ms: $(met "$page_p99 < 10")
- PUT >= 5,000/s acknowledged: $(met "$put_rps >= 5000")
- PUT p99 < 10 ms: $(met "$put_p99 < 10")
- page with all assets < 100 KB compressed: $(met "$tot_br < 100000 && $tot_gz < 100000")
- RSS < 50 MiB after the load: $(met "$rss_after < 51200")
- badge >= 80 % of nginx's throughput on the same bytes: $(met "$badge_rps >= $nbadge_rps * 0.8") ($(awk -v a="$badge_rps" -v b="$nbadge_rps" 'BEGIN { printf "%.0f %%", 100 * a / b }') of nginx)
- badge p99 < 10 ms: $(met "$badge_p99 < 10")
- public page >= 80 % of nginx on the same bytes: $(met "$public_rps >= $npublic_rps * 0.8") ($(awk -v a="$public_rps" -v b="$npublic_rps" 'BEGIN { printf "%.0f %%", 100 * a / b }') of nginx)
- public page p99 < 10 ms: $(met "$public_p99 < 10")
- public page at least as fast as the signed-in page: $(met "$public_rps >= $page_rps") ($(awk -v a="$public_rps" -v b="$page_rps" 'BEGIN { printf "%.0f %%", 100 * a / b }') of it)
- the bundled roadmap published as a copy costs no more than the bundled one (alternating runs, req/s within 10 %): $(met "$copy_rps >= $again_rps * 0.9") ($(awk -v a="$copy_rps" -v b="$again_rps" 'BEGIN { printf "%.0f %%", 100 * a / b }') of it)
- a published 160-topic roadmap (43 % more topics) within 10 % of the bundled one (its first run): $(met "$custom_rps >= $page_rps * 0.9") ($(awk -v a="$custom_rps" -v b="$page_rps" 'BEGIN { printf "%.0f %%", 100 * a / b }') of it)
- share page as fast as its owner's signed-in page in the same state (means of two alternating rounds, within 10 %): $(met "$share_mean >= $owner_mean * 0.9") ($(awk -v a="$share_mean" -v b="$owner_mean" 'BEGIN { printf "%.0f %%", 100 * a / b }') of it)
EOF
