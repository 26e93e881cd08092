#!/usr/bin/env bash
# hfi-metrics verify --traffic against a (simulated) cluster: scrape every selected pod, send the
# requests, scrape again, and compare the sum of the pods' counter increases with the faults the
# responses showed. Two pods run the 50 % abort policy on /api/; the traffic reaches one of them.
# Then the same with traffic sent to a proxy outside the selection: faults seen, counters still,
# HFI307; and with another client of a selected pod busy during the run, HFI309. The first run
# waits Envoy's default 5 s flush; the others are told the rig's (--flush-interval 1s). Skipped
# (77) without python3 or the plugin module.
source "$(dirname "$0")/lib_cluster.sh"
POLICY=$HFI_SOURCE_DIR/k8s/policies/abort-50-percent-api.json

start_sidecars 3 --policy "$POLICY" --workload frontend --namespace demo --flush-interval 1s
write_scenario <<EOF
{
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [
    {"namespace": "demo", "deployment": "frontend", "admin": "${SIDECAR_ADMIN[0]}"},
    {"namespace": "demo", "deployment": "frontend", "admin": "${SIDECAR_ADMIN[1]}"},
    {"namespace": "demo", "name": "curl-0", "labels": {"app": "curl"}, "shell": true},
    {"namespace": "demo", "name": "plain-0", "labels": {"app": "plain"}}
  ]
}
EOF

run_cluster verify -n demo -l app=frontend --traffic "http://${SIDECAR_LISTEN[0]}/api/items" \
  --requests 40 -o json
expect_status 0 "traffic through a selected pod"
expect_json
report_check 'src("traffic")["kind"] == "traffic"' "an aggregate traffic source"
report_check 'src("traffic")["traffic"]["sent"] == 40' "40 requests sent"
report_check '0 < src("traffic")["traffic"]["aborted"] < 40' "some, not all, aborted (50 %)"
report_check 'codes("traffic") == []' "the counters' increase equals the aborts seen"
expect_no_kubectl_left

# The third proxy is not among the selected pods: its aborts move no selected counter.
run_cluster verify -n demo -l app=frontend --traffic "http://${SIDECAR_LISTEN[2]}/api/items" \
  --requests 40 --flush-interval 1s -o json
expect_status 1 "traffic through a proxy outside the selection"
expect_json
report_check '"HFI307" in codes("traffic")' "HFI307 on the traffic source"
expect_no_kubectl_left

# Another client of a selected pod hits the policy throughout the run: the counters grow by more
# than this run's aborts, HFI309 (a warning, exit 0), not HFI307.
other_client() {
  while :; do
    curl -s -o /dev/null --max-time 2 "http://${SIDECAR_LISTEN[1]}/api/items" || true
    sleep 0.1
  done
}
other_client &
other=$!
run_cluster verify -n demo -l app=frontend --traffic "http://${SIDECAR_LISTEN[0]}/api/items" \
  --requests 20 --flush-interval 1s -o json
kill "$other" 2>/dev/null || true
wait "$other" 2>/dev/null || true
expect_status 0 "other traffic to a selected pod during the run"
expect_json
report_check '"HFI309" in codes("traffic")' "HFI309 on the traffic source"
report_check '"HFI307" not in codes("traffic")' "no HFI307 for more than seen"
expect_no_kubectl_left

# --traffic-from: the same requests sent by curl inside a pod (kubectl exec), split over two execs.
run_cluster verify -n demo -l app=frontend --traffic "http://${SIDECAR_LISTEN[0]}/api/items" \
  --traffic-from curl-0 --requests 24 --concurrency 2 --flush-interval 1s -o json
expect_status 0 "traffic from a pod"
expect_json
report_check 'src("traffic")["traffic"]["sent"] == 24' "24 requests sent from the pod"
report_check '0 < src("traffic")["traffic"]["aborted"] < 24' "some, not all, aborted (50 %)"
report_check 'codes("traffic") == []' "the counters' increase equals the aborts seen from the pod"
[ "$(grep -c '"exec".*"curl-0"' "$FAKE_KUBECTL_LOG")" -eq 2 ] ||
  fail "two kubectl exec into curl-0 expected: $(grep -c '"exec"' "$FAKE_KUBECTL_LOG")"
expect_no_kubectl_left

# A pod without sh: one line naming the pod and what to use instead; no traffic, exit 2.
run_cluster verify -n demo -l app=frontend --traffic "http://${SIDECAR_LISTEN[0]}/api/items" \
  --traffic-from plain-0 --requests 4
expect_status 2 "traffic from a pod without a shell"
expect_stderr '^hfi-metrics: --traffic-from plain-0: .*executable file not found.* \(use a pod whose default container has sh and curl, e\.g\. Istio.s samples/curl\)$'
expect_no_kubectl_left
run_cluster verify -n demo -l app=frontend --traffic-from curl-0
expect_status 64 "--traffic-from without --traffic"
expect_stderr '^hfi-metrics: --traffic-from: needs --traffic URL'

# --traffic belongs to the cluster mode.
run verify --file "$HFI_TEST_DATA/verify/healthy.prom" --traffic http://127.0.0.1:1/
expect_status 64 "--traffic with --file"

finish
