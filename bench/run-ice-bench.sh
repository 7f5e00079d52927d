#!/usr/bin/env bash
# Usage: bench/run-ice-bench.sh [build-dir] [ice-bench args]; the table goes to stdout.
set -euo pipefail
BUILD=${1:-build}
shift || true
export GST_PLUGIN_PATH="$BUILD/plugins/rtc${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
exec "$BUILD/bench/ice-bench" "$@"
