"""Data channels between rtcbin and headless Chromium, webrtcbin (1.22) and aiortc (1.4), with
rtcbin as offerer and as answerer, data only (no media), in a network namespace of its own.

Each side opens three channels around the first offer/answer (the offerer before its offer;
Chromium and aiortc as answerers once they have the offer) and echoes every message on the
other side's channels back unchanged:
- "<side>-reliable" (ordered, reliable): 1,000 messages of mixed sizes (dcplan.py: strings
  with one- to four-byte UTF-8 characters and binary alternating, 0-byte string and binary,
  1 byte, around 1200 and 16 KiB, log-uniform up to the limit), each echo checked byte-exact,
  in order, and of the kind sent. The limit is what the peer accepts: 256 KiB for Chromium
  (a=max-message-size:262144); 64 KiB for webrtcbin (it advertises no a=max-message-size, so
  65536 is assumed, and it refuses more) and for aiortc (a=max-message-size:65536); rtcbin's
  sctp-transport must say the same. webrtcbin 1.22 cannot send empty messages (usrsctp
  refuses its 0-byte send with EFAULT and the channel closes), so its plans have none.
  Senders mind backpressure: Chromium at most 4 MiB buffered, aiortc and webrtcbin 1 MiB
  (bufferedAmount and bufferedamountlow, buffered-amount); rtcbin takes everything at once
  (it queues, never drops).
- "<side>-unordered" (ordered=false): 100 short messages, at the same time as the reliable
  ones, echoes checked as a set.
- "<side>-rexmit0" (max-retransmits=0): 100 short messages once the others are done, echoes
  checked as a set: all must arrive. (Under the reliable channels' load, loopback does lose
  datagrams: socket receive buffers overflow, see Udp RcvbufErrors in failure messages, and a
  message with no retransmission is then gone for good.)
Then rtcbin closes its unordered channel and the peer sees it closed, the peer closes its own
and rtcbin sees on-close and ready-state closed, and the reliable and max-retransmits=0
channels still carry one more message each way. rtcbin's bus has no error and its connection
state is connected throughout; so is the peer's (but webrtcbin's: for data-only sessions its
ICE connection state stays `new`, so its connection state is not checked). With aiortc
offering, the legacy `DTLS/SCTP 5000` + a=sctpmap m-line is answered in kind.

A second test leaves a data-only session silent for 7 s: it must stay connected (consent is
kept by STUN, not by application traffic) and carry messages after.
"""
import json
import re
import time

import pytest

import dcplan
from gstpeer import AiortcPeer, ChromiumPeer, DataScript, GstPeer, run_loop_until

from gi.repository import GstRtc  # noqa: E402

COUNT = 1000  # messages on each reliable channel
SMALL = 100  # messages on each unordered and max-retransmits=0 channel
LIMITS = {"chromium": 262144, "webrtcbin": 65536, "aiortc": 65536}
HIGH_WATER = 1 << 20  # webrtcbin as a sender: buffered bytes before it waits
EXCHANGE_TIMEOUT = 90
OURS = ("rtc-reliable", "rtc-unordered", "rtc-rexmit0")
THEIRS = ("peer-reliable", "peer-unordered", "peer-rexmit0")


class WebrtcbinRemote:
    """webrtcbin in this process, data only, with the same report()/command() as the page and
    aiortc_peer.py."""

    def __init__(self, role, plan):
        self.peer = GstPeer("webrtcbin", "webrtcbin", video=None, audio=False)
        self.script = DataScript(self.peer, plan, SMALL, high_water=HIGH_WATER)
        self.logs = self.errors = self.peer.errors  # bus errors, failed promises
        self.role = role
        self.peer.start()  # webrtcbin refuses create-data-channel and descriptions below READY

    @property
    def remote(self):
        return self.peer.remote

    @remote.setter
    def remote(self, other):
        self.peer.remote = other

    def set_remote(self, kind, text):
        self.peer.set_remote(kind, text)

    def add_candidate(self, mline, cand):
        self.peer.add_candidate(mline, cand)

    def open(self):
        open_channels(self.script, "peer")
        # An offerer offers now, once, with its channels. Not on on-negotiation-needed: webrtcbin
        # 1.22 may fire it while starting, before the remote is known, and not again after.
        if self.role == "offer":
            self.peer.offer()

    def report(self):
        state = self.peer.pc.get_property("connection-state").value_nick
        return {"state": state, "channels": self.script.status(),
                "unexpected": self.script.unexpected}

    def command(self, name, label):
        self.script.command(name, label)

    def close(self):
        self.peer.stop()


def open_channels(script, side):
    script.open(side + "-reliable", "plan")
    script.open(side + "-unordered", "small", ordered=False)
    # Unreliable: sent once the reliable channels are done (a loopback socket buffer that
    # overflows under their load loses datagrams, and this channel does not resend).
    script.open(side + "-rexmit0", "small", hold=True, max_retransmits=0)


class Session:
    def __init__(self, peer, rtcbin_offers, count=COUNT):
        self.peer = peer
        # webrtcbin 1.22 cannot send an empty message (usrsctp refuses its 0-byte send with
        # EFAULT, "Failed to send data", and the channel closes): it gets none to echo.
        self.plan = dcplan.plan(count, LIMITS[peer], empty=peer != "webrtcbin")
        # aiortc does not trickle and takes candidates in descriptions only.
        self.ours = GstPeer("rtcbin", "rtcbin", video=None, audio=False,
                            trickle=peer != "aiortc")
        self.script = DataScript(self.ours, self.plan, SMALL)
        role = "answer" if rtcbin_offers else "offer"
        if peer == "chromium":
            self.theirs = ChromiumPeer(role, data={"plan": self.plan, "small": SMALL})
        elif peer == "aiortc":
            self.theirs = AiortcPeer(role, data={"limit": LIMITS[peer], "count": count,
                                                 "small": SMALL})
        else:
            self.theirs = WebrtcbinRemote(role, self.plan)
        self.ours.remote, self.theirs.remote = self.theirs, self.ours
        self.sctp = None
        if rtcbin_offers:
            self.ours.offer_when_needed()
        open_channels(self.script, "rtc")
        self.ours.start()
        if peer == "webrtcbin":
            self.theirs.open()

    def mine(self):
        return self.script.status()

    def theirs_report(self):
        return self.theirs.report() or {}

    def their_channels(self):
        return self.theirs_report().get("channels") or {}

    def finish(self):
        if self.peer == "aiortc":
            try:
                self.theirs.command("stop")
                self.theirs.proc.wait(5)
            except Exception:
                pass
            if self.theirs.proc.poll() is None:
                self.theirs.proc.kill()
        else:
            self.theirs.close()
        self.ours.stop()

    def explain(self, what):
        """Everything both sides know, for a failure message."""
        def brief(channels):
            return json.dumps({label: {k: v for k, v in c.items() if k != "label"}
                               for label, c in sorted(channels.items())}, default=str)
        theirs = self.theirs_report()
        now = round(time.monotonic(), 2)
        lines = ["%s (peer %s, at %.2f s)" % (what, self.peer, now),
                 "rtcbin: bus errors %s, connection states %s, unexpected %s" % (
                     self.ours.errors, self.ours.state_log, self.script.unexpected),
                 "UDP in this network namespace: " + udp_counters(),
                 "rtcbin channels: " + brief(self.mine()),
                 "%s: state %s, unexpected %s" % (self.peer, theirs.get("state"),
                                                 theirs.get("unexpected")),
                 "%s channels: %s" % (self.peer, brief(theirs.get("channels") or {})),
                 "%s logs: %s" % (self.peer, getattr(self.theirs, "logs", []))]
        return "\n".join(lines)


def udp_counters():
    """Datagrams dropped for lack of socket buffer, in this namespace (loopback loses only
    that way)."""
    try:
        rows = [x.split() for x in open("/proc/net/snmp") if x.startswith("Udp:")]
        return ", ".join("%s %s" % kv for kv in zip(rows[0][1:], rows[1][1:]))
    except (OSError, IndexError):
        return "unknown"


def done(mine, theirs, ours_labels, their_labels):
    """These channels of each side fully echoed, and each side has all the other's channels."""
    return (all(mine.get(label, {}).get("done") for label in ours_labels) and
            all(theirs.get(label, {}).get("done") for label in their_labels) and
            all(label in theirs for label in OURS) and all(label in mine for label in THEIRS))


def failing(s):
    """True once something went wrong that waiting longer will not fix."""
    if s.ours.errors or getattr(s.theirs, "errors", None):
        return True
    for side in (s.mine(), s.their_channels()):
        if any(c["bad"] or c["errors"] for c in side.values()):
            return True
    return s.peer == "aiortc" and s.theirs.proc.poll() is not None


def check_clean(s, step):
    """No bus error, no channel error, no mismatch, on either side."""
    assert not s.ours.errors, s.explain(step + ": rtcbin posted errors")
    for who, side in (("rtcbin", s.mine()), (s.peer, s.their_channels())):
        for label, c in side.items():
            assert not c["bad"], s.explain("%s: %s saw wrong echoes on %s" % (step, who, label))
            assert not c["errors"], s.explain("%s: %s had errors on %s" % (step, who, label))
    assert not s.script.unexpected and not s.theirs_report().get("unexpected"), \
        s.explain(step + ": unexpected channels")


FIRST = ("rtc-reliable", "rtc-unordered"), ("peer-reliable", "peer-unordered")


def wait_first_exchange(s):
    """The reliable and unordered channels of both sides done, all six channels open."""
    finished = run_loop_until(lambda: done(s.mine(), s.their_channels(), *FIRST) or failing(s),
                              EXCHANGE_TIMEOUT)
    check_clean(s, "reliable exchange")
    assert finished and done(s.mine(), s.their_channels(), *FIRST), \
        s.explain("the reliable exchange did not finish in %d s" % EXCHANGE_TIMEOUT)


def ping_both(s, ours, theirs):
    """One more message on each of these channels; True once every echo is back."""
    for label in ours:
        assert s.script.ping(label), s.explain("ping " + label)
    for label in theirs:
        s.theirs.command("ping", label=label)

    def pinged():
        mine, their = s.mine(), s.their_channels()
        return (all(mine[x]["pings_echoed"] == mine[x]["pings"] for x in ours) and
                all(their[x]["pings_echoed"] == their[x]["pings"] for x in theirs))

    return run_loop_until(lambda: pinged() or failing(s), 10) and pinged()


def check_connected(s):
    """rtcbin connected, and never disconnected in between; the peer too (not webrtcbin)."""
    stayed = s.ours.states and s.ours.states[-1] == "connected" and not \
        {"disconnected", "failed", "closed"} & set(s.ours.states)
    assert stayed, s.explain("rtcbin's connection state did not stay connected: %s" % s.ours.states)
    if s.peer != "webrtcbin":
        state = s.theirs_report().get("state")
        assert state == "connected", s.explain("the peer's connection state is %s" % state)


@pytest.mark.parametrize("rtcbin_offers", [True, False], ids=["rtcbin-offers", "rtcbin-answers"])
@pytest.mark.parametrize("peer", ["chromium", "webrtcbin", "aiortc"])
def test_datachannels(peer, rtcbin_offers):
    t0 = time.monotonic()
    s = Session(peer, rtcbin_offers)
    try:
        # 1. Every channel opens; the reliable and unordered ones carry their messages both
        #    ways at once, every echo byte-exact (in order on the reliable ones).
        wait_first_exchange(s)
        t_reliable = time.monotonic() - t0

        # 2. Then the max-retransmits=0 channels, both ways.
        s.script.start("rtc-rexmit0")
        s.theirs.command("start", label="peer-rexmit0")
        finished = run_loop_until(lambda: done(s.mine(), s.their_channels(), OURS, THEIRS) or
                                  failing(s), 15)
        check_clean(s, "max-retransmits=0 exchange")
        assert finished and done(s.mine(), s.their_channels(), OURS, THEIRS), \
            s.explain("the max-retransmits=0 messages did not all come back")

        mine, theirs = s.mine(), s.their_channels()
        for label in OURS:
            assert mine[label]["sent"] == mine[label]["expected"], s.explain(label)
            assert mine[label]["echoed"] == mine[label]["expected"], s.explain(label)
            assert theirs[label]["received"] == mine[label]["expected"], s.explain(label)
        for label in THEIRS:
            assert theirs[label]["echoed"] == theirs[label]["expected"], s.explain(label)
            assert mine[label]["received"] == theirs[label]["expected"], s.explain(label)
        assert mine["rtc-reliable"]["expected"] == COUNT
        assert theirs["peer-reliable"]["expected"] == COUNT
        for label in ("rtc-unordered", "rtc-rexmit0"):
            assert mine[label]["expected"] == SMALL
        for label in ("peer-unordered", "peer-rexmit0"):
            assert theirs[label]["expected"] == SMALL
        # The channel options went across (DCEP), both ways.
        for side, other in ((mine, "peer"), (theirs, "rtc")):
            assert side[other + "-reliable"]["ordered"] is True, s.explain("options")
            assert side[other + "-reliable"]["maxRetransmits"] is None, s.explain("options")
            assert side[other + "-unordered"]["ordered"] is False, s.explain("options")
            assert side[other + "-rexmit0"]["maxRetransmits"] == 0, s.explain("options")
        # What we may send is what the peer accepts.
        s.sctp = s.ours.pc.get_property("sctp-transport")  # keep it: PyGObject
        assert s.sctp is not None
        assert s.sctp.get_property("max-message-size") == LIMITS[peer], \
            s.explain("rtcbin's sctp-transport max-message-size is %d, not %d" % (
                s.sctp.get_property("max-message-size"), LIMITS[peer]))
        assert s.sctp.get_property("state") == GstRtc.SCTPTransportState.CONNECTED
        if peer == "aiortc" and not rtcbin_offers:
            # aiortc's legacy m-line (draft-ietf-mmusic-sctp-sdp-05), answered in kind.
            for prop in ("current-remote-description", "current-local-description"):
                text = s.ours.pc.get_property(prop).sdp.as_text()
                assert re.search(r"^m=application \d+ DTLS/SCTP 5000\r?$", text, re.M) and \
                    "a=sctpmap:5000 webrtc-datachannel" in text, "%s:\n%s" % (prop, text)

        # 3. rtcbin closes a channel: the peer sees it closed (and so do we).
        s.script.close("rtc-unordered")
        assert run_loop_until(lambda: s.their_channels()["rtc-unordered"]["closed"] and
                              s.mine()["rtc-unordered"]["closed"], 10), \
            s.explain("rtcbin closed rtc-unordered: not seen closed on both sides")
        assert s.their_channels()["rtc-unordered"]["state"] == "closed", s.explain("state")
        assert s.mine()["rtc-unordered"]["state"] == "closed", s.explain("state")

        # 4. The peer closes one: rtcbin sees on-close and ready-state closed.
        s.theirs.command("close", label="peer-unordered")
        assert run_loop_until(lambda: s.mine()["peer-unordered"]["closed"] and
                              s.their_channels()["peer-unordered"]["closed"], 10), \
            s.explain("%s closed peer-unordered: not seen closed on both sides" % peer)
        obj = s.script.channels["peer-unordered"]["obj"]
        assert obj.get_property("ready-state") == GstRtc.DataChannelState.CLOSED

        # 5. The other channels still work, both ways.
        assert ping_both(s, ("rtc-reliable", "rtc-rexmit0"), ("peer-reliable", "peer-rexmit0")), \
            s.explain("one more message after the closes did not come back")
        run_loop_until(lambda: False, 0.3)  # anything late (an extra echo, an error) shows
        check_clean(s, "after the closes")
        for label in ("rtc-reliable", "rtc-rexmit0", "peer-reliable", "peer-rexmit0"):
            assert not s.mine()[label]["closed"], s.explain(label + " closed on rtcbin")
            assert not s.their_channels()[label]["closed"], s.explain(label + " closed on peer")

        # 6. Connected throughout.
        check_connected(s)
        print("\n%s, rtcbin %s: reliable exchange %.1f s, total %.1f s" % (
            peer, "offers" if rtcbin_offers else "answers", t_reliable, time.monotonic() - t0))
    finally:
        s.finish()


IDLE = 7  # seconds: more than the 5 s of silence after which rtcbin calls a pair disconnected


@pytest.mark.parametrize("peer", ["chromium", "webrtcbin", "aiortc"])
def test_idle_data_session_stays_connected(peer):
    """A data-only session with nothing to send for a while stays connected (RFC 7675: consent
    is kept by the ICE agents' STUN checks and answers, not by application traffic: no RTCP
    here, and SCTP heartbeats come every 30 s at best), and its channels still work after."""
    s = Session(peer, True, count=20)
    try:
        wait_first_exchange(s)
        run_loop_until(lambda: False, IDLE)
        pinged = ping_both(s, ("rtc-reliable",), ("peer-reliable",))
        check_connected(s)
        assert pinged, s.explain("a message after %d s of silence did not come back" % IDLE)
        check_clean(s, "after the silence")
    finally:
        s.finish()
