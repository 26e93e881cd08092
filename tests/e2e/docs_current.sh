#!/usr/bin/env bash
# The checked-in man page and completion scripts are exactly what this binary generates from its
# command tree and hint catalogue. When this fails, run scripts/gen-docs.sh and commit the result.
source "$(dirname "$0")/lib.sh"
: "${HFI_SOURCE_DIR:?set by CTest: the source tree}"

if ! bash "$HFI_SOURCE_DIR/scripts/gen-docs.sh" --check "$HFI_METRICS" 2>"$TMP/check"; then
  cat "$TMP/check" >&2
  echo "FAIL: generated documents are stale: run scripts/gen-docs.sh $HFI_METRICS" >&2
  FAILS=$((FAILS + 1))
fi
finish
