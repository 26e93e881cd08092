#!/usr/bin/env bash
# hfi-metrics verify over 20 pods in every state a cluster offers at once: healthy, a plugin with
# the legacy dotted metric names, no sidecar (HFI501), not running (HFI502), port-forward denied
# with exec allowed (verified through `kubectl exec ... pilot-agent request`), forward and exec
# both denied (HFI503), forwards that never come up (HFI504 within --forward-timeout). The run
# exits 2, each pod's report carries exactly its code, and no kubectl process is left.
# Skipped (77) without python3, the plugin module or the test plugins.
source "$(dirname "$0")/lib_cluster.sh"
D=${HFI_TEST_PLUGINS:-}
[ -n "$D" ] && [ -f "$D/legacy_names.wasm" ] || skip "test plugins not built (HFI_TEST_PLUGINS='$D')"

# The healthy pods share two sidecar processes: what is verified is each pod's scrape through its
# own kubectl port-forward, and one sidecar per pod would only make the test heavier.
start_sidecars 2
start_sidecar --plugin "$D/legacy_names.wasm"
HEALTHY_A=${SIDECAR_ADMIN[0]} HEALTHY_B=${SIDECAR_ADMIN[1]} LEGACY=${SIDECAR_ADMIN[2]}

python3 - "$HEALTHY_A" "$HEALTHY_B" "$LEGACY" >"$TMP/scenario.in" <<'EOF'
import json, sys
a, b, legacy = sys.argv[1:4]
pods = []
def pod(name, **kw):
    entry = {"namespace": "shop", "name": name, "labels": {"app": "shop", "case": name.rsplit("-", 1)[0]}}
    entry.update(kw)
    pods.append(entry)
for k in range(12):
    pod("healthy-%d" % k, admin=a if k % 2 else b)
pod("legacy-0", admin=legacy)
pod("nosidecar-0", sidecar=None)
pod("pending-0", phase="Pending", ready=False)
pod("execonly-0", admin=a, forward="forbidden")
pod("execonly-1", admin=b, forward="forbidden")
pod("denied-0", admin=a, forward="forbidden", exec="forbidden")
pod("hanging-0", admin=a, forward="hang")
pod("hanging-1", admin=b, forward="hang")
print(json.dumps({"user": "alice", "pods": pods}))
EOF
write_scenario <"$TMP/scenario.in"

START=$(date +%s.%N)
run_cluster verify -n shop -l app=shop --forward-timeout 2s -o json
ELAPSED=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$START" "$(date +%s.%N)")
expect_status 2 "pods without sidecar, not running, denied or unreachable"
expect_json
expect_no_kubectl_left

report_check 'len(d["sources"]) == 20' "20 sources"
report_check 'all(s["kind"] == "pod" and s["name"].startswith("shop/") for s in d["sources"])' \
  "sources named shop/<pod>, kind pod"
report_check 'd["exitCode"] == 2' "exitCode 2 in JSON"
report_check 'all(codes("shop/healthy-%d" % k) == [] and src("shop/healthy-%d" % k)["exitCode"] == 0
                  for k in range(12))' "healthy pods pass"
report_check '"HFI102" in codes("shop/legacy-0")' "legacy dotted names: HFI102"
report_check 'src("shop/legacy-0")["exitCode"] == 1' "legacy names: checks failed (1)"
report_check 'codes("shop/nosidecar-0") == ["HFI501"]' "no sidecar: HFI501"
report_check 'codes("shop/pending-0") == ["HFI502"]' "not running: HFI502"
# Forward denied, exec allowed: the metrics are read through exec and pass; the denied forward
# stays visible as a warning.
for p in execonly-0 execonly-1; do
  report_check 'src("shop/'$p'")["exitCode"] == 0 and passed("shop/'$p'", "presence")' \
    "$p: forward denied, exec allowed: verified through exec"
  report_check 'all(f["code"] == "HFI503" and f["severity"] == "warning"
                    for f in findings("shop/'$p'"))' "$p: at most an HFI503 warning"
done
report_check 'codes("shop/denied-0") == ["HFI503"] and
              all(f["severity"] == "error" for f in findings("shop/denied-0"))' \
  "forward and exec denied: HFI503 error"
report_check 'codes("shop/hanging-0") == ["HFI504"] and codes("shop/hanging-1") == ["HFI504"]' \
  "hanging forwards: HFI504"
report_check 'all(src(n)["exitCode"] == 2 for n in ("shop/nosidecar-0", "shop/pending-0",
                  "shop/denied-0", "shop/hanging-0", "shop/hanging-1"))' "environment problems: 2"

# The 2 s forward timeout bounds the hanging pods, not the 10 s default.
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 10 else 1)" "$ELAPSED" \
  || fail "the run took ${ELAPSED}s: --forward-timeout 2s not applied"

python3 - "$FAKE_KUBECTL_LOG" "$FAKE_KUBECTL_SCENARIO" <<'EOF' || fail "kubectl calls: exec fallback for the denied forwards only, no forward for pods without sidecar or not running"
import json, sys
calls = [json.loads(line)["argv"] for line in open(sys.argv[1])]
names = {p["name"] for p in json.load(open(sys.argv[2]))["pods"]}
def pods_of(verb):
    found = set()
    for c in calls:
        if c[:1] == [verb]:
            head = c[:c.index("--")] if "--" in c else c
            found.update(a.split("/")[-1] for a in head if a.split("/")[-1] in names)
    return found
assert pods_of("exec") == {"execonly-0", "execonly-1", "denied-0"}, pods_of("exec")
for c in calls:
    if c[:1] == ["exec"]:
        dash = c.index("--")
        assert c[dash + 1:] == ["pilot-agent", "request", "GET", "stats/prometheus"], c
        assert "istio-proxy" in c[:dash], c
forwarded = pods_of("port-forward")
assert "nosidecar-0" not in forwarded and "pending-0" not in forwarded, forwarded
assert {"healthy-0", "legacy-0", "hanging-0", "execonly-0", "denied-0"} <= forwarded, forwarded
EOF

# The text report names every code.
run_cluster -o text verify -n shop -l app=shop --forward-timeout 2s
expect_status 2 "-o text"
for code in HFI102 HFI501 HFI502 HFI503 HFI504; do
  expect_stdout "$code"
done
expect_no_kubectl_left

# --no-exec: the pods whose forward is denied are not verified through exec but reported HFI503.
: >"$FAKE_KUBECTL_LOG"
run_cluster verify -n shop -l 'case in (execonly)' --no-exec -o json
expect_status 2 "--no-exec"
report_check '[s["name"] for s in d["sources"]] == ["shop/execonly-0", "shop/execonly-1"]' \
  "a set-based selector picks the two pods"
report_check 'all(codes(n) == ["HFI503"] and src(n)["exitCode"] == 2 and
                  all(f["severity"] == "error" for f in findings(n))
                  for n in ("shop/execonly-0", "shop/execonly-1"))' "--no-exec: HFI503 errors"
grep -q '"exec"' "$FAKE_KUBECTL_LOG" && fail "--no-exec ran kubectl exec"
expect_no_kubectl_left
finish
