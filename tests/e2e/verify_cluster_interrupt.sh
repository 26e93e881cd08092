#!/usr/bin/env bash
# Ctrl-C during `hfi-metrics verify` against a cluster whose port-forwards hang: hfi-metrics exits
# 130 within a few seconds and leaves no kubectl process behind. A hanging kubectl port-forward
# ignores SIGINT (kubectl only acts on it once its connection is up), so hfi-metrics has to stop
# its children itself. Two ways: SIGINT to the whole process group as a terminal's Ctrl-C sends
# it, and SIGINT to hfi-metrics alone. Skipped (77) without python3 or the plugin module.
source "$(dirname "$0")/lib_cluster.sh"

start_sidecar
python3 - "${SIDECAR_ADMIN[0]}" >"$TMP/scenario.in" <<'EOF'
import json, sys
pods = [{"namespace": "demo", "name": "stuck-%d" % k, "labels": {"app": "stuck"},
         "forward": "hang"} for k in range(6)]
pods += [{"namespace": "demo", "name": "fine-%d" % k, "labels": {"app": "stuck"},
          "admin": sys.argv[1]} for k in range(2)]
print(json.dumps({"pods": pods}))
EOF
write_scenario <"$TMP/scenario.in"

# live_forwards: how many fake `kubectl port-forward` processes run now.
live_forwards() {
  local n=0 pid
  for pid in $(live_kubectls); do
    grep -q '"port-forward"' "$FAKE_KUBECTL_PIDDIR/$pid" && n=$((n + 1))
  done
  echo "$n"
}

# interrupt_run WHOM: starts verify in its own process group (job control on, so SIGINT is not
# ignored as it is for background jobs of a script), waits until forwards hang, sends SIGINT to
# WHOM (group or process), and checks the exit.
interrupt_run() {
  OUT=$TMP/out ERR=$TMP/err
  set -m
  "$HFI_METRICS" --kubectl "$FAKE_KUBECTL" verify -n demo -l app=stuck \
    --forward-timeout 60s --pod-timeout 120s -o json >"$OUT" 2>"$ERR" &
  local pid=$!
  set +m
  local _
  for _ in $(seq 200); do
    [ "$(live_forwards)" -ge 4 ] && break
    sleep 0.05
  done
  [ "$(live_forwards)" -ge 4 ] || fail "$1: forwards did not start (running: $(live_forwards))"
  sleep 0.3
  if [ "$1" = group ]; then
    kill -INT -- "-$pid"
  else
    kill -INT "$pid"
  fi
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
    sleep 0.05
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    fail "$1: hfi-metrics still running 5 s after SIGINT"
    kill -9 "$pid" 2>/dev/null
  fi
  wait "$pid"
  STATUS=$?
  expect_status 130 "$1: interrupted"
  expect_no_kubectl_left
  grep -qE '^hfi-metrics: .*interrupt' "$ERR" || fail "$1: one line saying it was interrupted"
}

interrupt_run group
interrupt_run process
finish
