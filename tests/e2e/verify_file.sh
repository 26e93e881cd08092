#!/usr/bin/env bash
# hfi-metrics verify --file: the data files of tests/data/verify through the built binary, in the
# three output formats, with stdin, bad files, expectations and baselines.
source "$(dirname "$0")/lib.sh"
: "${HFI_TEST_DATA:?set by CTest: path of tests/data}"
D=$HFI_TEST_DATA/verify

expect_xml() {
  python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$OUT" 2>/dev/null \
    || fail "stdout is not well-formed XML"
}
expect_json_exit() {  # the exitCode field of the JSON report equals the process status
  local code
  code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exitCode"])' "$OUT" 2>/dev/null)
  [ "$code" = "$STATUS" ] || fail "JSON exitCode '$code' differs from exit status $STATUS"
}

# A healthy scrape passes in every format, with nothing but the result on stdout.
run verify --file "$D/healthy.prom"
expect_status 0 healthy
expect_stdout '^1 source, 14 checks: 14 passed, 0 failed, 0 warnings$'
expect_stdout 'presence +wasmcustom_hfi_faults_aborts_total +pass'
expect_stderr_lines 0
expect_no_stdout $'\x1b'  # not a terminal: no colour
run verify --file "$D/healthy.prom" -o json
expect_status 0 "healthy -o json"
expect_json
expect_json_exit
expect_stdout '"schemaVersion": "hfi-metrics.verify/v1"'
expect_stderr_lines 0
run -o junit verify --file "$D/healthy.prom"
expect_status 0 "healthy -o junit"
expect_xml
expect_stdout '<testsuite name="[^"]*healthy.prom" tests="14" failures="0"'

# One file per hint code the engine emits: exit status and code, the same under every format.
while read -r file status code; do
  for format in text json junit; do
    run verify --file "$D/$file" -o "$format"
    expect_status "$status" "$file -o $format"
    [ "$code" = "-" ] || expect_stdout "$code"
  done
  expect_xml
  run verify --file "$D/$file" -o json
  expect_json
  expect_json_exit
done <<'EOF'
healthy-zero.prom 0 -
hfi101-missing-delays.prom 1 HFI101
hfi102-plain-names.prom 1 HFI102
hfi103-istio-1.11.prom 1 HFI103
hfi104-legacy-envoy.prom 1 HFI104
hfi105-cluster-scoped.prom 1 HFI105
hfi106-embedded-tags.prom 1 HFI106
hfi107-unrecognised.prom 0 HFI107
hfi108-no-hfi.prom 1 HFI108
hfi201-counter-as-gauge.prom 1 HFI201
hfi202-untyped.prom 0 HFI202
hfi203-bounds-out-of-order.prom 1 HFI203
hfi204-not-cumulative.prom 1 HFI204
hfi205-no-inf.prom 1 HFI205
hfi206-inf-ne-count.prom 1 HFI206
hfi207-no-sum.prom 1 HFI207
hfi208-custom-buckets.prom 0 HFI208
hfi209-bad-le.prom 1 HFI209
hfi210-histogram-lag.prom 0 HFI210
hfi211-histogram-ahead.prom 1 HFI211
hfi301-negative-counter.prom 1 HFI301
hfi306-nan-sum.prom 1 HFI306
hfi401-malformed.prom 3 HFI401
hfi402-empty.prom 1 HFI402
hfi403-merged-15020.prom 0 HFI403
hfi404-duplicate-series.prom 1 HFI404
hfi405-parse-warning.prom 0 HFI405
hfi406-app-metrics.prom 1 HFI406
EOF

# A parse error names file:line:column and the code for unparseable expositions.
run verify --file "$D/hfi401-malformed.prom"
expect_stdout 'hfi401-malformed.prom:17:37: expected a value after the metric'
expect_stdout 'HFI401 error: Exposition is not valid Prometheus text'
# The warning for the custom buckets names the annotation that sets them.
run verify --file "$D/hfi208-custom-buckets.prom"
expect_stdout 'sidecar.istio.io/statsHistogramBuckets'

# Standard input.
run verify --file - <"$D/healthy.prom"
expect_status 0 "stdin"
expect_stdout '^<stdin>$'
run verify --file - -o json <"$D/hfi401-malformed.prom"
expect_status 3 "unparseable stdin"
expect_stdout '"kind": "stdin"'
expect_stdout '<stdin>:17:37'

# Several sources: the highest applicable code wins (3 > 1 > 0).
run verify --file "$D/healthy.prom" --file "$D/hfi101-missing-delays.prom"
expect_status 1 "healthy + failing"
expect_stdout '^2 sources, 28 checks: '
run verify --file "$D/hfi401-malformed.prom" --file "$D/hfi101-missing-delays.prom" -o junit
expect_status 3 "unparseable + failing"
expect_xml

# Inputs that cannot be read: one line naming the file, exit 3, no report.
run verify --file "$D/no-such-file.prom"
expect_status 3 "missing file"
expect_stderr "^hfi-metrics: .*no-such-file.prom: No such file or directory"
expect_stderr_lines 1
[ -s "$OUT" ] && fail "a report was written for a missing file"
run verify --file "$D" -o json
expect_status 3 "directory"
expect_stderr "^hfi-metrics: .*/verify: is a directory"
expect_stderr_lines 1

# Value expectations.
run verify --file "$D/healthy.prom" --expect 'aborts>=1' --expect 'delay_count==7' --expect 'delay_sum>=5000'
expect_status 0 "--expect met"
run verify --file "$D/healthy.prom" --expect 'aborts>=10' -o json
expect_status 1 "--expect not met"
expect_stdout '"code": "HFI302"'
expect_stdout '"expected": "aborts >= 10"'

# Baselines and deltas.
run verify --file "$D/healthy-later.prom" --baseline "$D/healthy.prom" --expect-delta 'delays>=5'
expect_status 0 "--expect-delta met"
expect_stdout 'expect-delta +wasmcustom_hfi_faults_delays_total +pass +5 \(7 -> 12\)'
run verify --file "$D/healthy-later.prom" --baseline "$D/healthy.prom" --expect-delta 'delays>=10'
expect_status 1 "--expect-delta not met"
expect_stdout 'HFI304'
run verify --file "$D/healthy.prom" --baseline "$D/healthy.prom" --expect-delta 'aborts>0'
expect_status 1 "counters did not move"
expect_stdout 'HFI305'
run verify --file "$D/healthy-zero.prom" --baseline "$D/healthy.prom"
expect_status 1 "counter dropped"
expect_stdout 'HFI303'
run verify --file "$D/healthy.prom" --baseline - --expect-delta 'delays>=0' <"$D/hfi401-malformed.prom"
expect_status 3 "unparseable baseline"

# Usage errors: exit 64, one line naming the flag or expression.
run verify --file "$D/healthy.prom" --expect 'aborts=>1'
expect_status 64 "bad --expect"
expect_stderr "^hfi-metrics: --expect 'aborts=>1': "
expect_stderr_lines 1
run verify --file "$D/healthy.prom" --expect 'abort>=1'
expect_status 64 "unknown key"
expect_stderr "unknown key 'abort'"
run verify --file "$D/healthy.prom" --expect 'delay_sum==5531'
expect_status 64 "== on the approximate _sum"
expect_stderr "approximate"
run verify --file "$D/healthy.prom" --expect-delta 'delays>=1'
expect_status 64 "--expect-delta without --baseline"
expect_stderr "^hfi-metrics: --expect-delta: needs a baseline"
run verify --file "$D/healthy.prom" --file "$D/healthy.prom" --baseline "$D/healthy.prom"
expect_status 64 "one baseline for two files"
expect_stderr "^hfi-metrics: --baseline: given 1 time"
run verify --file - --baseline - </dev/null
expect_status 64 "stdin twice"
run verify
expect_status 64 "no source"
expect_stderr "no source given"
run verify --file
expect_status 64 "--file without a value"
expect_stderr_lines 1

# Help lists the flags, examples and the multi-source exit code rule.
run verify --help
expect_status 0 "--help"
expect_stdout '--expect-delta'
expect_stdout 'applicable code wins: 3, then 2, then 1'

finish
