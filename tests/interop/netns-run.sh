#!/bin/sh
# Runs a command in a new network namespace where loopback is the only interface, so peers
# that gather on every interface (webrtcbin's libnice, aiortc, browsers) can only use 127.0.0.1
# and nothing leaves the machine. Needs CAP_SYS_ADMIN (root); `make test` runs as root here.
exec unshare --net -- sh -c 'ip link set lo up && exec "$@"' netns-run "$@"
