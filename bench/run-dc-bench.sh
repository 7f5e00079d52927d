#!/bin/sh
# Data channel throughput (bench/dc-bench.py): rtcbin, webrtcbin, aiortc and raw usrsctp
# (bench/sctp-floor) side by side, in a network namespace where loopback is the only
# interface. Usage: bench/run-dc-bench.sh BUILD_DIR [dc-bench.py options, e.g. --runs 3 --mb 200]
set -e
BUILD=$(cd "${1:-build}" && pwd)
[ $# -gt 0 ] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
export GST_PLUGIN_PATH="$BUILD/plugins/rtc" GI_TYPELIB_PATH="$BUILD/gst-libs/gst/rtc" \
  LD_LIBRARY_PATH="$BUILD/gst-libs/gst/rtc"
exec "$HERE/../tests/interop/netns-run.sh" /usr/bin/python3 "$HERE/dc-bench.py" --matrix \
  --floor "$BUILD/bench/sctp-floor" "$@"
