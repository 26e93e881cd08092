#!/usr/bin/env bash
# hfi-metrics inspect on the plugin CMake built (HFI_PLUGIN_WASM, by running `hfi-metrics build`).
# Skipped (77) when the build was configured with -DHFI_BUILD_PLUGIN=OFF or the module is absent.
source "$(dirname "$0")/lib.sh"
case "${HFI_BUILD_PLUGIN:-OFF}" in
  ON | on | 1 | TRUE | true | YES | yes) ;;
  *) skip "configured with HFI_BUILD_PLUGIN=${HFI_BUILD_PLUGIN:-OFF}" ;;
esac
[ -f "${HFI_PLUGIN_WASM:-}" ] || skip "no plugin module at '${HFI_PLUGIN_WASM:-}'"

run inspect "$HFI_PLUGIN_WASM"
expect_status 0 "inspect the built plugin"
expect_stderr_lines 0
expect_stdout '^module +WebAssembly version 1, proxy-wasm ABI 0\.2\.1$'
expect_stdout '^memory +[0-9]+ pages initial .*: fixed, exported as "memory"$'
expect_stdout '^imports +[0-9]+ from env \(Envoy hostcalls\), [0-9]+ WASI, 0 unavailable in Envoy$'
for name in aborts_total delays_total delay_duration_milliseconds; do
  expect_stdout "^wasmcustom\.hfi_faults_$name +defined$"
done
expect_stdout "^sha256 +$(sha256sum "$HFI_PLUGIN_WASM" | cut -d' ' -f1)\$"
expect_stdout '^ok: every check passed$'

run inspect -o json "$HFI_PLUGIN_WASM"
expect_status 0 "inspect the built plugin -o json"
expect_json
python3 - "$OUT" <<'PY' || fail "JSON report of the built plugin"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["valid"] and j["exitCode"] == 0 and not [f for f in j["findings"] if f["severity"] == "error"], j
assert all(c["ok"] for c in j["callbacks"]), j["callbacks"]
assert all(i["status"] in ("hostcall", "wasi") for i in j["imports"]), j["imports"]
PY

finish
