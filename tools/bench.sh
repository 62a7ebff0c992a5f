#!/usr/bin/env bash
# Benchmarks (not tests): bench/run.js runs every section (bench/sections/): link wrapping,
# clicktrail native and WASM against htmlparser2, cheerio, parse5, linkify-it and regexes on the
# same inputs; click verification against node:crypto and WebCrypto, cold start and the JS/WASM
# boundary; SES event parsing against JSON.parse + normalise in JS; CloudFront log aggregation
# (throughput and peak memory) against a JS implementation and goaccess; sizes; the Worker
# against a pure-JS worker under load in workerd. Prints tables with ratios, writes
# bench/results/latest.json and the plots (bench/results/*.svg).
# Usage: npm run bench [-- [--only SECTION] [--quick] [--keep] [--emails DIR]]   (node bench/run.js --help)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
# Benchmark-only tools (not needed to build or test, so not in setup.sh): goaccess, the peer of
# the cloudfront section, and GNU time, which measures every program's peak memory there.
bench_packages=(goaccess time)
bench_missing=()
for package in "${bench_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    bench_missing+=("$package")
done
if ((${#bench_missing[@]})) && command -v apt-get >/dev/null; then
  echo "bench: installing ${bench_missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  # Without them the sections skip goaccess / poll /proc for memory and say so: not fatal.
  { "${sudo_cmd[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      "${bench_missing[@]}" >/dev/null; } || echo "bench: could not install ${bench_missing[*]}" >&2
fi
bash tools/build.sh >/dev/null
node bench/run.js --plot "$@"
