#!/usr/bin/python3
"""rtcbin_receive.py: a Python application that answers a WebRTC call with rtcbin, records the
video it receives to a WebM file, and sends its own camera-like test pattern and a tone back.

    rtcbin_receive.py [--port 8765] [--seconds 10] [--record out.webm]

It connects to examples/rtcbin-send (or anything speaking the same JSON lines over TCP:
{"type": "offer"|"answer", "sdp": ...} and {"type": "candidate", "mline": N, "candidate": ...}).
"""
import argparse
import json
import socket
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtc", "1.0")
from gi.repository import GLib, Gst, GstRtc  # noqa: E402

Gst.init(None)


class Receiver:
    def __init__(self, sock, record):
        self.sock = sock
        self.send_lock = threading.Lock()
        self.frames = {"video": 0, "audio": 0}
        self.record = record
        self.pipe = Gst.parse_launch(
            "rtcbin name=pc ice-addresses=127.0.0.1 "
            "videotestsrc is-live=true pattern=smpte ! video/x-raw,width=320,height=240 "
            "! vp8enc deadline=1 ! rtpvp8pay pt=96 ! pc. "
            "audiotestsrc is-live=true ! opusenc ! rtpopuspay pt=97 ! pc.")
        self.pc = self.pipe.get_by_name("pc")
        self.pc.connect("on-ice-candidate", self.on_candidate)
        self.pc.connect("pad-added", self.on_pad)
        self.pc.connect("notify::connection-state", lambda pc, _p: print(
            "connection:", pc.get_property("connection-state").value_nick, flush=True))

    def send(self, msg):
        with self.send_lock:
            self.sock.sendall((json.dumps(msg) + "\n").encode())

    def on_candidate(self, _pc, mline, candidate):
        self.send({"type": "candidate", "mline": mline, "candidate": candidate})

    # --- media -------------------------------------------------------------------------

    def on_pad(self, _pc, pad):
        if pad.direction != Gst.PadDirection.SRC:
            return
        caps = pad.get_current_caps().get_structure(0)
        if caps.get_string("encoding-name") == "VP8":
            # Record the VP8 as it came (no re-encoding) and decode it to count frames.
            desc = ("rtpvp8depay ! tee name=t ! queue ! webmmux ! filesink location=%s async=false "
                    "t. ! queue ! vp8dec ! fakesink name=count signal-handoffs=true sync=false "
                    "async=false" % self.record)
            kind = "video"
        else:
            desc = ("rtpopusdepay ! opusdec ! fakesink name=count signal-handoffs=true sync=false "
                    "async=false")
            kind = "audio"
        branch = Gst.parse_bin_from_description(desc, True)
        branch.get_by_name("count").connect("handoff", self.on_frame, kind)
        self.pipe.add(branch)
        branch.sync_state_with_parent()
        pad.link(branch.get_static_pad("sink"))

    def on_frame(self, _sink, _buf, _pad, kind):
        self.frames[kind] += 1

    # --- signalling ----------------------------------------------------------------------

    def on_message(self, msg):
        if msg["type"] == "offer":
            offer = GstRtc.SessionDescription.new_from_text(GstRtc.SDPType.OFFER, msg["sdp"])
            self.pc.emit("set-remote-description", offer,
                         Gst.Promise.new_with_change_func(self.on_offer_set, None))
        elif msg["type"] == "candidate":
            self.pc.emit("add-ice-candidate", msg["mline"], msg["candidate"])

    def on_offer_set(self, promise, _):
        reply = promise.get_reply()
        if reply is not None and reply.has_field("error"):
            print("offer refused:", reply.get_value("error").message)
            return
        self.pc.emit("create-answer", None,
                     Gst.Promise.new_with_change_func(self.on_answer, None))

    def on_answer(self, promise, _):
        reply = promise.get_reply()
        answer = reply.get_value("answer")
        text = answer.sdp.as_text()  # read while the reply lives
        self.pc.emit("set-local-description", answer, None)
        self.send({"type": "answer", "sdp": text})

    def read_loop(self):
        for line in self.sock.makefile("r"):
            self.on_message(json.loads(line))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--record", default="received.webm")
    args = ap.parse_args()
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=10)
    sock.settimeout(None)
    rx = Receiver(sock, args.record)
    rx.pipe.set_state(Gst.State.PLAYING)
    threading.Thread(target=rx.read_loop, daemon=True).start()
    loop = GLib.MainLoop()
    GLib.timeout_add_seconds(args.seconds, loop.quit)
    loop.run()
    rx.pipe.send_event(Gst.Event.new_eos())  # finish the recording
    rx.pipe.get_bus().timed_pop_filtered(2 * Gst.SECOND, Gst.MessageType.EOS)
    rx.pipe.set_state(Gst.State.NULL)
    print("received %(video)d video frames, %(audio)d audio buffers" % rx.frames)
    return 0 if rx.frames["video"] > 0 and rx.frames["audio"] > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
