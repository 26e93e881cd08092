#!/usr/bin/env bash
# hfi-metrics verify against a cluster, the command line only: combinations of flags that make no
# sense are usage errors (exit 64, one line) found before kubectl runs; an empty selection is an
# environment error naming the command to check it with; --help shows the cluster examples and
# the exit codes. No cluster needed: the "kubectl" here is a stub that records being run.
source "$(dirname "$0")/lib.sh"
F=$HFI_TEST_DATA/verify/healthy.prom

# A kubectl that must never run for a usage error: it leaves a mark when it does.
RAN=$TMP/kubectl-ran
cat >"$TMP/kubectl" <<EOF
#!/bin/sh
echo "\$*" >>"$RAN"
echo '{"apiVersion": "v1", "kind": "List", "items": []}'
EOF
chmod +x "$TMP/kubectl"
K=(--kubectl "$TMP/kubectl")

# Usage errors: exit 64, one line on stderr, nothing on stdout, kubectl never started.
while IFS='|' read -r args pattern; do
  rm -f "$RAN"
  # shellcheck disable=SC2086
  run verify $args "${K[@]}"
  expect_status 64 "verify $args"
  expect_stderr_lines 1
  expect_stderr "$pattern"
  [ -s "$OUT" ] && fail "verify $args: wrote a report"
  [ -e "$RAN" ] && fail "verify $args: ran kubectl for a usage error"
done <<EOF
-A|--all-namespaces: needs -l SELECTOR
-A web-1|--all-namespaces: needs -l SELECTOR
-A -l app=web -n demo|cannot be combined with --namespace
-l app=web --port 1234|--port: '1234' is not a sidecar stats port
-l app=web --port 15001|use 15000 \(Envoy admin\), 15090
-l app=web --file $F|--file: cannot be combined with pod names, -l or -A
web-1 --file $F|--file: cannot be combined with pod names
-l app=web --baseline $F|--baseline: cannot be combined
web-1 -l app=web|--selector: cannot be combined with pod names
-l app=web --local|--local: cannot be combined with pod names, -l or -A
--local web-1|--local: cannot be combined with pod names
--traffic http://frontend.demo/ --file $F|--traffic: applies only to pods in a cluster
--traffic http://frontend.demo/|--traffic: applies only to pods in a cluster
--port 15090 --file $F|--port: applies only to pods in a cluster
--no-exec --file $F|--no-exec: applies only to pods
--pod-timeout 5s --file $F|--pod-timeout: applies only to pods
-n demo --file $F|--namespace: names the namespace of pods or of the embedded sidecar
--concurrency 4 --file $F|--concurrency: applies only to --local and to pods
--requests 5 -l app=web|--requests: applies only to --local and --traffic
-l app=web --pod-timeout 10x|--pod-timeout: '10x' is not a duration
-l app=web --pod-timeout 0s|--pod-timeout: '0s' is out of range
-l app=web --forward-timeout 2h|--forward-timeout: '2h' is out of range
-l app=web --forward-timeout soon|--forward-timeout: 'soon' is not a duration
-l app=web --traffic ftp://frontend.demo/|--traffic: 'ftp://frontend.demo/' is not an http
-l app=web --expect-delta delays>=1|--expect-delta: needs a baseline to subtract.*--traffic
-l app=web --expect aborts=>1|--expect 'aborts=>1'
-l app=web --stats-matcher none|--stats-matcher: applies only to the embedded sidecar
-l app=web --flush-interval 1s|--flush-interval: applies only to the embedded sidecar
-l app=web --traffic http://frontend.demo/ --flush-interval soon|--flush-interval: 'soon' is not a duration
-l app=web --concurrency 0|usage
-l app=web --concurrency 65|usage
-l app=web --traffic http://frontend.demo/ --requests 0|usage
-l app=web --traffic-from curl-0|--traffic-from: needs --traffic URL
-l app=web --traffic http://frontend.demo/ --traffic-from demo/curl/0|--traffic-from: 'demo/curl/0' is not POD or NS/POD
-l app=web --traffic http://frontend.demo/ --traffic-from /curl-0|--traffic-from: '/curl-0' is not POD or NS/POD
-A -l app=web --traffic http://frontend.demo/ --traffic-from curl-0|--traffic-from: needs the pod's namespace with --all-namespaces
--traffic-from curl-0 --file $F|--traffic-from: applies only to pods in a cluster
EOF

# The flags accepted, right up to kubectl: an empty selection is exit 2 with the command that
# shows it, and kubectl got the selection as given.
rm -f "$RAN"
run verify -l app=web -n demo "${K[@]}"
expect_status 2 "no pod matches"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: verify: no pods match -l app=web in namespace demo \(check the selector: kubectl get pods -n demo -l app=web\)"
grep -q -- "-l app=web" "$RAN" || fail "kubectl was not asked for -l app=web: $(cat "$RAN" 2>/dev/null)"
grep -q -- "-n demo" "$RAN" || fail "kubectl was not asked for -n demo"
run verify -A -l app=web --port 15020 --concurrency 3 --pod-timeout 2m --forward-timeout 500ms \
  --no-exec --traffic http://frontend.demo/api --requests 10 --expect-delta 'aborts>=1' -o json "${K[@]}"
expect_status 2 "no pod matches, every cluster flag given"
expect_stderr "no pods match -l app=web in any namespace \(check the selector: kubectl get pods -A -l app=web\)"
[ -s "$OUT" ] && fail "an environment error before any pod wrote a report"

# --help: the cluster examples and every exit code, 130 included.
run verify --help
expect_status 0 "--help"
expect_stdout 'verify -l app=frontend -n demo'
expect_stdout '--traffic'
expect_stdout '--pod-timeout'
expect_stdout '130 interrupted'
expect_stdout '-n,--namespace'

finish
