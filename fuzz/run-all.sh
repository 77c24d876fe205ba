#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS each (default 600: ten minutes), one after the other,
# each from its committed seeds (seeds/<target>/, when there are any) into its working corpus
# (corpus/<target>/, not committed), and prints per target: executions (what libFuzzer calls
# runs: `stat::number_of_executed_units`), executions per second, corpus size and whether it
# crashed. A crash leaves its input in artifacts/<target>/ and makes the script exit 1 at
# the end, after the other targets have run.
#
#   fuzz/run-all.sh                    # every target, 10 minutes each
#   FUZZ_SECONDS=60 fuzz/run-all.sh    # one minute each
#   fuzz/run-all.sh parse import       # only these
#   FUZZ_JOBS=2 fuzz/run-all.sh        # two targets at a time (one per core)
#
# Toolchain: stable without a sanitizer by default (coverage-guided all the same; Leadmap has
# no unsafe code, so what a crash is here is a panic, a failed assertion, a stack overflow, an
# out-of-memory or a timeout). FUZZ_TOOLCHAIN=nightly FUZZ_SANITIZER=address adds ASan.
# CARGO_TARGET_DIR is honoured (the build is release, with coverage instrumentation).
set -euo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-600}
toolchain=${FUZZ_TOOLCHAIN:-stable}
sanitizer=${FUZZ_SANITIZER:-none}
if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo "+$toolchain" fuzz list)
fi

# One build of every target first, so that the clock below counts fuzzing only.
cargo "+$toolchain" fuzz build --sanitizer "$sanitizer"

mkdir -p logs
# Runs one target for $seconds; leaves its summary line in logs/<target>.summary.
fuzz_one() {
    local t=$1 log="logs/$1.log" status=ok seeds=()
    mkdir -p "corpus/$t" "artifacts/$t"
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    # The roundtrip target reads the same inputs as parse.
    [ "$t" = roundtrip ] && [ -d seeds/parse ] && seeds=(seeds/parse)
    echo "== $t: ${seconds}s"
    if ! cargo "+$toolchain" fuzz run --sanitizer "$sanitizer" "$t" "corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="artifacts/$t/" >"$log" 2>&1; then
        status=CRASH
    fi
    local runs rate corpus
    runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -ao '[0-9]*$' | tail -1)
    rate=$(grep -ao 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -ao '[0-9]*$' | tail -1)
    corpus=$(find "corpus/$t" -type f | wc -l)
    printf '%-16s %12s %10s %8s %s\n' "$t" "${runs:-?}" "${rate:-?}" "$corpus" "$status" \
        >"logs/$t.summary"
    if [ "$status" = CRASH ]; then
        grep -a -m3 -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" || true
    fi
}

# FUZZ_JOBS targets at a time (default 1; one per core is the most that helps).
jobs_max=${FUZZ_JOBS:-1}
for t in "${targets[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
        wait -n || true
    done
    fuzz_one "$t" &
done
wait

echo
echo "== one run of $seconds s per target ($toolchain, sanitizer $sanitizer, $jobs_max at a time)"
printf '%-16s %12s %10s %8s %s\n' target executions exec/s corpus result
failed=0
for t in "${targets[@]}"; do
    cat "logs/$t.summary"
    grep -q ' CRASH$' "logs/$t.summary" && failed=1
done
exit "$failed"
