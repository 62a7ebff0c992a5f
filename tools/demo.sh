#!/usr/bin/env bash
# The main job (README's first command): installs what is missing, builds when the build is
# missing or stale, then runs the local demo (web/demo/server.js) until Ctrl-C: the composer and
# report pages and clicktrail's Cloudflare Worker in workerd with a local D1 store, on loopback.
# Arguments go to the server: --port 8787 --worker-port 8788 --state .demo
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
if ! bash tools/build.sh --check-fresh 2>/dev/null || [ ! -x build/native/clicktrail ]; then
  bash tools/build.sh
fi
exec node web/demo/server.js "$@"
