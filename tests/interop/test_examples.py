"""The examples work: examples/rtcbin-send (C++) calls examples/rtcbin_receive.py (Python) over
127.0.0.1; both decode the other's video and audio, and the recording plays back."""
import os
import socket
import subprocess
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

Gst.init(None)
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def decoded_frames(path):
    pipe = Gst.parse_launch(
        "filesrc location=%s ! matroskademux ! vp8dec ! fakesink name=out sync=false "
        "signal-handoffs=true" % path)
    frames = []
    pipe.get_by_name("out").connect("handoff", lambda *a: frames.append(1))
    pipe.set_state(Gst.State.PLAYING)
    msg = pipe.get_bus().timed_pop_filtered(20 * Gst.SECOND,
                                            Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipe.set_state(Gst.State.NULL)
    assert msg is not None and msg.type == Gst.MessageType.EOS, msg and msg.parse_error()
    return len(frames)


def test_cpp_sender_calls_python_receiver(tmp_path):
    port = free_port()
    sender = subprocess.Popen([os.environ["RTCBIN_SEND"], "--port", str(port), "--seconds", "6"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "waiting for a peer" in sender.stdout.readline()
        record = str(tmp_path / "received.webm")
        rx = subprocess.run([sys.executable, os.path.join(EXAMPLES, "rtcbin_receive.py"),
                             "--port", str(port), "--seconds", "6", "--record", record],
                            capture_output=True, text=True, timeout=60)
        out, _ = sender.communicate(timeout=30)
    finally:
        if sender.poll() is None:
            sender.kill()
    assert rx.returncode == 0, rx.stdout + rx.stderr
    assert sender.returncode == 0, out
    assert "connection: connected" in rx.stdout
    last = out.strip().splitlines()[-1]
    assert last.startswith("done:"), out
    assert decoded_frames(record) > 30
