#!/usr/bin/env bash
# Installs everything the node and its tests need on Debian 12 (run as root).
set -euo pipefail
packages=(
  cmake g++ make pkg-config
  libcaf-dev libpistache-dev nlohmann-json3-dev rapidjson-dev libspdlog-dev libabsl-dev
  doctest-dev libcurl4-openssl-dev clang-format libxxhash-dev iproute2 iptables libssl-dev openssl
  libsystemd-dev libcli11-dev prometheus-cpp-dev
  chromium  # dashboard_test loads /ui in a real browser
  python3 python3-yaml
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
