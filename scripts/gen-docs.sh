#!/usr/bin/env bash
# Regenerates what is generated from the command tree and checked in: man/hfi-metrics.1 and the
# bash, zsh and fish completion scripts in completions/. Run it after changing a command, a flag
# or a hint; tests/e2e/docs_current.sh fails until it has been run.
#
#   scripts/gen-docs.sh [BINARY]           write the four files (BINARY: a built hfi-metrics;
#                                          default $HFI_METRICS, else build/cli/hfi-metrics)
#   scripts/gen-docs.sh --check [BINARY]   compare instead; exit 1 naming the files that differ
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
bin=${1:-${HFI_METRICS:-$root/build/cli/hfi-metrics}}
if [ ! -x "$bin" ]; then
  echo "gen-docs: $bin: no such program (build hfi-metrics first, or pass its path)" >&2
  exit 2
fi

# file (relative to the source root), then the hfi-metrics arguments that print it
docs=(
  "man/hfi-metrics.1|__man"
  "completions/hfi-metrics.bash|completion bash"
  "completions/_hfi-metrics|completion zsh"
  "completions/hfi-metrics.fish|completion fish"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stale=()
for doc in "${docs[@]}"; do
  file=${doc%%|*}
  read -ra args <<<"${doc#*|}"
  if ! "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err"; then
    echo "gen-docs: '$bin ${args[*]}' failed: $(head -c 500 "$tmp/err")" >&2
    exit 2
  fi
  if [ "$check" = 1 ]; then
    cmp -s "$tmp/out" "$root/$file" || stale+=("$file")
  else
    mkdir -p "$(dirname "$root/$file")"
    cp "$tmp/out" "$root/$file"
  fi
done

if [ "$check" = 1 ] && [ ${#stale[@]} -gt 0 ]; then
  for file in "${stale[@]}"; do
    echo "gen-docs: $file differs from what $bin generates" >&2
  done
  echo "gen-docs: regenerate them with: scripts/gen-docs.sh $bin (and commit the result)" >&2
  exit 1
fi
[ "$check" = 1 ] || echo "gen-docs: wrote ${#docs[@]} files from $bin" >&2
