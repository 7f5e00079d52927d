#!/usr/bin/env python3
"""Two ICE transports in one process, pipelines written as gst-launch lines.

The pipelines name their transports (transport-name=...); this script plays signalling:
it exchanges credentials and trickles candidates between the two transports, then sends a
test video stream from one pipeline to the other and counts decoded frames.

  GST_PLUGIN_PATH=build/plugins/rtc GI_TYPELIB_PATH=build/gst-libs/gst/rtc \
  LD_LIBRARY_PATH=build/gst-libs/gst/rtc /usr/bin/python3 examples/ice_pair.py
"""
import sys
import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import GLib, Gst, GstRtc  # noqa: E402

Gst.init(None)

SENDER = ("videotestsrc is-live=true ! vp8enc deadline=1 keyframe-max-dist=30 "
          "! rtpvp8pay pt=96 ! rtcicesink transport-name=alice")
RECEIVER = ("rtcicesrc transport-name=bob "
            "! application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96 "
            "! rtpjitterbuffer ! rtpvp8depay ! vp8dec ! fakesink name=out signal-handoffs=true "
            "sync=false async=false")

sender = Gst.parse_launch(SENDER)
receiver = Gst.parse_launch(RECEIVER)
alice = GstRtc.ICETransport.get_named("alice")
bob = GstRtc.ICETransport.get_named("bob")
for t in (alice, bob):
    t.props.ice_addresses = "127.0.0.1"   # loopback: libnice skips it unless told
bob.props.role = GstRtc.ICERole.CONTROLLED


def signal(src, dst):
    """What a signalling channel would carry: credentials and trickled candidates."""
    ufrag, pwd = src.get_local_credentials()
    dst.set_remote_credentials(ufrag, pwd)
    src.connect("on-local-candidate", lambda _t, c: dst.add_remote_candidate(c))
    src.connect("on-gathering-done", lambda _t: dst.end_of_remote_candidates())


signal(alice, bob)
signal(bob, alice)
alice.connect("notify::state", lambda t, _p: print("alice:", t.props.state.value_nick))
frames = [0]
receiver.get_by_name("out").connect("handoff", lambda *a: frames.__setitem__(0, frames[0] + 1))

receiver.set_state(Gst.State.PLAYING)
sender.set_state(Gst.State.PLAYING)
alice.gather_candidates()
bob.gather_candidates()

loop = GLib.MainLoop()
GLib.timeout_add_seconds(3, loop.quit)
loop.run()
print("selected pair:", alice.props.selected_pair.get_value("local-candidate"), "->",
      alice.props.selected_pair.get_value("remote-candidate"))
print("frames decoded:", frames[0])
sender.set_state(Gst.State.NULL)
receiver.set_state(Gst.State.NULL)
sys.exit(0 if frames[0] > 0 else 1)
