"""rtcbin with aiortc 1.4 (in a child process), as offerer and as answerer: VP8 or H.264
video and Opus audio both ways, decoded on both sides. In a network namespace of its own."""
import pytest

from gstpeer import AiortcPeer, GstPeer, run_loop_until

MIN_FRAMES = 20


@pytest.mark.parametrize("video", ["vp8", "h264"])
@pytest.mark.parametrize("rtcbin_offers", [True, False])
def test_rtcbin_with_aiortc(rtcbin_offers, video):
    ours = GstPeer("rtcbin", "rtcbin", video=video, trickle=False)
    theirs = AiortcPeer("answer" if rtcbin_offers else "offer", video=video, seconds=12)
    ours.remote, theirs.remote = theirs, ours
    try:
        if rtcbin_offers:
            ours.offer_when_needed()
        ours.start()

        def done():
            got = ours.decoded()
            return (got["video"] >= MIN_FRAMES and got["audio"] >= MIN_FRAMES) or ours.errors

        run_loop_until(done, 12)
        result = theirs.finish()
        assert not ours.errors, ours.errors
        assert result is not None, "aiortc gave no result"
        assert result["decoded"]["video"] >= MIN_FRAMES, result
        assert result["decoded"]["audio"] >= MIN_FRAMES, result
        got = ours.decoded()
        assert got["video"] >= MIN_FRAMES and got["audio"] >= MIN_FRAMES, got
        assert "connected" in result["states"] and "connected" in ours.states
    finally:
        ours.stop()
        if theirs.proc.poll() is None:
            theirs.proc.kill()
