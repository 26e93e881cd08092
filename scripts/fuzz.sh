#!/usr/bin/env bash
# A short libFuzzer run of every fuzz target (tests/fuzz): configures and builds a clang build dir
# with -DHFI_BUILD_FUZZERS=ON (only the fuzz targets and the libraries they link), then runs each
# target for SECONDS (default 60) from its seed corpus. Fails on any crash, leak, timeout or
# out-of-memory, naming the input that caused it. SECONDS=0 only runs the seeds once.
#   scripts/fuzz.sh [SECONDS]
# Environment: HFI_FUZZ_BUILD_DIR (default build-fuzz), HFI_JOBS (default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
dir=${HFI_FUZZ_BUILD_DIR:-build-fuzz}
jobs=${HFI_JOBS:-$(nproc)}
[[ $dir == /* ]] || dir=$root/$dir

if [[ ! $seconds =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [SECONDS]" >&2
  exit 64
fi
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (scripts/setup.sh installs clang and libclang-rt-14-dev)" >&2
  exit 2
fi

# Every fuzz target has a seed corpus named after it; the seeds are only ever read.
targets=()
for seeds in tests/fuzz/corpus/*/; do
  targets+=("$(basename "$seeds")")
done

# Inputs longer than these teach a fuzzer little and slow it down; each is above its largest seed.
max_len() {
  case $1 in
    policy_fuzz) echo 4096 ;;
    prom_parser_fuzz) echo 8192 ;;
    wasm_inspect_fuzz) echo 16384 ;;
    values_fuzz) echo 4096 ;;
    *) echo 4096 ;;
  esac
}
dict() {
  case $1 in
    prom_parser_fuzz) echo "tests/fuzz/prom.dict" ;;
  esac
}

echo "== $dir: configure and build (clang, libFuzzer, ASan, UBSan)" >&2
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# -O1 without NDEBUG: fast enough to fuzz, and assertions stay on.
cmake -S . -B "$dir" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" \
  -DHFI_BUILD_FUZZERS=ON -DHFI_BUILD_TESTS=OFF -DHFI_BUILD_PLUGIN=OFF "${launcher[@]}" >/dev/null
cmake --build "$dir" -j "$jobs" --target "${targets[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=$dir/fuzz-artifacts
logs=$dir/fuzz-logs
mkdir -p "$artifacts" "$logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target" "$artifacts/$target"
  log=$logs/$target.log
  flags=(-rss_limit_mb=2048 -timeout=10 "-max_len=$(max_len "$target")"
    "-artifact_prefix=$artifacts/$target/" -print_final_stats=1)
  if [[ $seconds -eq 0 ]]; then
    flags+=(-runs=0)
  else
    flags+=("-max_total_time=$seconds")
  fi
  [[ -n $(dict "$target") ]] && flags+=("-dict=$(dict "$target")")
  echo "== fuzz $target for ${seconds}s (log: $log)" >&2
  # New inputs go to the first corpus dir (scratch); the seeds are the second, read-only.
  if "$dir/tests/fuzz/$target" "${flags[@]}" "$work/$target" "tests/fuzz/corpus/$target" \
    >"$log" 2>&1; then
    grep -E '^#[0-9]+.*(DONE|INITED)' "$log" | tail -1 >&2 || true
  else
    status=$?
    failed=$((failed + 1))
    tail -n 40 "$log" >&2
    inputs=$(grep -oE "Test unit written to [^ ]+" "$log" | sed 's/^Test unit written to //' || true)
    echo "fuzz: $target failed (exit $status); input: ${inputs:-none written, see $log}" >&2
  fi
done

if [[ $failed -ne 0 ]]; then
  echo "fuzz: $failed of ${#targets[@]} targets failed; reproduce with the target and the input" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a finding" >&2
