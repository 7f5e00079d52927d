"""rtcdtlssrtpenc/dec against gst-plugins-bad's dtlssrtpenc/dtlssrtpdec (a test-only peer), in
one process, each of our roles against theirs, for every SRTP profile both implement: their
DTLS (1.22) offers and accepts only SRTP_AES128_CM_SHA1_80, so that is the one; our preference
for others must still land on it. RTP and RTCP both ways, checked byte for byte after
decryption."""
import struct
import time

import gi
import pytest

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import Gst, GstApp, GstRtc  # noqa: E402,F401

Gst.init(None)

CONNECTED = GstRtc.DTLSTransportState.CONNECTED


def rtp(seq, ssrc, n):
    return struct.pack("!BBHII", 0x80, 96, seq & 0xFFFF, seq * 3000 & 0xFFFFFFFF, ssrc) + bytes(
        (seq + i) & 0xFF for i in range(n))


def rtcp_rr(ssrc):
    return struct.pack("!BBHI", 0x80, 201, 1, ssrc)


def pull(sink, timeout=Gst.SECOND):
    s = sink.emit("try-pull-sample", timeout)
    if not s:
        return None
    b = s.get_buffer()
    return b.extract_dup(0, b.get_size())


@pytest.mark.parametrize("we_are_client,profiles,expect", [
    (True, "SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32", "SRTP_AES128_CM_SHA1_80"),
    (False, "SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_SHA1_80"),
    (False, "SRTP_AES128_CM_SHA1_32:SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80",
     "SRTP_AES128_CM_SHA1_80"),
])
def test_against_gst_plugins_bad_dtlssrtp(we_are_client, profiles, expect):
    ours = GstRtc.DTLSTransport.new(None)
    ours.props.client = we_are_client
    ours.props.srtp_profiles = profiles
    their_cert = GstRtc.Certificate.generate(GstRtc.KeyType.ECDSA_P256)
    ours.set_remote_fingerprint("sha-256 " + their_cert.get_fingerprint("sha-256"))
    conn = f"interop-{int(time.monotonic() * 1e6)}"
    p = Gst.parse_launch(
        # ours -> theirs
        "appsrc name=rtp_in format=time caps=application/x-rtp ! ours_enc.rtp_sink "
        "appsrc name=rtcp_in format=time caps=application/x-rtcp ! ours_enc.rtcp_sink "
        "rtcdtlssrtpenc name=ours_enc ! their_dec.sink "
        f"dtlssrtpdec name=their_dec connection-id={conn} "
        "their_dec.rtp_src ! appsink name=their_rtp sync=false async=false "
        "their_dec.rtcp_src ! appsink name=their_rtcp sync=false async=false "
        # theirs -> ours
        "appsrc name=t_rtp_in format=time caps=application/x-rtp ! their_enc.rtp_sink_0 "
        "appsrc name=t_rtcp_in format=time caps=application/x-rtcp ! their_enc.rtcp_sink_0 "
        f"dtlssrtpenc name=their_enc connection-id={conn} is-client={not we_are_client} "
        "! rtcdtlssrtpdec name=ours_dec "
        "ours_dec.rtp_src ! appsink name=our_rtp sync=false async=false "
        "ours_dec.rtcp_src ! appsink name=our_rtcp sync=false async=false")
    p.get_by_name("their_dec").props.pem = their_cert.to_pem()
    p.get_by_name("ours_enc").props.transport = ours
    p.get_by_name("ours_dec").props.transport = ours
    p.set_state(Gst.State.PLAYING)
    deadline = time.monotonic() + 10
    while ours.props.state != CONNECTED and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ours.props.state == CONNECTED, (ours.props.state, ours.props.error)
    assert ours.props.srtp_profile == expect
    # Our view of their certificate is the one they were given.
    assert "BEGIN CERTIFICATE" in ours.props.remote_certificate
    their_enc = p.get_by_name("their_enc")
    deadline = time.monotonic() + 5
    while their_enc.props.connection_state.value_nick != "connected" and time.monotonic() < deadline:
        time.sleep(0.01)

    def roundtrip(src, sink, make, n):
        sent = [make(i) for i in range(n)]
        for pkt in sent:
            p.get_by_name(src).emit("push-buffer", Gst.Buffer.new_wrapped(pkt))
        got = [pull(p.get_by_name(sink)) for _ in range(n)]
        return sent, got

    sent, got = roundtrip("rtp_in", "their_rtp", lambda i: rtp(i, 0xABCD, 20 + i % 1100), 300)
    assert got == sent, "ours -> theirs RTP"
    sent, got = roundtrip("t_rtp_in", "our_rtp", lambda i: rtp(i, 0x1357, 20 + i % 1100), 300)
    assert got == sent, "theirs -> ours RTP"
    sent, got = roundtrip("rtcp_in", "their_rtcp", lambda i: rtcp_rr(0xABCD), 5)
    assert got == sent, "ours -> theirs RTCP"
    sent, got = roundtrip("t_rtcp_in", "our_rtcp", lambda i: rtcp_rr(0x1357), 5)
    assert got == sent, "theirs -> ours RTCP"
    stats = ours.get_stats()
    assert stats.get_value("rtp-unprotected") == 300
    assert stats.get_value("srtp-auth-failed") == 0
    p.set_state(Gst.State.NULL)
