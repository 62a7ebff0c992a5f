#!/usr/bin/env bash
# Builds the native library, CLI and tests (build/native) and the WebAssembly package
# (wasm/dist). --check-fresh only checks that wasm/dist is newer than every source.
set -euo pipefail
cd "$(dirname "$0")/.."

sources=(cpp wasm/*.cpp wasm/*.hpp wasm/CMakeLists.txt CMakeLists.txt)
if [ "${1:-}" = "--check-fresh" ]; then
  for wasm in wasm/dist/clicktrail-core.wasm wasm/dist/clicktrail-backoffice.wasm; do
    [ -f "$wasm" ] || { echo "build: $wasm is missing; run npm run build" >&2; exit 1; }
    newer=$(find "${sources[@]}" -newer "$wasm" -type f | head -1)
    [ -z "$newer" ] || { echo "build: $newer is newer than $wasm; run npm run build" >&2; exit 1; }
  done
  exit 0
fi

jobs=$(nproc)
cmake --preset native >/dev/null
cmake --build --preset native -j "$jobs"

# Debian's emscripten runs its JS optimiser passes with node and needs Debian's acorn.
export NODE_PATH=/usr/share/nodejs
cmake --preset wasm >/dev/null
cmake --build --preset wasm -j "$jobs"
