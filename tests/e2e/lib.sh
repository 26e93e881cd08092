# Helpers for the end-to-end scripts: run the binary, then assert on exit status and output.
# Each script: `source "$(dirname "$0")/lib.sh"`, then call `run` and the expect_* functions.
set -u
: "${HFI_METRICS:?set by CTest: path of the hfi-metrics binary}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILS=0

# run ARGS...: runs hfi-metrics; sets STATUS, and OUT/ERR to the paths of stdout and stderr.
run() {
  OUT=$TMP/out ERR=$TMP/err
  "$HFI_METRICS" "$@" >"$OUT" 2>"$ERR"
  STATUS=$?
}
fail() {
  echo "FAIL: $*" >&2
  echo "--- stdout:" >&2; head -c 2000 "$OUT" >&2
  echo "--- stderr:" >&2; head -c 2000 "$ERR" >&2
  FAILS=$((FAILS + 1))
}
expect_status() { [ "$STATUS" -eq "$1" ] || fail "expected exit $1, got $STATUS (${2:-})"; }
expect_stdout() { grep -qE -- "$1" "$OUT" || fail "stdout lacks /$1/"; }
expect_stderr() { grep -qE -- "$1" "$ERR" || fail "stderr lacks /$1/"; }
expect_no_stdout() { grep -qE -- "$1" "$OUT" && fail "stdout has /$1/"; return 0; }
expect_stderr_lines() {
  local n; n=$(wc -l <"$ERR")
  [ "$n" -eq "$1" ] || fail "expected $1 stderr line(s), got $n"
}
expect_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT" 2>/dev/null || fail "stdout is not JSON"; }
skip() { echo "SKIP: $*"; exit 77; }
finish() {
  if [ "$FAILS" -ne 0 ]; then echo "$FAILS check(s) failed"; exit 1; fi
  echo "ok"
}
