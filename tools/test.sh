#!/usr/bin/env bash
# Every test: installs what is missing, builds, then runs the Catch2 suite, the fuzz-corpus
# replays, a short libFuzzer run, the type check and the Node suite against the WASM build.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
bash tools/build.sh

echo "== C++ (Catch2, native g++)"
build/native/clicktrail-tests --reporter compact
echo "== fuzz corpus replay (g++)"
for target in rewrite verify ses cloudfront; do
  build/native/fuzz-replay-$target tests/fuzz/corpus/$target
done

if command -v clang++ >/dev/null; then
  # A fixed seed and run count: the same inputs on every run, so CI never flakes. Longer
  # exploratory runs: FUZZ_SECONDS=600 npm test (time-bounded, random seed).
  echo "== libFuzzer smoke run (clang, ASan+UBSan${FUZZ_SECONDS:+, $FUZZ_SECONDS s per target})"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$(nproc)" >/dev/null
  declare -A runs=([rewrite]=100000 [verify]=1000000 [ses]=150000 [cloudfront]=40000)
  for target in rewrite verify ses cloudfront; do
    work=$(mktemp -d)
    cp -r "tests/fuzz/corpus/$target/." "$work/"
    if [ -n "${FUZZ_SECONDS:-}" ]; then
      budget=(-max_total_time="$FUZZ_SECONDS")
    else
      budget=(-seed=1 -runs="${runs[$target]}")
    fi
    if ! build/fuzz/fuzz-$target "$work" "${budget[@]}" -max_len=4096 \
      -artifact_prefix="$work/" -print_final_stats=1 >"$work/log" 2>&1; then
      tail -40 "$work/log"
      echo "fuzz-$target found a failure; the input is kept in $work" >&2
      exit 1
    fi
    echo "fuzz-$target: $(grep -E 'stat::number_of_executed_units' "$work/log" | awk '{print $2}') runs, no failure"
    rm -rf "$work"
  done
fi

echo "== TypeScript declarations (tsc --noEmit)"
npx --no-install tsc --noEmit -p wasm/types/tsconfig.json

echo "== Node (node --test: the API on the WASM build, workerd and Lambda@Edge suites, the demo in headless Chromium)"
node --test tests/js/ tests/edge/ tests/browser/
