"""Signalling shared by the benchmarks: two bins (rtcbin or webrtcbin) of one process, each
with .pc, .rtc and .remote, and a tuple of the GI modules (GLib, Gst, GstRtc, GstSdp,
GstWebRTC) imported by the caller."""


def make_pc(mods, factory, extra=None):
    """An rtcbin or webrtcbin named "pc" in a pipeline of its own (with `extra`, more of the
    gst-launch line), gathering on 127.0.0.1 only and without TCP, candidates to be trickled to
    a peer's .remote. Returns (pipe, pc, agent): webrtcbin's ICE agent, kept (webrtcbin 1.22
    frees it early otherwise), or None."""
    Gst, GstWebRTC = mods[1], mods[4]
    if extra:  # one parse_launch: delayed linking (demuxers, request pads) works in a pipeline
        pipe = Gst.parse_launch("%s name=pc %s" % (factory, extra))
        pc = pipe.get_by_name("pc")
    else:  # parse_launch of one element gives the element, not a pipeline
        pipe = Gst.Pipeline.new()
        pc = Gst.ElementFactory.make(factory, "pc")
        pipe.add(pc)
    agent = None
    if factory == "rtcbin":
        pc.set_property("ice-addresses", "127.0.0.1")
        pc.set_property("ice-tcp", False)
    else:
        pc.set_property("bundle-policy", GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
        agent = pc.get_property("ice-agent")
        agent.emit("add-local-ip-address", "127.0.0.1")
        agent.set_property("ice-tcp", False)
    return pipe, pc, agent


def description(mods, rtc, kind, text):
    """An offer or answer of `text` in the type rtcbin (rtc) or webrtcbin takes."""
    _glib, _gst, GstRtc, GstSdp, GstWebRTC = mods
    if rtc:
        t = GstRtc.SDPType.OFFER if kind == "offer" else GstRtc.SDPType.ANSWER
        return GstRtc.SessionDescription.new_from_text(t, text)
    _r, msg = GstSdp.SDPMessage.new_from_text(text)
    t = GstWebRTC.WebRTCSDPType.OFFER if kind == "offer" else GstWebRTC.WebRTCSDPType.ANSWER
    return GstWebRTC.WebRTCSessionDescription.new(t, msg)


def call(mods, a, b, clock, at_once=False):
    """a offers to b, once: when a says negotiation is needed, or now (at_once: webrtcbin 1.22
    may say it while starting, before it has anything to negotiate, and not again). Returns a
    list that gets the clock() time create-offer began."""
    Gst = mods[1]
    a.remote, b.remote = b, a
    started = []

    def on_answer(promise, _):
        reply = promise.get_reply()  # kept while its description is read (PyGObject)
        text = reply.get_value("answer").sdp.as_text()
        b.pc.emit("set-local-description", description(mods, b.rtc, "answer", text), None)
        a.pc.emit("set-remote-description", description(mods, a.rtc, "answer", text), None)

    def on_offer(promise, _):
        reply = promise.get_reply()
        text = reply.get_value("offer").sdp.as_text()
        a.pc.emit("set-local-description", description(mods, a.rtc, "offer", text), None)
        b.pc.emit("set-remote-description", description(mods, b.rtc, "offer", text), None)
        b.pc.emit("create-answer", None, Gst.Promise.new_with_change_func(on_answer, None))

    def needed(_pc):
        if not started:
            started.append(clock())
            a.pc.emit("create-offer", None, Gst.Promise.new_with_change_func(on_offer, None))

    if at_once:
        needed(a.pc)
    else:
        a.pc.connect("on-negotiation-needed", needed)
    return started
