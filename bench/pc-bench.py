#!/usr/bin/python3
"""rtcbin against webrtcbin (the anchor), side by side in the same run, on 127.0.0.1.

  setup: time from create-offer to connected and to the first decoded video frame, one call
         of two bins in one process (sender VP8 -> receiver decoding it); medians of --runs,
         the variants interleaved.
  scale: N concurrent send-only calls (N = 1, 10, 50) in one process, each sender streaming
         the same pre-encoded VP8 file (so no encoder dominates), receivers counting RTP
         packets (no decoding). Measured over a window once all are connected: CPU time per
         received packet, threads and RSS per peer connection (the process's growth over an
         empty baseline, divided by the 2N bins). A third row runs the senders' media alone
         (file, demuxer, pacing, payloader into a counter): the CPU per packet every variant
         pays before any peer-connection work.

Run it inside a network namespace of its own (bench/run-pc-bench.sh does), so webrtcbin's
libnice only sees loopback. Prints Markdown tables for docs/benchmarks.md.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstRtc", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstRtc, GstSdp, GstWebRTC  # noqa: E402

import benchcall  # noqa: E402 (next to this script)

Gst.init(None)
MODS = (GLib, Gst, GstRtc, GstSdp, GstWebRTC)


def now():
    return time.monotonic()


class Bin:
    """One peer connection (rtcbin or webrtcbin) in its own pipeline."""

    def __init__(self, factory, source=None):
        self.rtc = factory == "rtcbin"
        self.pipe, self.pc, self.agent = benchcall.make_pc(
            MODS, factory, source + " ! pc." if source else None)
        self.remote = None
        self.connected = threading.Event()
        self.pc.connect("notify::connection-state", self._state)
        self.pc.connect("on-ice-candidate",
                        lambda _pc, m, c: self.remote.pc.emit("add-ice-candidate", m, c))

    def _state(self, pc, _p):
        if pc.get_property("connection-state").value_nick == "connected":
            self.connected.set()

    def desc(self, kind, text):
        return benchcall.description(MODS, self.rtc, kind, text)


def call(a, b):
    """a offers to b when a says negotiation is needed; returns the time create-offer began."""
    return benchcall.call(MODS, a, b, now)


# --- setup time -----------------------------------------------------------------------------

def setup_once(factory):
    a = Bin(factory, "videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=30/1"
                     " ! vp8enc deadline=1 ! rtpvp8pay pt=96")
    b = Bin(factory)
    first = []

    def on_pad(_pc, pad):
        if pad.direction != Gst.PadDirection.SRC:
            return
        dec = Gst.parse_bin_from_description(
            "rtpvp8depay ! vp8dec ! fakesink name=s signal-handoffs=true sync=false async=false",
            True)
        dec.get_by_name("s").connect("handoff", lambda *x: first or first.append(now()))
        b.pipe.add(dec)
        dec.sync_state_with_parent()
        pad.link(dec.get_static_pad("sink"))

    b.pc.connect("pad-added", on_pad)
    started = call(a, b)
    b.pipe.set_state(Gst.State.PLAYING)
    a.pipe.set_state(Gst.State.PLAYING)
    deadline = now() + 15
    connected = None
    while not (first and connected) and now() < deadline:
        if connected is None and a.connected.is_set() and b.connected.is_set():
            connected = now()  # both connected (polled: within 1 ms)
        time.sleep(0.001)
    result = None
    if first and started and connected:
        result = ((connected - started[0]) * 1000, (first[0] - started[0]) * 1000)
    a.pipe.set_state(Gst.State.NULL)
    b.pipe.set_state(Gst.State.NULL)
    return result


def bench_setup(runs):
    times = {"rtcbin": [], "webrtcbin": []}
    for _ in range(runs):
        for f in times:
            r = setup_once(f)
            if r:
                times[f].append(r)
    print("\n### Setup: create-offer to connected and to first decoded frame (%d runs)\n" % runs)
    print("| bin | to connected (ms, median) | to first frame (ms, median) | vs webrtcbin |")
    print("|---|---|---|---|")
    med = {f: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v))
           for f, v in times.items() if v}
    for f, (c, fr) in med.items():
        w = med.get("webrtcbin")
        ratio = "%.2fx / %.2fx" % (c / w[0], fr / w[1]) if w else "-"
        print("| %s | %.1f | %.1f | %s |" % (f, c, fr, ratio))
    return med


# --- scale ----------------------------------------------------------------------------------

def threads():
    return len(os.listdir("/proc/self/task"))


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def report(sinks, n, window, base_threads, base_rss):
    """Measures over `window` s: CPU per packet the sinks counted (basesink's own counter, no
    Python on the packet path), and threads and RSS grown per bin (2N bins), as a RESULT line."""
    def received():
        return sum(s.get_property("stats").get_value("rendered") for s in list(sinks))

    c0, t0 = received(), cpu()
    time.sleep(window)
    t1, c1 = cpu(), received()
    print("RESULT %f %f %f %d" % ((t1 - t0) * 1e6 / max(c1 - c0, 1),
                                  (threads() - base_threads) / (2 * n),
                                  (rss_kib() - base_rss) / 1024 / (2 * n), c1 - c0), flush=True)


SOURCE = "filesrc name=file location=%s ! matroskademux name=demux ! identity sync=true " \
         "! rtpvp8pay pt=96"


def source_child(n, media, window):
    """The senders' media alone (file, demuxer, pacing, payloader) into a packet counter: the
    CPU per packet that every variant pays before any peer connection work (the floor)."""
    base_threads, base_rss = threads(), rss_kib()
    pipes, sinks = [], []
    for _ in range(n):
        p = Gst.parse_launch((SOURCE % media) + " ! fakesink name=s sync=false async=false")
        p.set_state(Gst.State.PLAYING)
        pipes.append(p)
        sinks.append(p.get_by_name("s"))
    time.sleep(1.0)
    report(sinks, n, window, base_threads, base_rss)
    for p in pipes:
        p.set_state(Gst.State.NULL)


def scale_child(factory, n, media, window):
    """One measurement in a fresh process (so RSS and threads are this variant's alone)."""
    if factory == "source":
        source_child(n, media, window)
        return
    base_threads, base_rss = threads(), rss_kib()
    sinks = []
    pairs = []

    for _ in range(n):
        a = Bin(factory, SOURCE % media)
        b = Bin(factory)

        def on_pad(_pc, pad, b=b):
            if pad.direction != Gst.PadDirection.SRC:
                return
            sink = Gst.ElementFactory.make("fakesink")
            sink.set_property("sync", False)
            sink.set_property("async", False)
            b.pipe.add(sink)
            sink.sync_state_with_parent()
            pad.link(sink.get_static_pad("sink"))
            sinks.append(sink)

        b.pc.connect("pad-added", on_pad)
        call(a, b)
        b.pipe.set_state(Gst.State.PLAYING)
        # The demuxer's pad is linked when it appears: start reading only once everything
        # downstream runs (else its first push may meet a flushing pad and it stops for good).
        reader = [a.pipe.get_by_name("demux"), a.pipe.get_by_name("file")]
        for e in reader:
            e.set_locked_state(True)
        a.pipe.set_state(Gst.State.PLAYING)
        for e in reader:
            e.set_locked_state(False)
            e.sync_state_with_parent()
        pairs.append((a, b))
    deadline = now() + 30
    while not all(a.connected.is_set() and b.connected.is_set() for a, b in pairs):
        if now() > deadline:
            print("TIMEOUT", flush=True)
            return
        time.sleep(0.05)
    time.sleep(1.0)  # past the jitter buffers' start
    report(sinks, n, window, base_threads, base_rss)
    for a, b in pairs:
        a.pipe.set_state(Gst.State.NULL)
        b.pipe.set_state(Gst.State.NULL)


def encode_media(path, seconds):
    pipe = Gst.parse_launch(
        "videotestsrc num-buffers=%d pattern=smpte horizontal-speed=4 "
        "! video/x-raw,width=640,height=360,framerate=30/1"
        " ! vp8enc deadline=1 target-bitrate=1500000 end-usage=cbr keyframe-max-dist=60 ! webmmux "
        "! filesink location=%s" % (seconds * 30, path))
    pipe.set_state(Gst.State.PLAYING)
    pipe.get_bus().timed_pop_filtered(120 * Gst.SECOND, Gst.MessageType.EOS)
    pipe.set_state(Gst.State.NULL)


def bench_scale(counts, runs, window):
    media = os.path.join(tempfile.mkdtemp(), "video.webm")
    encode_media(media, int(window) + 12)
    print("\n### Scale: N concurrent send-only calls of pre-encoded VP8 (640x360, ~1.4 Mbit/s), "
          "medians of %d runs\n" % runs)
    print("| N | bin | CPU per received packet (us) | threads per PC | RSS per PC (MiB) "
          "| CPU vs webrtcbin | threads vs webrtcbin | RSS vs webrtcbin |")
    print("|---|---|---|---|---|---|---|---|")
    for n in counts:
        res = {"rtcbin": [], "webrtcbin": [], "source": []}
        for _ in range(runs):
            for f in res:
                out = subprocess.run([sys.executable, __file__, "--child", f, str(n), media,
                                      str(window)], capture_output=True, text=True, timeout=300)
                for line in out.stdout.splitlines():
                    if line.startswith("RESULT"):
                        res[f].append([float(x) for x in line.split()[1:]])
        med = {f: [statistics.median(r[i] for r in v) for i in range(3)]
               for f, v in res.items() if v}
        for f, m in med.items():
            w = med.get("webrtcbin")
            if f == "source":  # no peer connection: only its CPU per packet means something
                print("| %d | (senders' media alone) | %.1f | - | - | %s | - | - |"
                      % (n, m[0], "%.2fx" % (m[0] / w[0]) if w else "-"), flush=True)
                continue
            ratios = ["%.2fx" % (m[i] / w[i]) if w and w[i] else "-" for i in range(3)]
            print("| %d | %s | %.1f | %.1f | %.2f | %s |" % (n, f, m[0], m[1], m[2],
                                                            " | ".join(ratios)), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--counts", default="1,10,50")
    ap.add_argument("--window", type=float, default=5.0)
    ap.add_argument("--only", choices=["setup", "scale"])
    ap.add_argument("--child", nargs=4)
    args = ap.parse_args()
    if args.child:
        f, n, media, window = args.child
        scale_child(f, int(n), media, float(window))
        return
    if args.only in (None, "setup"):
        bench_setup(args.runs)
    if args.only in (None, "scale"):
        bench_scale([int(x) for x in args.counts.split(",")], args.runs, args.window)


if __name__ == "__main__":
    main()
