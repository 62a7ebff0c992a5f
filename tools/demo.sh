#!/usr/bin/env bash
# The main job (README's first command): installs what is missing, builds when the build is
# missing or stale, then wraps the example emails and prints the report.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
if ! bash tools/build.sh --check-fresh 2>/dev/null || [ ! -x build/native/clicktrail ]; then
  bash tools/build.sh
fi
node examples/wrap-examples.js
