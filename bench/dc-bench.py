#!/usr/bin/python3
"""Data channel throughput, side by side in one run, on 127.0.0.1 (issue 6, item 9).

One side sends --mb MB (10^6 bytes) of messages of --size bytes on one reliable ordered
channel, the other counts the bytes; both peers live in one process, so the CPU time covers
both ends. Measured from the first send to the last byte received: MB/s, and the process's CPU
seconds (all threads, getrusage user + sys) per 100 MB.

Stacks (each run in a fresh process):
  rtcbin       rtcbin <-> rtcbin, Python sends with send_data_full() while buffered-amount is
               under 4 MiB and waits for on-buffered-amount-low (threshold 1 MiB); the receiver's
               on-message-data handler only adds the message's size. One GLib.Bytes, reused.
  rtcbin-pads  rtcbin <-> rtcbin through data pads: fakesrc ! pc.data_sink_bulk (max-buffered
               4 MiB) and pc.data_src_bulk ! fakesink; no Python per message. Timed from the
               receiver's on-data-channel to its fakesink's EOS (the sender's EOS closes the
               channel once its queue is out); messages counted by fakesink.
  rtcbin-pads-own  the same with rtcbin's shared-ice-thread=false: each transport receives on a
               streaming thread of its own instead of the process's one ICE thread (which here
               carries both peers' receive paths, DTLS and SCTP included).
  rtcbin-pads-2p   the same with the receiver in a child process (signalling over pipes): each
               peer with its own ICE thread and its own usrsctp, as two applications; CPU is
               both processes' over the receiver's window. Not "one process" like the others.
  webrtcbin    webrtcbin <-> webrtcbin (GStreamer 1.22, the anchor), as rtcbin above. It
               refuses messages over 64 KiB (no a=max-message-size; peers assume 65536).
  aiortc       aiortc <-> aiortc, two RTCPeerConnections in one asyncio loop, the same
               backpressure with bufferedAmount / bufferedamountlow.
  usrsctp-1t   bench/sctp-floor --threads 1 (raw usrsctp over AF_CONN, no DTLS, no ICE)
  usrsctp-2t   bench/sctp-floor --threads 2 (one thread per endpoint)
  usrsctp-udp  bench/sctp-floor --udp (as -2t, packets through UDP sockets on 127.0.0.1)

  dc-bench.py --stack S --size B [--mb MB]    one run: prints RESULT <MB/s> <CPU-s/100MB> ...
  dc-bench.py --matrix [--runs 3] [--mb 200] --floor build/bench/sctp-floor
                                              every (stack x size) --runs times, interleaved,
                                              medians and ratios as Markdown tables

Run it in a network namespace where loopback is the only interface (bench/run-dc-bench.sh),
so webrtcbin's libnice and aiortc only see 127.0.0.1.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import threading
import time

import benchcall  # next to this script

HIGH = 4 << 20  # send while buffered-amount is under this
LOW = 1 << 20  # buffered-amount-low-threshold

SIZES = [16 << 10, 64 << 10, 256 << 10, 1 << 20]
STACKS = ["rtcbin", "rtcbin-pads", "rtcbin-pads-own", "rtcbin-pads-2p", "webrtcbin", "aiortc",
          "usrsctp-1t", "usrsctp-2t", "usrsctp-udp"]
ONLY_UP_TO_64K = {"webrtcbin"}  # refuses larger messages
SIZES_1M = {"rtcbin", "rtcbin-pads", "rtcbin-pads-own", "rtcbin-pads-2p", "usrsctp-1t",
            "usrsctp-2t", "usrsctp-udp"}  # the 1 MiB case
LABEL = {"rtcbin": "rtcbin (Python send/receive)", "rtcbin-pads": "rtcbin (data pads)",
         "rtcbin-pads-own": "rtcbin (data pads, an ICE thread per peer)",
         "rtcbin-pads-2p": "rtcbin (data pads, a process per peer)",
         "webrtcbin": "webrtcbin 1.22", "aiortc": "aiortc 1.4",
         "usrsctp-1t": "usrsctp AF_CONN, 1 thread", "usrsctp-2t": "usrsctp AF_CONN, 2 threads",
         "usrsctp-udp": "usrsctp AF_CONN over UDP 127.0.0.1, 2 threads"}


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def now():
    return time.monotonic()


def result(total, t0, t1, c0, c1, extra=""):
    secs, cpus = t1 - t0, c1 - c0
    print("RESULT %.3f %.4f %.3f %.3f %s" % (total / 1e6 / secs, cpus / (total / 1e8), secs, cpus,
                                             extra), flush=True)


def messages_for(size, mb):
    return max(1, int((mb * 1e6 + size - 1) // size))


# --- rtcbin / webrtcbin ---------------------------------------------------------------------

def gst_modules():
    import gi
    gi.require_version("Gst", "1.0")
    gi.require_version("GstSdp", "1.0")
    gi.require_version("GstRtc", "1.0")
    gi.require_version("GstWebRTC", "1.0")
    from gi.repository import GLib, Gst, GstRtc, GstSdp, GstWebRTC
    Gst.init(None)
    return GLib, Gst, GstRtc, GstSdp, GstWebRTC


class Peer:
    """One rtcbin or webrtcbin in its own pipeline (optionally with more elements)."""

    def __init__(self, mods, factory, extra=None):
        self.mods = mods
        self.rtc = factory == "rtcbin"
        self.pipe, self.pc, self.agent = benchcall.make_pc(mods, factory, extra)
        self.remote = None
        self.errors = []
        self.keep = []  # objects read from webrtcbin, kept until exit
        self.pc.connect("on-ice-candidate",
                        lambda _pc, m, c: self.remote.pc.emit("add-ice-candidate", m, c))
        bus = self.pipe.get_bus()
        bus.enable_sync_message_emission()
        bus.connect("sync-message::error", self._on_error)

    def _on_error(self, _bus, msg):
        err, dbg = msg.parse_error()
        self.errors.append("%s: %s" % (msg.src.get_name(), err.message))

    def desc(self, kind, text):
        return benchcall.description(self.mods, self.rtc, kind, text)


def timed_eos(peer, st):
    """An Event set, with st["t1"] and st["c1"] (time, CPU), when EOS reaches the peer's
    fakesink "out": the pipeline posts none (rtcbin's own sinks never end)."""
    Gst = peer.mods[1]
    eos = threading.Event()

    def on_event(_pad, info):  # events only (a few), no buffers
        if info.get_event().type == Gst.EventType.EOS:
            st["t1"], st["c1"] = now(), cpu()
            eos.set()
        return Gst.PadProbeReturn.OK

    peer.pipe.get_by_name("out").get_static_pad("sink").add_probe(
        Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)
    return eos


def run_bins(factory, size, mb):
    """rtcbin or webrtcbin, messages sent and counted from Python."""
    mods = gst_modules()
    GLib, Gst = mods[0], mods[1]
    n = messages_for(size, mb)
    total = n * size
    a, b = Peer(mods, factory), Peer(mods, factory)
    st = {"got": 0, "t1": None, "c1": None, "rx": None, "errors": []}
    done = threading.Event()

    def on_message(_ch, data):
        st["got"] += data.get_size()
        if st["got"] >= total and st["t1"] is None:
            st["t1"], st["c1"] = now(), cpu()
            done.set()

    def on_data_channel(_pc, ch):
        st["rx"] = ch  # kept
        ch.connect("on-message-data", on_message)

    b.pc.connect("on-data-channel", on_data_channel)
    b.pipe.set_state(Gst.State.PLAYING)
    a.pipe.set_state(Gst.State.PLAYING)  # webrtcbin 1.22: started before create-data-channel
    ch = a.pc.emit("create-data-channel", "bulk", None)
    if ch is None:
        print("FAIL create-data-channel refused", flush=True)
        return
    # Offer now that the channel exists: webrtcbin 1.22 may say negotiation is needed while it
    # starts, with nothing to negotiate yet, and not again for the channel.
    benchcall.call(a.mods, a, b, now, at_once=True)
    low = threading.Event()
    ch.set_property("buffered-amount-low-threshold", LOW)
    ch.connect("on-buffered-amount-low", lambda _ch: low.set())
    ch.connect("on-error", lambda _ch, e: st["errors"].append(getattr(e, "message", str(e))))
    ch.connect("on-close", lambda _ch: st["errors"].append("channel closed"))
    deadline = now() + 20
    while int(ch.get_property("ready-state")) != 2:  # open (by number: webrtcbin starts at 0)
        if now() > deadline or a.errors or b.errors:
            print("FAIL channel not open: %s" % (a.errors + b.errors), flush=True)
            return
        time.sleep(0.002)
    while st["rx"] is None and now() < deadline:
        time.sleep(0.001)

    data = GLib.Bytes.new(b"\x5a" * size)  # one message, reused
    send = ch.send_data_full  # raises GLib.Error when refused (webrtcbin 1.22 has it too)
    waits = [0]

    def sender():
        sent = 0
        while sent < n and not st["errors"]:
            ba = ch.get_property("buffered-amount")
            if ba >= HIGH:
                low.clear()
                if ch.get_property("buffered-amount") >= HIGH:
                    waits[0] += 1
                    low.wait(0.2)
                continue
            k = min(n - sent, max(1, (HIGH - ba) // size))
            try:
                for _ in range(k):
                    send(data)
            except GLib.Error as e:
                st["errors"].append("send: " + e.message)
                return
            sent += k

    t0, c0 = now(), cpu()
    th = threading.Thread(target=sender, daemon=True)
    th.start()
    last, last_t = 0, now()
    while not done.wait(0.5):  # stalled for 10 s (or refused): give up
        if st["got"] != last:
            last, last_t = st["got"], now()
        elif now() - last_t > 10 or st["errors"] or a.errors or b.errors:
            print("FAIL %d of %d bytes received; %s" % (st["got"], total,
                                                       st["errors"] + a.errors + b.errors),
                  flush=True)
            os._exit(0)
    result(total, t0, st["t1"], c0, st["c1"], "waits=%d" % waits[0])
    th.join(5)
    os._exit(0)  # no teardown: not measured, and webrtcbin 1.22 may crash in it


def own_ice_thread(peer):
    """rtcbin receives on the process's one ICE thread by default, which in this one-process
    benchmark serves both peers. shared-ice-thread=false gives each transport a streaming thread
    of its own, as two peers in two processes would have one ICE thread each."""
    peer.pc.set_property("shared-ice-thread", False)


def run_pads(size, mb, own_threads=False):
    """rtcbin with data pads: no Python per message."""
    mods = gst_modules()
    Gst = mods[1]
    n = messages_for(size, mb)
    total = n * size
    a = Peer(mods, "rtcbin", "fakesrc num-buffers=%d sizetype=fixed sizemax=%d filltype=zero "
                             "! pc.data_sink_bulk" % (n, size))
    a.pc.get_static_pad("data_sink_bulk").set_property("max-buffered", HIGH)
    b = Peer(mods, "rtcbin", "pc.data_src_bulk ! fakesink name=out sync=false async=false")
    if own_threads:
        own_ice_thread(a)
        own_ice_thread(b)
    benchcall.call(a.mods, a, b, now)
    st = {}

    def on_data_channel(_pc, ch):
        if "t0" not in st:
            st["t0"], st["c0"] = now(), cpu()
            st["ch"] = ch

    eos = timed_eos(b, st)
    b.pc.connect("on-data-channel", on_data_channel)
    b.pipe.set_state(Gst.State.PLAYING)
    a.pipe.set_state(Gst.State.PLAYING)
    deadline = now() + 120
    while not eos.wait(0.5):
        if a.errors or b.errors or now() > deadline:
            print("FAIL no EOS at the receiver: %s" % (a.errors + b.errors), flush=True)
            os._exit(0)
    t1, c1 = st["t1"], st["c1"]
    got = b.pipe.get_by_name("out").get_property("stats").get_value("rendered")
    if got != n:
        print("FAIL %d of %d messages" % (got, n), flush=True)
        os._exit(0)
    result(total, st["t0"], t1, st["c0"], c1)
    os._exit(0)


# --- rtcbin, one process per peer ----------------------------------------------------------

def run_pads_2p(size, mb):
    """rtcbin data pads with the receiver in a child process (signalling over its stdin and
    stdout, one JSON object a line): each peer has its own ICE thread and its own usrsctp, as
    two applications would. CPU: this process's plus the child's, over the child's window
    (its on-data-channel to its fakesink's EOS)."""
    import json
    mods = gst_modules()
    Gst = mods[1]
    n = messages_for(size, mb)
    total = n * size
    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--receiver-child",
                              "--size", str(size), "--mb", str(mb)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    a = Peer(mods, "rtcbin", "fakesrc num-buffers=%d sizetype=fixed sizemax=%d filltype=zero "
                             "! pc.data_sink_bulk" % (n, size))
    a.pc.get_static_pad("data_sink_bulk").set_property("max-buffered", HIGH)
    lock = threading.Lock()

    def tell(obj):
        with lock:
            child.stdin.write(json.dumps(obj) + "\n")
            child.stdin.flush()

    class Remote:  # what Peer calls on the remote side (candidates)
        pass
    remote = Remote()
    remote.pc = Remote()
    remote.pc.emit = lambda sig, *args: tell({"type": sig, "args": list(args[:2])}) \
        if sig == "add-ice-candidate" else None
    a.remote = remote

    def on_offer(promise, _):
        reply = promise.get_reply()
        text = reply.get_value("offer").sdp.as_text()
        a.pc.emit("set-local-description", a.desc("offer", text), None)
        tell({"type": "offer", "sdp": text})

    def needed(_pc):
        a.pc.emit("create-offer", None, Gst.Promise.new_with_change_func(on_offer, None))

    a.pc.connect("on-negotiation-needed", needed)
    st = {}
    opened, finished = threading.Event(), threading.Event()

    def reader():
        for line in child.stdout:
            if line.startswith("RESULT") or line.startswith("FAIL"):
                st["child"] = line.split()
                finished.set()
                continue
            msg = json.loads(line)
            if msg["type"] == "answer":
                a.pc.emit("set-remote-description", a.desc("answer", msg["sdp"]), None)
            elif msg["type"] == "add-ice-candidate":
                a.pc.emit("add-ice-candidate", *msg["args"])
            elif msg["type"] == "open":
                st["c0"] = cpu()
                opened.set()
        finished.set()

    threading.Thread(target=reader, daemon=True).start()
    a.pipe.set_state(Gst.State.PLAYING)
    if not finished.wait(120) or "child" not in st or st["child"][0] != "RESULT":
        print("FAIL receiver: %s %s" % (st.get("child"), a.errors), flush=True)
        os._exit(0)
    c1 = cpu()
    _r, _mbps, _cpu100, secs, child_cpu = st["child"][:5]
    secs, cpus = float(secs), float(child_cpu) + (c1 - st["c0"])
    print("RESULT %.3f %.4f %.3f %.3f parent=%.3f child=%s" % (
        total / 1e6 / secs, cpus / (total / 1e8), secs, cpus, c1 - st["c0"], child_cpu),
        flush=True)
    os._exit(0)


def receiver_child(size, mb):
    """The receiving peer of run_pads_2p (stdin: offer and candidates; stdout: answer,
    candidates, "open", then RESULT for its own process)."""
    import json
    mods = gst_modules()
    Gst = mods[1]
    n = messages_for(size, mb)
    total = n * size
    b = Peer(mods, "rtcbin", "pc.data_src_bulk ! fakesink name=out sync=false async=false")
    lock = threading.Lock()

    def tell(obj):
        with lock:
            sys.stdout.write(json.dumps(obj) + "\n")
            sys.stdout.flush()

    class Remote:
        pass
    b.remote = Remote()
    b.remote.pc = Remote()
    b.remote.pc.emit = lambda sig, m, c: tell({"type": sig, "args": [m, c]})
    st = {}
    eos = timed_eos(b, st)

    def on_data_channel(_pc, _ch):
        if "t0" not in st:
            st["t0"], st["c0"] = now(), cpu()
            tell({"type": "open"})

    b.pc.connect("on-data-channel", on_data_channel)

    def on_answer(promise, _):
        reply = promise.get_reply()
        text = reply.get_value("answer").sdp.as_text()
        b.pc.emit("set-local-description", b.desc("answer", text), None)
        tell({"type": "answer", "sdp": text})

    b.pipe.set_state(Gst.State.PLAYING)

    def reader():
        for line in sys.stdin:
            msg = json.loads(line)
            if msg["type"] == "offer":
                b.pc.emit("set-remote-description", b.desc("offer", msg["sdp"]), None)
                b.pc.emit("create-answer", None,
                          Gst.Promise.new_with_change_func(on_answer, None))
            elif msg["type"] == "add-ice-candidate":
                b.pc.emit("add-ice-candidate", *msg["args"])

    threading.Thread(target=reader, daemon=True).start()
    if not eos.wait(120) or "t0" not in st:
        print("FAIL no EOS at the receiver %s" % b.errors, flush=True)
        os._exit(0)
    got = b.pipe.get_by_name("out").get_property("stats").get_value("rendered")
    if got != n:
        print("FAIL %d of %d messages" % (got, n), flush=True)
        os._exit(0)
    result(total, st["t0"], st["t1"], st["c0"], st["c1"])
    os._exit(0)


# --- aiortc ---------------------------------------------------------------------------------

def run_aiortc(size, mb):
    import asyncio
    import aioice.ice
    from aiortc import RTCConfiguration, RTCPeerConnection
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    n = messages_for(size, mb)
    total = n * size

    async def main():
        cfg = RTCConfiguration(iceServers=[])
        pc1, pc2 = RTCPeerConnection(cfg), RTCPeerConnection(cfg)
        st = {"got": 0}
        done = asyncio.Event()
        opened = asyncio.Event()
        low = asyncio.Event()

        @pc2.on("datachannel")
        def on_dc(ch):
            st["rx"] = ch

            @ch.on("message")
            def on_message(m):
                st["got"] += len(m)
                if st["got"] >= total and "t1" not in st:
                    st["t1"], st["c1"] = now(), cpu()
                    done.set()

        ch = pc1.createDataChannel("bulk")
        ch.bufferedAmountLowThreshold = LOW
        ch.on("open", opened.set)
        ch.on("bufferedamountlow", low.set)
        await pc1.setLocalDescription(await pc1.createOffer())
        await pc2.setRemoteDescription(pc1.localDescription)
        await pc2.setLocalDescription(await pc2.createAnswer())
        await pc1.setRemoteDescription(pc2.localDescription)
        await asyncio.wait_for(opened.wait(), 20)
        data = b"\x5a" * size
        t0, c0 = now(), cpu()
        sent = 0
        while sent < n:
            low.clear()
            while sent < n and ch.bufferedAmount < HIGH:
                ch.send(data)
                sent += 1
            if sent < n:
                await low.wait()
        await asyncio.wait_for(done.wait(), 300)
        result(total, t0, st["t1"], c0, st["c1"])

    asyncio.run(main())
    os._exit(0)


# --- the matrix -----------------------------------------------------------------------------

def child_cmd(stack, size, mb, floor):
    if stack == "usrsctp-udp":
        return [floor, "--size", str(size), "--mb", str(mb), "--udp"]
    if stack.startswith("usrsctp"):
        return [floor, "--size", str(size), "--mb", str(mb), "--threads", stack[-2]]
    return [sys.executable, os.path.abspath(__file__), "--stack", stack, "--size", str(size),
            "--mb", str(mb)]


SETUP_RETRIES = {"n": 0}


def run_child(stack, size, mb, floor):
    """One run in a fresh process; a channel that did not open (a setup failure, seen now and
    then with webrtcbin) is tried up to twice more, and counted."""
    r, why = run_child_once(stack, size, mb, floor)
    for _ in range(2):
        if r is not None or not why.startswith("FAIL channel not open"):
            break
        SETUP_RETRIES["n"] += 1
        SETUP_RETRIES[stack] = SETUP_RETRIES.get(stack, 0) + 1
        r, why = run_child_once(stack, size, mb, floor)
    return r, why


def run_child_once(stack, size, mb, floor):
    try:
        out = subprocess.run(child_cmd(stack, size, mb, floor), capture_output=True, text=True,
                             timeout=180)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    for line in out.stdout.splitlines():
        if line.startswith("RESULT"):
            f = line.split()
            return (float(f[1]), float(f[2])), ""
        if line.startswith("FAIL"):
            return None, line
    return None, "exit %d: %s" % (out.returncode, (out.stderr.strip().splitlines() or [""])[-1])


def human(size):
    return "%d KiB" % (size >> 10) if size < (1 << 20) else "%d MiB" % (size >> 20)


def matrix(args):
    sizes = [int(x) for x in args.sizes.split(",")]
    stacks = args.stacks.split(",")
    cells = [(st, sz) for sz in sizes for st in stacks
             if not (st in ONLY_UP_TO_64K and sz > 65536)
             and not (sz > (256 << 10) and st not in SIZES_1M)]
    res = {c: [] for c in cells}
    fails = {c: [] for c in cells}
    start = time.time()
    print("started %s, %d MB per run, %d runs" % (time.strftime("%Y-%m-%d %H:%M:%S UTC",
                                                               time.gmtime(start)),
                                                 args.mb, args.runs), flush=True)
    for run in range(args.runs):
        for c in cells:  # interleaved: slow moments of the machine spread over every cell
            st, sz = c
            mb = args.mb
            r, why = run_child(st, sz, mb, args.floor)
            if r:
                res[c].append(r)
            else:
                fails[c].append(why)
            print("  run %d %-12s %8s: %s" % (run + 1, st, human(sz),
                                              "%.1f MB/s, %.3f CPU-s/100MB" % r if r else why),
                  file=sys.stderr, flush=True)
    refused = None
    if "webrtcbin" in stacks and any(sz > 65536 for sz in sizes):
        r, why = run_child("webrtcbin", 256 << 10, 1, args.floor)
        refused = why if not r else "accepted (%.1f MB/s)" % r[0]
    print("finished after %.0f s\n" % (time.time() - start))
    print("| message | stack | MB/s | CPU-s per 100 MB | MB/s vs webrtcbin | CPU vs webrtcbin "
          "| MB/s vs usrsctp (2t) | CPU vs usrsctp (2t) | runs |")
    print("|---|---|---|---|---|---|---|---|---|")
    for sz in sizes:
        med = {st: (statistics.median(x[0] for x in res[(st, s)]),
                    statistics.median(x[1] for x in res[(st, s)]))
               for (st, s) in cells if s == sz and res[(st, s)]}
        w, f = med.get("webrtcbin"), med.get("usrsctp-2t")
        for st in stacks:
            c = (st, sz)
            if c not in res:
                if st == "webrtcbin" and sz > 65536:
                    print("| %s | %s | refuses messages over 64 KiB | | | | | | |"
                          % (human(sz), LABEL[st]))
                continue
            if st not in med:
                print("| %s | %s | failed: %s | | | | | | 0 |" % (human(sz), LABEL[st],
                                                                 "; ".join(fails[c])[:120]))
                continue
            m = med[st]
            rw = ("%.2fx" % (m[0] / w[0]), "%.2fx" % (m[1] / w[1])) if w else ("-", "-")
            rf = ("%.2fx" % (m[0] / f[0]), "%.2fx" % (m[1] / f[1])) if f else ("-", "-")
            print("| %s | %s | %.1f | %.3f | %s | %s | %s | %s | %d%s |"
                  % (human(sz), LABEL[st], m[0], m[1], rw[0], rw[1], rf[0], rf[1], len(res[c]),
                     " (%d failed)" % len(fails[c]) if fails[c] else ""))
    if refused is not None:
        print("\nwebrtcbin with one 256 KiB message: %s" % refused)
    if SETUP_RETRIES["n"]:
        print("\nruns whose channel did not open within 20 s and were run again: %s"
              % {k: v for k, v in SETUP_RETRIES.items() if k != "n"})
    for c, f in fails.items():
        if f:
            print("failures %s %s: %s" % (c[0], human(c[1]), "; ".join(f)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stack", choices=STACKS)
    ap.add_argument("--size", type=int, default=64 << 10)
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--matrix", action="store_true")
    ap.add_argument("--receiver-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument("--stacks", default=",".join(STACKS))
    ap.add_argument("--floor", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                    "..", "build", "bench", "sctp-floor"))
    args = ap.parse_args()
    if args.matrix:
        matrix(args)
    elif args.receiver_child:
        receiver_child(args.size, args.mb)
    elif args.stack == "rtcbin-pads-2p":
        run_pads_2p(args.size, args.mb)
    elif args.stack in ("rtcbin", "webrtcbin"):
        run_bins(args.stack, args.size, args.mb)
    elif args.stack in ("rtcbin-pads", "rtcbin-pads-own"):
        run_pads(args.size, args.mb, args.stack == "rtcbin-pads-own")
    elif args.stack == "aiortc":
        run_aiortc(args.size, args.mb)
    elif args.stack:
        os.execv(args.floor, child_cmd(args.stack, args.size, args.mb, args.floor))
    else:
        ap.error("--stack or --matrix")


if __name__ == "__main__":
    main()
