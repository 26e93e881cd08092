#!/usr/bin/env bash
# cmake --install lays out bin/, the plugin, the completions and the man page under a prefix, and
# the installed binary uses the installed plugin: version prints its path and sha256, and
# verify --local runs it.
source "$(dirname "$0")/lib.sh"
command -v cmake >/dev/null || skip "cmake not on PATH"

# The build tree is where CMakeCache.txt is, above the binary.
BUILD=$(dirname "$HFI_METRICS")
while [ "$BUILD" != / ] && [ ! -f "$BUILD/CMakeCache.txt" ]; do BUILD=$(dirname "$BUILD"); done
[ -f "$BUILD/CMakeCache.txt" ] || skip "no build tree above $HFI_METRICS"

PREFIX=$TMP/prefix
if ! cmake --install "$BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1; then
  echo "FAIL: cmake --install:" >&2
  tail -20 "$TMP/install.log" >&2
  exit 1
fi

for file in bin/hfi-metrics share/man/man1/hfi-metrics.1 \
  share/bash-completion/completions/hfi-metrics share/zsh/vendor-completions/_hfi-metrics \
  share/fish/vendor_completions.d/hfi-metrics.fish; do
  [ -s "$PREFIX/$file" ] || { echo "FAIL: $file not installed" >&2; FAILS=$((FAILS + 1)); }
done
[ -x "$PREFIX/bin/hfi-metrics" ] || { echo "FAIL: bin/hfi-metrics is not executable" >&2; exit 1; }
HFI_METRICS=$PREFIX/bin/hfi-metrics

if command -v man >/dev/null; then
  MANPAGER=cat MANWIDTH=80 man -l "$PREFIX/share/man/man1/hfi-metrics.1" >"$TMP/man.txt" 2>"$TMP/man.err" ||
    { echo "FAIL: man -l on the installed page" >&2; FAILS=$((FAILS + 1)); }
  grep -q "^HINT CODES" "$TMP/man.txt" || { echo "FAIL: the installed man page lacks HINT CODES" >&2; FAILS=$((FAILS + 1)); }
fi

PLUGIN=$PREFIX/share/hfi-metrics/$(basename "${HFI_PLUGIN_WASM:-hfi_plugin.wasm}")
if [ "${HFI_BUILD_PLUGIN:-ON}" = ON ] && [ -f "${HFI_PLUGIN_WASM:-}" ]; then
  [ -f "$PLUGIN" ] || { echo "FAIL: the plugin was not installed to share/hfi-metrics/" >&2; exit 1; }
  cmp -s "$PLUGIN" "$HFI_PLUGIN_WASM" || fail "the installed plugin differs from the built one"
  digest=$(sha256sum "$PLUGIN" | cut -d' ' -f1)

  run version
  expect_status 0 "installed version"
  expect_stdout "^plugin $PLUGIN\$"
  expect_stdout "^sha256 $digest\$"
  run version -o json
  expect_status 0 "installed version -o json"
  python3 - "$OUT" "$PLUGIN" "$digest" <<'PY' || fail "installed version JSON"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["plugin"] == {"path": sys.argv[2], "sha256": sys.argv[3]}, j
PY

  # Run through a symlink from elsewhere: the plugin is found beside the real binary.
  mkdir -p "$TMP/elsewhere"
  ln -s "$PREFIX/bin/hfi-metrics" "$TMP/elsewhere/hfi-metrics"
  HFI_METRICS=$TMP/elsewhere/hfi-metrics run version
  expect_stdout "^plugin $PLUGIN\$"

  run verify --local --requests 12
  expect_status 0 "verify --local from the installed tree"
  # It is the installed file that runs: swapped for a plugin with a wrong metric type, the same
  # command finds HFI201.
  if [ -f "${HFI_TEST_PLUGINS:-}/wrong_histogram_type.wasm" ]; then
    cp "$PLUGIN" "$TMP/plugin.saved"
    cp "$HFI_TEST_PLUGINS/wrong_histogram_type.wasm" "$PLUGIN"
    run verify --local --requests 12
    expect_status 1 "verify --local with the swapped plugin"
    expect_stdout 'HFI201'
    cp "$TMP/plugin.saved" "$PLUGIN"
  fi

  # Without the installed plugin the binary falls back to the one its build produced.
  mv "$PLUGIN" "$PLUGIN.away"
  run version
  expect_stdout "^plugin $HFI_PLUGIN_WASM\$"
  mv "$PLUGIN.away" "$PLUGIN"
else
  echo "note: built without the plugin; the installed layout of bin/, man and completions checked"
  run version
  expect_status 0 "installed version"
fi
finish
