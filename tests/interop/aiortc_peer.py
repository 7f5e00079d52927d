"""aiortc (1.4) as a test peer, driven over stdin/stdout with one JSON object per line.

    aiortc_peer.py offer|answer --video vp8|h264 --seconds N

It sends a moving test pattern and a tone, counts what it decodes, and prints
{"type": "offer"|"answer", "sdp": ...} (with candidates: aiortc does not trickle), reads
{"type": "answer"|"offer", "sdp": ...}, and at the end prints {"type": "result", ...}.
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


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("role", choices=["offer", "answer"])
    ap.add_argument("--video", default="vp8")
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
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
    if args.role == "offer":
        pc.addTrack(Pattern())
        pc.addTrack(Tone())
        prefer(pc, args.video)
        await pc.setLocalDescription(await pc.createOffer())
        send({"type": "offer", "sdp": pc.localDescription.sdp})
        msg = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(msg["sdp"], msg["type"]))
    else:
        msg = await read_line()
        await pc.setRemoteDescription(RTCSessionDescription(msg["sdp"], msg["type"]))
        pc.addTrack(Pattern())  # takes the offered transceivers of each kind
        pc.addTrack(Tone())
        prefer(pc, args.video)
        await pc.setLocalDescription(await pc.createAnswer())
        send({"type": "answer", "sdp": pc.localDescription.sdp})
    deadline = time.time() + args.seconds
    while time.time() < deadline and not (decoded["video"] >= 60 and decoded["audio"] >= 60):
        await asyncio.sleep(0.1)
    send({"type": "result", "decoded": decoded, "states": states})
    await pc.close()


asyncio.run(main())
