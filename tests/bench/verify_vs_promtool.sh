#!/usr/bin/env bash
# Times `hfi-metrics verify --file big.prom` against `promtool check metrics < big.prom` and
# `grep -c wasmcustom_hfi big.prom` on one ~50 MiB Envoy-shaped exposition (make_big_prom.py):
# the best wall time of a few runs each, MiB/s, the ratios promtool/hfi and hfi/grep, and peak
# RSS. A benchmark to run by hand on a quiet machine, not a test.
#
#   tests/bench/verify_vs_promtool.sh [PATH/TO/hfi-metrics]
#
# The binary defaults to $HFI_METRICS, then build/cli/hfi-metrics. Environment:
#   HFI_BENCH_DIR      where the exposition is written and reused (default ${TMPDIR:-/tmp}/hfi-bench)
#   HFI_BENCH_SIZE_MB  its approximate size (default 50)
#   HFI_BENCH_RUNS     runs per tool, the best counts (default 3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

hfi=${1:-${HFI_METRICS:-$root/build/cli/hfi-metrics}}
dir=${HFI_BENCH_DIR:-${TMPDIR:-/tmp}/hfi-bench}
size_mb=${HFI_BENCH_SIZE_MB:-50}
runs=${HFI_BENCH_RUNS:-3}

if [[ ! -x $hfi ]]; then
  echo "verify_vs_promtool: $hfi is not an executable (build it, or pass its path)" >&2
  exit 64
fi
for tool in promtool python3 grep; do
  if ! command -v "$tool" >/dev/null; then
    echo "verify_vs_promtool: $tool not found (scripts/setup.sh installs it)" >&2
    exit 2
  fi
done

# The generator is deterministic, so a file of the same size and generator version is reused.
mkdir -p "$dir"
stamp=$(cksum <"$here/make_big_prom.py" | cut -d' ' -f1)
big=$dir/big-${size_mb}mb-$stamp.prom
if [[ ! -s $big ]]; then
  echo "generating $big" >&2
  python3 "$here/make_big_prom.py" "$big.tmp" --size-mb "$size_mb"
  mv "$big.tmp" "$big"
fi

# One measurement per python3 process: RUSAGE_CHILDREN's ru_maxrss is the peak over every child
# waited for, so separate processes keep the tools' figures apart. Linux also counts the runner's
# own RSS (about 15 MiB) in a child's peak: a figure at that floor (measured with `true`) only
# says the tool needed no more.
# Prints: best wall seconds, peak RSS in KiB, exit statuses seen.
measure() {  # runs stdin_file ok_statuses command...
  python3 - "$@" <<'EOF'
import resource, subprocess, sys, time

runs, stdin_path, ok = int(sys.argv[1]), sys.argv[2], {int(s) for s in sys.argv[3].split(",")}
cmd = sys.argv[4:]
best, statuses = None, set()
for _ in range(runs):
    stdin = open(stdin_path, "rb") if stdin_path != "-" else subprocess.DEVNULL
    start = time.perf_counter()
    status = subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - start
    if stdin is not subprocess.DEVNULL:
        stdin.close()
    if status not in ok:
        sys.exit("verify_vs_promtool: %s exited %d (expected %s)"
                 % (" ".join(cmd), status, "/".join(map(str, sorted(ok)))))
    statuses.add(status)
    best = elapsed if best is None else min(best, elapsed)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(best, peak_kib, ",".join(map(str, sorted(statuses))))
EOF
}

# verify: 0 all checks pass, 1 a finding (anything else is a parse or usage failure).
# promtool: 0 clean, 3 lint findings (Envoy's names have many). grep: 0 found, 1 none.
echo "timing $runs run(s) each on $big" >&2
read -r hfi_s hfi_kib hfi_rc < <(measure "$runs" - 0,1 "$hfi" verify --file "$big")
read -r prom_s prom_kib prom_rc < <(measure "$runs" "$big" 0,3 promtool check metrics)
read -r grep_s grep_kib grep_rc < <(measure "$runs" - 0,1 grep -c wasmcustom_hfi "$big")
read -r _ floor_kib _ < <(measure 1 - 0 true)

python3 - "$big" "$hfi_s" "$hfi_kib" "$hfi_rc" "$prom_s" "$prom_kib" "$prom_rc" \
  "$grep_s" "$grep_kib" "$grep_rc" "$runs" "$floor_kib" <<'EOF'
import os, sys

path = sys.argv[1]
rows = [("hfi-metrics verify --file", *sys.argv[2:5]),
        ("promtool check metrics", *sys.argv[5:8]),
        ("grep -c wasmcustom_hfi", *sys.argv[8:11])]
runs, floor_kib = sys.argv[11], int(sys.argv[12])
size = os.path.getsize(path)
mib = size / (1 << 20)
with open(path, "rb") as f:
    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
print("input: %s, %.1f MiB (%d bytes, %d lines); best of %s runs, wall time"
      % (path, mib, size, lines, runs))
print("%-26s %9s %9s %14s %10s %5s" % ("tool", "seconds", "MiB/s", "peak RSS MiB", "RSS/input",
                                         "exit"))
times = {}
for name, seconds, kib, statuses in rows:
    seconds, rss = float(seconds), int(kib) / 1024
    times[name] = seconds
    if int(kib) <= floor_kib * 1.05:
        rss_text, ratio_text = "<= %.1f" % rss, "-"  # the runner's floor, see measure()
    else:
        rss_text, ratio_text = "%.1f" % rss, "%.2f" % (rss / mib)
    print("%-26s %9.3f %9.1f %14s %10s %5s"
          % (name, seconds, mib / seconds, rss_text, ratio_text, statuses))
hfi, prom, grep = (times[r[0]] for r in rows)
print("promtool/hfi = %.1fx   hfi/grep = %.1fx" % (prom / hfi, hfi / grep))
EOF
