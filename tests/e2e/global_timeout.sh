#!/usr/bin/env bash
# The global --timeout: a command still running when it passes stops as on Ctrl-C (every kubectl
# stopped and reaped) but ends with exit code 2 and one line naming the limit. Here `verify`
# against pods whose port-forwards hang far longer than --pod-timeout would allow, and the usage
# errors of the flag. Skipped (77) without python3 or the plugin module.
source "$(dirname "$0")/lib_cluster.sh"

start_sidecar
python3 - "${SIDECAR_ADMIN[0]}" >"$TMP/scenario.in" <<'PY'
import json, sys
pods = [{"namespace": "demo", "name": "stuck-%d" % k, "labels": {"app": "stuck"},
         "forward": "hang"} for k in range(3)]
pods += [{"namespace": "demo", "name": "fine-0", "labels": {"app": "stuck"},
          "admin": sys.argv[1]}]
print(json.dumps({"pods": pods}))
PY
write_scenario <"$TMP/scenario.in"

# The forwards hang for a minute; --timeout 2s must end the run long before.
start=$(date +%s)
run --kubectl "$FAKE_KUBECTL" verify -n demo -l app=stuck --forward-timeout 60s \
  --pod-timeout 120s --timeout 2s -o json
elapsed=$(($(date +%s) - start))
expect_status 2 "verify past --timeout"
expect_stderr '^hfi-metrics: verify: did not finish within --timeout 2s \(raise --timeout; -v shows the calls that were slow\)$'
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "one line on stderr, got: $(cat "$ERR")"
[ "$elapsed" -le 15 ] || fail "took ${elapsed}s to stop after a 2s --timeout"
expect_no_kubectl_left

# A run that finishes in time is not affected, and the flag may come before the command.
write_scenario <<JSON
{"pods": [{"namespace": "demo", "name": "fine-0", "labels": {"app": "fine"},
           "admin": "${SIDECAR_ADMIN[0]}"}]}
JSON
run --timeout 5m --kubectl "$FAKE_KUBECTL" verify -n demo -l app=fine -o json
expect_status 0 "verify within --timeout"
expect_no_kubectl_left

# serve runs until stopped: --timeout stops it, with exit 2 as for any command past its limit.
start=$(date +%s)
run serve --local --interval 1s --listen 127.0.0.1:0 --timeout 3s
elapsed=$(($(date +%s) - start))
expect_status 2 "serve past --timeout"
expect_stderr '^hfi-metrics: serve: did not finish within --timeout 3s'
[ "$elapsed" -le 20 ] || fail "serve took ${elapsed}s to stop after a 3s --timeout"

# Usage errors: not a duration, and a command that runs until stopped.
run verify --file "$HFI_TEST_DATA/verify/healthy-later.prom" --timeout soon
expect_status 64 "--timeout soon"
expect_stderr "^hfi-metrics: --timeout: 'soon' is not a duration \(write e\.g\. 500ms, 10s, 2m or 1m30s\)$"
run sidecar --timeout 10s
expect_status 64 "sidecar --timeout"
expect_stderr "^hfi-metrics: --timeout: 'sidecar' runs until it is stopped"
finish
