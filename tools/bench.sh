#!/usr/bin/env bash
# Benchmarks (not tests): native and WASM rewriteLinks throughput on the same inputs.
# Usage: npm run bench [-- EMAIL_DIR]   (default tests/data/emails)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)"
echo "== native (g++ -O3)"
build/native/bench-rewrite "$@"
echo "== WASM (emscripten, in Node)"
node bench/rewrite.js "$@"
