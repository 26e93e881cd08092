#!/usr/bin/env bash
# The documented error paths through the built binary: every one ends in one line on stderr that
# names the thing and the fix, and the documented exit status; none crashes or hangs.
source "$(dirname "$0")/lib.sh"
: "${HFI_TEST_DATA:?set by CTest: path of tests/data}"
D=$HFI_TEST_DATA/verify

# A 2 GB input (sparse: no disk used) is refused at the 1 GiB cap, from a file and from a pipe,
# without reading it all into memory first.
truncate -s 2G "$TMP/huge.prom"
run verify --file "$TMP/huge.prom"
expect_status 3 "2 GB file"
expect_stderr_lines 1
expect_stderr "huge\.prom"
expect_stderr "1 GiB|1024 MiB|1073741824"
OUT=$TMP/out ERR=$TMP/err
head -c 1100M /dev/zero | "$HFI_METRICS" verify --file - >"$OUT" 2>"$ERR"
STATUS=$?
expect_status 3 "1.1 GB on stdin"
expect_stderr_lines 1

# Files that are missing, or are directories.
run verify --file "$TMP/missing.prom"
expect_status 3 "missing file"
expect_stderr_lines 1
expect_stderr "missing\.prom"
run verify --file "$TMP"
expect_status 3 "a directory"
expect_stderr_lines 1
run inspect "$TMP/missing.wasm"
expect_status 3 "missing module"
expect_stderr_lines 1

# Input that is not what it claims to be.
printf 'not a module' >"$TMP/fake.wasm"
run inspect "$TMP/fake.wasm"
expect_status 3 "non-wasm file"
printf '# TYPE x counter\nx{a="unterminated} 1\n' >"$TMP/bad.prom"
run verify --file "$TMP/bad.prom"
expect_status 3 "unparseable scrape"
expect_stdout "2:[0-9]+"

# A missing tool: the Emscripten compiler.
run build --emxx "$TMP/no-such-em++" --output "$TMP/out.wasm"
expect_status 2 "missing em++"
expect_stderr_lines 1
expect_stderr "no-such-em\+\+"
[ -e "$TMP/out.wasm" ] && fail "a failed build left an output file"
# ... and kubectl.
run verify -l app=x --kubectl "$TMP/no-such-kubectl"
expect_status 2 "missing kubectl"
expect_stderr_lines 1
expect_stderr "no-such-kubectl"

# A mistyped or missing command: named, with the nearest one or the list, exit 64.
run verfy --file "$D/healthy.prom"
expect_status 64 "mistyped command"
expect_stderr_lines 1
expect_stderr '^hfi-metrics: usage: unknown command "verfy" \(did you mean "verify"\? run .hfi-metrics --help.\)$'
run -o json kubectl get pods
expect_status 64 "unknown command after a global flag"
expect_stderr '^hfi-metrics: usage: unknown command "kubectl" \(commands: build, inspect, verify, .*deploy.*\)$'
run
expect_status 64 "no command"
expect_stderr_lines 1
expect_stderr '^hfi-metrics: usage: no command given \(one of build, inspect, verify'

# A mistyped flag: named with its command and the nearest long flag (global ones included).
run render --valeus "$TMP/v.yaml"
expect_status 64 "mistyped flag"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: usage: unknown flag --valeus for 'hfi-metrics render' \(did you mean --values\? run 'hfi-metrics render --help'\)$"
run verify --file "$D/healthy.prom" --kubeconfg "$TMP/k"
expect_status 64 "mistyped global flag"
expect_stderr "unknown flag --kubeconfg for 'hfi-metrics verify' \(did you mean --kubeconfig\?"
run build -x
expect_status 64 "unknown short flag"
expect_stderr "^hfi-metrics: usage: unknown flag -x for 'hfi-metrics build' \(run 'hfi-metrics build --help'\)$"

# A reader that goes away (`| head`): quiet, status 141 as for a SIGPIPE death, and no message.
files=()
for _ in $(seq 300); do files+=(--file "$D/healthy.prom"); done
OUT=$TMP/out ERR=$TMP/err
"$HFI_METRICS" verify "${files[@]}" -o json 2>"$ERR" | head -c 10 >"$OUT"
STATUS=${PIPESTATUS[0]}
expect_status 141 "stdout closed early"
expect_stderr_lines 0
"$HFI_METRICS" --help-all 2>"$ERR" | head -n 1 >"$OUT"
STATUS=${PIPESTATUS[0]}
[ "$STATUS" -eq 0 ] || [ "$STATUS" -eq 141 ] || fail "--help | head: status $STATUS"
expect_stderr_lines 0

finish
