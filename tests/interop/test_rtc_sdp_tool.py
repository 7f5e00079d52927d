"""tools/rtc-sdp: the JSEP engine from the command line answers real offers, makes offers that
it can answer itself, and refuses broken SDP with the reason and exit status 1."""
import os
import subprocess
import tempfile

import gi

gi.require_version("GstSdp", "1.0")
from gi.repository import GstSdp  # noqa: E402

TOOL = os.environ["RTC_SDP"]
DATA = os.path.join(os.environ["GSTRTC_TEST_DATA"], "sdp")


def run(*args):
    return subprocess.run([TOOL, *args], capture_output=True, text=True, timeout=30)


def parse(text):
    res, msg = GstSdp.SDPMessage.new_from_text(text)
    assert res == GstSdp.SDPResult.OK
    return msg


def test_answers_a_chromium_offer():
    r = run("answer", os.path.join(DATA, "chromium-05-audio-video-data.offer.sdp"))
    assert r.returncode == 0, r.stderr
    answer = parse(r.stdout)
    assert answer.get_attribute_val("group") == "BUNDLE 0 1 2"
    assert [answer.get_media(i).get_media() for i in range(3)] == ["audio", "video", "application"]
    assert answer.get_media(0).get_attribute_val("setup") == "active"
    assert "transport 1: mids [0 1 2], ICE controlled, DTLS client" in r.stderr
    assert "opus/111" in r.stderr and "VP8/96" in r.stderr


def test_its_own_offer_is_answerable():
    r = run("offer", "audio", "video", "data", "--bundle-policy", "max-bundle")
    assert r.returncode == 0, r.stderr
    offer = parse(r.stdout)
    assert offer.medias_len() == 3
    assert offer.get_media(1).get_port() == 0  # bundle-only
    with tempfile.NamedTemporaryFile("w", suffix=".sdp") as f:
        f.write(r.stdout)
        f.flush()
        a = run("answer", f.name)
    assert a.returncode == 0, a.stderr
    assert parse(a.stdout).get_media(1).get_port() == 9


def test_broken_sdp_is_refused_with_the_reason():
    with tempfile.NamedTemporaryFile("w", suffix=".sdp") as f:
        text = open(os.path.join(DATA, "chromium-02-video-only.offer.sdp"), newline="").read()
        f.write(text.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8"))
        f.flush()
        r = run("answer", f.name)
    assert r.returncode == 1
    assert r.stdout == ""
    assert "a=rtpmap:96 VP8" in r.stderr and "clock rate" in r.stderr, r.stderr
