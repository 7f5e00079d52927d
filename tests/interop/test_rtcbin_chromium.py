"""rtcbin with headless Chromium (fake camera and microphone, page from 127.0.0.1), in a
network namespace where loopback is the only interface: VP8 or H.264 and Opus both ways, with
rtcbin as offerer and as answerer, then renegotiation and ICE restart mid-call. Chromium's
side is judged by its own getStats() (framesDecoded, audio packetsReceived)."""
import pytest

from gi.repository import Gst  # noqa: E402
from gstpeer import ChromiumPeer, GstPeer, run_loop_until

MIN_FRAMES = 20


def start_call(rtcbin_offers, video):
    ours = GstPeer("rtcbin", "rtcbin", video=video)
    theirs = ChromiumPeer("answer" if rtcbin_offers else "offer", video=video)
    ours.remote, theirs.remote = theirs, ours
    if rtcbin_offers:
        ours.offer_when_needed()
    ours.start()
    return ours, theirs


def both_decode(ours, theirs, since=None):
    since = since or {"ours": {"video": 0, "audio": 0}, "video_frames": 0, "audio_packets": 0}
    got = ours.decoded()
    r = theirs.result
    return (got["video"] >= since["ours"]["video"] + MIN_FRAMES and
            got["audio"] >= since["ours"]["audio"] + MIN_FRAMES and
            r.get("video_frames", 0) >= since["video_frames"] + MIN_FRAMES and
            r.get("audio_packets", 0) >= since["audio_packets"] + MIN_FRAMES)


def snapshot(ours, theirs):
    return {"ours": ours.decoded(), "video_frames": theirs.result.get("video_frames", 0),
            "audio_packets": theirs.result.get("audio_packets", 0)}


def finish(ours, theirs):
    ours.stop()
    theirs.close()


def explain(ours, theirs):
    return "rtcbin: decoded %s errors %s states %s; chromium: %s logs %s" % (
        ours.decoded(), ours.errors, ours.states, theirs.result, theirs.logs)


@pytest.mark.parametrize("video", ["vp8", "h264"])
@pytest.mark.parametrize("rtcbin_offers", [True, False])
def test_rtcbin_with_chromium(rtcbin_offers, video):
    ours, theirs = start_call(rtcbin_offers, video)
    try:
        assert run_loop_until(lambda: both_decode(ours, theirs) or ours.errors, 30), \
            explain(ours, theirs)
        assert not ours.errors, ours.errors
        assert theirs.result["state"] == "connected" and "connected" in ours.states
        # The codec asked for is the one in use.
        desc = ours.pc.get_property("current-remote-description").sdp.as_text()
        video_line = [x for x in desc.splitlines() if x.startswith("m=video")][0]
        first_pt = video_line.split()[3]
        assert ("a=rtpmap:%s %s/90000" % (first_pt, video.upper())) in desc
    finally:
        finish(ours, theirs)


def test_chromium_adds_a_video_track_mid_call():
    ours, theirs = start_call(False, "vp8")
    try:
        assert run_loop_until(lambda: both_decode(ours, theirs), 30), explain(ours, theirs)
        assert len(ours.decoded_per_pad()) == 2
        theirs.command("add-video")
        assert run_loop_until(lambda: len(ours.decoded_per_pad()) == 3 and
                              min(ours.decoded_per_pad().values()) >= MIN_FRAMES, 20), \
            explain(ours, theirs)
        before = snapshot(ours, theirs)
        assert run_loop_until(lambda: both_decode(ours, theirs, before), 10), explain(ours, theirs)
    finally:
        finish(ours, theirs)


def test_rtcbin_adds_a_video_track_mid_call():
    ours, theirs = start_call(True, "vp8")
    try:
        assert run_loop_until(lambda: both_decode(ours, theirs), 30), explain(ours, theirs)
        ours.add_video()
        assert run_loop_until(lambda: theirs.result.get("video_streams", 0) == 2, 20), \
            explain(ours, theirs)
    finally:
        finish(ours, theirs)


@pytest.mark.parametrize("rtcbin_restarts", [True, False])
def test_ice_restart_with_chromium(rtcbin_restarts):
    ours, theirs = start_call(rtcbin_restarts, "vp8")
    try:
        assert run_loop_until(lambda: both_decode(ours, theirs), 30), explain(ours, theirs)
        old_theirs = theirs.result["ufrag"]
        old_ours = ours.pc.get_property("current-local-description").sdp.as_text()
        if rtcbin_restarts:
            ours.offer(Gst.Structure.new_from_string("opts, ice-restart=(boolean)true"))
        else:
            theirs.command("restart-ice")

        def restarted():
            mine = ours.pc.get_property("current-local-description").sdp.as_text()
            return theirs.result.get("ufrag") not in ("", old_theirs) and mine != old_ours and \
                "a=ice-ufrag:" + old_ours.split("a=ice-ufrag:")[1].split()[0] not in mine

        assert run_loop_until(restarted, 15), explain(ours, theirs)
        before = snapshot(ours, theirs)
        assert run_loop_until(lambda: both_decode(ours, theirs, before), 15), explain(ours, theirs)
        assert theirs.result["state"] == "connected" and not ours.errors
    finally:
        finish(ours, theirs)
