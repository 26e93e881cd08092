#!/usr/bin/env bash
# Runs host_request_bench and prints, per kind of request, the HFI plugin's cost next to the empty
# plugin's and their ratio. With --benchmark_repetitions=N the medians are compared.
#   tests/bench/host_ratios.sh BUILD_DIR/tests/bench/host_request_bench [benchmark flags...]
set -euo pipefail
if [[ $# -lt 1 || ! -x $1 ]]; then
  echo "usage: $0 PATH/TO/host_request_bench [--benchmark_... flags]" >&2
  exit 64
fi
bench=$1
shift
"$bench" --benchmark_format=json "$@" | python3 -c '
import json, sys

runs = json.load(sys.stdin)["benchmarks"]
# Medians when repeated, else the one iteration run of each benchmark.
chosen = [r for r in runs if r.get("aggregate_name") == "median"] or \
         [r for r in runs if r.get("run_type", "iteration") == "iteration"]
cpu = {}
for r in chosen:
    if r.get("error_occurred"):
        sys.exit("%s: %s" % (r["run_name"], r.get("error_message", "error")))
    name = r.get("run_name", r["name"]).split("/", 1)[1]  # hfi_abort, empty_abort, ...
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[r["time_unit"]]
    cpu[name] = r["cpu_time"] * scale
print("%-10s %12s %12s %8s" % ("request", "HFI (us)", "empty (us)", "HFI/empty"))
for kind in ("no_match", "abort", "delay"):
    hfi, empty = cpu.get("hfi_" + kind), cpu.get("empty_" + kind)
    if hfi is None or empty is None:
        continue
    print("%-10s %12.2f %12.2f %8.2f" % (kind, hfi, empty, hfi / empty))
'
