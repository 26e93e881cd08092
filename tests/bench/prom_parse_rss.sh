#!/usr/bin/env bash
# Runs each prom_parse_bench configuration in a process of its own (peak RSS is per process) and
# prints, per configuration, the input size, the peak RSS, their ratio (goal: <= 3) and the
# throughput in MiB/s (goal: >= 300 MB/s). With RUNS=N each configuration runs N times, one line
# per run (the machine may be noisy: read the range).
#   tests/bench/prom_parse_rss.sh BUILD_DIR/tests/bench/prom_parse_bench [benchmark flags...]
set -euo pipefail
if [[ $# -lt 1 || ! -x $1 ]]; then
  echo "usage: $0 PATH/TO/prom_parse_bench [--benchmark_... flags]" >&2
  exit 64
fi
bench=$1
shift
runs=${RUNS:-1}
configs=$("$bench" --benchmark_list_tests | sed -n 's|^BM_Parse/||p')
printf '%-26s %9s %12s %8s %9s\n' configuration input_MiB peak_rss_MiB ratio MiB/s
for config in $configs; do
  for ((i = 0; i < runs; ++i)); do
    "$bench" --benchmark_filter="^BM_Parse/$config\$" --benchmark_format=json "$@" 2>/dev/null |
      python3 -c '
import json, sys
for r in json.load(sys.stdin)["benchmarks"]:
    print("%-26s %9.1f %12.1f %8.2f %9.1f" % (r["name"].split("/", 1)[1], r["input_MB"],
          r["peak_rss_MB"], r["peak_over_input"], r["bytes_per_second"] / (1 << 20)))
'
  done
done
