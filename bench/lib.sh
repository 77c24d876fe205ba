# Shell functions the HTTP benchmarks share (sourced, not run). They read $work (a scratch
# directory) and $password (the accounts' password) of the script that sources them.

# A free TCP port on the loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_for URL: until something answers there (30 s at most).
wait_for() {
  for _ in $(seq 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "nothing answers at $1" >&2
  exit 1
}
# p QUANTILE FILE: wrk's latency at that quantile, in ms.
p() { awk -v q="$1" '$1 == q {
      v = $2
      if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
      else if (v ~ /ms$/) { sub(/ms$/, "", v) }
      else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
      printf "%.2f", v }' "$2"; }
# sign_in BASE NAME: the session cookie of NAME.
sign_in() {
  curl -s -o /dev/null -D - \
    --data-urlencode "name=$2" --data-urlencode "password=$password" \
    --data-urlencode "next=/" "$1/login" |
    tr -d '\r' | sed -n 's/^set-cookie: \(leadmap_session=[^;]*\).*/\1/Ip' | head -n 1
}
# check BASE PATH HEADER NEEDLE: the request answers 200 with NEEDLE in its body.
check() {
  local code
  code=$(curl -s -o "$work/body" -w '%{http_code}' -H "$3" "$1$2")
  if [ "$code" != 200 ] || ! grep -q -- "$4" "$work/body"; then
    echo "GET $2 answered $code without $4" >&2
    head -c 600 "$work/body" >&2
    echo >&2
    exit 1
  fi
}
# measure NAME BASE PATH HEADER: wrk into $work/NAME.wrk; fails on an answer other than 2xx.
measure() {
  wrk -t1 -c1 -d"$duration" --latency -H "$4" "$2$3" >"$work/$1.wrk" 2>&1
  if grep -q 'Non-2xx' "$work/$1.wrk"; then
    echo "GET $3: answers other than 2xx" >&2
    cat "$work/$1.wrk" >&2
    exit 1
  fi
}
# roadmap_topics BIN: the bundled Engineering Leadership roadmap's learnable topic ids, each
# quoted, separated by commas (a Lua table's items): the topics the PUT loads rotate through.
roadmap_topics() {
  "$1" show engineering-leadership --json | python3 -c '
import json, sys
ids = []
def walk(n):
    if n.get("kind") == "topic":
        ids.append(n["id"])
    for c in n.get("children", []):
        walk(c)
walk(json.load(sys.stdin))
print(",".join(chr(34) + i + chr(34) for i in ids))'
}
# count_lua: a wrk script that counts every status code and prints them at the end.
count_lua() {
  cat <<'EOF'
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args) codes = {} end
function response(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("codes")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, k .. "=" .. v) end
  table.sort(parts)
  io.write("status codes: " .. table.concat(parts, " ") .. "\n")
end
EOF
}
# put_lua TOPICS TOKEN: count_lua, and PUT progress requests with the bearer TOKEN, each wrk
# thread rotating through TOPICS (roadmap_topics' output) from its own offset, through every
# status, with a note.
put_lua() {
  count_lua
  echo "local topics = {$1}"
  echo "local token = \"$2\""
  cat <<'EOF'
local statuses = {"done", "learning", "skipped", "pending"}
local n = 0
local offset = 0
init = (function(base_init)
  return function(args)
    base_init(args)
    offset = id * 17
  end
end)(init)
function request()
  n = n + 1
  local topic = topics[(n + offset) % #topics + 1]
  local body = '{"status":"' .. statuses[n % #statuses + 1] .. '","note":"bench write ' .. n .. '"}'
  return wrk.format("PUT", "/api/v1/me/progress/engineering-leadership/" .. topic, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
EOF
}
# nginx_conf DIR PORT ROOT: writes DIR/nginx.conf for nginx serving ROOT on 127.0.0.1:PORT
# (2 workers, no access log, no gzip), its pid, log and temporary files in DIR.
nginx_conf() {
  mkdir -p "$1"
  cat >"$1/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  server { listen 127.0.0.1:$2; root $3; }
}
EOF
}
# work_with_servers: makes $work (a temporary folder, readable by nginx's workers) and sets the
# traps that, on exit, stop the server ($server_pid) and nginx ($nginx_pid) the script started
# and remove $work.
work_with_servers() {
  work=$(mktemp -d)
  chmod 755 "$work"
  server_pid=
  nginx_pid=
  trap stop_servers EXIT
  trap 'exit 130' INT TERM
}
stop_servers() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
