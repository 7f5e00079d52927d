#!/usr/bin/env bash
# Installs the Debian 12 packages gst-rtc needs to build, test and run its demo.
# Only missing packages are installed; sudo is used only when not root.
set -euo pipefail

PKGS=(
  # build
  meson ninja-build pkg-config g++ clang libclang-rt-14-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libnice-dev libssl-dev libsrtp2-dev libusrsctp-dev libsoup-3.0-dev libjson-glib-dev
  gobject-introspection libgirepository1.0-dev
  # run
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # tests: GoogleTest, pytest, Python GI, and the peers/anchors the tests run against
  libgtest-dev python3-pytest python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0
  coturn gstreamer1.0-nice gstreamer1.0-plugins-bad gstreamer1.0-libav iproute2
  python3-aiortc chromium
)

missing=()
for p in "${PKGS[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  SUDO=(sudo)
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
# coturn's package starts a system TURN server on 3478; the tests run their own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet coturn 2>/dev/null; then
  "${SUDO[@]}" systemctl stop coturn || true
fi
