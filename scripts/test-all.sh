#!/usr/bin/env bash
# Builds and runs every test: the main configuration (warnings as errors), then the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer, then a short libFuzzer run of every fuzz
# target (HFI_FUZZ_SECONDS each, default 60; scripts/fuzz.sh), then the formatting check.
# Run scripts/setup.sh first (the README's second command does).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

configure_build_test() {  # dir, extra cmake args...
  local dir=$1; shift
  echo "== $dir: configure and build" >&2
  cmake -S . -B "$dir" -G Ninja -DHFI_WARNINGS_AS_ERRORS=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== $dir: test" >&2
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600
}

configure_build_test build -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  configure_build_test build-asan -DCMAKE_BUILD_TYPE=Debug "-DHFI_SANITIZE=address;undefined"

HFI_JOBS=$jobs scripts/fuzz.sh "${HFI_FUZZ_SECONDS:-60}"

echo "== format check" >&2
files=$(git ls-files '*.cc' '*.h')
if ! clang-format --dry-run --Werror $files; then
  echo "format check failed: run clang-format -i on the files above" >&2
  exit 1
fi
echo "all tests passed" >&2
