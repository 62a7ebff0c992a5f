#!/usr/bin/env bash
# Benchmarks (not tests): link wrapping native and WASM on the same inputs, the edge's
# start-up and per-request cost, the Worker against a pure-JS worker under load, and sizes.
# Usage: npm run bench [-- EMAIL_DIR]   (default tests/data/emails)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)"
echo "== link wrapping, native (g++ -O3)"
build/native/bench-rewrite "$@"
echo "== link wrapping, WASM (emscripten, in Node)"
node bench/rewrite.js "$@"
echo "== edge: start-up and per-request cost (Node)"
node bench/edge/cold-start.mjs
echo "== edge: workerd load test, clicktrail vs pure-JS WebCrypto worker"
node bench/edge/load.js --rounds 3
echo "== sizes"
node bench/edge/bundle-size.mjs --minify
node examples/lambda-edge/bundle.mjs --example
