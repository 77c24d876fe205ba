#!/usr/bin/env bash
# The newcomer's first build, timed: a fresh clone into a temporary directory, an empty
# CARGO_TARGET_DIR, the dependencies fetched first (not timed: `cargo fetch` only downloads
# what ~/.cargo lacks), then `cargo build --release --locked`, timed.
#
#   bench/cold-build.sh            # the commit HEAD names
#   bench/cold-build.sh REV        # another commit (to compare with an older profile)
#   TIMINGS=1 bench/cold-build.sh  # also keep cargo's --timings report (copied to /tmp)
#   KEEP=path bench/cold-build.sh  # keep the binary built there (to benchmark it)
#
# Measure on a quiet machine: the script prints the load average before and after, and a
# figure taken while other builds run says little.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse "${1:-HEAD}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local --no-checkout "$repo" "$work/leadmap"
git -C "$work/leadmap" checkout --quiet "$rev"
cd "$work/leadmap"
export CARGO_TARGET_DIR="$work/target"
cargo fetch --locked --quiet
echo "commit $rev, $(nproc) cores, $(rustc --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
cargo build --release --locked ${TIMINGS:+--timings}
end=$(date +%s.%N)
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${TIMINGS:-}" ]; then
  out=/tmp/cold-build-timings-$(date +%s).html
  cp "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing.html "$out"
  echo "timings: $out"
fi
bytes=$(stat -c %s "$CARGO_TARGET_DIR/release/leadmap")
[ -n "${KEEP:-}" ] && cp "$CARGO_TARGET_DIR/release/leadmap" "$KEEP"
awk -v s="$start" -v e="$end" -v b="$bytes" 'BEGIN {
  t = e - s
  printf "cold release build: %d min %02d s (%.0f s); binary %.1f MB\n", t / 60, t % 60, t, b / 1e6
  if (t < 240) print "under 4 minutes: met"; else print "under 4 minutes: NOT met"
}'
