"""A peer connection in a GStreamer pipeline, rtcbin or webrtcbin, for interop tests.

Each peer sends test video and/or audio through encoders into its bin, decodes whatever
arrives (decodebin) and counts decoded video frames and audio buffers. Signalling is SDP text
and trickled candidates handed to another object with the same small interface
(set_remote / add_candidate), so a GstPeer can talk to another GstPeer in the same process, or
to aiortc or a browser through a relay.

A peer may be data-only (video=None, audio=False: no sources); DataScript then drives its data
channels for the data channel interop tests (see dcplan.py for the messages).
"""
import threading

import dcplan

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstSdp", "1.0")
gi.require_version("GstRtc", "1.0")
gi.require_version("GstWebRTC", "1.0")
from gi.repository import GLib, Gst, GstRtc, GstSdp, GstWebRTC  # noqa: E402

Gst.init(None)

# Distinct payload types, as webrtcbin's examples set them: webrtcbin answers with its own
# payloader's PT and rejects two m-lines of its offer that use the same one.
VIDEO = {
    "vp8": "vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=96",
    "h264": "openh264enc complexity=low gop-size=30 ! h264parse "
    "! video/x-h264,profile=constrained-baseline ! rtph264pay config-interval=-1 "
    "aggregate-mode=zero-latency pt=96",
}


def wait_for(pred, timeout=10.0):
    deadline = GLib.get_monotonic_time() + int(timeout * 1e6)
    ev = threading.Event()
    while not pred():
        if GLib.get_monotonic_time() > deadline:
            return False
        ev.wait(0.02)
    return True


class GstPeer:
    def __init__(self, name, factory="rtcbin", video="vp8", audio=True, address="127.0.0.1",
                 trickle=True):
        self.name = name
        self.trickle = trickle  # False: send descriptions with every candidate, once gathered
        self.factory = factory
        self.rtc = factory == "rtcbin"
        self.lock = threading.Lock()
        self.remote = None
        self.errors = []
        self.frames = {"video": 0, "audio": 0}
        self.per_pad = {}  # src pad name -> decoded frames
        self.states = []
        self.state_log = []  # (monotonic seconds, connection state)
        self.negotiations = 0
        self.pipeline = Gst.Pipeline.new(name)
        self.pc = Gst.ElementFactory.make(factory, "pc")
        assert self.pc is not None, factory + " is not installed"
        self.pipeline.add(self.pc)
        if self.rtc:
            self.pc.set_property("ice-addresses", address)
            self.pc.set_property("ice-tcp", False)
        else:
            self.pc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
            agent = self.pc.get_property("ice-agent")
            agent.emit("add-local-ip-address", address)
            agent.set_property("ice-tcp", False)
            self._agent = agent  # webrtcbin pitfall: keep objects read from properties
        self.video, self.audio = video, audio
        if video:
            self._add_source(
                "videotestsrc is-live=true pattern=ball "
                "! video/x-raw,width=320,height=240,framerate=30/1 ! " + VIDEO[video])
        if audio:
            self._add_source("audiotestsrc is-live=true wave=ticks ! opusenc ! rtpopuspay pt=97")
        self.pc.connect("pad-added", self._on_pad)
        self.pc.connect("on-ice-candidate", self._on_candidate)
        self.pc.connect("notify::connection-state", self._on_state)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", self._on_error)
        bus.connect("message::warning", self._on_error)

    # --- media ---------------------------------------------------------------------------

    def _add_source(self, desc):
        bin_ = Gst.parse_bin_from_description(desc, True)
        self.pipeline.add(bin_)
        sink = self.pc.request_pad_simple("sink_%u")
        bin_.get_static_pad("src").link(sink)
        bin_.sync_state_with_parent()
        return sink

    def add_video(self, pt=100):
        """Another video track (mid-call: renegotiation follows)."""
        return self._add_source(
            "videotestsrc is-live=true pattern=smpte "
            "! video/x-raw,width=320,height=240,framerate=30/1 "
            "! vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=%d" % pt)

    def _on_pad(self, _pc, pad):
        if pad.direction != Gst.PadDirection.SRC:
            return
        dec = Gst.ElementFactory.make("decodebin")
        dec.connect("pad-added", self._on_decoded_pad, pad.get_name())
        self.pipeline.add(dec)
        dec.sync_state_with_parent()
        pad.link(dec.get_static_pad("sink"))

    def _on_decoded_pad(self, _dec, pad, src_name):
        caps = pad.get_current_caps() or pad.query_caps(None)
        kind = "audio" if caps.to_string().startswith("audio") else "video"
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("sync", False)
        sink.set_property("async", False)
        sink.set_property("signal-handoffs", True)
        sink.connect("handoff", self._on_frame, kind, src_name)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

    def _on_frame(self, _sink, _buf, _pad, kind, src_name):
        with self.lock:
            self.frames[kind] += 1
            self.per_pad[src_name] = self.per_pad.get(src_name, 0) + 1

    def _on_error(self, _bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            self.errors.append("%s: %s (%s)" % (msg.src.get_name(), err.message, dbg))

    def _on_state(self, pc, _p):
        state = pc.get_property("connection-state").value_nick
        self.states.append(state)
        self.state_log.append((round(GLib.get_monotonic_time() / 1e6, 2), state))

    # --- signalling ----------------------------------------------------------------------

    def description(self, kind, text):
        if self.rtc:
            t = GstRtc.SDPType.OFFER if kind == "offer" else GstRtc.SDPType.ANSWER
            return GstRtc.SessionDescription.new_from_text(t, text)
        _res, msg = GstSdp.SDPMessage.new_from_text(text)
        t = GstWebRTC.WebRTCSDPType.OFFER if kind == "offer" else GstWebRTC.WebRTCSDPType.ANSWER
        return GstWebRTC.WebRTCSessionDescription.new(t, msg)

    def start(self):
        self.pipeline.set_state(Gst.State.PLAYING)

    def offer_when_needed(self):
        """Offers whenever the bin says negotiation is needed (the webrtcbin idiom)."""
        self.pc.connect("on-negotiation-needed", lambda _pc: self.offer())

    def offer(self, options=None):
        """Creates an offer, applies it and sends it to the remote."""
        self.negotiations += 1
        self.pc.emit("create-offer", options,
                     Gst.Promise.new_with_change_func(self._on_offer, None))

    def _reply(self, promise, field):
        """The SDP text of a create-offer/answer reply. The description is read while the
        reply lives (PyGObject copies the structure; its values die with the copy)."""
        promise.wait()
        reply = promise.get_reply()
        if reply is None or reply.has_field("error"):
            err = reply.get_value("error") if reply else "no reply"
            self.errors.append("%s: %s" % (field, getattr(err, "message", err)))
            return None
        return reply.get_value(field).sdp.as_text()

    def _on_offer(self, promise, _):
        text = self._reply(promise, "offer")
        if text is None:
            return
        self.pc.emit("set-local-description", self.description("offer", text), None)
        self._send("offer", text)

    def _send(self, kind, text):
        if self.trickle:
            self.remote.set_remote(kind, text)
            return

        def gathered():
            done = GstWebRTC.WebRTCICEGatheringState.COMPLETE if not self.rtc else \
                GstRtc.ICEGatheringState.COMPLETE
            return self.pc.get_property("ice-gathering-state") == done

        def wait_and_send():
            if wait_for(gathered, 10):
                desc = self.pc.get_property("local-description")
                self.remote.set_remote(kind, desc.sdp.as_text())
            else:
                self.errors.append("ICE gathering did not complete")
        threading.Thread(target=wait_and_send, daemon=True).start()

    def set_remote(self, kind, text):
        desc = self.description(kind, text)
        if kind == "answer":
            self.pc.emit("set-remote-description", desc,
                         Gst.Promise.new_with_change_func(self._on_set_answer, None))
            return
        self.pc.emit("set-remote-description", desc,
                     Gst.Promise.new_with_change_func(self._on_set_offer, None))

    def _on_set_answer(self, promise, _):
        promise.wait()
        reply = promise.get_reply()
        if reply is not None and reply.has_field("error"):
            self.errors.append("set answer: %s" % reply.get_value("error").message)

    def _on_set_offer(self, promise, _):
        promise.wait()
        reply = promise.get_reply()
        if reply is not None and reply.has_field("error"):
            self.errors.append("set offer: %s" % reply.get_value("error").message)
            return
        self.pc.emit("create-answer", None, Gst.Promise.new_with_change_func(self._on_answer, None))

    def _on_answer(self, promise, _):
        text = self._reply(promise, "answer")
        if text is None:
            return
        self.pc.emit("set-local-description", self.description("answer", text), None)
        self._send("answer", text)

    def _on_candidate(self, _pc, mline, cand):
        if self.remote and self.trickle:
            self.remote.add_candidate(mline, cand)

    def add_candidate(self, mline, cand):
        self.pc.emit("add-ice-candidate", mline, cand)

    # --- results -------------------------------------------------------------------------

    def decoded(self):
        with self.lock:
            return dict(self.frames)

    def decoded_per_pad(self):
        with self.lock:
            return dict(self.per_pad)

    def stats(self):
        promise = Gst.Promise.new()
        self.pc.emit("get-stats", None, promise)
        promise.wait()
        reply = promise.get_reply()
        out = {}
        for i in range(reply.n_fields()):
            name = reply.nth_field_name(i)
            s = reply.get_value(name)
            out[name] = {s.nth_field_name(j): s.get_value(s.nth_field_name(j))
                         for j in range(s.n_fields())}
        return out

    def stop(self):
        self.pipeline.set_state(Gst.State.NULL)
        self.pipeline.get_bus().remove_signal_watch()


def connect(a, b):
    a.remote, b.remote = b, a


def run_loop_until(pred, timeout):
    """Iterates the default main context (bus watches) until pred() or timeout."""
    ctx = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + int(timeout * 1e6)
    while not pred() and GLib.get_monotonic_time() < deadline:
        while ctx.pending():
            ctx.iteration(False)
        threading.Event().wait(0.02)
    while ctx.pending():
        ctx.iteration(False)
    return pred()


class AiortcPeer:
    """aiortc in a child process (tests/interop/aiortc_peer.py), as a GstPeer's remote."""

    def __init__(self, role, video="vp8", seconds=12, data=None):
        """data: None for media, or {"limit": ..., "count": ..., "small": ...}: data channels
        only (aiortc_peer.py --data), reported as they go (report()) and driven by command()."""
        import json
        import os
        import subprocess
        import sys
        self.json = json
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aiortc_peer.py")
        args = [sys.executable, script, role, "--video", video, "--seconds", str(seconds)]
        if data is not None:
            args += ["--data", "--limit", str(data["limit"]), "--count", str(data["count"]),
                     "--small", str(data["small"])]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.remote = None
        self.result = None
        self.latest = {}
        self.logs = []
        self.errors = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            msg = self.json.loads(line)
            if msg["type"] in ("offer", "answer"):
                self.remote.set_remote(msg["type"], msg["sdp"])
            elif msg["type"] == "result":
                self.result = msg
            elif msg["type"] == "report":
                self.latest = msg
            elif msg["type"] == "log":
                self.logs.append(msg["msg"])

    def _write(self, obj):
        self.proc.stdin.write(self.json.dumps(obj) + "\n")
        self.proc.stdin.flush()

    def set_remote(self, kind, text):
        self._write({"type": kind, "sdp": text})

    def report(self):
        """Data mode: the latest {"state": ..., "channels": {label: status}} from aiortc."""
        return self.latest

    def command(self, name, **kw):
        """Data mode: start (a held channel's messages), close or ping a channel
        ({"type": name, "label": ...}); stop ends the child."""
        kw["type"] = name
        self._write(kw)

    def add_candidate(self, mline, cand):
        pass  # aiortc 1.4 takes candidates in the description only

    def finish(self, timeout=30):
        self.reader.join(timeout)
        self.proc.wait(timeout)
        return self.result


class ChromiumPeer:
    """Headless Chromium running tests/interop/chromium_page.html, as a GstPeer's remote.

    The page is served from 127.0.0.1 with its signalling (long polling) by a server in this
    process; Chromium gets fake camera and microphone, and must run in a network namespace
    where loopback is the only interface (its candidates are then loopback only)."""

    FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             "--disable-quic", "--use-fake-device-for-media-stream",
             "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
             "--disable-features=WebRtcHideLocalIpsWithMdns",
             "--autoplay-policy=no-user-gesture-required"]

    def __init__(self, role, video="vp8", data=None):
        """data: None for media (fake camera and microphone), or {"plan": [[binary, size],
        ...], "small": n}: data channels only, no getUserMedia (see DataScript for what the
        page does); result then holds {"state": ..., "channels": {label: status}}."""
        import http.server
        import json
        import os
        import queue
        import subprocess
        import tempfile
        self.json = json
        self.remote = None
        self.result = {}
        self.logs = []
        self.config = {"role": role, "video": video, "data": data}
        self.outbox = queue.Queue()
        here = os.path.dirname(os.path.abspath(__file__))
        page = open(os.path.join(here, "chromium_page.html"), "rb").read()
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, body, ctype="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except BrokenPipeError:
                    pass  # the browser went away (the test closed it) during a long poll

            def do_GET(self):
                if self.path == "/":
                    self.reply(page, "text/html")
                elif self.path == "/config":
                    self.reply(peer.config)
                elif self.path == "/poll":
                    msgs = []
                    try:
                        msgs.append(peer.outbox.get(timeout=1))
                        while True:
                            msgs.append(peer.outbox.get_nowait())
                    except queue.Empty:
                        pass
                    self.reply(msgs)
                else:
                    self.send_error(404)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path == "/send":
                    peer._from_page(body)
                elif self.path == "/result":
                    peer.result = body
                elif self.path == "/log":
                    peer.logs.append(body["msg"])
                self.reply({})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.profile = tempfile.TemporaryDirectory()
        url = "http://127.0.0.1:%d/" % self.server.server_address[1]
        self.proc = subprocess.Popen(
            ["/usr/bin/chromium"] + self.FLAGS + ["--user-data-dir=" + self.profile.name, url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _from_page(self, msg):
        if msg["type"] in ("offer", "answer"):
            self.remote.set_remote(msg["type"], msg["sdp"])
        elif msg["type"] == "candidate":
            self.remote.add_candidate(msg["mline"], msg["candidate"])

    def set_remote(self, kind, text):
        self.outbox.put({"type": kind, "sdp": text})

    def add_candidate(self, mline, cand):
        self.outbox.put({"type": "candidate", "mline": mline, "candidate": cand})

    def command(self, name, **kw):
        kw["type"] = name
        self.outbox.put(kw)

    def report(self):
        return self.result

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except Exception:
            self.proc.kill()
        self.server.shutdown()
        self.profile.cleanup()


class DataScript:
    """What one side of a data channel interop test does, for a GstPeer (rtcbin or webrtcbin).
    chromium_page.html (data mode) and aiortc_peer.py (--data) do the same:

    - open(label, ...) opens a channel of ours; once open we send it either the plan (the
      messages of dcplan.plan, checked in order when echoed) or `small` short messages (checked
      as a set: for unordered and max-retransmits=0 channels), or, with hold=True, once
      start(label) says so;
    - every message on a channel the other side opened is echoed back unchanged at once;
    - close(label) closes a channel, ping(label) sends one more string (echo checked in order);
    - command(name, label) is any of these by name ("start", "close", "ping"), as the other
      sides take them;
    - status() says per label what happened (the same fields on every side).

    Signals come from the bin's threads: everything is under one lock. Sends go out from a
    thread of their own; `high_water` (bytes) makes it wait while buffered-amount is above it
    (None: all at once; rtcbin queues without dropping)."""

    def __init__(self, peer, plan=None, small=100, high_water=None):
        self.peer = peer
        self.rtc = peer.rtc
        self.plan = plan or []
        self.small = small
        self.high_water = high_water
        self.lock = threading.Lock()
        self.channels = {}  # label -> record (a dict, see _record)
        self.unexpected = []  # on-data-channel with a label we already have, etc.
        peer.pc.connect("on-data-channel", self._on_data_channel)

    # --- channels ------------------------------------------------------------------------

    def open(self, label, kind, hold=False, **options):
        """kind: "plan" or "small"; hold: send only on start(label); options:
        create-data-channel fields (ordered=False, max_retransmits=0, ...)."""
        opts = None
        if options:
            opts = Gst.Structure.new_empty("options")
            for k, v in options.items():
                opts.set_value(k.replace("_", "-"), v)
        obj = self.peer.pc.emit("create-data-channel", label, opts)
        assert obj is not None, "create-data-channel %s %s refused" % (label, options)
        if kind == "plan":
            msgs = [dcplan.message(self.plan, i) for i in range(len(self.plan))]
        else:
            msgs = dcplan.small_messages(label, self.small)
        rec = self._record(label, obj, True, kind, msgs)
        rec["hold"] = hold
        self._watch(rec)
        return obj

    def start(self, label):
        """Sends the messages of a channel opened with hold=True (once it is open)."""
        rec = self.channels[label]
        with self.lock:
            go = rec["hold"] and rec["opened"]
            rec["hold"] = False
        if go:
            threading.Thread(target=self._send_all, args=(rec,), daemon=True).start()

    def _record(self, label, obj, mine, kind=None, msgs=None):
        rec = {"label": label, "obj": obj, "mine": mine, "kind": kind, "msgs": msgs or [],
               "opened": False, "closed": False, "sent": 0, "echoed": 0, "received": 0,
               "pings": [], "pings_echoed": 0, "bad": [], "errors": [], "left": None,
               "hold": False}
        if kind == "small":
            rec["left"] = {}
            for m in rec["msgs"]:
                rec["left"][dcplan.key(m)] = rec["left"].get(dcplan.key(m), 0) + 1
        with self.lock:
            if label in self.channels:
                self.unexpected.append("a second channel labelled %r" % label)
            self.channels[label] = rec
        return rec

    def _on_data_channel(self, _pc, obj):
        label = obj.get_property("label")
        rec = self._record(label, obj, False)
        self._watch(rec)
        if self._state(obj) == "open":
            self._on_open(obj, rec)

    def _watch(self, rec):
        obj = rec["obj"]
        obj.connect("on-open", self._on_open, rec)
        obj.connect("on-close", self._on_close, rec)
        obj.connect("on-error", self._on_error, rec)
        obj.connect("on-message-string", self._on_string, rec)
        obj.connect("on-message-data", self._on_data, rec)

    STATES = {1: "connecting", 2: "open", 3: "closing", 4: "closed"}

    @staticmethod
    def _state(obj):
        # By number: webrtcbin 1.22 starts its channels at 0, no value of its enum (value_nick
        # of it crashes PyGObject).
        v = int(obj.get_property("ready-state"))
        return DataScript.STATES.get(v, "new (%d)" % v)

    def _on_open(self, _obj, rec):
        with self.lock:
            if rec["opened"]:
                return
            rec["opened"] = True
        if rec["mine"] and not rec["hold"]:
            threading.Thread(target=self._send_all, args=(rec,), daemon=True).start()

    def _on_close(self, _obj, rec):
        with self.lock:
            rec["closed"] = True

    def _on_error(self, _obj, err, rec):
        with self.lock:
            rec["errors"].append(getattr(err, "message", str(err)))

    # --- messages ------------------------------------------------------------------------

    def _send(self, rec, msg):
        obj = rec["obj"]
        try:
            if self.rtc:  # the _full variants say why a message was refused
                if isinstance(msg, str):
                    obj.send_string_full(msg)
                else:
                    obj.send_data_full(GLib.Bytes.new(msg))
            elif isinstance(msg, str):  # webrtcbin 1.22: NULL is the empty message
                obj.emit("send-string", msg if msg else None)
            else:
                obj.emit("send-data", GLib.Bytes.new(msg) if msg else None)
        except GLib.Error as e:
            with self.lock:
                rec["errors"].append("send %s: %s" % (dcplan.describe(msg), e.message))
            return False
        return True

    def _send_all(self, rec):
        for msg in rec["msgs"]:
            if self.high_water is not None:
                wait_for(lambda: rec["obj"].get_property("buffered-amount") <= self.high_water
                         or rec["closed"], 30)
            if not self._send(rec, msg):
                return
            with self.lock:
                rec["sent"] += 1

    def _on_string(self, _obj, text, rec):
        self._on_message(rec, text if text is not None else "")

    def _on_data(self, _obj, data, rec):
        got = data.get_data() if data is not None else None
        self._on_message(rec, bytes(got) if got else b"")

    def _on_message(self, rec, msg):
        if not rec["mine"]:
            self._send(rec, msg)
            with self.lock:
                rec["received"] += 1
            return
        with self.lock:
            if rec["kind"] == "small" and rec["echoed"] < len(rec["msgs"]):
                k = dcplan.key(msg)
                if rec["left"].get(k, 0) > 0:
                    rec["left"][k] -= 1
                else:
                    dcplan.note_bad(rec, "unexpected echo (%s)" % dcplan.describe(msg))
                rec["echoed"] += 1
                return
            i = rec["echoed"]
            if i < len(rec["msgs"]):
                want = rec["msgs"][i]
                rec["echoed"] += 1
            elif i - len(rec["msgs"]) < len(rec["pings"]):
                want = rec["pings"][i - len(rec["msgs"])]
                rec["echoed"] += 1
                rec["pings_echoed"] += 1
            else:
                dcplan.note_bad(rec, "echo %d: more echoes than messages sent (%s)" % (
                    i, dcplan.describe(msg)))
                return
            diff = dcplan.difference(want, msg)
            if diff:
                dcplan.note_bad(rec, "echo %d: %s" % (i, diff))

    def ping(self, label):
        rec = self.channels[label]
        text = "ping %d from %s ✓" % (len(rec["pings"]), label)
        with self.lock:
            rec["pings"].append(text)
        return self._send(rec, text)

    def close(self, label):
        self.channels[label]["obj"].emit("close")

    # --- results -------------------------------------------------------------------------

    def status(self):
        out = {}
        with self.lock:
            recs = list(self.channels.values())
        for rec in recs:
            obj = rec["obj"]
            rexmit = obj.get_property("max-retransmits")
            with self.lock:
                s = {k: rec[k] for k in ("label", "mine", "kind", "hold", "opened", "closed",
                                         "sent", "echoed", "received", "pings_echoed")}
                s["bad"] = list(rec["bad"])
                s["errors"] = list(rec["errors"])
                s["pings"] = len(rec["pings"])
                s["expected"] = len(rec["msgs"])
                s["missing"] = sum(rec["left"].values()) if rec["left"] else 0
            s["state"] = self._state(obj)
            s["ordered"] = obj.get_property("ordered")
            s["maxRetransmits"] = None if rexmit < 0 else rexmit
            s["done"] = s["mine"] and s["echoed"] >= s["expected"] and s["missing"] == 0
            out[rec["label"]] = s
        return out

    def report(self):
        return {"channels": self.status(), "unexpected": list(self.unexpected)}

    def command(self, name, label):
        if name == "start":
            self.start(label)
        elif name == "close":
            self.close(label)
        elif name == "ping":
            self.ping(label)
