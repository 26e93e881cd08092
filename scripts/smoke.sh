#!/usr/bin/env bash
# Builds hfi-metrics and runs its main job with no cluster: build the plugin with em++, check the
# .wasm it made, then run it in the embedded sidecar and verify its three metrics (verify --local). Run scripts/setup.sh first (the README's first command does).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${HFI_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHFI_BUILD_TESTS=OFF \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build"
"$build/cli/hfi-metrics" build --output "$build/hfi_plugin.wasm"
"$build/cli/hfi-metrics" inspect "$build/hfi_plugin.wasm"
"$build/cli/hfi-metrics" verify --local --plugin "$build/hfi_plugin.wasm"
