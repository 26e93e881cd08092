#!/usr/bin/env bash
# hfi-metrics deploy against the fake kubectl, with embedded sidecars standing for the pods'
# istio-proxy: an "Istio 1.24" cluster with --stats-exposure both (the EnvoyFilter is rendered and
# applied with the HFI507 warning; the annotation is what rolls out), the three stage banners on
# stderr and only the verify report on stdout (text, JSON, JUnit); the exit code of the first
# failing stage: a compile error (3, nothing applied), a rollout past --timeout (2, nothing
# verified), metrics missing on the pods (1); --dry-run is not a deploy flag.
# Skipped (77) without python3 or the plugin module.
source "$(dirname "$0")/lib_cluster.sh"

calls() {
  [ -f "$FAKE_KUBECTL_LOG" ] || return 0
  python3 -c 'import json, sys
for line in open(sys.argv[1]): print(" ".join(json.loads(line)["argv"]))' "$FAKE_KUBECTL_LOG"
}
expect_call() { calls | grep -qE -- "$1" || { fail "kubectl was not called with /$1/"; calls >&2; }; }
expect_no_call() { calls | grep -qE -- "$1" && { fail "kubectl was called with /$1/"; calls >&2; }; return 0; }

start_sidecars 2
scenario_124() {  # scenario_124 [ROLLOUT]: two pods of deployment/frontend on Istio 1.24.2
  write_scenario <<JSON
{
  "deployments": [{"name": "frontend", "namespace": "demo", "rollout": "${1:-ok}"}],
  "pods": [
    {"namespace": "demo", "deployment": "frontend", "admin": "${SIDECAR_ADMIN[0]}",
     "sidecar": "docker.io/istio/proxyv2:1.24.2"},
    {"namespace": "demo", "deployment": "frontend", "admin": "${SIDECAR_ADMIN[1]}",
     "sidecar": "docker.io/istio/proxyv2:1.24.2"}
  ]
}
JSON
  rm -f "$FAKE_KUBECTL_LOG"
}
DEPLOY=(deploy --kubectl "$FAKE_KUBECTL" -n demo -l app=frontend --workload deployment/frontend
        --delivery configmap --skip-build --plugin "$HFI_PLUGIN_WASM")

# --- Istio 1.24, stats exposure both -------------------------------------------------------------
scenario_124
run "${DEPLOY[@]}" --stats-exposure both -o json
expect_status 0 "deploy on Istio 1.24"
expect_json
report_check 'd["exitCode"] == 0 and len(d["sources"]) == 2' "two pods verified"
report_check 'all(s["kind"] == "pod" and s["name"].startswith("demo/frontend-") for s in d["sources"])' \
  "the sources are the pods"
expect_stderr '^\[1/3\] build$'
expect_stderr '^\[2/3\] apply$'
expect_stderr '^\[3/3\] verify$'
expect_stderr '^hfi-metrics: Istio 1\.24\.2 \(from the istio-proxy image of 2 pods in demo\)$'
expect_stderr '^hfi-metrics: warning: HFI507: EnvoyFilter demo/hfi-fault-injection-stats-matcher \(applyTo: BOOTSTRAP\) has no effect on Istio 1\.24\.2: bootstrap patches were removed in 1\.21; the proxy\.istio\.io/config annotation rendered with it is what takes effect$'
expect_stderr '^configmap/hfi-fault-injection-wasm created$'
expect_stderr '^envoyfilter\.networking\.istio\.io/hfi-fault-injection-stats-matcher created$'
expect_stderr '^deployment\.apps/frontend rolling out: pod template changed \(rolled out\)$'
expect_call '^apply --server-side --field-manager=hfi-metrics --force-conflicts -f - -o json$'
expect_call '^rollout status deployment/frontend -n demo --timeout=180s$'
expect_call '^port-forward '
expect_no_call '^rollout restart'
expect_no_kubectl_left
# The annotation reached the pods through the rollout; the EnvoyFilter was applied as rendered.
fake_kubectl get pods -n demo -l app=frontend -o json >"$TMP/pods.json"
python3 - "$TMP/pods.json" <<'PY' || fail "the rolled-out pods carry the proxy.istio.io/config annotation"
import json, sys
pods = json.load(open(sys.argv[1]))["items"]
assert len(pods) == 2
for p in pods:
    assert "wasmcustom." in p["metadata"]["annotations"]["proxy.istio.io/config"], p["metadata"]
PY
fake_kubectl get envoyfilter hfi-fault-injection-stats-matcher -n demo -o json >/dev/null \
  || fail "the EnvoyFilter exists"

# Deployed again: nothing changes, nothing restarts; text and JUnit reports on stdout.
rm -f "$FAKE_KUBECTL_LOG"
run "${DEPLOY[@]}" --stats-exposure both
expect_status 0 "second deploy"
expect_stderr '^deployment\.apps/frontend unchanged$'
expect_stdout '2 sources'
expect_no_call '^rollout'
run "${DEPLOY[@]}" --stats-exposure both -o junit -q
expect_status 0 "-o junit -q"
expect_stdout '<testsuites'
expect_stderr_lines 1  # render's HFI507 warning only

# --- The first failing stage's exit code ---------------------------------------------------------
# build: a compile error, nothing applied.
cat >"$TMP/em++" <<'SH'
#!/bin/sh
echo "hfi.cc:1:1: error: boom" >&2
exit 1
SH
chmod +x "$TMP/em++"
scenario_124
run deploy --kubectl "$FAKE_KUBECTL" -n demo -l app=frontend --workload deployment/frontend \
  --delivery configmap --plugin "$TMP/out.wasm" --emxx "$TMP/em++"
expect_status 3 "compile error"
expect_stderr '^\[1/3\] build$'
expect_stderr 'hfi\.cc:1:1: error: boom'
expect_stderr '^hfi-metrics: compiling .* with .*em\+\+ \(release\)$'
expect_stderr '^hfi-metrics: em\+\+: compiling the plugin failed \(exit status 1\); nothing was deployed'
grep -q '^\[2/3\]' "$ERR" && fail "apply ran after a failed build"
[ -s "$FAKE_KUBECTL_LOG" ] && { fail "kubectl was called after a failed build"; calls >&2; }

# apply: the rollout never finishes, nothing verified.
scenario_124 hang
run "${DEPLOY[@]}" --timeout 4s
expect_status 2 "rollout hangs"
expect_stderr '^hfi-metrics: deployment/frontend: not rolled out within 4s \(--timeout\)'
[ -s "$OUT" ] && fail "stdout not empty when apply failed"
expect_no_call '^port-forward'
expect_no_kubectl_left

# verify: the proxies reject the metrics (a stats matcher without them), exit 1.
start_sidecar --stats-matcher none
write_scenario <<JSON
{
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "admin": "${SIDECAR_ADMIN[2]}",
            "sidecar": "docker.io/istio/proxyv2:1.24.2"}]
}
JSON
run "${DEPLOY[@]}" -o json
expect_status 1 "metrics missing on the pod"
expect_json
report_check 'd["exitCode"] == 1' "the report's exit code"

# --- Usage -------------------------------------------------------------------------------------
run deploy --dry-run=server -n demo -l app=frontend
expect_status 64 "--dry-run is not a deploy flag"
run deploy -n demo -l app=frontend --workload deployment/frontend --url oci://r/h:1 --skip-build \
  --kubectl "$FAKE_KUBECTL"
expect_status 64 "--skip-build without a module"
expect_stderr '^hfi-metrics: --skip-build: needs the module to deploy'
run deploy --help
expect_status 0 "--help"
expect_stdout 'Examples:'
expect_stdout '\[1/3\] build'

finish
