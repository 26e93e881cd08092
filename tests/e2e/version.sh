#!/usr/bin/env bash
# hfi-metrics version: the version, the commit, and the default plugin's sha256 (text and JSON).
source "$(dirname "$0")/lib.sh"

run version
expect_status 0 "version"
expect_stdout '^hfi-metrics [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]+|unknown)\)$'
if [ -f "${HFI_PLUGIN_WASM:-}" ]; then
  digest=$(sha256sum "$HFI_PLUGIN_WASM" | cut -d' ' -f1)
  expect_stdout "^sha256 $digest\$"
  run version -o json
  expect_status 0 "version -o json"
  python3 - "$OUT" "$digest" <<'PY' || fail "version JSON"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["plugin"]["sha256"] == sys.argv[2], j
assert j["version"] and j["gitCommit"], j
PY
else
  expect_stdout 'not built: run hfi-metrics build'
fi

run version -o junit
expect_status 64 "version has no JUnit form"
finish
