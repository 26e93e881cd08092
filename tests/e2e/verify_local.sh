#!/usr/bin/env bash
# hfi-metrics verify --local: the embedded sidecar with the plugin this build produced, traffic
# through it, its /stats/prometheus scraped over HTTP. The default run passes with counters equal
# to the faults the responses showed; a matcher that drops the metrics, a bad module, a bad policy
# and bad flags each give their documented exit status. Skipped (77) without the plugin module.
source "$(dirname "$0")/lib.sh"
[ -n "${HFI_PLUGIN_WASM:-}" ] && [ -f "$HFI_PLUGIN_WASM" ] || skip "no plugin module at '${HFI_PLUGIN_WASM:-}'"
P=(--plugin "$HFI_PLUGIN_WASM")

expect_xml() {
  python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$OUT" 2>/dev/null \
    || fail "stdout is not well-formed XML"
}
# json_check 'PYTHON EXPRESSION over d (the report) and s (its one source)' DESCRIPTION
json_check() {
  python3 - "$OUT" "$1" <<'EOF' || fail "$2"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sources"][0]
def observed(check_id, metric):
    return next(c["observed"] for c in s["checks"] if c["id"] == check_id and c["metric"] == metric)
def codes():
    return sorted(f["code"] for c in s["checks"] for f in c["findings"])
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

# The default run: the built-in policy aborts every third request and delays the next; the
# counters and the histogram count equal what the responses showed.
run verify --local "${P[@]}" -o json
expect_status 0 "default run"
expect_json
expect_stderr_lines 0  # no progress when stderr is not a terminal, no log without -v
json_check 'd["exitCode"] == 0 and s["kind"] == "local" and s["name"].startswith("local sidecar (127.0.0.1:")' \
  "JSON names a local source and exit 0"
json_check 's["traffic"] == {"sent": 30, "aborted": 10, "delayed": 10, "passed": 10, "failed": 0}' \
  "traffic summary of 30 requests"
json_check 'observed("counter-value", "wasmcustom_hfi_faults_aborts_total") == str(s["traffic"]["aborted"])' \
  "aborts counter equals the aborted responses"
json_check 'observed("counter-value", "wasmcustom_hfi_faults_delays_total") == str(s["traffic"]["delayed"])' \
  "delays counter equals the delayed responses"
json_check 'observed("histogram-inf", "wasmcustom_hfi_faults_delay_duration_milliseconds") == "+Inf 10, _count 10"' \
  "histogram count equals the delayed responses"
json_check 'observed("traffic", "") == "aborts 10, delays 10, delay _count 10" and codes() == []' \
  "traffic check passes with no finding"
json_check '[c["id"] for c in s["checks"]][:3] == ["plugin", "stats-matcher", "exposition"]' \
  "plugin and stats-matcher checks come first"

# Without --plugin: the plugin this build produced (the same module CTest names).
run verify --local -q
expect_status 0 "the build's own plugin"
expect_stderr_lines 0

# Other request counts and concurrency; text and JUnit carry the traffic too.
run verify --local "${P[@]}" --requests 7 --concurrency 1
expect_status 0 "--requests 7 --concurrency 1"
expect_stdout '^  traffic: 7 requests sent: 3 aborted, 2 delayed, 2 passed, 0 failed$'
expect_stdout '^1 source, 17 checks: 17 passed, 0 failed, 0 warnings$'
run -o junit verify --local "${P[@]}"
expect_status 0 "-o junit"
expect_xml
expect_stdout '<property name="traffic.aborted" value="10"/>'
expect_stdout '<testcase classname="local sidecar \(127.0.0.1:[0-9]+\)" name="traffic"/>'

# -v: the plugin's log and one traffic line on stderr, stdout unchanged.
run verify --local "${P[@]}" -v
expect_status 0 "-v"
expect_stderr '^hfi-metrics: plugin: info: policy loaded'
expect_stderr '^hfi-metrics: traffic: 30 requests sent: 10 aborted, 10 delayed, 10 passed, 0 failed'
expect_no_stdout 'hfi-metrics: '

# --expect applies to the local scrape.
run verify --local "${P[@]}" --expect 'aborts>=11' -o json
expect_status 1 "--expect aborts>=11"
json_check 'codes() == ["HFI302"]' "HFI302 for the failed expectation"

# A policy of the user's, from stdin: a 418 abort on the same header, no delay rule. The counters
# agree with the 10 aborts; no delay was seen or counted.
run verify --local "${P[@]}" -o json --policy - <<'EOF'
{"policies":[{"metadata":{"name":"teapot"},"spec":{"rules":[
  {"match":{"headers":[{"name":"x-hfi-local","exact":"abort"}]},
   "fault":{"percentage":100,"abort":{"httpStatus":418}}}]}}]}
EOF
expect_status 0 "--policy - (abort 418)"
json_check 's["traffic"] == {"sent": 30, "aborted": 10, "delayed": 0, "passed": 20, "failed": 0}' \
  "418 aborts are counted by their mark, not their status"

# A policy whose rule matches none of the requests: consistent, proves nothing (HFI308, exit 0).
run verify --local "${P[@]}" -o json --policy "$HFI_SOURCE_DIR/k8s/policies/abort-50-percent-api.json"
expect_status 0 "policy matching nothing"
json_check 'codes() == ["HFI308"] and s["traffic"]["passed"] == 30' "HFI308 warning only"

# reject_all: Envoy's matcher then creates no stat at all, so the scrape is empty (the engine's
# HFI402, after which the metric checks are skipped), and the local run knows why: its
# stats-matcher check names each rejected internal name (HFI505).
for format in text json junit; do
  run verify --local "${P[@]}" --stats-matcher none -o "$format"
  expect_status 1 "--stats-matcher none -o $format"
  expect_stdout 'HFI505'
  expect_stdout 'HFI402'
done
run verify --local "${P[@]}" --stats-matcher none -o json
json_check 'codes() == ["HFI402", "HFI505", "HFI505", "HFI505"] and s["traffic"]["aborted"] == 10' \
  "reject_all: HFI402 and one HFI505 per metric, with the faults still injected"
# A pattern written for the Prometheus name never matches the internal dotted one. The embedded
# sidecar has no stats of its own beside the plugin's, so that scrape is empty as well.
run verify --local "${P[@]}" --stats-inclusion prefix:wasmcustom_hfi -o json
expect_status 1 "--stats-inclusion for the Prometheus spelling"
json_check 'codes() == ["HFI402", "HFI505", "HFI505", "HFI505"]' \
  "inclusion of the Prometheus spelling: HFI505 for each name"
# A matcher that keeps only the aborts counter: the other two are missing (HFI101), the traffic
# check cannot find them (HFI307), and the stats-matcher check says why (HFI505).
run verify --local "${P[@]}" --stats-inclusion exact:wasmcustom.wasmcustom.hfi_faults_aborts_total -o json
expect_status 1 "--stats-inclusion of the aborts counter only"
json_check 'codes() == ["HFI101", "HFI101", "HFI307", "HFI307", "HFI505", "HFI505"]' \
  "aborts only: HFI101, HFI307 and HFI505 for the delays counter and the histogram"
json_check 'observed("counter-value", "wasmcustom_hfi_faults_aborts_total") == "10"' \
  "the one created counter still counts every abort"

# Invalid inputs: exit 3 with one line on stderr, nothing on stdout.
printf 'not a wasm module' >"$TMP/bad.wasm"
run verify --local --plugin "$TMP/bad.wasm"
expect_status 3 "non-wasm --plugin"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: $TMP/bad.wasm: "
[ -s "$OUT" ] && fail "stdout should be empty"
printf '{"policies":[{"spec":{"rules":[]}}]}' >"$TMP/bad.json"
run verify --local "${P[@]}" --policy "$TMP/bad.json"
expect_status 3 "invalid policy"
expect_stderr_lines 1
run verify --local --plugin "$TMP/absent.wasm"
expect_status 3 "missing --plugin file"

# Usage errors: exit 64.
while read -r args; do
  # shellcheck disable=SC2086
  run verify $args
  expect_status 64 "verify $args"
  expect_stderr_lines 1
done <<EOF
--local --requests 0
--local --requests 100001
--local --concurrency 0
--local --file $HFI_TEST_DATA/verify/healthy.prom
--local --baseline $HFI_TEST_DATA/verify/healthy.prom
--local --expect-delta delays>=1
--plugin $HFI_PLUGIN_WASM --file $HFI_TEST_DATA/verify/healthy.prom
--requests 5 --file $HFI_TEST_DATA/verify/healthy.prom
--stats-matcher none --file $HFI_TEST_DATA/verify/healthy.prom
--local --stats-matcher sometimes
--local --flush-interval 0s
EOF

finish
