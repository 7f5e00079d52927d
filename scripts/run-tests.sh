#!/usr/bin/env bash
# Runs every suite in the main build (unit, elements, interop, fuzz), then the unit and element
# suites again in the sanitizer build (ASan + UBSan) when it exists, and prints one line
# 'N passed, N failed' over all of them.
set -uo pipefail
BUILD=${BUILD:-build}
SAN_BUILD=${SAN_BUILD:-build-asan}
dirs=("$BUILD")
rm -rf "$BUILD/test-results" "$BUILD/meson-logs/testlog.json"
mkdir -p "$BUILD/test-results"
meson test -C "$BUILD" --print-errorlogs --num-processes 1 "$@"
if [[ -f "$SAN_BUILD/build.ninja" && $# -eq 0 ]]; then
  rm -rf "$SAN_BUILD/test-results" "$SAN_BUILD/meson-logs/testlog.json" "$SAN_BUILD"/tests/*.registry
  mkdir -p "$SAN_BUILD/test-results"
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C "$SAN_BUILD" --print-errorlogs --num-processes 1 --suite unit --suite elements
  dirs+=("$SAN_BUILD")
fi
/usr/bin/python3 "$(dirname "$0")/summarize-tests.py" "${dirs[@]}"
