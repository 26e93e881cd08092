#!/usr/bin/env bash
# `hfi-metrics sidecar` as a user runs it: the two address lines, the admin endpoints with curl,
# an aborted, a delayed and a plain request through the plugin, the histogram after a flush,
# a clean exit on SIGTERM and SIGINT, and the documented exit codes for bad flags, a missing
# plugin and a port in use. Skipped (77) without curl or the plugin module.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"
PLUGIN_ARGS=()
if [ -n "${HFI_PLUGIN_WASM:-}" ]; then
  [ -f "$HFI_PLUGIN_WASM" ] || skip "no plugin module at '$HFI_PLUGIN_WASM'"
  PLUGIN_ARGS=(--plugin "$HFI_PLUGIN_WASM")
fi

SIDECAR_PID=""
cleanup() {
  [ -n "$SIDECAR_PID" ] && kill -9 "$SIDECAR_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

die() {
  echo "FAIL: $*" >&2
  for f in sidecar.out sidecar.err; do
    [ -f "$TMP/$f" ] && { echo "--- $f:" >&2; tail -c 3000 "$TMP/$f" >&2; }
  done
  exit 1
}
check() {  # check DESCRIPTION EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: expected '$2', got '$3'" >&2
    FAILS=$((FAILS + 1))
  fi
}

# start ARGS...: runs the sidecar in the background and waits for its stdout (two lines, or one
# with -o json). Sets SIDECAR_PID.
start() {
  "$HFI_METRICS" sidecar "$@" "${PLUGIN_ARGS[@]}" >"$TMP/sidecar.out" 2>"$TMP/sidecar.err" &
  SIDECAR_PID=$!
  local want=2
  [ "$1" = "-o" ] && want=1
  for _ in $(seq 100); do
    [ "$(wc -l <"$TMP/sidecar.out")" -ge "$want" ] && return 0
    kill -0 "$SIDECAR_PID" 2>/dev/null || die "sidecar exited before printing its addresses"
    sleep 0.1
  done
  die "sidecar printed no addresses within 10 s"
}

# stop SIGNAL: sends it and expects exit 0 within 5 s.
stop() {
  kill "-$1" "$SIDECAR_PID"
  for _ in $(seq 50); do
    kill -0 "$SIDECAR_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$SIDECAR_PID" 2>/dev/null && die "sidecar still running 5 s after SIG$1"
  wait "$SIDECAR_PID"
  check "exit status after SIG$1" 0 "$?"
  SIDECAR_PID=""
}

cat >"$TMP/policy.json" <<'EOF'
{
  "policies": [
    {
      "metadata": { "name": "e2e" },
      "spec": {
        "rules": [
          {
            "match": { "headers": [ { "name": "x-e2e", "exact": "abort" } ] },
            "fault": { "percentage": 100, "abort": { "httpStatus": 503 } }
          },
          {
            "match": { "headers": [ { "name": "x-e2e", "exact": "delay" } ] },
            "fault": { "percentage": 100, "delay": { "fixed_delay_ms": 100 } }
          }
        ]
      }
    }
  ]
}
EOF

# --- text output, traffic, admin endpoints, SIGTERM ---------------------------------------------
start --admin 127.0.0.1:0 --listen 127.0.0.1:0 --policy "$TMP/policy.json" --flush-interval 100ms
check "stdout lines" 2 "$(wc -l <"$TMP/sidecar.out")"
grep -qE '^admin  http://127\.0\.0\.1:[1-9][0-9]*$' "$TMP/sidecar.out" || die "bad admin line"
grep -qE '^listen http://127\.0\.0\.1:[1-9][0-9]*$' "$TMP/sidecar.out" || die "bad listen line"
ADMIN=$(awk '$1 == "admin" { print $2 }' "$TMP/sidecar.out")
LISTEN=$(awk '$1 == "listen" { print $2 }' "$TMP/sidecar.out")

check "/ready" "200 LIVE" "$(curl -s -w '%{http_code} ' -o "$TMP/ready" "$ADMIN/ready"; cat "$TMP/ready")"
check "/nope" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$ADMIN/nope")"
check "/server_info state" LIVE \
  "$(curl -s "$ADMIN/server_info" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
curl -s "$ADMIN/config_dump" >"$TMP/config_dump"
grep -q '"envoy.filters.http.wasm"' "$TMP/config_dump" || check "/config_dump has the Wasm filter" yes no
grep -q '"inclusion_list"' "$TMP/config_dump" || check "/config_dump has Istio's matcher" yes no

check "plain request" "200 upstream ok" \
  "$(curl -s -w '%{http_code} ' -o "$TMP/body" "$LISTEN/plain"; tr -d '\n' <"$TMP/body")"
curl -s -D "$TMP/abort.headers" -o /dev/null -H 'x-e2e: abort' "$LISTEN/api"
check "aborted request status" 503 "$(awk 'NR == 1 { print $2 }' "$TMP/abort.headers")"
grep -qi '^x-fault-injected: abort' "$TMP/abort.headers" || check "x-fault-injected header" abort none
read -r code secs < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H 'x-e2e: delay' \
  "$LISTEN/slow")
check "delayed request status" 200 "$code"
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.1 else 1)' "$secs" \
  || check "delayed request took >= 100 ms" ">= 0.100" "$secs"

# The counters are live; the histogram shows its sample after the next flush (100 ms).
for _ in $(seq 50); do
  curl -s "$ADMIN/stats/prometheus" >"$TMP/scrape"
  grep -q '^wasmcustom_hfi_faults_delay_duration_milliseconds_count{} 1$' "$TMP/scrape" && break
  sleep 0.1
done
for family in 'wasmcustom_hfi_faults_aborts_total counter' \
  'wasmcustom_hfi_faults_delays_total counter' \
  'wasmcustom_hfi_faults_delay_duration_milliseconds histogram'; do
  grep -qx "# TYPE $family" "$TMP/scrape" || check "family in /stats/prometheus" "$family" missing
done
grep -qx 'wasmcustom_hfi_faults_aborts_total{} 1' "$TMP/scrape" || check "aborts" 1 other
grep -qx 'wasmcustom_hfi_faults_delays_total{} 1' "$TMP/scrape" || check "delays" 1 other
grep -qx 'wasmcustom_hfi_faults_delay_duration_milliseconds_count{} 1' "$TMP/scrape" \
  || check "histogram count after a flush" 1 other

# While it runs, its admin port is taken: a second sidecar cannot have it.
run sidecar --admin "${ADMIN#http://}" --listen 127.0.0.1:0 "${PLUGIN_ARGS[@]}"
expect_status 2 "admin port in use"
expect_stderr "^hfi-metrics: ${ADMIN#http://}: address in use \(pass --admin 127\.0\.0\.1:0 for any free port\)$"
run sidecar --admin 127.0.0.1:0 --listen "${LISTEN#http://}" "${PLUGIN_ARGS[@]}"
expect_status 2 "listen port in use"
expect_stderr "address in use \(pass --listen 127\.0\.0\.1:0 for any free port\)$"

stop TERM

# --- -o json, SIGINT ------------------------------------------------------------------------------
start -o json --admin 127.0.0.1:0 --listen 127.0.0.1:0
check "JSON lines" 1 "$(wc -l <"$TMP/sidecar.out")"
check "JSON keys and values" "admin listen plugin policy plugin_status|None|running" \
  "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(d) + "|" + str(d["policy"]) + "|" + d["plugin_status"])' "$TMP/sidecar.out")"
ADMIN=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["admin"])' "$TMP/sidecar.out")
check "/ready under -o json" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://$ADMIN/ready")"
stop INT

# --- documented failures ------------------------------------------------------------------------
run sidecar --stats-inclusion bogus "${PLUGIN_ARGS[@]}"
expect_status 64 "bad --stats-inclusion"
expect_stderr "^hfi-metrics: --stats-inclusion: 'bogus': expected KIND:VALUE"
expect_stderr_lines 1
run sidecar --stats-inclusion prefix:a --stats-exclusion prefix:b "${PLUGIN_ARGS[@]}"
expect_status 64 "inclusion and exclusion together"
run sidecar --flush-interval 2h "${PLUGIN_ARGS[@]}"
expect_status 64 "flush interval over an hour"
run sidecar --admin nowhere "${PLUGIN_ARGS[@]}"
expect_status 64 "address without a port"
run -o junit sidecar "${PLUGIN_ARGS[@]}"
expect_status 64 "-o junit"
run sidecar --plugin "$TMP/absent.wasm"
expect_status 3 "missing --plugin file"
expect_stderr "absent\.wasm: No such file or directory"
printf 'not wasm' >"$TMP/bad.wasm"
run sidecar --plugin "$TMP/bad.wasm" --admin 127.0.0.1:0 --listen 127.0.0.1:0
expect_status 3 "not a wasm module"
echo '{"policies": [{"spec": {"rules": [{"fault": {"percentage": 150}}]}}]}' >"$TMP/bad.json"
run sidecar --policy "$TMP/bad.json" "${PLUGIN_ARGS[@]}"
expect_status 3 "invalid policy"
expect_stderr "bad\.json: policies\[0\]"
finish
