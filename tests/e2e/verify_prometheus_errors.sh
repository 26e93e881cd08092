#!/usr/bin/env bash
# hfi-metrics verify --prometheus against servers that are not (or not quite) a healthy
# Prometheus: a closed port, a plain web server, an API that wants a token, an API error, the
# usage errors of the mode; then a stand-in Prometheus API (fake_prometheus.py, the server's JSON
# shapes) whose targets each show one problem, checked for its hint code. Every error is one line
# on stderr with the documented exit code. Skipped (77) without python3.
source "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${HFI_TEST_DATA:-$HERE/../data}/verify
SERVER_PIDS=()
cleanup() {
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for_port FILE: the port a server wrote, once it is there (30 s at most).
wait_for_port() {
  for _ in $(seq 300); do
    [ -s "$1" ] && { cat "$1"; return 0; }
    sleep 0.1
  done
  echo "no port in $1" >&2
  return 1
}

# --- usage errors (64), before anything is contacted ------------------------------------------
run verify --prometheus http://127.0.0.1:9 --match 'job="x"' -l app=web
expect_status 64 "--match with -l"
expect_stderr_lines 1
expect_stderr '--match: cannot be combined'

run verify --prometheus http://127.0.0.1:9 --match 'job="x"' --prometheus-ca "$TMP/ca.pem"
expect_status 64 "--prometheus-ca with http://"
expect_stderr_lines 1
expect_stderr '--prometheus-ca: applies only to an https:// URL'

run verify --prometheus ftp://example --match 'job="x"'
expect_status 64 "not an http URL"
expect_stderr_lines 1

run verify --match 'job="x"' --file "$DATA/healthy.prom"
expect_status 64 "--match without --prometheus"
expect_stderr_lines 1

# --- credential files: named, exit 3, before any request -----------------------------------
run verify --prometheus http://127.0.0.1:9 --match 'job="x"' \
  --prometheus-token-file "$TMP/no-such-token"
expect_status 3 "missing token file"
expect_stderr_lines 1
expect_stderr "no-such-token"

: >"$TMP/empty-token"
run verify --prometheus http://127.0.0.1:9 --match 'job="x"' --prometheus-token-file "$TMP/empty-token"
expect_status 3 "empty token file"
expect_stderr "empty-token: is empty"

run verify --prometheus https://127.0.0.1:9 --match 'job="x"' --prometheus-ca "$TMP/no-such-ca.pem"
expect_status 3 "missing CA file"
expect_stderr "no-such-ca.pem"
run verify --prometheus https://127.0.0.1:9 --match 'job="x"' --prometheus-ca - </dev/null
expect_status 64 "CA bundle from standard input"
expect_stderr '^hfi-metrics: --prometheus-ca: needs a file, not standard input'

# --- unreachable: a closed loopback port ---------------------------------------------------
CLOSED=$(free_port)
run verify --prometheus "http://127.0.0.1:$CLOSED" --match 'job="x"'
expect_status 2 "closed port"
expect_stderr_lines 1
expect_stderr "http://127.0.0.1:$CLOSED: cannot reach the Prometheus server"
expect_stderr 'port-forward svc/prometheus 9090'

# --- a web server that is not Prometheus ---------------------------------------------------
mkdir -p "$TMP/www"
echo '<html><body>hello</body></html>' >"$TMP/www/index.html"
WWW=$(free_port)
python3 -m http.server "$WWW" --bind 127.0.0.1 --directory "$TMP/www" >/dev/null 2>&1 &
SERVER_PIDS+=($!)
for _ in $(seq 300); do
  python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$WWW),0.2)" 2>/dev/null && break
  sleep 0.1
done
run verify --prometheus "http://127.0.0.1:$WWW" --match 'job="x"'
expect_status 2 "plain web server"
expect_stderr_lines 1
expect_stderr 'does not answer as a Prometheus server'

# --- the stand-in Prometheus ----------------------------------------------------------------
# start_fake SCENARIO: starts fake_prometheus.py on a free port; sets PROM to its URL.
start_fake() {
  rm -f "$TMP/port"
  python3 "$HERE/fake_prometheus.py" "$1" "$TMP/port" &
  SERVER_PIDS+=($!)
  PROM="http://127.0.0.1:$(wait_for_port "$TMP/port")"
}

# codes SOURCE: the sorted hint codes of one source in the JSON report on stdout.
codes() {
  python3 - "$OUT" "$1" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
for source in report["sources"]:
    if source["name"] == sys.argv[2]:
        assert source["kind"] == "prometheus", source["kind"]
        codes = {f["code"] for c in source["checks"] for f in c.get("findings", [])}
        print(" ".join(sorted(codes)) or "none")
        break
else:
    print("absent")
EOF
}
expect_codes() {
  local got; got=$(codes "$1")
  [ "$got" = "$2" ] || fail "$1: expected codes '$2', got '$got'"
}

target() {  # target POD EXTRA-JSON
  printf '{"labels": {"job": "envoy", "instance": "%s.demo:15020", "namespace": "demo", "pod": "%s"}%s}' \
    "$1" "$1" "${2:+, $2}"
}
cat >"$TMP/fleet.json" <<EOF
{"targets": [
  $(target healthy "\"scrape\": \"$DATA/healthy.prom\""),
  $(target down "\"health\": \"down\", \"lastError\": \"Get \\\"http://10.0.0.4:15020/stats/prometheus\\\": dial tcp 10.0.0.4:15020: connect: connection refused\""),
  $(target relabelled "\"scrape\": \"$DATA/healthy.prom\", \"drop\": [\".*hfi_faults.*\"]"),
  $(target partial "\"scrape\": \"$DATA/healthy.prom\", \"drop\": [\".*_sum\", \".*_count\"]"),
  $(target ahead "\"scrape\": \"$DATA/healthy.prom\", \"stored\": \"$DATA/healthy-later.prom\""),
  $(target renamed "\"scrape\": \"$DATA/healthy.prom\", \"rename\": {\"wasmcustom_hfi_faults_(.*)\": \"hfi_\\\\1\"}"),
  $(target stale "\"scrape\": \"$DATA/healthy.prom\", \"age\": 600"),
  $(target noplugin "\"scrape\": \"$DATA/hfi108-no-hfi.prom\""),
  {"labels": {"job": "app", "instance": "10.0.0.9:8080", "namespace": "demo", "pod": "other"}}
]}
EOF
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/fleet.json" \
  || fail "the scenario is not JSON"
start_fake "$TMP/fleet.json"

run verify --prometheus "$PROM" --match 'job="envoy"' --sample 10 -o json -v
expect_status 1 "fleet with problems"
expect_json
expect_codes demo/healthy none
expect_codes demo/down HFI601
expect_codes demo/relabelled HFI509
expect_codes demo/partial HFI604
expect_codes demo/ahead HFI605
expect_codes demo/renamed HFI606
expect_codes demo/stale HFI603
expect_codes demo/noplugin HFI108
expect_codes demo/other absent
expect_stderr "GET $PROM/api/v1/status/buildinfo: HTTP 200, [0-9]+ ms"
expect_stderr "POST $PROM/api/v1/query: HTTP 200"
expect_stderr "GET $PROM/api/v1/targets\\?state=active: HTTP 200"
expect_stderr "POST $PROM/api/v1/series: HTTP 200"
# O(1) API calls: buildinfo, up, targets, series query, metadata per family (3), renamed series.
expect_stderr '^hfi-metrics: 8 Prometheus API requests for 8 expected pods$'
grep -q 'lastError\|connection refused' "$OUT" || fail "the down target's last error is not quoted"

run verify --prometheus "$PROM" --match '{job="envoy",pod="healthy"}'
expect_status 0 "one healthy target"
expect_stdout 'demo/healthy'

run verify --prometheus "$PROM" --match 'job="nothing"'
expect_status 2 "no target matches"
expect_stderr_lines 1
expect_stderr 'no target in Prometheus has up\{job="nothing"\}'

run verify --prometheus "$PROM" --match 'job=' -o json
expect_status 2 "API error"
expect_stderr_lines 1
expect_stderr 'Prometheus API /api/v1/query failed: bad_data'

# --- bearer token -------------------------------------------------------------------------
cat >"$TMP/auth.json" <<EOF
{"token": "s3cret", "targets": [$(target healthy "\"scrape\": \"$DATA/healthy.prom\"")]}
EOF
start_fake "$TMP/auth.json"
run verify --prometheus "$PROM" --match 'job="envoy"'
expect_status 2 "no token"
expect_stderr_lines 1
expect_stderr 'HTTP 401 on /api/v1/status/buildinfo: the server wants credentials'
expect_stderr '--prometheus-token-file'

printf 'wrong\n' >"$TMP/wrong-token"
run verify --prometheus "$PROM" --match 'job="envoy"' --prometheus-token-file "$TMP/wrong-token"
expect_status 2 "wrong token"
expect_stderr "refused the bearer token in $TMP/wrong-token"

printf 's3cret\n' >"$TMP/token"
run verify --prometheus "$PROM" --match 'job="envoy"' --prometheus-token-file "$TMP/token"
expect_status 0 "right token"

# --- kubectl mode: the pods from the (fake) cluster, sidecars served by a plain web server -----
FAKE_KUBECTL=$TMP/bin/kubectl
mkdir -p "$TMP/bin" "$TMP/sidecar/stats"
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$(python3 -c 'import sys; print(sys.executable)')" \
  "$HERE/../fake_kubectl/kubectl" >"$FAKE_KUBECTL"
chmod +x "$FAKE_KUBECTL"
export FAKE_KUBECTL_SCENARIO=$TMP/kubectl.json FAKE_KUBECTL_STATE=$TMP/kubectl.state
export FAKE_KUBECTL_LOG=$TMP/kubectl.log FAKE_KUBECTL_PIDDIR=$TMP/kubectl.pids
unset HFI_KUBECTL
cp "$DATA/healthy.prom" "$TMP/sidecar/stats/prometheus"
SIDE=$(free_port)
python3 -m http.server "$SIDE" --bind 127.0.0.1 --directory "$TMP/sidecar" >/dev/null 2>&1 &
SERVER_PIDS+=($!)
for _ in $(seq 300); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1',$SIDE),0.2)" 2>/dev/null && break
  sleep 0.1
done
cat >"$FAKE_KUBECTL_SCENARIO" <<EOF
{"pods": [
  {"namespace": "demo", "name": "web-0", "labels": {"app": "web"}, "admin": "127.0.0.1:$SIDE"},
  {"namespace": "demo", "name": "web-1", "labels": {"app": "web"}, "admin": "127.0.0.1:$SIDE"},
  {"namespace": "demo", "name": "web-2", "labels": {"app": "web"}, "phase": "Pending"}
]}
EOF
cat >"$TMP/cluster.json" <<EOF
{"targets": [$(target web-0 "\"scrape\": \"$DATA/healthy.prom\"")]}
EOF
start_fake "$TMP/cluster.json"
run verify --kubectl "$FAKE_KUBECTL" --prometheus "$PROM" -n demo -l app=web -o json
expect_status 2 "kubectl mode (a Pending pod is exit 2, as in a cluster run)"
expect_json
expect_codes demo/web-0 none
expect_codes demo/web-1 HFI602
expect_codes demo/web-2 HFI502
grep -q '"get", "pods"' "$FAKE_KUBECTL_LOG" || fail "the pods were not listed through kubectl"
grep -q '"port-forward"' "$FAKE_KUBECTL_LOG" || fail "no pod was scraped directly"

# --- https: the server's certificate checked against --prometheus-ca ----------------------------
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 1 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null ||
    fail "openssl could not make a test certificate"
  cat >"$TMP/tls.json" <<EOF
{"targets": [$(target healthy "\"scrape\": \"$DATA/healthy.prom\"")]}
EOF
  rm -f "$TMP/port"
  python3 "$HERE/fake_prometheus.py" "$TMP/tls.json" "$TMP/port" "$TMP/cert.pem" "$TMP/key.pem" &
  SERVER_PIDS+=($!)
  HTTPS="https://127.0.0.1:$(wait_for_port "$TMP/port")"
  run verify --prometheus "$HTTPS" --match 'job="envoy"' --sample 0 --prometheus-ca "$TMP/cert.pem"
  expect_status 0 "https with the server's CA"
  run verify --prometheus "$HTTPS" --match 'job="envoy"' --sample 0
  expect_status 2 "https with an unknown CA"
  expect_stderr_lines 1
  expect_stderr 'certificate'
  run verify --prometheus "$HTTPS" --match 'job="envoy"' --sample 0 --insecure-skip-tls-verify
  expect_status 0 "https without checking the certificate"
else
  echo "note: openssl missing, https not checked"
fi

finish
