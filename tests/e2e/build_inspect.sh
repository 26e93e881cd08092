#!/usr/bin/env bash
# hfi-metrics inspect and build through the built binary, without Emscripten: inspect on the
# fixtures of tests/data/wasm and on files that are no module; build with a stand-in em++
# (tests/data/wasm/fake-em++), a missing em++, a broken wasm_build.txt, and two builds at once.
# build_inspect_emxx.sh runs the real em++; build_inspect_plugin.sh checks the plugin CMake built.
source "$(dirname "$0")/lib.sh"
: "${HFI_TEST_DATA:?set by CTest: path of tests/data}"
: "${HFI_SOURCE_DIR:?set by CTest: path of the source tree}"
D=$HFI_TEST_DATA/wasm

expect_json_field() {  # expect_json_field PYTHON-EXPRESSION-ON-j EXPECTED
  local got
  got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
    "$OUT" "$1" 2>&1)
  [ "$got" = "$2" ] || fail "JSON $1 is '$got', expected '$2'"
}

# --- inspect ------------------------------------------------------------------------------------
run inspect "$D/minimal_filter.wasm"
expect_status 0 "minimal filter"
expect_stdout '^ok: every check passed$'
expect_stdout "^sha256 +$(sha256sum "$D/minimal_filter.wasm" | cut -d' ' -f1)\$"
expect_stdout "^size +$(stat -c %s "$D/minimal_filter.wasm") bytes\$"
expect_stdout '^proxy_on_request_headers +\(i32, i32, i32\) -> i32 +ok$'
expect_stderr_lines 0

run inspect "$D/minimal_filter.wasm" -o json
expect_status 0 "minimal filter -o json"
expect_json
expect_json_field 'j["schemaVersion"]' 'hfi-metrics.inspect/v1'
expect_json_field 'j["valid"]' 'True'
expect_json_field 'j["exitCode"]' '0'
expect_json_field 'j["abi"]["version"]' '0.2.1'
expect_json_field 'j["sha256"]' "$(sha256sum "$D/minimal_filter.wasm" | cut -d' ' -f1)"
expect_json_field '[m["found"] for m in j["metrics"]]' "['defined', 'defined', 'defined']"
expect_stderr_lines 0

# Warnings alone (legacy names, growable memory) still exit 0.
run inspect "$D/legacy_names.wasm"
expect_status 0 "legacy names"
expect_stdout '^warning HFI717  hfi\.faults\.aborts_total: '
expect_stdout '^warning HFI719  memory: memory can grow'
expect_stdout '^ok with 4 warnings$'

# A module that parses and fails checks: exit 3, the report on stdout, nothing on stderr.
run inspect "$D/broken_filter.wasm"
expect_status 3 "broken filter"
for code in HFI704 HFI706 HFI707 HFI708 HFI709 HFI711 HFI712 HFI716; do
  expect_stdout "^error +$code "
done
expect_stdout '^invalid wasm: '
expect_stderr_lines 0
run -o json inspect "$D/broken_filter.wasm"
expect_status 3 "broken filter -o json"
expect_json
expect_json_field 'j["exitCode"]' '3'
expect_json_field 'j["valid"]' 'False'
expect_json_field 'sorted(set(f["code"] for f in j["findings"]))' \
  "['HFI704', 'HFI706', 'HFI707', 'HFI708', 'HFI709', 'HFI711', 'HFI712', 'HFI716']"

# Not a module: exit 3, one stderr line naming the file and what it looks like, nothing on stdout.
printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0' >"$TMP/plugin.wasm"
run inspect "$TMP/plugin.wasm"
expect_status 3 "ELF file"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: $TMP/plugin\.wasm: not a WebAssembly module \(first bytes 7f 45 4c 46: an ELF executable\?\)$"
[ -s "$OUT" ] && fail "stdout not empty for a non-module"
run inspect "$TMP/plugin.wasm" -o json
expect_status 3 "ELF file -o json"
expect_stderr_lines 1
[ -s "$OUT" ] && fail "stdout not empty for a non-module under -o json"

echo "policies: []" >"$TMP/text.wasm"
run inspect "$TMP/text.wasm"
expect_status 3 "text file"
expect_stderr_lines 1
expect_stderr 'text\.wasm: not a WebAssembly module \(first bytes 70 6f 6c 69: a text file\?\)$'

: >"$TMP/empty.wasm"
run inspect "$TMP/empty.wasm"
expect_status 3 "empty file"
expect_stderr_lines 1
expect_stderr 'empty\.wasm: not a WebAssembly module \(empty file\)'

head -c 200 "$D/minimal_filter.wasm" >"$TMP/truncated.wasm"
run inspect "$TMP/truncated.wasm"
expect_status 3 "truncated module"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: $TMP/truncated\.wasm: truncated WebAssembly module: .* of 200 \("

run inspect "$TMP/does-not-exist.wasm"
expect_status 3 "missing file"
expect_stderr_lines 1
expect_stderr 'does-not-exist\.wasm: No such file or directory'

run inspect "$TMP"
expect_status 3 "directory"
expect_stderr 'is a directory'

run inspect - <"$D/minimal_filter.wasm"
expect_status 0 "stdin"
expect_stdout '^file +<stdin>$'

run inspect -o junit "$D/minimal_filter.wasm"
expect_status 64 "-o junit"
expect_stderr_lines 1
run inspect
expect_status 64 "no file"

# --- build with a stand-in em++ ------------------------------------------------------------------
cp "$D/fake-em++" "$TMP/fake-em++"
chmod +x "$TMP/fake-em++"
export FAKE_EMXX_WASM=$D/minimal_filter.wasm FAKE_EMXX_LOG=$TMP/emxx.log
mkdir "$TMP/build"

run build --source "$D/tiny_plugin" --output "$TMP/build/x.wasm" --emxx "$TMP/fake-em++"
expect_status 0 "fake build"
expect_stdout "^path +$TMP/build/x\.wasm$"
expect_stdout "^sha256 +$(sha256sum "$D/minimal_filter.wasm" | cut -d' ' -f1)\$"
expect_stdout '^ok: every check passed$'
cmp -s "$TMP/build/x.wasm" "$D/minimal_filter.wasm" || fail "the built module is not what em++ wrote"
grep -qx -- '-Oz' "$TMP/emxx.log" || fail "release flags not passed"
[ "$(ls -A "$TMP/build")" = "x.wasm" ] || fail "leftovers in the output directory: $(ls -A "$TMP/build")"

# A relative --emxx works although em++ runs in the source directory.
(cd "$TMP" && "$HFI_METRICS" build -q --source "$D/tiny_plugin" --output build/x.wasm \
  --emxx ./fake-em++) 2>"$TMP/err-relative" || fail "relative --emxx: $(cat "$TMP/err-relative")"

# -q prints nothing on success (CMake runs it that way); -o json is pure JSON.
run build -q --source "$D/tiny_plugin" --output "$TMP/build/x.wasm" --emxx "$TMP/fake-em++" --debug
expect_status 0 "fake build -q"
[ -s "$OUT" ] && fail "stdout not empty under -q"
expect_stderr_lines 0
grep -qx -- '-g' "$TMP/emxx.log" || fail "--debug flags not passed"
HFI_EMXX=$TMP/fake-em++ run build -o json --source "$D/tiny_plugin" --output "$TMP/build/x.wasm"
expect_status 0 "fake build -o json via HFI_EMXX"
expect_json
expect_json_field 'j["schemaVersion"]' 'hfi-metrics.build/v1'
expect_json_field 'j["written"]' 'True'
expect_json_field 'j["inspect"]["valid"]' 'True'

# em++ failing: its output is shown, the old module stays.
FAKE_EMXX_EXIT=1 run build --source "$D/tiny_plugin" --output "$TMP/build/x.wasm" --emxx "$TMP/fake-em++"
expect_status 3 "em++ fails"
expect_stderr 'plugin\.cc:1:1: error: fake failure'
expect_stderr '^hfi-metrics: em\+\+: compiling the plugin failed \(exit status 1\); nothing was written'
cmp -s "$TMP/build/x.wasm" "$D/minimal_filter.wasm" || fail "a failed build touched the old module"

# A module that fails the checks is reported and not written.
FAKE_EMXX_WASM=$D/broken_filter.wasm run build --source "$D/tiny_plugin" \
  --output "$TMP/build/x.wasm" --emxx "$TMP/fake-em++"
expect_status 3 "module fails checks"
expect_stdout '^error +HFI706 '
expect_stderr "x\.wasm: the compiled module fails [0-9]+ check\(s\); nothing was written"
cmp -s "$TMP/build/x.wasm" "$D/minimal_filter.wasm" || fail "a rejected module replaced the old one"

# Two builds into the same file at once (CMake and a user): both succeed, no torn file, no litter.
FAKE_EMXX_SLEEP=1 "$HFI_METRICS" build -q --source "$D/tiny_plugin" --output "$TMP/build/y.wasm" \
  --emxx "$TMP/fake-em++" 2>"$TMP/err1" &
first=$!
FAKE_EMXX_SLEEP=1 "$HFI_METRICS" build -q --source "$D/tiny_plugin" --output "$TMP/build/y.wasm" \
  --emxx "$TMP/fake-em++" 2>"$TMP/err2"
second=$?
wait "$first"
[ $? -eq 0 ] && [ "$second" -eq 0 ] || fail "concurrent builds: $(cat "$TMP/err1" "$TMP/err2")"
cmp -s "$TMP/build/y.wasm" "$D/minimal_filter.wasm" || fail "concurrent builds left a torn module"
[ "$(ls -A "$TMP/build" | tr '\n' ' ')" = "x.wasm y.wasm " ] || fail "litter: $(ls -A "$TMP/build")"
unset FAKE_EMXX_WASM FAKE_EMXX_LOG

# --- build: environment and input problems ----------------------------------------------------------
run build --output "$TMP/build/z.wasm" --emxx /nonexistent
expect_status 2 "missing em++"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: em\+\+: /nonexistent does not exist or is not executable \(install the Debian package 'emscripten'"

PATH=/nonexistent run build --output "$TMP/build/z.wasm"
expect_status 2 "no em++ on PATH"
expect_stderr_lines 1
expect_stderr "em\+\+: not found on PATH .*emscripten"

cp -r "$HFI_SOURCE_DIR/plugin" "$TMP/plugin"
printf 'source policy.cc\nsource\n' >>"$TMP/plugin/wasm_build.txt"
lines=$(wc -l <"$TMP/plugin/wasm_build.txt")
run build --source "$TMP/plugin" --output "$TMP/build/z.wasm" --emxx "$TMP/fake-em++"
expect_status 3 "broken wasm_build.txt"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: $TMP/plugin/wasm_build\.txt:$((lines - 1)): source 'policy\.cc' is already listed on line [0-9]+"
printf 'include ..\nsource nope.cc\n' >"$TMP/plugin/wasm_build.txt"
run build --source "$TMP/plugin" --output "$TMP/build/z.wasm" --emxx "$TMP/fake-em++"
expect_status 3 "missing source"
expect_stderr "wasm_build\.txt:2: source 'nope\.cc' does not exist"
run build --source "$TMP/nowhere" --output "$TMP/build/z.wasm" --emxx "$TMP/fake-em++"
expect_status 3 "missing source directory"
expect_stderr 'nowhere: is not a directory'
run build --source "$D/tiny_plugin" --output "$TMP/no/dir/z.wasm" --emxx "$TMP/fake-em++"
expect_status 2 "missing output directory"
expect_stderr 'does not exist \(create it first'
run build --source "$D/tiny_plugin" --output "$TMP/build" --emxx "$TMP/fake-em++"
expect_status 64 "output is a directory"
[ -e "$TMP/build/z.wasm" ] && fail "a failed build wrote z.wasm"

finish
