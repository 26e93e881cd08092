#!/usr/bin/env bash
# Installs everything hfi-metrics needs to build and test, from Debian 12 packages only.
# Idempotent and quiet when all is present; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git python3 curl
  openssl                                           # a test certificate for verify --prometheus https
  emscripten binaryen wabt                          # the plugin's compiler, and libwabt for inspect/host
  libcli11-dev libcurl4-openssl-dev libyaml-cpp-dev prometheus-cpp-dev nlohmann-json3-dev
  libcivetweb-dev                                   # the embedded sidecar's HTTP listeners
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  clang clang-format libclang-rt-14-dev             # libFuzzer and the sanitizer runtimes
  prometheus                                        # promtool (parser oracle) and the server (fleet tests)
  groff-base man-db bash-completion zsh fish        # man page and completion script tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Installing the prometheus package must not leave a server running on :9090 that tests collide with.
if printf '%s\n' "${missing[@]}" | grep -qx prometheus && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
