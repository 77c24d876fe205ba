#!/usr/bin/env bash
# Peak memory of the server under a burst of concurrent sign-ins (issue 13, finding 2), and how
# the burst was answered. Every request goes to 127.0.0.1.
#
#   bench/signin-burst.sh [BINARY] [CONCURRENT]     # default target/release/leadmap, 100
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/leadmap}
n=${2:-100}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db=$work/leadmap.db
echo "plum orbit canvas lantern 87" | "$bin" user add ana --password-stdin --database-url "$db" >/dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LEADMAP_LOG=warn "$bin" serve --addr "127.0.0.1:$port" --database-url "$db" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
python3 - "$port" "$n" <<'PY'
import sys, threading, urllib.request, urllib.parse, collections
port, n = sys.argv[1], int(sys.argv[2])
codes = collections.Counter()
lock = threading.Lock()
def one(i):
    data = urllib.parse.urlencode({"name": f"someone{i}", "password": "a wrong password it is"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=data)
    try:
        code = urllib.request.urlopen(req, timeout=120).status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception:
        code = "error"
    with lock:
        codes[code] += 1
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
[t.start() for t in ts]
[t.join() for t in ts]
print("answers:", dict(sorted(codes.items(), key=str)))
PY
echo "peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' /proc/$pid/status)"
