#!/usr/bin/env bash
# Runs every suite (unit, elements, interop) and prints one line 'N passed, N failed'.
set -uo pipefail
BUILD=${BUILD:-build}
rm -rf "$BUILD/test-results" "$BUILD/meson-logs/testlog.json"
mkdir -p "$BUILD/test-results"
meson test -C "$BUILD" --print-errorlogs --num-processes 1 "$@"
/usr/bin/python3 "$(dirname "$0")/summarize-tests.py" "$BUILD"
