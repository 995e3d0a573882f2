#!/usr/bin/env bash
# `matrix` in every format at 1,000 and 10,000 generated roles: wall time, CPU time (user +
# system, steadier on a shared machine) and peak memory of the release binary, output to
# /dev/null, best of three runs (RUNS=N for another count). BENCHMARKS.md, "matrix formats".
#   bash benches/matrix_formats.sh [BINARY]     # default: target/release/pim-notify
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/pim-notify}
[ -n "${1:-}" ] || cargo build --release --quiet --bin pim-notify --example generate_policy
generate=target/release/examples/generate_policy
[ -x "$generate" ] || cargo build --release --quiet --example generate_policy
for roles in 1000 10000; do
  policy=target/bench-p$roles.yaml
  "$generate" --roles "$roles" > "$policy"   # always: the generator follows the catalog
done
printf '| roles | format | wall (s) | CPU (s) | peak memory (MB) |\n|---|---|---|---|---|\n'
for roles in 1000 10000; do
  for format in json table csv markdown html; do
    best_time=""; best_cpu=""; best_mem=""
    for _ in $(seq "${RUNS:-3}"); do
      /usr/bin/time -o target/bench-time -f '%e %U %S %M' \
        "$bin" matrix -p "target/bench-p$roles.yaml" -f "$format" > /dev/null 2>&1
      read -r time user sys mem < target/bench-time
      cpu=$(awk "BEGIN{print $user + $sys}")
      if [ -z "$best_time" ] || awk "BEGIN{exit !($time < $best_time)}"; then best_time=$time; fi
      if [ -z "$best_cpu" ] || awk "BEGIN{exit !($cpu < $best_cpu)}"; then best_cpu=$cpu; fi
      if [ -z "$best_mem" ] || [ "$mem" -lt "$best_mem" ]; then best_mem=$mem; fi
    done
    printf '| %s | %s | %s | %s | %s |\n' "$roles" "$format" "$best_time" "$best_cpu" \
      "$(awk "BEGIN{printf \"%.0f\", $best_mem/1024}")"
  done
done
