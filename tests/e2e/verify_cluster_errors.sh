#!/usr/bin/env bash
# hfi-metrics verify when the cluster cannot be asked at all: unreachable API server, listing pods
# forbidden, kubectl missing, an empty selection, and the usage errors of cluster mode. Each is one
# line on stderr with the documented exit code, and no kubectl process is left.
# Skipped (77) without python3 or the plugin module.
source "$(dirname "$0")/lib_cluster.sh"

# set_scenario KEY=JSON...: a scenario with one pod and the given top-level keys.
set_scenario() {
  python3 - "$@" >"$TMP/scenario.in" <<'EOF'
import json, sys
s = {"user": "alice",
     "pods": [{"namespace": "demo", "name": "web-0", "labels": {"app": "web"}, "forward": "hang"}]}
for arg in sys.argv[1:]:
    key, _, value = arg.partition("=")
    s[key] = json.loads(value)
print(json.dumps(s))
EOF
  write_scenario <"$TMP/scenario.in"
}

# The API server refuses connections: kubectl prints discovery errors, then the final line.
set_scenario 'unreachable=true'
run_cluster verify -n demo -l app=web -o json
expect_status 2 "cluster unreachable"
expect_stderr_lines 1
expect_stderr '127\.0\.0\.1:6443|connect|unreachable|refused'
expect_stderr '(--context|--kubeconfig|current-context)'
expect_no_stdout 'memcache'
expect_no_kubectl_left

set_scenario 'unreachable="timeout"'
run_cluster verify -n demo -l app=web -o json
expect_status 2 "API server timeout"
expect_stderr_lines 1

# Listing pods is forbidden: the message names the verb and resource to grant.
set_scenario 'deny=["list pods"]'
run_cluster verify -n demo -l app=web -o json
expect_status 2 "get pods forbidden"
expect_stderr_lines 1
expect_stderr 'list pods'
expect_no_kubectl_left
run_cluster verify -A -l app=web -o json
expect_status 2 "get pods -A forbidden"
expect_stderr 'list pods'

# kubectl missing: --kubectl pointing nowhere, and HFI_KUBECTL likewise.
set_scenario
run --kubectl /nonexistent/kubectl verify -n demo -l app=web -o json
expect_status 2 "--kubectl /nonexistent"
expect_stderr_lines 1
expect_stderr '/nonexistent/kubectl'
OUT=$TMP/out ERR=$TMP/err
HFI_KUBECTL=/nonexistent/kubectl "$HFI_METRICS" verify -n demo -l app=web -o json >"$OUT" 2>"$ERR"
STATUS=$?
expect_status 2 "HFI_KUBECTL=/nonexistent"
expect_stderr_lines 1
OUT=$TMP/out ERR=$TMP/err
PATH=/nonexistent "$HFI_METRICS" verify -n demo -l app=web -o json >"$OUT" 2>"$ERR"
STATUS=$?
expect_status 2 "no kubectl on PATH"
expect_stderr_lines 1
expect_stderr 'kubectl'

# A pod named that does not exist; a selector matching nothing.
run_cluster verify ghost -n demo -o json
expect_status 2 "named pod not found"
expect_stderr_lines 1
expect_stderr 'ghost'
run_cluster verify -n demo -l app=nothing -o json
expect_status 2 "no pod matches"
expect_stderr_lines 1

# Nothing selected is a usage error found before kubectl runs (the other flag combinations are
# covered by verify_cluster_usage.sh).
: >"$FAKE_KUBECTL_LOG"
run_cluster verify -n demo -o json
expect_status 64 "no selector or pod names"
expect_stderr_lines 1
run_cluster verify -A -o json
expect_status 64 "-A without -l"
expect_stderr_lines 1
[ -s "$FAKE_KUBECTL_LOG" ] && fail "usage errors must not run kubectl: $(head -3 "$FAKE_KUBECTL_LOG")"
expect_no_kubectl_left
finish
