# shellcheck shell=bash
# Helpers for the end-to-end scripts that run hfi-metrics against a simulated cluster: embedded
# sidecars (`hfi-metrics sidecar`) started here stand for the pods' istio-proxy, and the fake
# kubectl of tests/fake_kubectl answers from a scenario the script writes (format in
# tests/fake_kubectl/README.md). Each script: `source "$(dirname "$0")/lib_cluster.sh"`.
# Skips (77) without python3 or the plugin module. On exit every sidecar and every fake kubectl
# process still running is killed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (the fake kubectl needs it)"
[ -n "${HFI_PLUGIN_WASM:-}" ] && [ -f "$HFI_PLUGIN_WASM" ] \
  || skip "no plugin module at '${HFI_PLUGIN_WASM:-}'"

# FAKE_KUBECTL_SCRIPT is the program; FAKE_KUBECTL runs it with the interpreter itself rather
# than through a launcher such as a version-manager shim, whose start-up every kubectl call would
# pay (and which under load eats into timeouts like --forward-timeout).
FAKE_KUBECTL_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fake_kubectl" && pwd)/kubectl
FAKE_KUBECTL=$TMP/bin/kubectl
mkdir -p "$TMP/bin"
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' \
  "$(python3 -c 'import sys; print(sys.executable)')" "$FAKE_KUBECTL_SCRIPT" >"$FAKE_KUBECTL"
chmod +x "$FAKE_KUBECTL"
export FAKE_KUBECTL_SCENARIO=$TMP/scenario.json
export FAKE_KUBECTL_LOG=$TMP/kubectl.log
export FAKE_KUBECTL_PIDDIR=$TMP/kubectl.pids
export FAKE_KUBECTL_STATE=$TMP/kubectl.state
unset HFI_KUBECTL

SIDECAR_PIDS=()
SIDECAR_ADMIN=()   # HOST:PORT of each sidecar's admin listener, by start order
SIDECAR_LISTEN=()  # HOST:PORT of each sidecar's traffic listener

# live_kubectls: the pids of fake kubectl calls still running (zombies and reused pids excluded).
live_kubectls() {
  local f pid
  for f in "$FAKE_KUBECTL_PIDDIR"/*; do
    [ -e "$f" ] || continue
    pid=${f##*/}
    [ -r "/proc/$pid/cmdline" ] || continue
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'fake_kubectl/kubectl' && echo "$pid"
  done
  return 0
}

kill_fake_kubectls() {
  local pid
  for pid in $(live_kubectls); do
    kill -9 "$pid" 2>/dev/null
  done
}

cluster_cleanup() {
  local pid
  for pid in "${SIDECAR_PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  kill_fake_kubectls
  rm -rf "$TMP"
}
trap cluster_cleanup EXIT

# start_sidecar [ARGS...]: starts an embedded sidecar with the plugin on free loopback ports and
# waits for its address line; appends to SIDECAR_PIDS/ADMIN/LISTEN. Extra ARGS go to `sidecar`
# (--plugin among them replaces the built plugin).
start_sidecar() {
  local i=${#SIDECAR_PIDS[@]} plugin=(--plugin "$HFI_PLUGIN_WASM") arg
  for arg in "$@"; do
    [ "$arg" = --plugin ] && plugin=()
  done
  "$HFI_METRICS" sidecar -o json -q --admin 127.0.0.1:0 --listen 127.0.0.1:0 \
    "${plugin[@]}" "$@" >"$TMP/sidecar$i.out" 2>"$TMP/sidecar$i.err" &
  SIDECAR_PIDS+=($!)
  local _
  for _ in $(seq 200); do
    if [ -s "$TMP/sidecar$i.out" ]; then
      local addrs
      addrs=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["admin"], d["listen"])' "$TMP/sidecar$i.out") || break
      SIDECAR_ADMIN+=("${addrs% *}")
      SIDECAR_LISTEN+=("${addrs#* }")
      return 0
    fi
    kill -0 "${SIDECAR_PIDS[$i]}" 2>/dev/null || break
    sleep 0.05
  done
  echo "FAIL: sidecar $i did not start ($*)" >&2
  cat "$TMP/sidecar$i.err" >&2
  exit 1
}

# start_sidecars N [ARGS...]: N sidecars with the same arguments.
start_sidecars() {
  local n=$1 _
  shift
  for _ in $(seq "$n"); do
    start_sidecar "$@"
  done
}

# write_scenario: the scenario JSON from stdin, checked to be JSON.
write_scenario() {
  cat >"$FAKE_KUBECTL_SCENARIO"
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$FAKE_KUBECTL_SCENARIO" \
    || { echo "FAIL: the scenario is not JSON" >&2; exit 1; }
  rm -rf "$FAKE_KUBECTL_STATE"
}

# fake_kubectl ARGS...: the fake kubectl with the scenario.
fake_kubectl() { "$FAKE_KUBECTL" "$@"; }

# run_cluster ARGS...: `hfi-metrics --kubectl FAKE ARGS...` (sets STATUS, OUT, ERR like `run`).
run_cluster() { run --kubectl "$FAKE_KUBECTL" "$@"; }

# expect_no_kubectl_left: after hfi-metrics returned, none of the kubectl processes it started may
# still run (it must stop and reap them first).
expect_no_kubectl_left() {
  local left
  left=$(live_kubectls | tr '\n' ' ')
  if [ -n "$left" ]; then
    fail "kubectl processes still running after hfi-metrics exited: $left"
    local pid
    for pid in $left; do
      echo "  $pid: $(cat "$FAKE_KUBECTL_PIDDIR/$pid")" >&2
    done
    kill_fake_kubectls
  fi
}

# report_check 'PYTHON EXPRESSION' DESCRIPTION: evaluates the expression over the -o json report in
# $OUT with `d` (the report), `src(name)` (the source named NS/POD), `codes(name)` (the sorted
# finding codes of that source), `findings(name)` (its findings), `passed(name, check_id)` (whether
# that source has a passing check of that id).
report_check() {
  python3 - "$OUT" "$1" <<'EOF' || fail "$2"
import json, sys
d = json.load(open(sys.argv[1]))
def src(name):
    return next(s for s in d["sources"] if s["name"] == name)
def findings(name):
    return [f for c in src(name)["checks"] for f in c["findings"]]
def codes(name):
    return sorted({f["code"] for f in findings(name)})
def passed(name, check_id):
    return any(c["id"] == check_id and c["status"] == "pass" for c in src(name)["checks"])
try:
    ok = eval("(" + sys.argv[2] + ")")
except Exception as e:
    print("report_check: %s: %r" % (sys.argv[2], e), file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
EOF
}
