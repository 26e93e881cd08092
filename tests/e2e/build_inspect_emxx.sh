#!/usr/bin/env bash
# hfi-metrics build with the real em++ (Debian's emscripten): the tiny fixture plugin of
# tests/data/wasm/tiny_plugin in release and debug, then the real plugin/ into a temp file, each
# checked with inspect. Skipped (77) where em++ is not installed.
source "$(dirname "$0")/lib.sh"
: "${HFI_TEST_DATA:?set by CTest: path of tests/data}"
: "${HFI_SOURCE_DIR:?set by CTest: path of the source tree}"
command -v em++ >/dev/null || skip "em++ not installed (Debian package emscripten)"

# A copy, so the build cannot depend on where the fixture lives.
cp -r "$HFI_TEST_DATA/wasm/tiny_plugin" "$TMP/tiny"

run build --source "$TMP/tiny" --output "$TMP/tiny.wasm"
expect_status 0 "tiny plugin, release"
expect_stdout "^path +$TMP/tiny\.wasm$"
expect_stdout "^sha256 +$(sha256sum "$TMP/tiny.wasm" 2>/dev/null | cut -d' ' -f1)\$"
expect_stdout '^ok: every check passed$'
run inspect "$TMP/tiny.wasm"
expect_status 0 "inspect tiny plugin"
expect_stdout '^module +WebAssembly version 1, proxy-wasm ABI 0\.2\.1$'
expect_stdout '^memory +16 pages initial \(1 MiB\), 16 maximum: fixed'
release_size=$(stat -c %s "$TMP/tiny.wasm")

run build -q --debug --source "$TMP/tiny" --output "$TMP/tiny-debug.wasm"
expect_status 0 "tiny plugin, debug"
[ -s "$OUT" ] && fail "stdout not empty under -q"
debug_size=$(stat -c %s "$TMP/tiny-debug.wasm" 2>/dev/null || echo 0)
[ "$debug_size" -gt "$release_size" ] || fail "debug build ($debug_size) not larger than release ($release_size)"

# A compile error: em++'s diagnostics on stderr, exit 3, the previous module untouched.
cp "$TMP/tiny.wasm" "$TMP/keep.wasm"
echo 'this is not C++;' >>"$TMP/tiny/tiny_plugin.cc"
run build --source "$TMP/tiny" --output "$TMP/tiny.wasm"
expect_status 3 "compile error"
expect_stderr 'tiny_plugin\.cc:[0-9]+:[0-9]+: error:'
expect_stderr '^hfi-metrics: em\+\+: compiling the plugin failed'
cmp -s "$TMP/tiny.wasm" "$TMP/keep.wasm" || fail "a failed build replaced the module"
[ "$(ls -A "$TMP" | grep -c '\.build-')" -eq 0 ] || fail "a build directory was left behind"

# The real plugin (the default --source), as CMake builds it.
run build -o json --output "$TMP/x.wasm"
expect_status 0 "real plugin"
expect_json
python3 - "$OUT" "$TMP/x.wasm" <<'PY' || fail "build JSON does not describe the written module"
import hashlib, json, sys
j = json.load(open(sys.argv[1]))
data = open(sys.argv[2], "rb").read()
assert j["written"] and j["inspect"]["valid"], j
assert j["size"] == len(data) and j["sha256"] == hashlib.sha256(data).hexdigest(), j
assert [m["found"] for m in j["inspect"]["metrics"]] == ["defined"] * 3, j
PY
run inspect "$TMP/x.wasm"
expect_status 0 "inspect real plugin"
expect_stdout '^ok: every check passed$'

finish
