#!/usr/bin/env bash
# Many-pod `hfi-metrics verify` (DESIGN §6 benchmarks): 200 simulated pods behind the fake kubectl
# of tests/fake_kubectl, each port-forward taking ~200 ms to come up (the API server round trip of
# a real cluster), served by a handful of embedded sidecars. Times the default worker pool against
# --concurrency 1 (the same work per pod, one pod at a time) and prints both wall times and their
# ratio; the goal is a speed-up of at least 6x.
#
#   tests/bench/cluster_verify.sh [PATH/TO/hfi-metrics]
#
# Environment: HFI_METRICS (the binary, when not given as an argument), HFI_PLUGIN_WASM (the plugin;
# default: the one the binary was built with), BENCH_PODS (200), BENCH_DELAY_MS (200),
# BENCH_SIDECARS (4), FAKE_KUBECTL_PYTHON (the interpreter that runs the fake kubectl; its start-up
# time is part of every kubectl call, so a slow launcher such as a version-manager shim weighs on
# both runs).
set -uo pipefail
HFI_METRICS=${1:-${HFI_METRICS:-}}
if [[ -z $HFI_METRICS || ! -x $HFI_METRICS ]]; then
  echo "usage: $0 PATH/TO/hfi-metrics (or set HFI_METRICS)" >&2
  exit 64
fi
command -v python3 >/dev/null 2>&1 || { echo "$0: python3 is needed" >&2; exit 2; }
PODS=${BENCH_PODS:-200}
DELAY_MS=${BENCH_DELAY_MS:-200}
SIDECARS=${BENCH_SIDECARS:-4}
# The interpreter itself, not a version manager's shim in front of it (pyenv, asdf): a shim
# re-resolves the version on every call, which would be most of a kubectl call's cost.
PYTHON=${FAKE_KUBECTL_PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
FAKE=$(cd "$(dirname "$0")/../fake_kubectl" && pwd)/kubectl

TMP=$(mktemp -d)
PIDS=()
cleanup() {
  local pid f
  for pid in "${PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  for f in "$TMP"/pids/*; do
    [ -e "$f" ] || continue
    pid=${f##*/}
    grep -qs 'fake_kubectl/kubectl' "/proc/$pid/cmdline" && kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

# The fake kubectl run by the chosen interpreter (exec keeps the pid hfi-metrics started), with -S:
# it needs only the standard library, and site-packages' .pth hooks (some import certifi and
# more) would otherwise run on every call.
printf '#!/bin/sh\nexec "%s" -S "%s" "$@"\n' "$PYTHON" "$FAKE" >"$TMP/kubectl"
chmod +x "$TMP/kubectl"
export FAKE_KUBECTL_SCENARIO=$TMP/scenario.json FAKE_KUBECTL_PIDDIR=$TMP/pids
unset FAKE_KUBECTL_LOG FAKE_KUBECTL_STATE HFI_KUBECTL

PLUGIN_ARGS=()
[ -n "${HFI_PLUGIN_WASM:-}" ] && PLUGIN_ARGS=(--plugin "$HFI_PLUGIN_WASM")
ADMINS=()
for k in $(seq "$SIDECARS"); do
  "$HFI_METRICS" sidecar -o json -q --admin 127.0.0.1:0 --listen 127.0.0.1:0 "${PLUGIN_ARGS[@]}" \
    >"$TMP/sidecar$k.out" 2>"$TMP/sidecar$k.err" &
  PIDS+=($!)
  for _ in $(seq 200); do
    [ -s "$TMP/sidecar$k.out" ] && break
    sleep 0.05
  done
  [ -s "$TMP/sidecar$k.out" ] || { echo "$0: sidecar $k did not start" >&2; cat "$TMP/sidecar$k.err" >&2; exit 2; }
  ADMINS+=("$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["admin"])' "$TMP/sidecar$k.out")")
done

python3 - "$PODS" "$DELAY_MS" "${ADMINS[@]}" >"$FAKE_KUBECTL_SCENARIO" <<'EOF'
import json, sys
pods, delay, admins = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
print(json.dumps({"pods": [
    {"namespace": "bench", "deployment": "shop", "labels": {"app": "shop"},
     "admin": admins[k % len(admins)], "delay_ms": delay} for k in range(pods)]}))
EOF

START_UP=$(python3 - "$TMP/kubectl" <<'EOF'
import os, subprocess, sys, time
runs = []
for _ in range(5):
    t = time.monotonic()
    subprocess.run([sys.argv[1], "version", "--client"], stdout=subprocess.DEVNULL, check=True)
    runs.append(time.monotonic() - t)
print("%.0f" % (sorted(runs)[2] * 1000))
EOF
)

# timed_verify LABEL ARGS...: prints the wall time in seconds; the run must exit 0 and cover every pod.
timed_verify() {
  local label=$1
  shift
  local start end status
  start=$(date +%s.%N)
  "$HFI_METRICS" --kubectl "$TMP/kubectl" verify -n bench -l app=shop -o json "$@" \
    >"$TMP/$label.json" 2>"$TMP/$label.err"
  status=$?
  end=$(date +%s.%N)
  if [ "$status" -ne 0 ]; then
    echo "$0: $label: exit $status" >&2
    head -c 2000 "$TMP/$label.err" >&2
    exit 1
  fi
  python3 - "$TMP/$label.json" "$PODS" <<'EOF' || { echo "$0: $label: not every pod verified" >&2; exit 1; }
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if len(d["sources"]) == int(sys.argv[2]) and d["exitCode"] == 0 else 1)
EOF
  python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$start" "$end"
}

echo "pods $PODS, port-forward start-up ${DELAY_MS} ms, sidecars $SIDECARS"
echo "fake kubectl: $PYTHON, ${START_UP} ms per call before any work"
POOL=$(timed_verify pool) || exit 1
echo "default pool:       ${POOL} s"
SEQ=$(timed_verify sequential --concurrency 1) || exit 1
echo "--concurrency 1:    ${SEQ} s"
python3 - "$POOL" "$SEQ" <<'EOF'
import sys
pool, seq = float(sys.argv[1]), float(sys.argv[2])
ratio = seq / pool
print("speed-up:           %.1fx (goal >= 6x: %s)" % (ratio, "met" if ratio >= 6 else "NOT met"))
EOF
