"""aiortc (1.4) as a test peer, driven over stdin/stdout with one JSON object per line.

    aiortc_peer.py offer|answer --video vp8|h264 --seconds N
    aiortc_peer.py offer|answer --data --limit BYTES --count N --small N

It sends a moving test pattern and a tone, counts what it decodes, and prints
{"type": "offer"|"answer", "sdp": ...} (with candidates: aiortc does not trickle), reads
{"type": "answer"|"offer", "sdp": ...}, and at the end prints {"type": "result", ...}.
With --data it sends no media: it opens data channels and echoes the peer's, as DataScript in
gstpeer.py does (messages from dcplan.py), prints {"type": "report", "state": ...,
"channels": {label: status}} as things change, and reads commands
{"type": "close"|"ping", "label": ...} until {"type": "stop"} or the end of its input.
aiortc skips loopback addresses when gathering, so it is told to use 127.0.0.1 (run it in a
network namespace where that is the only interface anyway).
"""
import argparse
import asyncio
import fractions
import json
import sys
import time

import aioice.ice
import av
import numpy
from aiortc import (MediaStreamTrack, RTCConfiguration, RTCPeerConnection,
                    RTCRtpSender, RTCSessionDescription)

import dcplan

aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


class PacedTrack(MediaStreamTrack):
    """Produces frame n at start + n * period, as a live source does."""
    period = 1 / 30

    def __init__(self):
        super().__init__()
        self.n = 0
        self.start = None

    async def recv(self):
        if self.start is None:
            self.start = time.time()
        self.n += 1
        wait = self.start + self.n * self.period - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        return self.make(self.n)


class Pattern(PacedTrack):
    kind = "video"

    def make(self, n):
        img = numpy.zeros((240, 320, 3), numpy.uint8)
        img[:, (n * 4) % 320:, 1] = 200
        frame = av.VideoFrame.from_ndarray(img, format="bgr24")
        frame.pts, frame.time_base = n * 3000, fractions.Fraction(1, 90000)
        return frame


class Tone(PacedTrack):
    kind = "audio"
    period = 0.02

    def make(self, n):
        t = (numpy.arange(960) + n * 960) / 48000
        samples = (numpy.sin(2 * numpy.pi * 440 * t) * 8000).astype(numpy.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts = 48000, n * 960
        frame.time_base = fractions.Fraction(1, 48000)
        return frame


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


async def read_line():
    line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    return json.loads(line)


def prefer(pc, codec):
    for t in pc.getTransceivers():
        if t.kind == "video":
            caps = RTCRtpSender.getCapabilities("video").codecs
            wanted = [c for c in caps if c.mimeType.lower() == "video/" + codec]
            rtx = [c for c in caps if c.mimeType.lower() == "video/rtx"]
            t.setCodecPreferences(wanted + rtx)


class DataSide:
    """Our data channels and the peer's (see DataScript in gstpeer.py: the same behaviour and
    the same status fields)."""

    HIGH_WATER = 1 << 20

    def __init__(self, pc, args):
        self.pc = pc
        self.args = args
        self.channels = {}
        self.unexpected = []
        self.changed = asyncio.Event()
        pc.on("datachannel", lambda ch: self.watch(ch, False, None, []))
        self.starters = {}

    def open_all(self):
        entries = dcplan.plan(self.args.count, self.args.limit)
        msgs = [dcplan.message(entries, i) for i in range(len(entries))]
        pc = self.pc
        self.watch(pc.createDataChannel("peer-reliable"), True, "plan", msgs)
        self.watch(pc.createDataChannel("peer-unordered", ordered=False), True, "small",
                   dcplan.small_messages("peer-unordered", self.args.small))
        # Unreliable: sent once the reliable channels are done (a loopback socket buffer that
        # overflows under their load loses datagrams, and this channel does not resend).
        self.watch(pc.createDataChannel("peer-rexmit0", maxRetransmits=0), True, "small",
                   dcplan.small_messages("peer-rexmit0", self.args.small), hold=True)

    def watch(self, ch, mine, kind, msgs, hold=False):
        """hold: our messages go out on a "start" command, not as soon as the channel opens."""
        c = {"ch": ch, "mine": mine, "kind": kind, "msgs": msgs, "opened": ch.readyState == "open",
             "closed": False, "sent": 0, "echoed": 0, "received": 0, "pings": [],
             "pings_echoed": 0, "bad": [], "errors": [], "left": None, "hold": hold}
        if kind == "small":
            c["left"] = {}
            for m in msgs:
                c["left"][dcplan.key(m)] = c["left"].get(dcplan.key(m), 0) + 1
        if ch.label in self.channels:
            self.unexpected.append("a second channel labelled %r" % ch.label)
        self.channels[ch.label] = c
        ch.bufferedAmountLowThreshold = self.HIGH_WATER // 4
        low = asyncio.Event()
        ch.on("bufferedamountlow", low.set)

        async def send_all():
            for m in msgs:
                while ch.bufferedAmount > self.HIGH_WATER and ch.readyState == "open":
                    low.clear()
                    await low.wait()
                if not self.send(c, m):
                    return
                c["sent"] += 1
                if c["sent"] % 50 == 0:
                    self.changed.set()

        def on_open():
            c["opened"] = True
            self.changed.set()
            if mine and not c["hold"]:
                asyncio.ensure_future(send_all())

        def start():
            if c["hold"] and c["opened"]:
                asyncio.ensure_future(send_all())
            c["hold"] = False

        self.starters[ch.label] = start

        def on_close():
            c["closed"] = True
            self.changed.set()

        def on_message(m):
            if not mine:
                c["received"] += 1
                self.send(c, m)
            else:
                self.check(c, m)
            self.changed.set()

        ch.on("open", on_open)
        ch.on("close", on_close)
        ch.on("message", on_message)
        self.changed.set()

    def send(self, c, m):
        try:
            c["ch"].send(m)
            return True
        except Exception as e:
            c["errors"].append("send %s: %r" % (dcplan.describe(m), e))
            return False

    def check(self, c, m):
        if c["kind"] == "small" and c["echoed"] < len(c["msgs"]):
            if c["left"].get(dcplan.key(m), 0) > 0:
                c["left"][dcplan.key(m)] -= 1
            else:
                dcplan.note_bad(c, "unexpected echo (%s)" % dcplan.describe(m))
            c["echoed"] += 1
            return
        i, n = c["echoed"], len(c["msgs"])
        if i < n:
            want = c["msgs"][i]
        elif i - n < len(c["pings"]):
            want = c["pings"][i - n]
            c["pings_echoed"] += 1
        else:
            dcplan.note_bad(c, "echo %d: more echoes than messages sent (%s)" % (
                i, dcplan.describe(m)))
            return
        c["echoed"] += 1
        diff = dcplan.difference(want, m)
        if diff:
            dcplan.note_bad(c, "echo %d: %s" % (i, diff))

    def command(self, msg):
        c = self.channels[msg["label"]]
        if msg["type"] == "start":
            self.starters[msg["label"]]()
        elif msg["type"] == "close":
            c["ch"].close()
        elif msg["type"] == "ping":
            text = "ping %d from %s \u2713" % (len(c["pings"]), msg["label"])
            c["pings"].append(text)
            self.send(c, text)
        self.changed.set()

    def status(self):
        out = {}
        for label, c in self.channels.items():
            ch = c["ch"]
            s = {k: c[k] for k in ("mine", "kind", "opened", "closed", "sent", "echoed",
                                   "received", "pings_echoed", "bad", "errors", "hold")}
            s.update(label=label, pings=len(c["pings"]), expected=len(c["msgs"]),
                     missing=sum(c["left"].values()) if c["left"] else 0, state=ch.readyState,
                     ordered=ch.ordered, maxRetransmits=ch.maxRetransmits,
                     buffered=ch.bufferedAmount)
            s["done"] = s["mine"] and s["echoed"] >= s["expected"] and s["missing"] == 0
            out[label] = s
        return out

    async def report_loop(self):
        while True:
            await self.changed.wait()
            self.changed.clear()
            send({"type": "report", "state": self.pc.connectionState, "channels": self.status(),
                  "unexpected": self.unexpected})
            await asyncio.sleep(0.1)


async def negotiate(pc, role, prepare):
    """Offer or answer over stdin/stdout (with candidates: aiortc does not trickle); prepare()
    adds what we send, before the offer or once the offer is applied."""
    if role == "offer":
        prepare()
        await pc.setLocalDescription(await pc.createOffer())
        send({"type": "offer", "sdp": pc.localDescription.sdp})
        msg = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(msg["sdp"], msg["type"]))
    else:
        msg = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(msg["sdp"], msg["type"]))
        prepare()
        await pc.setLocalDescription(await pc.createAnswer())
        send({"type": "answer", "sdp": pc.localDescription.sdp})


async def main_data(args):
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    side = DataSide(pc, args)
    pc.on("connectionstatechange", side.changed.set)
    reporter = asyncio.ensure_future(side.report_loop())
    await negotiate(pc, args.role, side.open_all)  # offerer: channels before the offer
    while True:
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        msg = json.loads(line)
        if msg["type"] == "stop":
            break
        try:
            side.command(msg)
        except Exception as e:
            send({"type": "log", "msg": "%s: %r" % (msg, e)})
    side.changed.set()
    await asyncio.sleep(0.2)  # the last report goes out
    reporter.cancel()
    await pc.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("role", choices=["offer", "answer"])
    ap.add_argument("--video", default="vp8")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--data", action="store_true", help="data channels only, no media")
    ap.add_argument("--limit", type=int, default=65536, help="largest message (--data)")
    ap.add_argument("--count", type=int, default=1000, help="messages of the plan (--data)")
    ap.add_argument("--small", type=int, default=100,
                    help="messages on the unordered and max-retransmits=0 channels (--data)")
    args = ap.parse_args()
    if args.data:
        await main_data(args)
        return
    pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    decoded = {"video": 0, "audio": 0}
    states = []

    async def consume(track):
        while True:
            try:
                await track.recv()
            except Exception:
                return
            decoded[track.kind] += 1

    pc.on("track", lambda track: asyncio.ensure_future(consume(track)))
    pc.on("connectionstatechange", lambda: states.append(pc.connectionState))
    def add_tracks():  # the answerer's take the offered transceivers of each kind
        pc.addTrack(Pattern())
        pc.addTrack(Tone())
        prefer(pc, args.video)

    await negotiate(pc, args.role, add_tracks)
    deadline = time.time() + args.seconds
    while time.time() < deadline and not (decoded["video"] >= 60 and decoded["audio"] >= 60):
        await asyncio.sleep(0.1)
    send({"type": "result", "decoded": decoded, "states": states})
    await pc.close()


asyncio.run(main())
