#!/usr/bin/env bash
# Installs what switchyard needs to build and test on Debian 12. Idempotent: skips what is there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libssl-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk curl procps python3
  # tests/deploy (the compose file) and tests/bench (bench/peers, bench/compare smoke runs)
  python3-yaml haproxy nginx-light gnuplot-nox
  # bench/instructions: instructions and syscalls per request
  valgrind strace
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js runs dynalite for the DynamoDB tests. Some machines ship it from elsewhere with npm
# bundled (Debian's npm package would then conflict): install Debian's only when absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
"$(dirname "$0")/install-dynalite.sh"
