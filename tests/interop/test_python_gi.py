"""The library from Python through the GIR typelib (GstRtc-1.0), as applications use it:
two transports wired in-process, pipelines built with Gst.parse_launch using transport-name,
bytes checked on arrival."""
import hashlib
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import GLib, Gst, GstRtc  # noqa: E402

Gst.init(None)

UP = (GstRtc.ICEConnectionState.CONNECTED, GstRtc.ICEConnectionState.COMPLETED)


def wait_for(pred, timeout=10.0):
    cond = threading.Condition()
    deadline = GLib.get_monotonic_time() + int(timeout * 1e6)
    with cond:
        while not pred():
            left = (deadline - GLib.get_monotonic_time()) / 1e6
            if left <= 0:
                return False
            cond.wait(min(left, 0.01))
    return True


def connect_pair(a, b):
    for t in (a, b):
        t.props.ice_addresses = "127.0.0.1"
        t.props.ice_tcp = False
    b.props.role = GstRtc.ICERole.CONTROLLED
    errors = []

    def wire(src, dst):
        def on_cand(_t, cand):
            try:
                dst.add_remote_candidate(cand)
            except GLib.Error as e:
                errors.append(e.message)
        src.connect("on-local-candidate", on_cand)
        src.connect("on-gathering-done", lambda _t: dst.end_of_remote_candidates())

    wire(a, b)
    wire(b, a)
    ua, pa = a.get_local_credentials()
    ub, pb = b.get_local_credentials()
    a.set_remote_credentials(ub, pb)
    b.set_remote_credentials(ua, pa)
    a.gather_candidates()
    b.gather_candidates()
    assert wait_for(lambda: a.props.state in UP and b.props.state in UP), (a.props.state, b.props.state)
    assert not errors, errors


def test_enums_and_errors_are_introspectable():
    assert int(GstRtc.ICEConnectionState.FAILED) == 4
    assert int(GstRtc.ICEGatheringState.COMPLETE) == 2
    # Same values as GstWebRTC*, so webrtcbin code ports by renaming.
    assert int(GstRtc.SignalingState.HAVE_LOCAL_OFFER) == 2
    assert int(GstRtc.SDPType.ROLLBACK) == 4
    assert int(GstRtc.DTLSTransportState.CONNECTED) == 4
    t = GstRtc.ICETransport.new("errors")
    try:
        t.add_remote_candidate("candidate:1 1 UDP 1 127.0.0.1 99999 typ host")
        raise AssertionError("a bad candidate was accepted")
    except GLib.Error as e:
        assert e.domain == "gst-rtc-error-quark"
        assert e.code == int(GstRtc.Error.TYPE_ERROR)
        assert "port '99999'" in e.message


def test_named_transports_carry_checked_bytes_between_parse_launch_pipelines():
    sender = Gst.parse_launch(
        "appsrc name=in is-live=true format=time ! rtcicesink transport-name=py-a")
    receiver = Gst.parse_launch(
        "rtcicesrc transport-name=py-b ! appsink name=out emit-signals=true sync=false")
    a = GstRtc.ICETransport.get_named("py-a")
    b = GstRtc.ICETransport.get_named("py-b")
    connect_pair(a, b)
    pair = a.props.selected_pair
    assert pair.get_value("local-address") == "127.0.0.1"

    got = []
    done = threading.Event()

    def on_sample(sink):
        s = sink.emit("pull-sample")
        buf = s.get_buffer()
        got.append(buf.extract_dup(0, buf.get_size()))
        assert buf.pts != Gst.CLOCK_TIME_NONE
        if len(got) == 2000:
            done.set()
        return Gst.FlowReturn.OK

    receiver.get_by_name("out").connect("new-sample", on_sample)
    receiver.set_state(Gst.State.PLAYING)
    sender.set_state(Gst.State.PLAYING)
    appsrc = sender.get_by_name("in")
    sent = []
    for i in range(2000):
        payload = hashlib.sha256(str(i).encode()).digest() * (1 + i % 30)
        sent.append(payload)
        appsrc.emit("push-buffer", Gst.Buffer.new_wrapped(payload))
        if i % 100 == 99:  # flow window: stay within the socket buffers
            wait_for(lambda: len(got) >= i - 50, 5)
    assert done.wait(10), f"received {len(got)} of 2000"
    assert got == sent
    stats = a.props.stats
    assert stats.get_value("packets-sent") == 2000
    sender.set_state(Gst.State.NULL)
    receiver.set_state(Gst.State.NULL)


def test_session_descriptions_from_python_like_webrtcbin():
    gi.require_version("GstSdp", "1.0")
    from gi.repository import GstSdp
    path = __import__("os").path.join(__import__("os").environ["GSTRTC_TEST_DATA"], "sdp",
                                      "chromium-03-audio-video.offer.sdp")
    text = open(path, newline="").read()
    res, msg = GstSdp.SDPMessage.new_from_text(text)
    assert res == GstSdp.SDPResult.OK
    # webrtcbin's spelling, renamed: GstWebRTC.WebRTCSessionDescription.new(type, sdp)
    desc = GstRtc.SessionDescription.new(GstRtc.SDPType.OFFER, msg)
    assert desc.type == GstRtc.SDPType.OFFER
    assert desc.sdp.medias_len() == 2
    assert desc.sdp.get_media(1).get_media() == "video"
    assert GstRtc.sdp_type_to_string(desc.type) == "offer"
    copy = desc.copy()
    assert copy.to_text() == desc.to_text()
    answer = GstRtc.SessionDescription.new_from_text(GstRtc.SDPType.ANSWER, text)
    assert answer.type == GstRtc.SDPType.ANSWER
    assert answer.sdp.get_media(0).get_attribute_val("mid") == "0"
    # Not SDP: a GError naming what is wrong, in the GstRtc error domain.
    try:
        GstRtc.SessionDescription.new_from_text(GstRtc.SDPType.OFFER, "hello")
        assert False, "accepted garbage"
    except GLib.Error as e:
        assert e.domain == "gst-rtc-error-quark"
        assert e.code == int(GstRtc.Error.TYPE_ERROR)
        assert "v=0" in e.message, e.message


def test_every_enum_has_webrtcbins_values():
    """Ported code compares and passes these as integers: each GstRtc enum must have the same
    members with the same values as its GstWebRTC counterpart (gst-plugins-bad 1.22)."""
    gi.require_version("GstWebRTC", "1.0")
    from gi.repository import GstWebRTC
    pairs = {
        "ICEConnectionState": "WebRTCICEConnectionState",
        "ICEGatheringState": "WebRTCICEGatheringState",
        "ICERole": "WebRTCICERole",
        "ICETransportPolicy": "WebRTCICETransportPolicy",
        "DTLSTransportState": "WebRTCDTLSTransportState",
        "SignalingState": "WebRTCSignalingState",
        "SDPType": "WebRTCSDPType",
        "RTPTransceiverDirection": "WebRTCRTPTransceiverDirection",
        "Kind": "WebRTCKind",
        "BundlePolicy": "WebRTCBundlePolicy",
        "PeerConnectionState": "WebRTCPeerConnectionState",
        "FECType": "WebRTCFECType",
        "SCTPTransportState": "WebRTCSCTPTransportState",
        "DataChannelState": "WebRTCDataChannelState",
        "PriorityType": "WebRTCPriorityType",
        "StatsType": "WebRTCStatsType",
    }
    for ours, theirs in pairs.items():
        a, b = getattr(GstRtc, ours), getattr(GstWebRTC, theirs)
        their_members = {k: int(v) for k, v in b.__enum_values__.items()}
        our_members = {k: int(v) for k, v in a.__enum_values__.items()}
        their_nicks = {v.value_nick: int(k) for k, v in b.__enum_values__.items()}
        our_nicks = {v.value_nick: int(k) for k, v in a.__enum_values__.items()}
        for nick, value in their_nicks.items():
            assert our_nicks.get(nick) == value, (ours, nick, our_nicks, their_members)
        assert set(our_nicks) >= set(their_nicks), (ours, our_members)
