#!/usr/bin/env bash
# verify --prometheus and serve against a real Prometheus (tests/prometheus/lib.sh): every target
# of job="envoy-stats" is one source demo/POD of kind prometheus, each case with its code —
#   healthy-0, healthy-1  pass (values agree with the direct scrape of the sample)
#   relabelled            HFI509: the sidecar serves the metrics, the job's metric_relabel_configs
#                         drop them, so Prometheus has none
#   down                  HFI601: the target is down (connection refused)
#   no-hfi, no-plugin     HFI108: no HFI series in Prometheus nor in the direct scrape
# exit 1 overall, 0 when --match selects only the healthy pods; exit 2 and one line for a URL that
# is no Prometheus or does not answer. serve, verifying the same targets,
# is scraped by the same Prometheus, and its results are read back through the query API.
# Skipped (77) without prometheus, curl, python3 or the plugin module.
source "$(dirname "$0")/lib.sh"
: "${HFI_SOURCE_DIR:?set by CTest: the source tree}"
source "$HFI_SOURCE_DIR/tests/prometheus/lib.sh"
rig_require

check() {  # check DESCRIPTION EXPECTED ACTUAL
  [ "$2" = "$3" ] || { echo "FAIL: $1: expected '$2', got '$3'" >&2; FAILS=$((FAILS + 1)); }
}
assert_report() {  # assert_report EXPECTATION...: on $OUT, see tests/prometheus/assert_report.py
  python3 "$RIG_DIR/assert_report.py" "$OUT" "$@" || fail "report expectations (above)"
}

rig_start_cases
echo "prometheus $RIG_URL: ${#RIG_CASE_PODS[@]} targets scraped"
MATCH='job="envoy-stats"'

# serve first, so that Prometheus discovers and scrapes it while verify runs.
rig_spawn serve "$HFI_METRICS" serve --prometheus "$RIG_URL" --match "$MATCH" \
  --listen 127.0.0.1:0 --interval 2s
SERVE_METRICS=$(rig_wait_line serve metrics) || exit 1
case "$SERVE_METRICS" in http://127.0.0.1:[0-9]*/metrics) ;; *) rig_die "serve printed '$SERVE_METRICS'" ;; esac
rig_serve_target "${SERVE_METRICS%/metrics}"

# The whole job: one source per target, each case with its code.
run verify --prometheus "$RIG_URL" --match "$MATCH" -o json
expect_status 1 "verify --prometheus, every case"
expect_json
assert_report \
  sources=demo/healthy-0,demo/healthy-1,demo/no-hfi,demo/no-plugin,demo/relabelled,demo/down \
  kind=prometheus exit=1 \
  demo/healthy-0:clean demo/healthy-0:exit=0 \
  demo/healthy-1:clean demo/healthy-1:exit=0 \
  demo/relabelled:has=HFI509 demo/relabelled:exit=1 demo/relabelled:lacks=HFI601,HFI602,HFI108 \
  demo/down:has=HFI601 demo/down:exit=1 demo/down:lacks=HFI509,HFI602 \
  demo/no-hfi:has=HFI108 demo/no-hfi:exit=1 demo/no-hfi:lacks=HFI509,HFI601,HFI602 \
  demo/no-plugin:has=HFI108 demo/no-plugin:exit=1 demo/no-plugin:lacks=HFI509,HFI601,HFI602
# HFI601 quotes the target's last error.
python3 - "$OUT" <<'EOF' || fail "HFI601 does not quote the target's lastError"
import json, sys
src = [s for s in json.load(open(sys.argv[1]))["sources"] if s["name"] == "demo/down"]
obs = [f["observed"] for s in src for c in s["checks"] for f in c["findings"] if f["code"] == "HFI601"]
sys.exit(0 if any("connection refused" in o for o in obs) else 1)
EOF

run verify --prometheus "$RIG_URL" --match "$MATCH"
expect_status 1 "verify --prometheus, text"
for code in HFI509 HFI601 HFI108; do expect_stdout "$code error"; done
expect_stdout '^demo/relabelled$'
expect_stdout '6 sources'

run verify --prometheus "$RIG_URL" --match "$MATCH,pod=~\"healthy-.*\"" -o json
expect_status 0 "verify --prometheus, the healthy pods only"
assert_report sources=demo/healthy-0,demo/healthy-1 exit=0 demo/healthy-0:clean demo/healthy-1:clean

# Not a Prometheus, or nothing listening: one line, exit 2, naming the URL.
run verify --prometheus "$RIG_EXPO" --match "$MATCH"
expect_status 2 "verify --prometheus at an HTTP server that is no Prometheus"
expect_stderr "$RIG_EXPO.*does not answer as a Prometheus server"
expect_stderr_lines 1
run verify --prometheus "http://127.0.0.1:$RIG_DOWN_PORT" --match "$MATCH"
expect_status 2 "verify --prometheus at a closed port"
expect_stderr "127.0.0.1:$RIG_DOWN_PORT"
expect_stderr_lines 1

# serve: its gauges, scraped by the same Prometheus, answer through the query API once a run
# happened and Prometheus scraped the endpoint since.
SERVED=none
for _ in $(seq 60); do
  kill -0 "${RIG_PID[serve]}" 2>/dev/null || rig_die "serve exited"
  SERVED=$(rig_value 'count(hfi_metrics_source_status{job="hfi-serve"})')
  [ "$SERVED" = 6 ] && break
  sleep 0.5
done
check "serve: sources in Prometheus" 6 "$SERVED"
check "serve: target up" "up|" "$(rig_target_health job=hfi-serve)"
serve_value() { rig_value "$1"; }
check "serve: healthy-0 status" 0 \
  "$(serve_value 'hfi_metrics_source_status{job="hfi-serve",source="demo/healthy-0",kind="prometheus"}')"
check "serve: healthy-1 status" 0 \
  "$(serve_value 'hfi_metrics_source_status{job="hfi-serve",source="demo/healthy-1"}')"
for pod in relabelled down no-hfi no-plugin; do
  check "serve: $pod status" 1 \
    "$(serve_value "hfi_metrics_source_status{job=\"hfi-serve\",source=\"demo/$pod\"}")"
done
check "serve: HFI601 findings" 1 "$(serve_value 'hfi_metrics_findings{job="hfi-serve",code="HFI601"}')"
check "serve: HFI509 findings" 1 "$(serve_value 'hfi_metrics_findings{job="hfi-serve",code="HFI509"}')"
check "serve: HFI108 findings" 2 "$(serve_value 'hfi_metrics_findings{job="hfi-serve",code="HFI108"}')"
check "serve: down's target check" 0 \
  "$(serve_value 'hfi_metrics_check_status{job="hfi-serve",source="demo/down",check="prometheus-target"}')"
check "serve: healthy-0's target check" 1 \
  "$(serve_value 'hfi_metrics_check_status{job="hfi-serve",source="demo/healthy-0",check="prometheus-target"}')"
check "serve: last run success" 0 "$(serve_value 'hfi_metrics_last_run_success{job="hfi-serve"}')"
check "serve: failed runs counted" 1 "$(serve_value 'hfi_metrics_runs_total{job="hfi-serve",result="failed"} > bool 0')"
check "serve: error runs" 0 "$(serve_value 'hfi_metrics_runs_total{job="hfi-serve",result="error"}')"
check "serve: last run recent" 1 \
  "$(serve_value 'time() - hfi_metrics_last_run_timestamp_seconds{job="hfi-serve"} < bool 60')"
check "serve: /healthz" 200 \
  "$(curl -s -o /dev/null --max-time 3 -w '%{http_code}' "${SERVE_METRICS%/metrics}/healthz")"

# SIGTERM: serve stops at once with status 0.
kill -TERM "${RIG_PID[serve]}"
status=timeout
for _ in $(seq 100); do
  if ! kill -0 "${RIG_PID[serve]}" 2>/dev/null; then
    wait "${RIG_PID[serve]}"
    status=$?
    break
  fi
  sleep 0.1
done
check "serve: exit status after SIGTERM (within 10 s)" 0 "$status"
finish
