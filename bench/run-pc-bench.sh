#!/bin/sh
# rtcbin vs webrtcbin (bench/pc-bench.py) in a network namespace where loopback is the only
# interface. Usage: bench/run-pc-bench.sh BUILD_DIR [pc-bench.py options]
set -e
BUILD=${1:-build}
[ $# -gt 0 ] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
export GST_PLUGIN_PATH="$BUILD/plugins/rtc" GI_TYPELIB_PATH="$BUILD/gst-libs/gst/rtc" \
  LD_LIBRARY_PATH="$BUILD/gst-libs/gst/rtc"
exec "$HERE/../tests/interop/netns-run.sh" /usr/bin/python3 "$HERE/pc-bench.py" "$@"
