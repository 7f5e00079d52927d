#!/usr/bin/env python3
"""VP8 over SRTP keyed by DTLS over ICE, two pipelines written as gst-launch lines.

The elements share transports by name; this script is the signalling: ICE credentials and
candidates, DTLS roles and certificate fingerprints (what SDP carries). It counts the frames the
receiver decodes.

  GST_PLUGIN_PATH=build/plugins/rtc GI_TYPELIB_PATH=build/gst-libs/gst/rtc \
  LD_LIBRARY_PATH=build/gst-libs/gst/rtc /usr/bin/python3 examples/dtls_srtp_pair.py
"""
import sys
import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import GLib, Gst, GstRtc  # noqa: E402

Gst.init(None)

SENDER = (
    "videotestsrc is-live=true pattern=ball ! vp8enc deadline=1 keyframe-max-dist=30 "
    "! rtpvp8pay pt=96 ! rtcdtlssrtpenc transport-name=dtls-a ! rtcicesink transport-name=ice-a "
    "rtcicesrc transport-name=ice-a ! rtcdtlssrtpdec transport-name=dtls-a")
RECEIVER = (
    "rtcicesrc transport-name=ice-b ! rtcdtlssrtpdec name=dec transport-name=dtls-b "
    "dec.rtp_src ! application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96 "
    "! rtpjitterbuffer ! rtpvp8depay ! vp8dec ! fakesink name=out signal-handoffs=true "
    "sync=false async=false "
    "rtcdtlssrtpenc transport-name=dtls-b ! rtcicesink transport-name=ice-b")

sender = Gst.parse_launch(SENDER)
receiver = Gst.parse_launch(RECEIVER)

ice_a, ice_b = GstRtc.ICETransport.get_named("ice-a"), GstRtc.ICETransport.get_named("ice-b")
dtls_a, dtls_b = GstRtc.DTLSTransport.get_named("dtls-a"), GstRtc.DTLSTransport.get_named("dtls-b")

# ICE: local addresses, roles, credentials and trickled candidates.
for t in (ice_a, ice_b):
    t.props.ice_addresses = "127.0.0.1"
ice_b.props.role = GstRtc.ICERole.CONTROLLED
for src, dst in ((ice_a, ice_b), (ice_b, ice_a)):
    ufrag, pwd = src.get_local_credentials()
    dst.set_remote_credentials(ufrag, pwd)
    src.connect("on-local-candidate", lambda _t, c, d=dst: d.add_remote_candidate(c))
    src.connect("on-gathering-done", lambda _t, d=dst: d.end_of_remote_candidates())

# DTLS: A is the client (a=setup:active), each side knows the other's fingerprint.
for t in (dtls_a, dtls_b):
    t.props.certificate = GstRtc.Certificate.generate(GstRtc.KeyType.ECDSA_P256)
dtls_a.props.client = True
dtls_a.set_remote_fingerprint("sha-256 " + dtls_b.props.certificate.get_fingerprint("sha-256"))
dtls_b.set_remote_fingerprint("sha-256 " + dtls_a.props.certificate.get_fingerprint("sha-256"))
dtls_b.connect("notify::state", lambda t, _p: print("DTLS:", t.props.state.value_nick,
                                                     t.props.srtp_profile or ""))

frames = [0]
receiver.get_by_name("out").connect("handoff", lambda *a: frames.__setitem__(0, frames[0] + 1))
receiver.set_state(Gst.State.PLAYING)
sender.set_state(Gst.State.PLAYING)
ice_a.gather_candidates()
ice_b.gather_candidates()

loop = GLib.MainLoop()
GLib.timeout_add_seconds(3, loop.quit)
loop.run()
print("frames decoded:", frames[0], "| receiver stats:", dtls_b.get_stats().to_string())
sender.set_state(Gst.State.NULL)
receiver.set_state(Gst.State.NULL)
sys.exit(0 if frames[0] > 0 else 1)
