"""rtcbin's API as applications use it from Python (webrtcbin's signals, properties and promise
replies with GstRtc types), and its answers to wrong calls and bad input."""
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtc", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import Gst, GstRtc, GstSdp  # noqa: E402

Gst.init(None)

VP8 = Gst.Caps.from_string("application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000")
OPUS = Gst.Caps.from_string(
    "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,encoding-params=2")


def make_bin(ready=False):
    pipe = Gst.Pipeline.new()
    pc = Gst.ElementFactory.make("rtcbin")
    pc.set_property("ice-addresses", "127.0.0.1")
    pc.set_property("ice-tcp", False)
    pipe.add(pc)
    if ready:
        pipe.set_state(Gst.State.READY)
    return pipe, pc


def call(pc, signal, *args):
    """Emits a promise signal and returns (reply field dict) once answered."""
    promise = Gst.Promise.new()
    pc.emit(signal, *args, promise)
    assert promise.wait() == Gst.PromiseResult.REPLIED
    reply = promise.get_reply()
    if reply is None:
        return {}
    out = {}
    for i in range(reply.n_fields()):
        name = reply.nth_field_name(i)
        value = reply.get_value(name)
        # Read descriptions while the reply lives (PyGObject copies the structure).
        out[name] = (value.type, value.sdp.as_text()) if name in ("offer", "answer") else value
    return out


def description(kind, text):
    return GstRtc.SessionDescription.new_from_text(kind, text)


def offer_text(pc):
    r = call(pc, "create-offer", None)
    assert "offer" in r, r
    return r["offer"][1]


def test_defaults_are_what_browsers_expect():
    _pipe, pc = make_bin()
    assert pc.get_property("bundle-policy") == GstRtc.BundlePolicy.BALANCED
    assert pc.get_property("signaling-state") == GstRtc.SignalingState.STABLE
    assert pc.get_property("connection-state") == GstRtc.PeerConnectionState.NEW
    assert pc.get_property("ice-gathering-state") == GstRtc.ICEGatheringState.NEW
    assert pc.get_property("local-description") is None
    assert pc.get_property("latency") == 200


def test_add_transceiver_offer_and_negotiation_needed():
    pipe, pc = make_bin()
    fired = threading.Event()
    pc.connect("on-negotiation-needed", lambda _pc: fired.set())
    pipe.set_state(Gst.State.READY)
    t = pc.emit("add-transceiver", GstRtc.RTPTransceiverDirection.RECVONLY, VP8)
    assert isinstance(t, GstRtc.RTPTransceiver)
    assert t.get_property("kind") == GstRtc.Kind.VIDEO
    assert t.get_property("mid") is None
    assert fired.wait(5), "no on-negotiation-needed after add-transceiver"
    assert pc.emit("get-transceiver", 0) == t
    assert pc.emit("get-transceiver", 1) is None
    text = offer_text(pc)
    assert "m=video 9 UDP/TLS/RTP/SAVPF 96" in text and "a=recvonly" in text
    assert "a=rtpmap:96 VP8/90000" in text and "a=setup:actpass" in text
    r = call(pc, "set-local-description", description(GstRtc.SDPType.OFFER, text))
    assert r == {}
    assert pc.get_property("signaling-state") == GstRtc.SignalingState.HAVE_LOCAL_OFFER
    assert t.get_property("mid") == "0" and t.get_property("mlineindex") == 0
    local = pc.get_property("local-description")
    assert local.type == GstRtc.SDPType.OFFER
    assert pc.get_property("pending-local-description") is not None
    assert pc.get_property("current-local-description") is None
    pipe.set_state(Gst.State.NULL)


def test_remote_offer_creates_transceivers_and_an_answer():
    pa, a = make_bin(ready=True)
    pb, b = make_bin(ready=True)
    a.emit("add-transceiver", GstRtc.RTPTransceiverDirection.SENDRECV, OPUS)
    a.emit("add-transceiver", GstRtc.RTPTransceiverDirection.SENDONLY, VP8)
    new = []
    b.connect("on-new-transceiver", lambda _pc, t: new.append(t))
    offer = offer_text(a)
    assert call(a, "set-local-description", description(GstRtc.SDPType.OFFER, offer)) == {}
    assert call(b, "set-remote-description", description(GstRtc.SDPType.OFFER, offer)) == {}
    assert [t.get_property("kind") for t in new] == [GstRtc.Kind.AUDIO, GstRtc.Kind.VIDEO]
    assert [t.get_property("mid") for t in new] == ["0", "1"]
    assert b.get_property("signaling-state") == GstRtc.SignalingState.HAVE_REMOTE_OFFER
    r = call(b, "create-answer", None)
    kind, answer = r["answer"]
    assert kind == GstRtc.SDPType.ANSWER
    assert "a=setup:active" in answer and "a=recvonly" in answer  # answers sendonly
    assert call(b, "set-local-description", description(GstRtc.SDPType.ANSWER, answer)) == {}
    assert call(a, "set-remote-description", description(GstRtc.SDPType.ANSWER, answer)) == {}
    for pc in (a, b):
        assert pc.get_property("signaling-state") == GstRtc.SignalingState.STABLE
    # W3C: a transceiver a remote offer created only receives until the application says
    # otherwise; setting sendrecv makes negotiation needed again.
    cur = [t.get_property("current-direction") for t in new]
    assert cur == [GstRtc.RTPTransceiverDirection.RECVONLY] * 2
    fired = threading.Event()
    b.connect("on-negotiation-needed", lambda _pc: fired.set())
    new[0].set_property("direction", GstRtc.RTPTransceiverDirection.SENDRECV)
    assert fired.wait(5)
    assert "a=sendrecv" in offer_text(b)
    for p in (pa, pb):
        p.set_state(Gst.State.NULL)


def test_bad_descriptions_get_error_replies_and_change_nothing():
    pipe, pc = make_bin()
    pipe.set_state(Gst.State.READY)
    other_pipe, other = make_bin()
    other_pipe.set_state(Gst.State.READY)
    other.emit("add-transceiver", GstRtc.RTPTransceiverDirection.SENDRECV, OPUS)
    good = offer_text(other)
    bad = "\r\n".join(x for x in good.split("\r\n") if not x.startswith("a=ice-ufrag"))
    r = call(pc, "set-remote-description", description(GstRtc.SDPType.OFFER, bad))
    assert "error" in r
    assert "ice-ufrag" in r["error"].message, r["error"].message
    assert pc.get_property("signaling-state") == GstRtc.SignalingState.STABLE
    assert pc.get_property("remote-description") is None
    # An answer with nothing to answer; create-answer without an offer.
    r = call(pc, "set-remote-description", description(GstRtc.SDPType.ANSWER, good))
    assert "error" in r and r["error"].matches(GstRtc.error_quark(), GstRtc.Error.INVALID_STATE)
    r = call(pc, "create-answer", None)
    assert "error" in r and "offer" in r["error"].message.lower()
    # A missing description.
    r = call(pc, "set-local-description", None)
    assert "error" in r
    # The session still works after all that.
    assert call(pc, "set-remote-description", description(GstRtc.SDPType.OFFER, good)) == {}
    r = call(pc, "create-answer", None)
    assert "answer" in r
    pipe.set_state(Gst.State.NULL)
    other_pipe.set_state(Gst.State.NULL)


def test_description_before_start_is_refused_with_the_reason():
    """A description needs the bin's elements: in NULL state it gets an InvalidState reply
    (no criticals from half-built transports), and the same one applies once started."""
    pipe, pc = make_bin()
    other_pipe, other = make_bin(ready=True)
    other.emit("create-data-channel", "chat", None)
    good = offer_text(other)
    r = call(pc, "set-remote-description", description(GstRtc.SDPType.OFFER, good))
    assert "error" in r and r["error"].matches(GstRtc.error_quark(), GstRtc.Error.INVALID_STATE)
    assert "READY" in r["error"].message, r["error"].message
    assert pc.get_property("remote-description") is None
    pipe.set_state(Gst.State.READY)
    assert call(pc, "set-remote-description", description(GstRtc.SDPType.OFFER, good)) == {}
    assert "answer" in call(pc, "create-answer", None)
    pipe.set_state(Gst.State.NULL)
    other_pipe.set_state(Gst.State.NULL)


def test_bad_candidates_get_error_replies():
    pa, a = make_bin(ready=True)
    pb, b = make_bin(ready=True)
    a.emit("add-transceiver", GstRtc.RTPTransceiverDirection.SENDRECV, OPUS)
    offer = offer_text(a)
    assert call(b, "set-remote-description", description(GstRtc.SDPType.OFFER, offer)) == {}
    r = call(b, "add-ice-candidate-full", 0, "candidate:1 1 udp nonsense")
    assert "error" in r and "candidate" in r["error"].message
    r = call(b, "add-ice-candidate-full", 7, "candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host")
    assert "error" in r and "7" in r["error"].message
    r = call(b, "add-ice-candidate-full", 0,
             "candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host")
    assert r == {}
    for p in (pa, pb):
        p.set_state(Gst.State.NULL)


def test_rollback_and_persisted_certificate():
    cert = GstRtc.Certificate.generate(GstRtc.KeyType.ECDSA_P256)
    pipe, pc = make_bin()
    pc.set_property("certificate", cert)
    pipe.set_state(Gst.State.READY)
    pc.emit("add-transceiver", GstRtc.RTPTransceiverDirection.SENDRECV, OPUS)
    text = offer_text(pc)
    assert "a=fingerprint:sha-256 " + cert.get_fingerprint("sha-256") in text
    assert call(pc, "set-local-description", description(GstRtc.SDPType.OFFER, text)) == {}
    rollback = GstRtc.SessionDescription.new(GstRtc.SDPType.ROLLBACK, GstSdp.SDPMessage.new()[1])
    assert call(pc, "set-local-description", rollback) == {}
    assert pc.get_property("signaling-state") == GstRtc.SignalingState.STABLE
    assert pc.get_property("local-description") is None
    pipe.set_state(Gst.State.NULL)
