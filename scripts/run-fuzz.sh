#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded number of
# inputs from its seed corpus. Writes JUnit XML for the test summary. Usage:
#   scripts/run-fuzz.sh <build-dir> [runs]
set -uo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
RUNS=${2:-100000}
OUT="$BUILD/fuzz"
RESULTS="$BUILD/test-results"
mkdir -p "$OUT" "$RESULTS"
CXX=${FUZZ_CXX:-clang++}
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$SRC/gst-libs/gst/rtc" $(pkg-config --cflags gio-2.0 openssl libsrtp2 gstreamer-sdp-1.0))
LIBS=($(pkg-config --libs gio-2.0 openssl libsrtp2 gstreamer-sdp-1.0))
R="$SRC/gst-libs/gst/rtc"
CORE=("$R/ice/candidate.cpp" "$R/ice/uri.cpp" "$R/dtls/certificate.cpp" "$R/dtls/session.cpp"
      "$R/dtls/srtpprofile.cpp" "$R/dtls/fingerprint.cpp" "$R/srtp/context.cpp")
NEGOTIATION=("$R"/sdp/*.cpp "$R"/jsep/*.cpp) # only fuzz_sdp needs these

cases=""
failed=0
for target in candidate server_uri dtls_session srtp sdp; do
  exe="$OUT/fuzz_$target"
  start=$(date +%s.%N)
  msg=""
  sources=("${CORE[@]}")
  [[ $target == sdp ]] && sources+=("${NEGOTIATION[@]}")
  if ! "$CXX" "${FLAGS[@]}" "$SRC/tests/fuzz/fuzz_$target.cpp" "${sources[@]}" "${LIBS[@]}" \
      -o "$exe" 2> "$OUT/build_$target.log"; then
    msg="build failed: $(tail -n 5 "$OUT/build_$target.log")"
  else
    work="$OUT/corpus_$target"
    rm -rf "$work" && mkdir -p "$work"
    runs=$RUNS
    max_len=512
    [[ $target == dtls_session ]] && runs=$((RUNS / 5)) # a whole DTLS session per input
    [[ $target == sdp ]] && runs=$((RUNS / 10)) max_len=8192 # two negotiations per input
    if ! "$exe" -runs="$runs" -max_len=$max_len -seed=1 -artifact_prefix="$OUT/" \
        "$work" "$SRC/tests/fuzz/corpus/$target" \
        > "$OUT/run_$target.log" 2>&1; then
      msg="fuzzer found a crash: $(grep -m1 -E 'ERROR|SUMMARY' "$OUT/run_$target.log")"
    fi
  fi
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  if [[ -n "$msg" ]]; then
    failed=1
    echo "FAIL fuzz_$target: $msg"
    msg=${msg//&/&amp;}; msg=${msg//</&lt;}; msg=${msg//>/&gt;}; msg=${msg//\"/&quot;}
    cases+="<testcase classname=\"fuzz\" name=\"$target\" time=\"$secs\"><failure message=\"$msg\"/></testcase>"
  else
    echo "ok fuzz_$target: $runs inputs, $(grep -m1 -oE 'cov: [0-9]+' "$OUT/run_$target.log" | tail -1)"
    cases+="<testcase classname=\"fuzz\" name=\"$target\" time=\"$secs\"/>"
  fi
done
echo "<testsuites><testsuite name=\"fuzz\">$cases</testsuite></testsuites>" > "$RESULTS/fuzz.xml"
exit $failed
