#!/usr/bin/env bash
# A real Prometheus (Debian's /usr/bin/prometheus) scrapes `hfi-metrics sidecar` on loopback:
# requests that the policy aborts or delays must show up as the three HFI series with exactly the
# values they caused, and the scrape must be clean (target up, no lastError, no rejected samples).
# Skipped (77) without prometheus, curl or the plugin module.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null 2>&1 || skip "prometheus is not installed (Debian package prometheus)"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"
PLUGIN_ARGS=()
if [ -n "${HFI_PLUGIN_WASM:-}" ]; then
  [ -f "$HFI_PLUGIN_WASM" ] || skip "no plugin module at '$HFI_PLUGIN_WASM'"
  PLUGIN_ARGS=(--plugin "$HFI_PLUGIN_WASM")
fi

SIDECAR_PID="" PROM_PID=""
stop() {  # stop PID: TERM, then KILL if it is still there after 3 s
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
cleanup() {
  stop "$PROM_PID"
  stop "$SIDECAR_PID"
  rm -rf "$TMP"
}
trap cleanup EXIT

die() {  # a failure after which nothing else can be checked
  echo "FAIL: $*" >&2
  for f in sidecar.out sidecar.err prometheus.log; do
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

# Aborts and delays keyed on one header, for the workload the sidecar says it is by default
# (node metadata WORKLOAD_NAME hfi-local, NAMESPACE default).
cat >"$TMP/policy.json" <<'EOF'
{
  "policies": [
    {
      "metadata": { "name": "e2e-abort-and-delay" },
      "spec": {
        "selector": { "service": "hfi-local", "namespace": "default" },
        "rules": [
          {
            "match": { "headers": [ { "name": "x-hfi-local", "exact": "abort" } ] },
            "fault": { "percentage": 100, "abort": { "httpStatus": 503 } }
          },
          {
            "match": { "headers": [ { "name": "x-hfi-local", "exact": "delay" } ] },
            "fault": { "percentage": 100, "delay": { "fixed_delay_ms": 20 } }
          }
        ]
      }
    }
  ]
}
EOF

"$HFI_METRICS" sidecar --admin 127.0.0.1:0 --listen 127.0.0.1:0 --flush-interval 200ms \
  --policy "$TMP/policy.json" "${PLUGIN_ARGS[@]}" >"$TMP/sidecar.out" 2>"$TMP/sidecar.err" &
SIDECAR_PID=$!
ADMIN="" LISTEN=""
for _ in $(seq 100); do
  ADMIN=$(awk '$1 == "admin" { print $2 }' "$TMP/sidecar.out")
  LISTEN=$(awk '$1 == "listen" { print $2 }' "$TMP/sidecar.out")
  [ -n "$ADMIN" ] && [ -n "$LISTEN" ] && break
  kill -0 "$SIDECAR_PID" 2>/dev/null || die "sidecar exited before printing its addresses"
  sleep 0.1
done
[ -n "$ADMIN" ] && [ -n "$LISTEN" ] || die "sidecar printed no admin/listen addresses within 10 s"
case "$ADMIN" in http://127.0.0.1:[0-9]*) ;; *) die "admin address '$ADMIN'" ;; esac

# Traffic: 3 aborted, 4 delayed by 20 ms, 2 untouched.
ABORTS=3 DELAYS=4 PLAIN=2
request() {  # request [HEADER_VALUE]: prints "status seconds"
  local header=()
  [ -n "${1:-}" ] && header=(-H "x-hfi-local: $1")
  curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}\n' "${header[@]}" \
    "$LISTEN/e2e/path"
}
for _ in $(seq $ABORTS); do
  read -r code _ < <(request abort)
  check "status of an aborted request" 503 "$code"
done
for _ in $(seq $DELAYS); do
  read -r code secs < <(request delay)
  check "status of a delayed request" 200 "$code"
  # Only a lower bound: a delayed request cannot finish sooner than its delay.
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.020 else 1)' "$secs" \
    || check "duration of a delayed request >= 20 ms" ">= 0.020" "$secs"
done
for _ in $(seq $PLAIN); do
  read -r code _ < <(request "")
  check "status of an untouched request" 200 "$code"
done

# Prometheus on a free loopback port, scraping the admin listener every second.
PROM_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PROM=http://127.0.0.1:$PROM_PORT
cat >"$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: hfi-sidecar
    metrics_path: /stats/prometheus
    sample_limit: 5000
    static_configs:
      - targets: ['${ADMIN#http://}']
EOF
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
PROM_PID=$!

# query EXPR: the value of the single series EXPR selects, "none" without one, "many" with several.
query() {
  curl -s --max-time 3 -G "$PROM/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
try:
    r = json.load(sys.stdin)["data"]["result"]
except Exception:
    print("none"); sys.exit()
print("none" if not r else "many" if len(r) > 1 else r[0]["value"][1])'
}
target() {  # "health|lastError" of the one active target
  curl -s --max-time 3 "$PROM/api/v1/targets" | python3 -c '
import json, sys
try:
    t = json.load(sys.stdin)["data"]["activeTargets"]
except Exception:
    print("none|"); sys.exit()
print("none|" if len(t) != 1 else t[0]["health"] + "|" + t[0]["lastError"])'
}

# Histogram samples reach the admin output at the sidecar's next flush (200 ms), and Prometheus
# sees them at its next scrape: wait for the expected values rather than for a fixed time.
A=none D=none C=none INF=none TGT=none
for _ in $(seq 40); do
  kill -0 "$PROM_PID" 2>/dev/null || die "prometheus exited"
  kill -0 "$SIDECAR_PID" 2>/dev/null || die "sidecar exited"
  TGT=$(target)
  if [ "${TGT%%|*}" = up ]; then
    A=$(query wasmcustom_hfi_faults_aborts_total)
    D=$(query wasmcustom_hfi_faults_delays_total)
    C=$(query wasmcustom_hfi_faults_delay_duration_milliseconds_count)
    INF=$(query 'wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le="+Inf"}')
    [ "$A" = $ABORTS ] && [ "$D" = $DELAYS ] && [ "$C" = $DELAYS ] && [ "$INF" = $DELAYS ] && break
  fi
  sleep 0.5
done
echo "target: $TGT; aborts=$A delays=$D delay_count=$C delay_bucket_inf=$INF"
[ "${TGT%%|*}" = up ] || die "the sidecar target never came up in Prometheus ($TGT)"
check "Prometheus: target lastError" "" "${TGT#*|}"
check "Prometheus: up" 1 "$(query 'up{job="hfi-sidecar"}')"
check "Prometheus: wasmcustom_hfi_faults_aborts_total" $ABORTS "$A"
check "Prometheus: wasmcustom_hfi_faults_delays_total" $DELAYS "$D"
check "Prometheus: wasmcustom_hfi_faults_delay_duration_milliseconds_count" $DELAYS "$C"
check 'Prometheus: ..._bucket{le="+Inf"}' $DELAYS "$INF"
# Every delay was 20 ms: all of them in le="25", none in le="10", and the sum exact or close.
check 'Prometheus: ..._bucket{le="25"}' $DELAYS \
  "$(query 'wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le="25"}')"
check 'Prometheus: ..._bucket{le="10"}' 0 \
  "$(query 'wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le="10"}')"
check "Prometheus: ..._sum" 80 "$(query wasmcustom_hfi_faults_delay_duration_milliseconds_sum)"
check "Prometheus: counters as counters" 2 \
  "$(query 'count(count by (__name__) ({__name__=~"wasmcustom_hfi_faults_(aborts|delays)_total"}))')"
# The same endpoint as text: a content type Prometheus 3 accepts without a fallback, and text
# that promtool parses (exit 3 = lint findings only, such as the missing HELP lines).
curl -s --max-time 3 -D "$TMP/headers" -o "$TMP/scrape.prom" "$ADMIN/stats/prometheus" \
  || die "GET $ADMIN/stats/prometheus failed"
grep -qi '^content-type: text/plain' "$TMP/headers" \
  || check "Content-Type of /stats/prometheus" "text/plain..." "$(grep -i '^content-type' "$TMP/headers")"
if command -v promtool >/dev/null 2>&1; then
  promtool check metrics <"$TMP/scrape.prom" >"$TMP/promtool.out" 2>&1
  status=$?
  [ $status -eq 0 ] || [ $status -eq 3 ] || check "promtool check metrics exit" "0 or 3" "$status"
  grep -q 'parsing error' "$TMP/promtool.out" \
    && check "promtool on the scrape" "no parse error" "$(head -1 "$TMP/promtool.out")"
fi
# Prometheus counts samples it dropped from a scrape; all of these must still be zero.
curl -s --max-time 3 "$PROM/metrics" >"$TMP/prom_self.txt" || die "Prometheus /metrics unreachable"
for m in prometheus_target_scrapes_exceeded_sample_limit_total \
  prometheus_target_scrapes_sample_duplicate_timestamp_total \
  prometheus_target_scrapes_sample_out_of_bounds_total \
  prometheus_target_scrapes_sample_out_of_order_total; do
  check "Prometheus: $m" 0 "$(awk -v m="$m" '$1 == m { print $2 }' "$TMP/prom_self.txt")"
done
finish
