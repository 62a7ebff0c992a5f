#!/usr/bin/env bash
# Benchmarks (not tests): bench/run.js runs every section (bench/sections/): link wrapping,
# clicktrail native and WASM against htmlparser2, cheerio, parse5, linkify-it and regexes on the
# same inputs; click verification against node:crypto and WebCrypto, cold start and the JS/WASM
# boundary; sizes; the Worker against a pure-JS worker under load in workerd. Prints tables with
# ratios, writes bench/results/latest.json and the plot bench/results/throughput.svg.
# Usage: npm run bench [-- [--only SECTION] [--quick] [--emails DIR]]   (node bench/run.js --help)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/build.sh >/dev/null
node bench/run.js --plot "$@"
