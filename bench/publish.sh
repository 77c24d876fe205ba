#!/usr/bin/env bash
# Publishing roadmaps through the API: PUT /api/v1/roadmaps/{id} with synthetic roadmaps of
# about 150, 1,000 and 10,000 learnable topics (`leadmap synthetic N` writes about 2.2 N of
# them, topics and subtopics; the table gives the count the server stored), each published RUNS times as a new version
# (the title changes each time), timed by curl from the request to the answer: the check, the
# diff against the current version, the store's transaction and the preparation of the page
# (layout, SVG) all happen before the answer. Prints the median and the slowest per size.
#
#   bench/publish.sh                       # builds the release binary
#   LEADMAP=path/to/leadmap bench/publish.sh
#   RUNS=21 bench/publish.sh               # default 11
#   BACKEND=postgres bench/publish.sh      # on the local PostgreSQL (database leadmap_bench)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-11}
if [ -n "${LEADMAP:-}" ]; then
  bin=$LEADMAP
else
  cargo build --release --quiet -p leadmap
  bin=target/release/leadmap
fi
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

db=$work/leadmap.db
if [ "${BACKEND:-sqlite}" = postgres ]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS leadmap_bench' \
    -c 'CREATE DATABASE leadmap_bench' >/dev/null
  db=postgres://postgres@127.0.0.1:5432/leadmap_bench
fi
echo "plum orbit canvas lantern 87" | "$bin" user add bench --password-stdin --database-url "$db" >/dev/null
token=$("$bin" token create bench --database-url "$db")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LEADMAP_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "$db" \
  --max-roadmap-bytes 67108864 >"$work/out" 2>"$work/log" &
server_pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 300); do curl -s -o /dev/null "$base/healthz" && break; sleep 0.1; done

echo "| learnable topics | Markdown | versions published | median | slowest |"
echo "|---|---|---|---|---|"
for n in 68 452 4520; do
  "$bin" synthetic "$n" >"$work/base.md"
  times=()
  for i in $(seq "$runs"); do
    { printf -- '---\nid: synthetic-%s\n---\n' "$n"; sed "1s/.*/# Synthetic roadmap, version $i/" "$work/base.md"; } >"$work/v.md"
    read -r code t < <(curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}\n' -X PUT \
      -H "Authorization: Bearer $token" -H "Content-Type: text/markdown" \
      --data-binary @"$work/v.md" "$base/api/v1/roadmaps/synthetic-$n")
    if [ "$code" != 200 ] && [ "$code" != 201 ]; then
      echo "publishing $n topics answered $code: $(head -c 400 "$work/answer.json")" >&2
      exit 1
    fi
    times+=("$t")
  done
  size=$(wc -c <"$work/v.md")
  topics=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/roadmaps/synthetic-$n/versions" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["topics"])')
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$topics" -v size="$size" -v runs="$runs" '
    { t[NR] = $1 * 1000 }
    END { printf "| %d | %.0f KiB | %d | %.1f ms | %.1f ms |\n", n, size / 1024, runs, t[int((NR + 1) / 2)], t[NR] }'
done
# A roadmap over the topic limit (about 100,000 topics; the default limit is 20,000): refused,
# with the limit named, and how long the refusal takes.
{ printf -- '---\nid: synthetic-100000\n---\n'; "$bin" synthetic 45200; } >"$work/big.md"
read -r code t < <(curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}\n' -X PUT \
  -H "Authorization: Bearer $token" -H "Content-Type: text/markdown" \
  --data-binary @"$work/big.md" "$base/api/v1/roadmaps/synthetic-100000")
echo
echo "synthetic 45200 ($(( $(wc -c <"$work/big.md") / 1024 )) KiB): HTTP $code in $(awk -v t="$t" 'BEGIN { printf "%.0f ms", t * 1000 }'): $(head -c 200 "$work/answer.json")"
echo
echo "$("$bin" --version), $(nproc) cores, $(date -u +%Y-%m-%d), database: ${BACKEND:-sqlite}"
