#!/usr/bin/env bash
# hfi-metrics apply against the fake kubectl (tests/fake_kubectl): the Istio version detected from
# the pods' sidecar images, then istiod, else an error asking for --istio-version; objects
# created / configured / unchanged; a changed pod template rolls out without a restart, pods
# older than an unchanged template are restarted (not under --dry-run or --no-restart, which
# warns HFI506); --diff keeps kubectl diff's exit codes; -o json; kubectl failures as one-line
# errors (RBAC, unreachable, no Istio CRDs); a rollout that hangs past --timeout exits 2.
# Needs no sidecar and no plugin module. Skipped (77) without python3.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (the fake kubectl needs it)"

FAKE_KUBECTL=$(cd "$(dirname "$0")/../fake_kubectl" && pwd)/kubectl
export FAKE_KUBECTL_SCENARIO=$TMP/scenario.json
export FAKE_KUBECTL_LOG=$TMP/kubectl.log
export FAKE_KUBECTL_STATE=$TMP/state
unset HFI_KUBECTL

# scenario: the scenario JSON from stdin; forgets what earlier applies changed and the call log.
scenario() {
  cat >"$FAKE_KUBECTL_SCENARIO"
  rm -rf "$FAKE_KUBECTL_STATE" "$FAKE_KUBECTL_LOG"
}
# calls: the fake kubectl's calls so far, one line each, arguments joined by spaces.
calls() {
  [ -f "$FAKE_KUBECTL_LOG" ] || return 0
  python3 -c 'import json, sys
for line in open(sys.argv[1]): print(" ".join(json.loads(line)["argv"]))' "$FAKE_KUBECTL_LOG"
}
expect_call() { calls | grep -qE -- "$1" || { fail "kubectl was not called with /$1/"; calls >&2; }; }
expect_no_call() { calls | grep -qE -- "$1" && { fail "kubectl was called with /$1/"; calls >&2; }; return 0; }
# json_check 'PYTHON EXPRESSION' DESCRIPTION over `d`, the JSON on stdout.
json_check() {
  python3 - "$OUT" "$1" <<'PY' || fail "$2"
import json, sys
d = json.load(open(sys.argv[1]))
try:
    ok = eval("(" + sys.argv[2] + ")")
except Exception as e:
    print("json_check: %s: %r" % (sys.argv[2], e), file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
}

ANNOTATION='proxyStatsMatcher:\n  inclusionPrefixes:\n  - wasmcustom.\n'
BASE=(-n demo -l app=frontend --workload deployment/frontend)
FLAGS=(--kubectl "$FAKE_KUBECTL" "${BASE[@]}" --url oci://registry.example/hfi:1.0)
FLAGS2=(--kubectl "$FAKE_KUBECTL" "${BASE[@]}" --url oci://registry.example/hfi:2.0)

# --- First apply: the version from the pods, the WasmPlugin created, the template changed -------
scenario <<'JSON'
{
  "istiod_image": "docker.io/istio/pilot:1.23.0",
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "count": 2,
            "sidecar": "docker.io/istio/proxyv2:1.22.3"}]
}
JSON
run apply "${FLAGS[@]}"
expect_status 0 "first apply"
expect_stderr '^hfi-metrics: Istio 1\.22\.3 \(from the istio-proxy image of 2 pods in demo\)$'
expect_stdout '^deployment\.apps/frontend configured$'
expect_stdout '^wasmplugin\.extensions\.istio\.io/hfi-fault-injection created$'
expect_stdout '^deployment\.apps/frontend rolling out: pod template changed$'
[ "$(wc -l <"$OUT")" -eq 3 ] || fail "expected 3 stdout lines"
expect_call '^apply --server-side --field-manager=hfi-metrics --force-conflicts -f - -o json$'
expect_no_call '^rollout restart'
expect_no_call '^get deployment istiod'

# Applied again: nothing changes, nothing restarts (the pods were replaced by the rollout).
rm -f "$FAKE_KUBECTL_LOG"
run apply "${FLAGS[@]}" -q
expect_status 0 "second apply"
expect_stdout '^deployment\.apps/frontend unchanged$'
expect_stdout '^wasmplugin\.extensions\.istio\.io/hfi-fault-injection unchanged$'
expect_stderr_lines 0
expect_no_call '^rollout'

# --diff: kubectl's exit codes. Nothing to change → 0; another URL → 1 and the diff.
run apply "${FLAGS[@]}" --diff
expect_status 0 "--diff without differences"
expect_call '^diff --server-side --field-manager=hfi-metrics --force-conflicts -f -$'
run apply "${FLAGS2[@]}" --diff
expect_status 1 "--diff with differences"
expect_stdout '^\+  url: oci://registry.example/hfi:2\.0$'
run apply "${FLAGS2[@]}" --diff -o json
expect_status 1 "--diff -o json"
json_check 'd["differences"] is True and "hfi:2.0" in d["diff"] and d["exitCode"] == 1' \
  "--diff -o json says differences"

# --dry-run=server: what would change, nothing written.
run apply "${FLAGS2[@]}" --dry-run=server -o json
expect_status 0 "--dry-run=server -o json"
expect_json
json_check 'd["schemaVersion"] == "hfi-metrics.apply/v1" and d["dryRun"] == "server"' "dryRun"
json_check '[(o["ref"], o["action"]) for o in d["objects"]] == [
    ("deployment.apps/frontend", "unchanged"),
    ("wasmplugin.extensions.istio.io/hfi-fault-injection", "configured")]' "objects and actions"
json_check 'd["istio"] == {"version": "1.22.3", "source": "pods",
                           "detail": "the istio-proxy image of 2 pods in demo"}' "istio"
run apply "${FLAGS2[@]}" --diff
expect_status 1 "the server dry run wrote nothing"
run apply "${FLAGS2[@]}" --dry-run=client
expect_status 0 "--dry-run=client"
expect_stdout '^wasmplugin\.extensions\.istio\.io/hfi-fault-injection configured \(dry run\)$'
expect_call '^apply --field-manager=hfi-metrics --dry-run=client -f - -o json$'

# --- Pods older than an unchanged template: restarted, except under dry runs and --no-restart -----
scenario <<JSON
{
  "deployments": [{"name": "frontend", "namespace": "demo",
                   "annotations": {"proxy.istio.io/config": "$ANNOTATION"}}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "count": 2,
            "annotations": {"proxy.istio.io/config": "proxyStatsMatcher: {}\n"}}]
}
JSON
run apply "${FLAGS[@]}" --dry-run=server
expect_status 0 "stale pods, server dry run"
expect_stdout '^deployment\.apps/frontend would be restarted: 2 pods started with another proxy\.istio\.io/config than the pod template \(server dry run\)$'
expect_no_call '^rollout'
run apply "${FLAGS[@]}" --no-restart
expect_status 0 "stale pods, --no-restart"
expect_stdout '^deployment\.apps/frontend needs a restart \(--no-restart\): '
expect_stderr '^hfi-metrics: warning: HFI506: deployment/frontend keeps its old Envoy bootstrap until its pods restart .*kubectl rollout restart deployment/frontend -n demo$'
expect_no_call '^rollout'
run apply "${FLAGS[@]}" --wait
expect_status 0 "stale pods restarted and waited for"
expect_stdout '^deployment\.apps/frontend restarted: 2 pods started with another proxy\.istio\.io/config than the pod template \(rolled out\)$'
expect_call '^rollout restart deployment/frontend -n demo$'
expect_call '^rollout status deployment/frontend -n demo --timeout=180s$'
rm -f "$FAKE_KUBECTL_LOG"
run apply "${FLAGS[@]}" --wait
expect_status 0 "restarted pods are current"
expect_stdout '^deployment\.apps/frontend unchanged$'
expect_no_call '^rollout'

# --- A rollout that does not finish within --timeout -------------------------------------------
scenario <<'JSON'
{
  "deployments": [{"name": "frontend", "namespace": "demo", "rollout": "hang"}],
  "pods": [{"namespace": "demo", "deployment": "frontend"}]
}
JSON
run apply "${FLAGS[@]}" --wait --timeout 3s
expect_status 2 "rollout hangs"
expect_stdout '^deployment\.apps/frontend rolling out: pod template changed \(not rolled out in time\)$'
expect_stderr '^hfi-metrics: deployment/frontend: not rolled out within 3s \(--timeout\) \(see kubectl rollout status deployment/frontend -n demo and kubectl describe deployment/frontend -n demo\)$'
run apply "${FLAGS[@]}" --wait --timeout 2s -o json
expect_status 2 "rollout hangs, -o json"
json_check 'd["exitCode"] == 2 and d["workloads"][0]["rollout"] == "timed-out"' "timed-out in JSON"

# --- Where the version comes from ---------------------------------------------------------------
scenario <<'JSON'
{
  "istiod_image": "docker.io/istio/pilot:1.23.1-distroless",
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend",
            "sidecar": "gcr.io/istio-release/proxyv2@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"}]
}
JSON
run apply "${FLAGS[@]}" --dry-run=server
expect_status 0 "version from istiod"
expect_stderr "^hfi-metrics: Istio 1\.23\.1 \(from istiod's image in istio-system\)$"
rm -f "$FAKE_KUBECTL_LOG"
run apply "${FLAGS[@]}" --dry-run=server --istio-version 1.20.4
expect_status 0 "version from the flag"
expect_stderr '^hfi-metrics: Istio 1\.20\.4 \(from --istio-version\)$'
expect_no_call '^get deployment istiod'

scenario <<'JSON'
{
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "sidecar": null}]
}
JSON
run apply "${FLAGS[@]}"
expect_status 2 "no version anywhere"
expect_stderr_lines 1
expect_stderr '^hfi-metrics: Istio version: cannot detect it: none of the pods matching app=frontend in demo has an istio-proxy container, and there is no deployment istiod in istio-system \(pass --istio-version'
expect_no_call '^apply'

scenario <<'JSON'
{
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "sidecar": "docker.io/istio/proxyv2:1.24.2"},
           {"namespace": "demo", "deployment": "frontend", "sidecar": "docker.io/istio/proxyv2:1.22.3"}]
}
JSON
run apply "${FLAGS[@]}" --dry-run=server
expect_status 0 "several versions"
expect_stderr '^hfi-metrics: warning: the selected pods run several Istio versions \(1\.22\.3, 1\.24\.2\): rendering for the lowest, 1\.22\.3'

# --- Istio 1.24 with --stats-exposure both: the EnvoyFilter is created, HFI507 says it is ignored,
# the annotation is what rolls out; nothing is restarted for the EnvoyFilter.
scenario <<'JSON'
{
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "sidecar": "docker.io/istio/proxyv2:1.24.2"}]
}
JSON
run apply "${FLAGS[@]}" --stats-exposure both --bootstrap-xds-agent
expect_status 0 "Istio 1.24, both"
expect_stderr '^hfi-metrics: warning: HFI507: EnvoyFilter demo/hfi-fault-injection-stats-matcher \(applyTo: BOOTSTRAP\) has no effect on Istio 1\.24\.2'
expect_stdout '^envoyfilter\.networking\.istio\.io/hfi-fault-injection-stats-matcher created$'
expect_stdout '^deployment\.apps/frontend rolling out: pod template changed$'
expect_no_call '^rollout restart'

# Istio 1.18 with BOOTSTRAP_XDS_AGENT and the EnvoyFilter only: the proxies read it at start, so
# the workloads of the selected pods restart.
scenario <<'JSON'
{
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend", "sidecar": "docker.io/istio/proxyv2:1.18.7"}]
}
JSON
run apply --kubectl "$FAKE_KUBECTL" -n demo -l app=frontend --url oci://registry.example/hfi:1.0 \
  --stats-exposure envoyfilter --bootstrap-xds-agent
expect_status 0 "Istio 1.18, envoyfilter"
expect_stderr_lines 1
expect_stdout '^deployment\.apps/frontend restarted: EnvoyFilter hfi-fault-injection-stats-matcher created: with BOOTSTRAP_XDS_AGENT the proxies read bootstrap patches only when they start$'
expect_call '^rollout restart deployment/frontend -n demo$'

# --- kubectl failures: one line each, exit 2 ----------------------------------------------------
scenario <<'JSON'
{
  "deny": ["patch wasmplugins"],
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend"}]
}
JSON
run apply "${FLAGS[@]}"
expect_status 2 "apply forbidden"
expect_stderr_lines 2  # the version line, then the error
expect_stderr '^hfi-metrics: kubectl apply: .*forbidden.* \(check: kubectl auth can-i patch wasmplugins\.extensions\.istio\.io -n demo\)$'

scenario <<'JSON'
{"deny": ["list pods"], "deployments": [{"name": "frontend", "namespace": "demo"}]}
JSON
run apply "${FLAGS[@]}"
expect_status 2 "get pods forbidden"
expect_stderr_lines 1
expect_stderr '\(check: kubectl auth can-i list pods -n demo\)$'

scenario <<'JSON'
{"unreachable": true}
JSON
run apply "${FLAGS[@]}"
expect_status 2 "cluster unreachable"
expect_stderr_lines 1
expect_stderr 'kubectl config current-context'

scenario <<'JSON'
{
  "istio_crds": false,
  "deployments": [{"name": "frontend", "namespace": "demo"}],
  "pods": [{"namespace": "demo", "deployment": "frontend"}]
}
JSON
run apply "${FLAGS[@]}"
expect_status 2 "no Istio CRDs"
expect_stderr 'install Istio'

scenario <<'JSON'
{"pods": [{"namespace": "demo", "labels": {"app": "frontend"}, "owner": "statefulset/other"}]}
JSON
run apply "${FLAGS[@]}"
expect_status 2 "the workload does not exist"
expect_stderr '^hfi-metrics: deployment\.apps/frontend: not found in namespace demo '
expect_no_call '^apply'

# --- Input and usage errors never reach kubectl ------------------------------------------------
rm -f "$FAKE_KUBECTL_LOG"
echo '{"policies": [' >"$TMP/bad.json"
run apply "${FLAGS[@]}" --policy "$TMP/bad.json"
expect_status 3 "bad policy"
expect_stderr_lines 1
run apply "${BASE[@]}" --url oci://registry.example/hfi:1.0 --istio-version 1.22 \
  --policy "$TMP/bad.json" --kubectl /nonexistent/kubectl
expect_status 3 "bad policy before kubectl is looked for"
run apply "${FLAGS[@]}" --diff --wait
expect_status 64 "--diff --wait"
run apply "${FLAGS[@]}" --dry-run=maybe
expect_status 64 "--dry-run=maybe"
run apply "${FLAGS[@]}" --timeout soon
expect_status 64 "--timeout soon"
expect_stderr "^hfi-metrics: --timeout: 'soon' is not a duration"
run apply "${FLAGS[@]}" -o junit
expect_status 64 "-o junit"
[ ! -s "$FAKE_KUBECTL_LOG" ] || { fail "kubectl was called for bad input"; calls >&2; }

run apply --help
expect_status 0 "--help"
expect_stdout 'Examples:'
expect_stdout 'hfi-metrics apply --values .* --diff'

finish
