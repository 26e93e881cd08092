#!/usr/bin/env bash
# `hfi-metrics serve` as Prometheus sees it: the embedded sidecar verified every second, the
# results on /metrics (checks passed for the local source, the run counters moving), /healthz
# 200 once a report exists, a text exposition promtool accepts, SIGTERM and SIGINT ending it
# with 0 promptly and nothing left running; --once, bad flags and a port in use give their
# documented status. Skipped (77) without curl or the plugin module.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"
[ -n "${HFI_PLUGIN_WASM:-}" ] && [ -f "$HFI_PLUGIN_WASM" ] || skip "no plugin module at '${HFI_PLUGIN_WASM:-}'"
P=(--plugin "$HFI_PLUGIN_WASM")

SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
die() {
  echo "FAIL: $*" >&2
  for f in serve.out serve.err metrics.txt; do
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

# start ARGS...: serve in the background until it prints its URLs (two lines, one with -o json).
# Job control on, so SIGINT is not ignored as it is for background jobs of a script.
start() {
  set -m
  "$HFI_METRICS" serve "$@" >"$TMP/serve.out" 2>"$TMP/serve.err" &
  SERVE_PID=$!
  set +m
  local want=2
  [ "$1" = "-o" ] && want=1
  for _ in $(seq 100); do
    [ "$(wc -l <"$TMP/serve.out")" -ge "$want" ] && return 0
    kill -0 "$SERVE_PID" 2>/dev/null || die "serve exited before printing its URLs"
    sleep 0.1
  done
  die "serve printed no URLs within 10 s"
}

# stop SIGNAL: expects exit 0 within 10 s (a run in progress is aborted) and no child left.
stop() {
  local children
  kill "-$1" "$SERVE_PID"
  for _ in $(seq 100); do
    kill -0 "$SERVE_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$SERVE_PID" 2>/dev/null && die "serve still running 10 s after SIG$1"
  wait "$SERVE_PID"
  check "exit status after SIG$1" 0 "$?"
  children=$(pgrep -P "$SERVE_PID" 2>/dev/null | wc -l)
  check "processes left after SIG$1" 0 "$children"
  SERVE_PID=""
}

# value NAME{LABELS}: the sample's value in the last scrape (empty when absent).
value() {
  awk -v name="$1" '$1 == name { print $2; exit }' "$TMP/metrics.txt"
}

# scrape_until PATTERN: scrapes /metrics until a line matches, within 60 s.
scrape_until() {
  for _ in $(seq 300); do
    curl -sf "$METRICS" >"$TMP/metrics.txt" 2>/dev/null && grep -qE -- "$1" "$TMP/metrics.txt" &&
      return 0
    kill -0 "$SERVE_PID" 2>/dev/null || die "serve exited while waiting for /$1/"
    sleep 0.2
  done
  die "no /$1/ on $METRICS within 60 s"
}

start --local "${P[@]}" --interval 1s --listen 127.0.0.1:0
METRICS=$(sed -n 's/^metrics \(http:\/\/127\.0\.0\.1:[0-9]*\/metrics\)$/\1/p' "$TMP/serve.out")
HEALTH=$(sed -n 's/^health \(http:\/\/127\.0\.0\.1:[0-9]*\/healthz\)$/\1/p' "$TMP/serve.out")
[ -n "$METRICS" ] && [ -n "$HEALTH" ] || die "unexpected URL lines"
check "port" "${METRICS%/metrics}" "${HEALTH%/healthz}"

# Two runs recorded: the counters move on the interval.
scrape_until '^hfi_metrics_runs_total\{result="passed"\} [2-9]'
check "runs without a report" 0 "$(value 'hfi_metrics_runs_total{result="error"}')"
check "failed runs" 0 "$(value 'hfi_metrics_runs_total{result="failed"}')"
check "last run success" 1 "$(value hfi_metrics_last_run_success)"
check "sources" 1 "$(value hfi_metrics_sources)"
check "interval" 1 "$(value hfi_metrics_run_interval_seconds)"
check "failed checks" 0 "$(value 'hfi_metrics_checks{status="fail"}')"
grep -qE '^hfi_metrics_source_status\{kind="local",source="local sidecar \(127\.0\.0\.1:[0-9]+\)"\} 0$' \
  "$TMP/metrics.txt" || die "no passing local source"
passed=$(grep -cE '^hfi_metrics_check_status\{check="[a-z-]+",kind="local",metric="[a-z_]*",source="local sidecar[^"]*"\} 1$' \
  "$TMP/metrics.txt")
[ "$passed" -ge 10 ] || die "only $passed passed checks for the local source"
grep -qE '^hfi_metrics_check_status\{.*\} (0|-1)$' "$TMP/metrics.txt" && die "a check did not pass"
grep -qE '^hfi_metrics_check_status\{check="traffic",kind="local",metric="",' "$TMP/metrics.txt" ||
  die "no traffic check"
ts=$(value hfi_metrics_last_report_timestamp_seconds)
now=$(date +%s)
python3 -c "import sys; sys.exit(0 if abs(float('$ts') - $now) < 60 else 1)" ||
  die "last report timestamp $ts is not near $now"
grep -q '^# TYPE hfi_metrics_runs_total counter$' "$TMP/metrics.txt" || die "runs_total not a counter"

if command -v promtool >/dev/null 2>&1; then
  promtool check metrics <"$TMP/metrics.txt" >"$TMP/lint.txt" 2>&1
  # The exposer's own latency summary is not ours to rename; our families must be clean.
  grep '^hfi_metrics' "$TMP/lint.txt" && die "promtool lints serve's families: $(cat "$TMP/lint.txt")"
fi

code=$(curl -s -o "$TMP/health.txt" -w '%{http_code}' "$HEALTH")
check "/healthz status" 200 "$code"
grep -qE '^ok: last report [0-9.]+s ago$' "$TMP/health.txt" || die "/healthz body: $(cat "$TMP/health.txt")"
code=$(curl -s -o /dev/null -w '%{http_code}' "${METRICS%/metrics}/other")
check "unknown path" 404 "$code"
stop TERM
grep -q 'SIGTERM: stopping' "$TMP/serve.err" || die "no stopping line"
grep -v 'SIGTERM: stopping' "$TMP/serve.err" | grep -q . && die "unexpected stderr"

# -o json: one object with both URLs; SIGINT stops it the same way.
start -o json --local "${P[@]}" --interval 1h --listen 127.0.0.1:0
python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["metrics", "health"], d
assert re.fullmatch(r"http://127\.0\.0\.1:\d+/metrics", d["metrics"]), d
assert d["health"] == d["metrics"][:-len("metrics")] + "healthz", d
' "$TMP/serve.out" || die "JSON line"
stop INT

# A run that produces no report: /healthz 503 with the reason, counted as an error run.
start --file "$TMP/missing.prom" --interval 1s --listen 127.0.0.1:0
METRICS=$(sed -n 's/^metrics //p' "$TMP/serve.out")
HEALTH=$(sed -n 's/^health //p' "$TMP/serve.out")
scrape_until '^hfi_metrics_runs_total\{result="error"\} [1-9]'
code=$(curl -s -o "$TMP/health.txt" -w '%{http_code}' "$HEALTH")
check "/healthz without a report" 503 "$code"
grep -q '^no report yet; last error: ' "$TMP/health.txt" || die "/healthz body: $(cat "$TMP/health.txt")"
grep -q 'missing.prom' "$TMP/serve.err" || die "the error run is not logged"
# A second serve on the same port cannot listen: 2, one line.
PORT=${METRICS#http://127.0.0.1:}
PORT=${PORT%/metrics}
run serve --file "$TMP/missing.prom" --listen "127.0.0.1:$PORT"
expect_status 2 "port in use"
expect_stderr "^hfi-metrics: 127\.0\.0\.1:$PORT: cannot listen: "
expect_stderr_lines 1
stop TERM

# --once: one run, the exposition on stdout, verify's status.
run serve --once --local "${P[@]}"
expect_status 0 "--once --local"
expect_stdout '^hfi_metrics_runs_total\{result="passed"\} 1$'
expect_no_stdout '^exposer_'
expect_no_stdout '^metrics http'
if command -v promtool >/dev/null 2>&1; then
  promtool check metrics <"$OUT" >"$TMP/lint.txt" 2>&1 || fail "promtool check metrics: $(cat "$TMP/lint.txt")"
fi
printf 'wasmcustom_hfi_faults_aborts_total 1\n' >"$TMP/partial.prom"
run serve --once --file "$TMP/partial.prom"
expect_status 1 "--once on a scrape with metrics missing"
expect_stdout '^hfi_metrics_runs_total\{result="failed"\} 1$'
expect_stdout '^hfi_metrics_findings\{code="HFI101",severity="error"\} [1-9]'
run serve --once --file "$TMP/missing.prom"
expect_status 3 "--once on a missing file"
expect_stdout '^hfi_metrics_runs_total\{result="error"\} 1$'
expect_stderr_lines 1

# Usage errors: 64, one line.
run serve --local --interval soon
expect_status 64 "--interval soon"
expect_stderr_lines 1
run serve --local --interval 500ms
expect_status 64 "--interval below 1s"
run serve --local --listen nowhere
expect_status 64 "--listen nowhere"
expect_stderr '--listen'
run serve --once --local --listen 127.0.0.1:0
expect_status 64 "--once with --listen"
run serve --file - --listen 127.0.0.1:0 </dev/null
expect_status 64 "--file - without --once"
expect_stderr 'standard input'
# Credentials are read again on every run too.
run serve --prometheus http://127.0.0.1:9 --match 'job="x"' --prometheus-token-file /dev/stdin </dev/null
expect_status 64 "a token from standard input without --once"
expect_stderr_lines 1
expect_stderr '^hfi-metrics: --prometheus-token-file /dev/stdin: standard input can be read only once'
run serve --prometheus http://127.0.0.1:9 --match 'job="x"' --prometheus-user u --prometheus-password-file - </dev/null
expect_status 64 "a password from standard input without --once"
run -o junit serve --local
expect_status 64 "-o junit"
run -o json serve --once --local
expect_status 64 "-o json with --once"
run serve --help
expect_status 0 "--help"
expect_stdout 'hfi_metrics_check_status\{source,kind,check,metric\}'
expect_stdout '/healthz'
finish
