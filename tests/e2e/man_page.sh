#!/usr/bin/env bash
# The man page the binary generates (__man): groff reads it without a single warning, man -l
# renders it, and it lists every command, every global flag and every hint code.
source "$(dirname "$0")/lib.sh"
command -v groff >/dev/null || skip "groff not installed (Debian package groff-base)"

run __man
expect_status 0 "__man"
cp "$OUT" "$TMP/hfi-metrics.1"
PAGE=$TMP/hfi-metrics.1

for device in ps utf8; do
  groff -man -ww -z -T"$device" "$PAGE" 2>"$TMP/groff.err"
  [ -s "$TMP/groff.err" ] && { echo "FAIL: groff -T$device warns:" >&2; head -20 "$TMP/groff.err" >&2; FAILS=$((FAILS + 1)); }
done
# Narrow terminals too: nothing in the page is too long to break.
groff -man -ww -z -Tutf8 -rLL=60n "$PAGE" 2>"$TMP/groff.err"
[ -s "$TMP/groff.err" ] && { echo "FAIL: groff at 60 columns warns:" >&2; head -20 "$TMP/groff.err" >&2; FAILS=$((FAILS + 1)); }

if command -v man >/dev/null; then
  MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$PAGE" >"$TMP/rendered" 2>"$TMP/man.err"
  [ $? -eq 0 ] || fail "man -l failed"
  [ -s "$TMP/man.err" ] && { echo "FAIL: man -l printed on stderr:" >&2; head -20 "$TMP/man.err" >&2; FAILS=$((FAILS + 1)); }
  OUT=$TMP/rendered
  for section in NAME SYNOPSIS DESCRIPTION COMMANDS "GLOBAL OPTIONS" "EXIT STATUS" ENVIRONMENT \
    FILES "HINT CODES" EXAMPLES "SEE ALSO"; do
    expect_stdout "^$section\$"
  done
  expect_stdout 'hfi-metrics - build, deploy and verify'
else
  echo "note: man not installed, rendering not checked"
fi

# Everything the tree and the catalogues hold is in the page (checked in the source: rendering
# may hyphenate).
OUT=$PAGE
for command in $("$HFI_METRICS" __complete -- ""); do
  expect_stdout "^\.SS \"hfi\\\\-metrics $command\"\$"
done
for flag in output no-color quiet verbose kubectl kubeconfig context timeout; do
  expect_stdout "\\\\fB\\\\-\\\\-${flag//-/\\\\-}\\\\fR"
done
for code in 0 1 2 3 64 130; do
  expect_stdout "^\\\\fB$code\\\\fR\$"
done
for variable in HFI_KUBECTL HFI_EMXX NO_COLOR; do
  expect_stdout "^\\\\fB$variable\\\\fR\$"
done
codes=$(grep -ohE '"HFI[0-9]{3}"' "$HFI_SOURCE_DIR/cli/verify/hints.cc" "$HFI_SOURCE_DIR/cli/wasm/inspect.h" | tr -d '"' | sort -u)
[ "$(echo "$codes" | wc -l)" -ge 60 ] || fail "found only $(echo "$codes" | wc -l) hint codes in the sources"
for code in $codes; do
  expect_stdout "^\\\\fB$code\\\\fR: "
done
# The 7xx codes carry their cause and fix too, not only a title.
expect_stdout '^\\fICause:\\fR The file does not start with the WebAssembly magic'
[ "$(grep -c '^\\fICause:\\fR' "$PAGE")" -ge "$(echo "$codes" | wc -l)" ] ||
  fail "fewer Cause paragraphs than hint codes"
# Hidden commands stay out.
expect_no_stdout '^\.(SS|B) "hfi\\\\-metrics __'
finish
