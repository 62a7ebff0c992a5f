#!/usr/bin/env bash
# Installs what clicktrail needs to build and test, on Debian as root: the toolchain from Debian's
# packages and the npm devDependencies. Idempotent: does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ emscripten nlohmann-json3-dev catch2 clang libclang-rt-14-dev
  zlib1g-dev chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
