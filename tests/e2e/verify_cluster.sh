#!/usr/bin/env bash
# hfi-metrics verify against a (simulated) cluster with one healthy pod: discovery with -l and by
# name, the port-forward to the pod's sidecar, the report's source named NS/POD of kind pod, JSON,
# JUnit and text output, kubectl found through --kubectl and HFI_KUBECTL, --kubeconfig and
# --context passed to kubectl before its arguments, and no kubectl process left behind.
# Skipped (77) without python3 or the plugin module.
source "$(dirname "$0")/lib_cluster.sh"

start_sidecar
write_scenario <<EOF
{
  "contexts": ["kind-hfi", "staging"],
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "admin": "${SIDECAR_ADMIN[0]}"}]
}
EOF
POD=$(fake_kubectl get pods -n demo -l app=frontend -o name) || fail "the scenario has the pod"
POD=${POD#pod/}

run_cluster verify -n demo -l app=frontend -o json
expect_status 0 "one healthy pod"
expect_json
report_check 'len(d["sources"]) == 1 and d["sources"][0]["name"] == "demo/'"$POD"'"' \
  "the source is named demo/<pod>"
report_check 'src("demo/'"$POD"'")["kind"] == "pod"' "the source's kind is pod"
report_check 'd["exitCode"] == 0 and src("demo/'"$POD"'")["exitCode"] == 0' "exit code 0 in JSON"
report_check 'codes("demo/'"$POD"'") == []' "no findings"
report_check 'any(c["id"] == "presence" and c["metric"] == "wasmcustom_hfi_faults_aborts_total"
                  and c["status"] == "pass" for c in src("demo/'"$POD"'")["checks"])' \
  "the HFI counters were read from the pod"
expect_no_kubectl_left

# What kubectl was asked: the pods by selector in the namespace, then a port-forward to the pod's
# admin port on a free local port.
python3 - "$FAKE_KUBECTL_LOG" "$POD" <<'EOF' || fail "kubectl calls: get pods -o json -n demo -l app=frontend, port-forward pod/<pod> -n demo :15000"
import json, sys
calls = [json.loads(line)["argv"] for line in open(sys.argv[1])]
pod = sys.argv[2]
get = [c for c in calls if c[:2] == ["get", "pods"]]
assert get, calls
g = get[-1]
def flag(argv, *names):
    for k, a in enumerate(argv):
        for n in names:
            if a == n and k + 1 < len(argv):
                return argv[k + 1]
            if a.startswith(n + "="):
                return a[len(n) + 1:]
assert flag(g, "-o", "--output") == "json", g
assert flag(g, "-n", "--namespace") == "demo", g
assert flag(g, "-l", "--selector") == "app=frontend", g
pf = [c for c in calls if c[:1] == ["port-forward"]]
assert len(pf) == 1, pf
assert "pod/" + pod in pf[0] and flag(pf[0], "-n", "--namespace") == "demo", pf
assert ":15000" in pf[0], pf
EOF

run_cluster verify -n demo -l app=frontend -o junit
expect_status 0 "-o junit"
python3 - "$OUT" "$POD" <<'EOF' || fail "-o junit is XML naming the pod, without failures"
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
assert suites, root.tag
assert any(sys.argv[2] in s.get("name", "") for s in suites), [s.get("name") for s in suites]
assert all(int(s.get("failures", "0")) == 0 and int(s.get("errors", "0")) == 0 for s in suites)
assert list(root.iter("testcase"))
EOF

run_cluster -o text verify -n demo -l app=frontend
expect_status 0 "-o text"
expect_stdout "demo/$POD"

# Envoy's Prometheus listener instead of the admin port: the forward goes to 15090.
: >"$FAKE_KUBECTL_LOG"
run_cluster verify -n demo -l app=frontend --port 15090 -o json
expect_status 0 "--port 15090"
grep -q '"port-forward".*":15090"' "$FAKE_KUBECTL_LOG" || fail "--port 15090: port-forward :15090"

# By name instead of a selector.
run_cluster verify "$POD" -n demo -o json
expect_status 0 "a pod by name"
report_check '[s["name"] for s in d["sources"]] == ["demo/'"$POD"'"]' "by name: the same source"

# kubectl from HFI_KUBECTL, with --kubeconfig and --context passed through first.
printf 'apiVersion: v1\nkind: Config\n' >"$TMP/kubeconfig"
: >"$FAKE_KUBECTL_LOG"
OUT=$TMP/out ERR=$TMP/err
HFI_KUBECTL=$FAKE_KUBECTL "$HFI_METRICS" --kubeconfig "$TMP/kubeconfig" --context staging \
  verify -n demo -l app=frontend -o json >"$OUT" 2>"$ERR"
STATUS=$?
expect_status 0 "HFI_KUBECTL, --kubeconfig, --context"
python3 - "$FAKE_KUBECTL_LOG" "$TMP/kubeconfig" <<'EOF' || fail "every kubectl call starts with --kubeconfig F --context staging"
import json, sys
calls = [json.loads(line)["argv"] for line in open(sys.argv[1])]
assert calls
for c in calls:
    assert c[:4] == ["--kubeconfig", sys.argv[2], "--context", "staging"], c
EOF
expect_no_kubectl_left

# A context the kubeconfig does not have: kubectl's error, exit 2.
run_cluster --context nowhere verify -n demo -l app=frontend -o json
expect_status 2 "unknown context"
expect_stderr_lines 1
finish
