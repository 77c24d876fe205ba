#!/usr/bin/env bash
# Whole-process wall time of `leadmap render FILE -o out.svg` against Graphviz (dot, twopi)
# and PlantUML's mindmap on the same synthetic trees. Installs graphviz and plantuml from
# Debian when missing. Usage: bench/render-vs-graphviz.sh [SIZES...]   (default 150 1000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-150 1000 10000 100000}")
read -r -a sizes <<< "${sizes[*]}"
limit=120   # seconds before a tool counts as "did not finish"

need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v dot >/dev/null || need+=(graphviz)
command -v plantuml >/dev/null || need+=(plantuml)
if [ ${#need[@]} -gt 0 ]; then
  apt-get install -y "${need[@]}" >/dev/null
fi
cargo build --release --quiet
bin=target/release/leadmap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Wall time and peak memory of one command, or "timeout". A command that takes under 5 s is
# timed again by hyperfine: the mean of 200 runs after 10 warm-ups under a tenth of a second
# (where one slow start moves a short mean), of 20 after 3 under a second (/usr/bin/time only
# resolves hundredths), and of 5 after 1 under 5 s (one run of a second can be twice another).
measure() {
  if /usr/bin/time -f "%e %M" -o "$work/time" timeout "$limit" "$@" >/dev/null 2>&1; then
    read -r secs kb < <(tail -n 1 "$work/time")
    if command -v hyperfine >/dev/null && awk "BEGIN { exit !($secs < 5) }"; then
      if awk "BEGIN { exit !($secs < 0.1) }"; then runs=200 warmup=10
      elif awk "BEGIN { exit !($secs < 1) }"; then runs=20 warmup=3
      else runs=5 warmup=1; fi
      hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$work/hf.json" "${*@Q}" >/dev/null 2>&1 &&
        secs=$(python3 -c 'import json, sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/hf.json")
    fi
    echo "$secs $kb"
  else
    echo "timeout -"
  fi
}

printf '%-8s %-9s %-22s %10s %12s\n' topics nodes tool seconds peak-MiB
for n in "${sizes[@]}"; do
  $bin synthetic "$n" > "$work/t.md"
  $bin synthetic "$n" --format dot > "$work/t.dot"
  $bin synthetic "$n" --format plantuml > "$work/t.puml"
  nodes=$(grep -c '^ *\(##\|[0-9]*\.\|-\) ' "$work/t.md")
  for tool in leadmap dot twopi plantuml; do
    case $tool in
      leadmap) r=$(measure $bin render "$work/t.md" -o "$work/leadmap.svg") ;;
      dot) r=$(measure dot -Tsvg "$work/t.dot" -o "$work/dot.svg") ;;
      twopi) r=$(measure twopi -Tsvg "$work/t.dot" -o "$work/twopi.svg") ;;
      plantuml) r=$(measure plantuml -tsvg -o "$work" "$work/t.puml") ;;
    esac
    read -r secs kb <<< "$r"
    mib=$([ "$kb" = "-" ] && echo - || echo $((kb / 1024)))
    printf '%-8s %-9s %-22s %10s %12s\n' "$n" "$nodes" "$tool" "$secs" "$mib"
  done
  if [ -f "$work/leadmap.svg" ]; then
    printf '%-8s %-9s %-22s %10s\n' "$n" "$nodes" "leadmap SVG bytes/node" "$(( $(stat -c %s "$work/leadmap.svg") / nodes ))"
  fi
done
