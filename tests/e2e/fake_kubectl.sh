#!/usr/bin/env bash
# The fake kubectl of tests/fake_kubectl on its own, so the cluster tests rest on a stand-in that
# answers like kubectl: pod JSON shapes and selections, a port-forward to a real embedded sidecar
# read through, exec, RBAC denials, a pod not running, a hanging and a crashing forward, signals
# leaving no process, apply/diff/rollout, connection failures and unknown commands.
# Skipped (77) without python3 or the plugin module.
source "$(dirname "$0")/lib_cluster.sh"

# k ARGS...: runs the fake kubectl; sets STATUS, OUT, ERR (so lib.sh's expect_* apply).
k() {
  OUT=$TMP/out ERR=$TMP/err
  # (the braces keep bash's own "Segmentation fault" report off the test's output)
  { "$FAKE_KUBECTL" "$@" >"$OUT" 2>"$ERR"; STATUS=$?; } 2>/dev/null
}
# py 'PYTHON' DESCRIPTION: asserts an expression over `d`, the JSON in $OUT.
py() {
  python3 - "$OUT" "$1" <<'EOF' || fail "$2"
import json, sys
d = json.load(open(sys.argv[1]))
names = lambda: [i["metadata"]["name"] for i in d["items"]]
try:
    ok = eval("(" + sys.argv[2] + ")")
except Exception as e:
    print("py: %s: %r" % (sys.argv[2], e), file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
EOF
}
# http_get URL: the body (empty on failure), with Python so the test needs no curl.
http_get() {
  python3 -c '
import sys, urllib.request
try:
    sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())
except Exception as e:
    print("http_get: %s" % e, file=sys.stderr)' "$1"
}

start_sidecar
ADMIN=${SIDECAR_ADMIN[0]}
write_scenario <<EOF
{
  "user": "alice",
  "deployments": [{"name": "frontend", "namespace": "demo", "annotations": {"team": "shop"}}],
  "pods": [
    {"namespace": "demo", "deployment": "frontend", "admin": "$ADMIN", "count": 2},
    {"namespace": "demo", "name": "plain", "labels": {"app": "plain", "tier": "web"},
     "sidecar": null},
    {"namespace": "demo", "name": "starting", "labels": {"app": "plain", "tier": "db"},
     "phase": "Pending"},
    {"namespace": "demo", "name": "denied", "labels": {"app": "locked"}, "admin": "$ADMIN",
     "forward": "forbidden"},
    {"namespace": "demo", "name": "sealed", "labels": {"app": "locked"}, "admin": "$ADMIN",
     "forward": "forbidden", "exec": "forbidden"},
    {"namespace": "demo", "name": "stuck", "labels": {"app": "stuck"}, "forward": "hang"},
    {"namespace": "demo", "name": "broken", "labels": {"app": "broken"}, "forward": "crash"},
    {"namespace": "other", "name": "elsewhere", "labels": {"app": "frontend"},
     "native_sidecar": true, "admin": "$ADMIN"}
  ]
}
EOF

# --- get pods: shapes and selections ------------------------------------------------------------
k get pods -n demo -l app=frontend -o json
expect_status 0 "get pods -l"
py 'd["apiVersion"] == "v1" and d["kind"] == "List" and len(d["items"]) == 2' "a List of 2 pods"
py 'all(p["apiVersion"] == "v1" and p["kind"] == "Pod" for p in d["items"])' "items are Pods"
py 'all(len(p["metadata"]["uid"]) == 36 and p["metadata"]["creationTimestamp"].endswith("Z")
        for p in d["items"])' "uid and creationTimestamp"
py 'all(p["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet" and
        p["metadata"]["ownerReferences"][0]["name"] ==
        "frontend-" + p["metadata"]["labels"]["pod-template-hash"] and
        p["metadata"]["name"].startswith(p["metadata"]["ownerReferences"][0]["name"] + "-")
        for p in d["items"])' "owned by ReplicaSet frontend-<pod-template-hash>"
py 'all(c["name"] == "istio-proxy" and c["image"].startswith("docker.io/istio/proxyv2:") and
        c["args"][:2] == ["proxy", "sidecar"]
        for p in d["items"] for c in p["spec"]["containers"][1:])' "istio-proxy container"
py 'all(p["status"]["phase"] == "Running" and p["status"]["startTime"].endswith("Z") and
        all(s["ready"] and "running" in s["state"] for s in p["status"]["containerStatuses"])
        for p in d["items"])' "Running, ready, started"
py 'all(p["metadata"]["annotations"]["team"] == "shop" and
        "sidecar.istio.io/status" in p["metadata"]["annotations"] for p in d["items"])' \
  "template and injector annotations"
grep -q '^    "apiVersion": "v1",$' "$OUT" || fail "kubectl's four-space JSON indent"

k get pods -n demo -l 'app=plain,tier=web' -o json
py 'names() == ["plain"]' "k=v,k2=v2 selects one pod"
py '"initContainers" not in d["items"][0]["spec"]' "no sidecar, no istio-init"
k get pods -n demo -l 'app in (plain,locked),tier!=db' -o json
py 'names() == ["denied", "plain", "sealed"]' "in (...) and != selectors"
k get pods -A -l app=frontend -o json
py 'len(d["items"]) == 3 and {i["metadata"]["namespace"] for i in d["items"]} == {"demo", "other"}' \
  "-A spans namespaces"
k get pods -n other elsewhere -o json
py 'd["kind"] == "Pod" and [c["name"] for c in d["spec"]["initContainers"]] ==
    ["istio-init", "istio-proxy"] and d["spec"]["initContainers"][1]["restartPolicy"] == "Always"' \
  "one name gives the Pod; native sidecar among the init containers"
k get pods -n demo -l app=nothing -o json
expect_status 0 "empty selection"
py 'd["kind"] == "List" and d["items"] == []' "empty List"
[ -s "$ERR" ] && fail "no 'No resources found' with -o json"
k get pods plain starting -n demo -o json
py 'd["kind"] == "List" and names() == ["plain", "starting"]' "two names give a List"
py 'd["items"][1]["status"]["phase"] == "Pending" and
    d["items"][1]["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] ==
    "ContainerCreating"' "Pending pod waiting in ContainerCreating"
k get pods plain ghost -n demo -o json
expect_status 1 "a missing pod"
expect_stderr '^Error from server \(NotFound\): pods "ghost" not found$'
py 'd["kind"] == "List" and names() == ["plain"]' "the found pod still printed"
k get pods ghost -n demo -o json
expect_status 1 "one missing pod"
[ -s "$OUT" ] && fail "nothing on stdout for one missing pod"
k get pods -n demo -l app=plain
expect_stdout '^NAME +READY +STATUS +RESTARTS +AGE$'
expect_stdout '^starting +0/2 +ContainerCreating +0 +'
k get pods -n demo -l app=frontend -l 'bad key!!' -o json
expect_status 1 "invalid selector"

# --- port-forward to a real sidecar -------------------------------------------------------------
POD=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["metadata"]["name"])' \
  <(fake_kubectl get pods -n demo -l app=frontend -o json))
"$FAKE_KUBECTL" port-forward "pod/$POD" -n demo :15000 >"$TMP/pf.out" 2>"$TMP/pf.err" &
PF=$!
for _ in $(seq 100); do
  [ "$(wc -l <"$TMP/pf.out")" -ge 2 ] && break
  sleep 0.05
done
LOCAL=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) -> 15000$/\1/p' "$TMP/pf.out")
[ -n "$LOCAL" ] || fail "Forwarding from 127.0.0.1:PORT -> 15000 (got: $(cat "$TMP/pf.out"))"
SECOND=$(sed -n 2p "$TMP/pf.out")
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
  [ "$SECOND" = "Forwarding from [::1]:$LOCAL -> 15000" ] || fail "Forwarding line for [::1]"
else
  [ -z "$SECOND" ] || fail "no [::1] line when ::1 cannot be bound"
fi
http_get "http://127.0.0.1:$LOCAL/stats/prometheus" >"$TMP/scrape"
grep -q '^# TYPE wasmcustom_hfi_faults_aborts_total counter$' "$TMP/scrape" \
  || fail "/stats/prometheus through the forward"
grep -qx "Handling connection for $LOCAL" "$TMP/pf.out" || fail "Handling connection line"
[ -e "$FAKE_KUBECTL_PIDDIR/$PF" ] || fail "the port-forward's pid file"
kill -TERM "$PF"
wait "$PF"
[ $? -eq 143 ] || fail "port-forward dies of SIGTERM as Go does"
[ -z "$(live_kubectls)" ] || fail "a process left after SIGTERM: $(live_kubectls)"

"$FAKE_KUBECTL" port-forward "deployment/frontend" -n demo 0:15090 >"$TMP/pf2.out" 2>&1 &
PF=$!
for _ in $(seq 100); do
  grep -q '^Forwarding from 127' "$TMP/pf2.out" && break
  sleep 0.05
done
grep -qE '^Forwarding from 127\.0\.0\.1:[0-9]+ -> 15090$' "$TMP/pf2.out" \
  || fail "deployment/NAME forwards to one of its pods"
kill -INT "$PF"
wait "$PF"
[ $? -eq 0 ] || fail "port-forward exits 0 on SIGINT"

# Nothing listens on the remote port: the first connection ends the forward.
"$FAKE_KUBECTL" port-forward pod/plain -n demo :15000 >"$TMP/pf3.out" 2>"$TMP/pf3.err" &
PF=$!
for _ in $(seq 100); do
  grep -q '^Forwarding from 127' "$TMP/pf3.out" && break
  sleep 0.05
done
LOCAL=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) -> 15000$/\1/p' "$TMP/pf3.out")
http_get "http://127.0.0.1:$LOCAL/stats/prometheus" >/dev/null 2>&1
wait "$PF"
[ $? -eq 1 ] || fail "a refused connection in the pod ends the forward with 1"
grep -qx 'error: lost connection to pod' "$TMP/pf3.err" || fail "lost connection to pod"

# --- port-forward failures ------------------------------------------------------------------------
k port-forward pod/denied -n demo :15000
expect_status 1 "forward forbidden"
expect_stderr '^error: error upgrading connection: pods "denied" is forbidden: User "alice" cannot create resource "pods/portforward" in API group "" in the namespace "demo"$'
k port-forward pod/starting -n demo :15000
expect_status 1 "pod not running"
expect_stderr '^error: unable to forward port because pod is not running\. Current status=Pending$'
k port-forward pod/ghost -n demo :15000
expect_status 1 "pod missing"
expect_stderr '^Error from server \(NotFound\): pods "ghost" not found$'
k port-forward pod/broken -n demo :15000
expect_status 139 "crash: dies of SIGSEGV"
[ -s "$OUT" ] && fail "a crashing forward prints nothing"
k port-forward pod/plain -n demo
expect_status 1 "no port"
expect_stderr '^error: TYPE/NAME and list of ports are required for port-forward$'

# A hanging forward prints nothing, ignores SIGINT as kubectl does while dialing, dies of SIGTERM.
"$FAKE_KUBECTL" port-forward pod/stuck -n demo :15000 >"$TMP/hang.out" 2>&1 &
PF=$!
sleep 0.5
kill -INT "$PF"
sleep 0.3
kill -0 "$PF" 2>/dev/null || fail "a hanging forward ignores SIGINT"
kill -TERM "$PF"
wait "$PF"
[ $? -eq 143 ] || fail "a hanging forward dies of SIGTERM"
[ -s "$TMP/hang.out" ] && fail "a hanging forward prints nothing"
[ -z "$(live_kubectls)" ] || fail "processes left: $(live_kubectls)"

# --- exec -----------------------------------------------------------------------------------------
k exec denied -n demo -c istio-proxy -- pilot-agent request GET stats/prometheus
expect_status 0 "exec allowed where the forward is denied"
expect_stdout '^wasmcustom_hfi_faults_aborts_total\{\} 0$'
k exec denied -n demo -c istio-proxy -- pilot-agent request GET 'stats?filter=hfi'
expect_stdout '^wasmcustom\.'
k exec sealed -n demo -c istio-proxy -- pilot-agent request GET stats/prometheus
expect_status 1 "exec forbidden"
expect_stderr '^Error from server \(Forbidden\): pods "sealed" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "demo"$'
k exec plain -n demo -c istio-proxy -- pilot-agent request GET stats/prometheus
expect_status 1 "no istio-proxy container"
expect_stderr 'container istio-proxy is not valid for pod plain'
k exec stuck -n demo -c istio-proxy -- pilot-agent request GET stats/prometheus
expect_status 255 "pilot-agent cannot reach the admin port"
expect_stderr '^command terminated with exit code 255$'

# --- auth can-i -----------------------------------------------------------------------------------
python3 - "$FAKE_KUBECTL_SCENARIO" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["deny"] = ["create pods/exec", "list pods kube-system"]
json.dump(s, open(sys.argv[1], "w"))
EOF
k auth can-i create pods/portforward -n demo
expect_status 0 "can-i yes"
expect_stdout '^yes$'
k auth can-i create pods/exec -n demo
expect_status 1 "can-i no"
expect_stdout '^no$'
k get pods -n kube-system -o json
expect_status 1 "list pods forbidden"
expect_stderr '^Error from server \(Forbidden\): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "kube-system"$'

# --- apply, diff, rollout -------------------------------------------------------------------------
cat >"$TMP/patch.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: demo
spec:
  template:
    metadata:
      annotations:
        proxy.istio.io/config: |
          proxyStatsMatcher:
            inclusionPrefixes:
            - wasmcustom.
EOF
BEFORE=$(fake_kubectl get pod "$POD" -n demo -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["startTime"])')
k diff --server-side --field-manager=hfi-metrics -f - <"$TMP/patch.yaml"
expect_status 1 "diff shows a change"
expect_stdout '^\+        proxy\.istio\.io/config: \|$'
expect_stdout '^diff -u -N /tmp/LIVE-[0-9]+/apps\.v1\.Deployment\.demo\.frontend /tmp/MERGED-'
k apply --server-side --field-manager=hfi-metrics -f - <"$TMP/patch.yaml"
expect_status 0 "server-side apply"
expect_stdout '^deployment\.apps/frontend serverside-applied$'
k diff --server-side --field-manager=hfi-metrics -f - <"$TMP/patch.yaml"
expect_status 0 "no diff after the apply"
k get deployment frontend -n demo -o json
py 'd["metadata"]["generation"] == 2 and
    d["spec"]["template"]["metadata"]["annotations"]["team"] == "shop" and
    "inclusionPrefixes" in d["spec"]["template"]["metadata"]["annotations"]["proxy.istio.io/config"]' \
  "annotations merged, generation bumped"
k get pod "$POD" -n demo -o json
py 'd["status"]["startTime"] != "'"$BEFORE"'" and
    "proxy.istio.io/config" in d["metadata"]["annotations"]' "the pod was replaced"
sed 's/wasmcustom\./other./' "$TMP/patch.yaml" >"$TMP/conflict.yaml"
k apply --server-side --field-manager=someone-else -f "$TMP/conflict.yaml"
expect_status 1 "a field owned by another manager"
expect_stderr '^error: Apply failed with 1 conflict: conflict with "hfi-metrics" using apps/v1: \.spec\.template\.metadata\.annotations\.proxy\.istio\.io/config$'
k apply --server-side --dry-run=client -f "$TMP/patch.yaml"
expect_status 1 "client dry run with server-side"
k rollout restart deployment/frontend -n demo
expect_status 0 "rollout restart"
expect_stdout '^deployment\.apps/frontend restarted$'
k rollout status deployment/frontend -n demo --timeout=5s
expect_stdout '^deployment "frontend" successfully rolled out$'

# --- connection failures, unknown commands, version, the call log ---------------------------------
k version --client -o json
expect_status 0 "version --client"
"$FAKE_KUBECTL_SCRIPT" version --client >"$TMP/version" 2>&1 \
  || fail "the program runs by its #! line: $(cat "$TMP/version")"
py 'd["clientVersion"]["gitVersion"].startswith("v1.") and "serverVersion" not in d' "client only"
k frobnicate
expect_status 1 "unknown command"
expect_stderr '^error: unknown command "frobnicate" for "kubectl"$'
k --kubeconfig "$TMP/absent" get pods -o json
expect_status 1 "missing kubeconfig"
python3 - "$FAKE_KUBECTL_SCENARIO" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s["unreachable"] = True
json.dump(s, open(sys.argv[1], "w"))
EOF
k get pods -n demo -o json
expect_status 1 "cluster unreachable"
expect_stderr '^The connection to the server 127\.0\.0\.1:6443 was refused - did you specify the right host or port\?$'
k version --client -o json
expect_status 0 "version --client without a server"

python3 - "$FAKE_KUBECTL_LOG" <<'EOF' || fail "every call logged as one JSON line with argv"
import json, sys
calls = [json.loads(line) for line in open(sys.argv[1])]
assert any(c["argv"][:1] == ["port-forward"] for c in calls)
assert all(isinstance(c["argv"], list) and c["pid"] > 0 for c in calls)
EOF
[ -z "$(live_kubectls)" ] || fail "processes left at the end: $(live_kubectls)"
finish
