#!/usr/bin/env bash
# hfi-metrics verify --local --plugin with the defective test plugins of tests/plugins: each
# handles the local traffic like HFI (same header convention) but has one defect, and the report
# must name exactly that defect. Skipped (77) when the test plugins were not built.
source "$(dirname "$0")/lib.sh"
D=${HFI_TEST_PLUGINS:-}
[ -n "$D" ] && [ -f "$D/trapping.wasm" ] || skip "test plugins not built (HFI_TEST_PLUGINS='$D')"

# json_check 'PYTHON EXPRESSION over s (the one source) and codes()' DESCRIPTION
json_check() {
  python3 - "$OUT" "$1" <<'EOF' || fail "$2"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sources"][0]
def check(check_id, metric=""):
    return next(c for c in s["checks"] if c["id"] == check_id and c["metric"] == metric)
def codes():
    return sorted(f["code"] for c in s["checks"] for f in c["findings"])
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

# Dotted hfi.faults.* names: exported as hfi_faults_* (HFI102 for each), so the expected series
# are absent and the traffic check cannot find the faults the responses showed (HFI307).
run verify --local --plugin "$D/legacy_names.wasm" -o json
expect_status 1 legacy_names
json_check 'codes() == ["HFI102"] * 3 + ["HFI307"] * 3' "legacy_names: HFI102 x3, HFI307 x3"
json_check 's["traffic"]["aborted"] == 10 and s["traffic"]["delayed"] == 10' \
  "legacy_names still injects the faults"

# The delay duration defined as a gauge: wrong TYPE (HFI201), no _sum/_count (HFI207), and the
# histogram count the traffic check needs is absent (HFI307); the counters agree.
run verify --local --plugin "$D/wrong_histogram_type.wasm" -o json
expect_status 1 wrong_histogram_type
json_check 'codes() == ["HFI201", "HFI207", "HFI307"]' "wrong_histogram_type: HFI201, HFI207, HFI307"
json_check 'check("type", "wasmcustom_hfi_faults_delay_duration_milliseconds")["observed"] == "gauge"' \
  "the histogram's type is reported as gauge"
json_check 'check("traffic")["observed"] == "aborts 10, delays 10, delay _count absent from the scrape"' \
  "the counters agree, the histogram count is absent"

# A trap on every request: the host stops running the plugin (HFI510 with the trap); requests
# fail closed with 503 and no fault mark, so nothing was injected (HFI308 warns).
run verify --local --plugin "$D/trapping.wasm" -o json
expect_status 1 trapping
json_check 'codes() == ["HFI308", "HFI510"]' "trapping: HFI510 (and HFI308)"
json_check 'check("plugin")["observed"].startswith("runtime error: proxy_on_request_headers")' \
  "HFI510 names the callback that trapped"
json_check 's["traffic"]["failed"] == 30' "fail closed: every request failed"
run verify --local --plugin "$D/trapping.wasm" --fail open -o json
expect_status 1 "trapping --fail open"
json_check 's["traffic"]["passed"] == 30 and "HFI510" in codes()' "fail open: every request passed"
run -o text verify --local --plugin "$D/trapping.wasm"
expect_stdout '^  HFI510 error: Plugin failed in the host$'

# A plugin that injects nothing: consistent, but the counting was not tested (HFI308, exit 0).
run verify --local --plugin "$D/empty_plugin.wasm" -o json
expect_status 0 empty_plugin
json_check 'codes() == ["HFI308"]' "empty_plugin: HFI308 only"

finish
