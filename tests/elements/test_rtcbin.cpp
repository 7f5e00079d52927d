// rtcbin end to end in one process over 127.0.0.1 (this test plays signalling): two bins send
// VP8 and Opus both ways and decode them. Also: a key-frame request from the receiver reaches
// the sender's encoder as a force-key-unit event (RFC 4585 PLI); lost video packets come back
// by NACK and RTX (RFC 4588); a bad description mid-call is refused and the call goes on.
// Runs in the sanitizer build too, with the leaks tracer on.
#include "rtc-gref.hpp"

#include <gst/gst.h>
#include <gst/rtc/rtc.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsrc.h>
#include <gtest/gtest.h>

#include "datachannel_watch.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

const char *kSources =
    "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1 "
    "! vp8enc deadline=1 keyframe-max-dist=%d ! rtpvp8pay name=vpay pt=96 ! pc. "
    "audiotestsrc is-live=true wave=ticks ! opusenc ! rtpopuspay pt=97 ! pc.";

struct Peer {
  explicit Peer(const char *n, int keyframe_dist = 30, const char *sources = kSources) : name(n) {
    gchar *desc =
        g_strdup_printf("rtcbin name=pc ice-addresses=127.0.0.1 ice-tcp=false %s", sources);
    gchar *filled = g_strdup_printf(desc, keyframe_dist);
    GError *err = nullptr;
    pipe = gst_parse_launch(filled, &err);
    if (pipe && !GST_IS_PIPELINE(pipe)) { // rtcbin alone (data only)
      GstElement *bin = gst_pipeline_new(nullptr);
      gst_bin_add(GST_BIN(bin), pipe);
      pipe = bin;
    }
    g_free(desc);
    g_free(filled);
    EXPECT_NE(pipe, nullptr) << (err ? err->message : "");
    g_clear_error(&err);
    pc = gst_bin_get_by_name(GST_BIN(pipe), "pc");
    g_signal_connect(pc, "pad-added", G_CALLBACK(on_pad), this);
    g_signal_connect(pc, "on-ice-candidate", G_CALLBACK(on_candidate), this);
    GstBus *bus = gst_element_get_bus(pipe);
    gst_bus_set_sync_handler(bus, on_message, this, nullptr);
    gst_object_unref(bus);
  }
  ~Peer() {
    gst_element_set_state(pipe, GST_STATE_NULL);
    gst_object_unref(pc);
    gst_object_unref(pipe);
  }

  int count(const char *kind) {
    std::lock_guard lk(m);
    return std::string(kind) == "video" ? video : audio;
  }
  bool wait(const std::function<bool()> &pred, int ms) {
    std::unique_lock lk(m);
    return cv.wait_for(lk, std::chrono::milliseconds(ms), [&] {
      return pred() || !errors.empty();
    }) && errors.empty();
  }
  GstElement *by_name(const char *n) { return gst_bin_get_by_name(GST_BIN(pc), n); }

  struct Counter {
    Peer *peer;
    bool video;
  };
  static void on_pad(GstElement *, GstPad *pad, Peer *self) {
    if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
      return;
    GstCaps *caps = gst_pad_get_current_caps(pad);
    bool video =
        g_strcmp0(gst_structure_get_string(gst_caps_get_structure(caps, 0), "encoding-name"),
                  "VP8") == 0;
    gst_caps_unref(caps);
    GstElement *dec = gst_parse_bin_from_description(
        video ? "rtpvp8depay ! vp8dec ! fakesink name=out signal-handoffs=true sync=false "
                "async=false"
              : "rtpopusdepay ! opusdec ! fakesink name=out signal-handoffs=true sync=false "
                "async=false",
        TRUE, nullptr);
    GstElement *out = gst_bin_get_by_name(GST_BIN(dec), "out");
    g_signal_connect_data(
        out, "handoff", G_CALLBACK(+[](GstElement *, GstBuffer *, GstPad *, Counter *c) {
          {
            std::lock_guard lk(c->peer->m);
            (c->video ? c->peer->video : c->peer->audio)++;
          }
          c->peer->cv.notify_all();
        }),
        new Counter{self, video}, [](gpointer d, GClosure *) { delete static_cast<Counter *>(d); },
        GConnectFlags(0));
    gst_object_unref(out);
    gst_bin_add(GST_BIN(self->pipe), dec);
    gst_element_sync_state_with_parent(dec);
    GstPad *sink = gst_element_get_static_pad(dec, "sink");
    gst_pad_link(pad, sink);
    gst_object_unref(sink);
  }

  static void on_candidate(GstElement *, guint mline, const gchar *cand, Peer *self) {
    g_signal_emit_by_name(self->remote->pc, "add-ice-candidate", mline, cand);
  }

  static GstBusSyncReply on_message(GstBus *, GstMessage *msg, gpointer data) {
    auto *self = static_cast<Peer *>(data);
    if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ERROR) {
      GError *err = nullptr;
      gst_message_parse_error(msg, &err, nullptr);
      {
        std::lock_guard lk(self->m);
        self->errors.push_back(std::string(GST_OBJECT_NAME(GST_MESSAGE_SRC(msg))) + ": " +
                               err->message);
      }
      g_error_free(err);
      self->cv.notify_all();
    }
    return GST_BUS_PASS;
  }

  std::string name;
  GstElement *pipe = nullptr, *pc = nullptr;
  Peer *remote = nullptr;
  std::mutex m; // protects the counters and errors
  std::condition_variable cv;
  int video = 0, audio = 0;
  std::vector<std::string> errors;
};

// Reply helpers: the SDP text of an offer/answer reply, or the error message.
std::string reply_text(GstPromise *p, const char *field, std::string *error) {
  gst_promise_wait(p);
  const GstStructure *r = gst_promise_get_reply(p);
  if (!r) {
    *error = "no reply";
    return {};
  }
  if (gst_structure_has_field(r, "error")) {
    GError *e = nullptr;
    gst_structure_get(r, "error", G_TYPE_ERROR, &e, nullptr);
    *error = e->message;
    g_error_free(e);
    return {};
  }
  GstRtcSessionDescription *d = nullptr;
  gst_structure_get(r, field, GST_TYPE_RTC_SESSION_DESCRIPTION, &d, nullptr);
  gchar *t = gst_rtc_session_description_to_text(d);
  std::string s = t;
  g_free(t);
  gst_rtc_session_description_free(d);
  return s;
}

// Applies `text` as a description on `pc`; "" or the error message.
std::string set_desc(GstElement *pc, bool local, GstRtcSDPType type, const std::string &text) {
  GError *err = nullptr;
  GstRtcSessionDescription *d = gst_rtc_session_description_new_from_text(type, text.c_str(), &err);
  if (!d) {
    std::string m = err->message;
    g_error_free(err);
    return m;
  }
  GstPromise *p = gst_promise_new();
  g_signal_emit_by_name(pc, local ? "set-local-description" : "set-remote-description", d, p);
  gst_rtc_session_description_free(d);
  gst_promise_wait(p);
  std::string out;
  const GstStructure *r = gst_promise_get_reply(p);
  if (r && gst_structure_has_field(r, "error")) {
    GError *e = nullptr;
    gst_structure_get(r, "error", G_TYPE_ERROR, &e, nullptr);
    out = e->message;
    g_error_free(e);
  }
  gst_promise_unref(p);
  return out;
}

std::string create(GstElement *pc, const char *what) {
  GstPromise *p = gst_promise_new();
  g_signal_emit_by_name(pc, what, nullptr, p);
  std::string error;
  std::string text = reply_text(p, strstr(what, "offer") ? "offer" : "answer", &error);
  gst_promise_unref(p);
  EXPECT_TRUE(error.empty()) << what << ": " << error;
  return text;
}

// A offers, B answers (called once A's sink pads have caps: negotiation-needed).
void negotiate(Peer &a, Peer &b) {
  std::string offer = create(a.pc, "create-offer");
  ASSERT_EQ(set_desc(a.pc, true, GST_RTC_SDP_TYPE_OFFER, offer), "");
  ASSERT_EQ(set_desc(b.pc, false, GST_RTC_SDP_TYPE_OFFER, offer), "");
  std::string answer = create(b.pc, "create-answer");
  ASSERT_EQ(set_desc(b.pc, true, GST_RTC_SDP_TYPE_ANSWER, answer), "");
  ASSERT_EQ(set_desc(a.pc, false, GST_RTC_SDP_TYPE_ANSWER, answer), "");
}

struct Call {
  explicit Call(int keyframe_dist = 30, const char *sources = kSources)
      : a("A", keyframe_dist, sources), b("B", keyframe_dist, sources) {
    a.remote = &b;
    b.remote = &a;
    g_signal_connect(a.pc, "on-negotiation-needed", G_CALLBACK(+[](GstElement *, Call *c) {
                       c->needed = true;
                       c->cv.notify_all();
                     }),
                     this);
  }
  // Starts both, negotiates when A asks for it, and waits for decoded media both ways.
  void start(int frames = 20) {
    gst_element_set_state(b.pipe, GST_STATE_PLAYING);
    gst_element_set_state(a.pipe, GST_STATE_PLAYING);
    {
      std::unique_lock lk(m);
      ASSERT_TRUE(cv.wait_for(lk, std::chrono::seconds(10), [&] { return needed.load(); }))
          << "no on-negotiation-needed";
    }
    negotiate(a, b);
    for (Peer *p : {&a, &b})
      ASSERT_TRUE(p->wait([&] { return p->video >= frames && p->audio >= frames; }, 20000))
          << p->name << " decoded " << p->video
          << " video frames; errors: " << (p->errors.empty() ? "" : p->errors[0]);
  }
  Peer a, b;
  std::mutex m;
  std::condition_variable cv;
  std::atomic<bool> needed{false};
};

} // namespace

TEST(RtcBin, VideoAndAudioBothWaysAreDecoded) {
  Call call;
  call.start();
  for (Peer *p : {&call.a, &call.b}) {
    GstRtcPeerConnectionState st;
    GstRtcSignalingState sig;
    g_object_get(p->pc, "connection-state", &st, "signaling-state", &sig, nullptr);
    EXPECT_EQ(st, GST_RTC_PEER_CONNECTION_STATE_CONNECTED) << p->name;
    EXPECT_EQ(sig, GST_RTC_SIGNALING_STATE_STABLE) << p->name;
  }
}

// RFC 4585 §6.3.1: B asks for a key frame (an upstream force-key-unit on its src pad, as a
// decoder does), rtcbin sends PLI, A's rtpbin turns it into force-key-unit towards A's encoder.
TEST(RtcBin, KeyFrameRequestReachesTheSendersEncoder) {
  Call call(100000); // no periodic key frames: only requested ones
  call.start(5);
  std::atomic<int> requests{0};
  GstElement *pay = gst_bin_get_by_name(GST_BIN(call.a.pipe), "vpay");
  GstPad *pay_src = gst_element_get_static_pad(pay, "src");
  gulong probe = gst_pad_add_probe(
      pay_src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
      [](GstPad *, GstPadProbeInfo *info, gpointer d) {
        GstEvent *ev = GST_PAD_PROBE_INFO_EVENT(info);
        if (gst_event_has_name(ev, "GstForceKeyUnit"))
          (*static_cast<std::atomic<int> *>(d))++;
        return GST_PAD_PROBE_OK;
      },
      &requests, nullptr);
  // B's video src pad: the one whose caps say VP8.
  GstPad *video_src = nullptr;
  GstIterator *it = gst_element_iterate_src_pads(call.b.pc);
  GValue v = G_VALUE_INIT;
  while (gst_iterator_next(it, &v) == GST_ITERATOR_OK) {
    GstPad *pad = GST_PAD(g_value_get_object(&v));
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (caps &&
        g_strcmp0(gst_structure_get_string(gst_caps_get_structure(caps, 0), "encoding-name"),
                  "VP8") == 0)
      video_src = GST_PAD(gst_object_ref(pad));
    if (caps)
      gst_caps_unref(caps);
    g_value_reset(&v);
  }
  g_value_unset(&v);
  gst_iterator_free(it);
  ASSERT_NE(video_src, nullptr);
  GstEvent *ev = gst_event_new_custom(
      GST_EVENT_CUSTOM_UPSTREAM,
      gst_structure_new("GstForceKeyUnit", "all-headers", G_TYPE_BOOLEAN, TRUE, nullptr));
  EXPECT_TRUE(gst_pad_send_event(video_src, ev));
  EXPECT_TRUE(call.a.wait([&] { return requests.load() > 0; }, 5000))
      << "no force-key-unit reached A's payloader";
  // The PLI was counted on both sides.
  gst_pad_remove_probe(pay_src, probe);
  gst_object_unref(pay_src);
  gst_object_unref(pay);
  gst_object_unref(video_src);
}

// Every 10th video packet B receives is dropped before rtpbin: B's jitter buffer asks for it
// (RFC 4585 generic NACK), A resends it on its RTX stream (RFC 4588), B restores it.
TEST(RtcBin, LostVideoPacketsAreRepairedByNackAndRtx) {
  Call call;
  call.start(5);
  GstElement *dec = call.b.by_name("t1_dtlsdec");
  ASSERT_NE(dec, nullptr);
  GstPad *rtp = gst_element_get_static_pad(dec, "rtp_src");
  static std::atomic<int> seen{0}, dropped{0};
  gulong probe = gst_pad_add_probe(
      rtp, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad *, GstPadProbeInfo *info, gpointer) {
        guint8 hdr[2];
        if (gst_buffer_extract(GST_PAD_PROBE_INFO_BUFFER(info), 0, hdr, 2) == 2 &&
            (hdr[1] & 0x7f) == 96 && ++seen % 10 == 0) {
          dropped++;
          return GST_PAD_PROBE_DROP;
        }
        return GST_PAD_PROBE_OK;
      },
      nullptr, nullptr);
  int before = call.b.count("video");
  EXPECT_TRUE(call.b.wait([&] { return call.b.video >= before + 90; }, 20000));
  gst_pad_remove_probe(rtp, probe);
  gst_object_unref(rtp);
  gst_object_unref(dec);
  EXPECT_GE(dropped.load(), 3);
  GstElement *rtx = nullptr;
  GstIterator *it = gst_bin_iterate_recurse(GST_BIN(call.b.pc));
  GValue v = G_VALUE_INIT;
  while (gst_iterator_next(it, &v) == GST_ITERATOR_OK) {
    GstElement *e = GST_ELEMENT(g_value_get_object(&v));
    if (g_str_has_prefix(GST_OBJECT_NAME(gst_element_get_factory(e)), "rtprtxreceive"))
      rtx = GST_ELEMENT(gst_object_ref(e));
    g_value_reset(&v);
  }
  g_value_unset(&v);
  gst_iterator_free(it);
  ASSERT_NE(rtx, nullptr);
  guint requests = 0, packets = 0;
  g_object_get(rtx, "num-rtx-requests", &requests, "num-rtx-packets", &packets, nullptr);
  gst_object_unref(rtx);
  EXPECT_GT(requests, 0u) << "B asked for nothing";
  EXPECT_GT(packets, 0u) << "A resent nothing on its RTX stream";
}

// A broken re-offer mid-call gets an error reply naming the problem; media keeps flowing.
TEST(RtcBin, BadDescriptionMidCallIsRefusedAndTheCallGoesOn) {
  Call call;
  call.start(5);
  GstRtcSessionDescription *cur = nullptr;
  g_object_get(call.a.pc, "current-local-description", &cur, nullptr);
  ASSERT_NE(cur, nullptr);
  gchar *text = gst_sdp_message_as_text(cur->sdp);
  gst_rtc_session_description_free(cur);
  std::string bad = text;
  g_free(text);
  auto pos = bad.find("a=fingerprint:");
  ASSERT_NE(pos, std::string::npos);
  bad.replace(pos, 14, "a=fingerprint:md5 zz ");
  std::string err = set_desc(call.b.pc, false, GST_RTC_SDP_TYPE_OFFER, bad);
  EXPECT_NE(err.find("fingerprint"), std::string::npos) << err;
  GstRtcSignalingState sig;
  g_object_get(call.b.pc, "signaling-state", &sig, nullptr);
  EXPECT_EQ(sig, GST_RTC_SIGNALING_STATE_STABLE);
  int before = call.b.count("video");
  EXPECT_TRUE(call.b.wait([&] { return call.b.video >= before + 30; }, 10000));
}

// fec-type=ulp-red on A's video transceiver: A sends its video in RED with ULP FEC packets
// (RFC 2198, RFC 5109); B loses 1 RED packet in 11 (an odd period, so media and FEC packets
// both get lost), gets no retransmissions, and rebuilds lost media packets from FEC ones.
TEST(RtcBin, UlpFecInRedRepairsLossWhenAsked) {
  Call call;
  GstPad *sink = gst_element_get_static_pad(call.a.pc, "sink_0");
  ASSERT_NE(sink, nullptr);
  GstRtcRTPTransceiver *t = nullptr;
  g_object_get(sink, "transceiver", &t, nullptr);
  ASSERT_NE(t, nullptr);
  g_object_set(t, "fec-type", GST_RTC_FEC_TYPE_ULP_RED, "fec-percentage", 50u, nullptr);
  gst_object_unref(t);
  gst_object_unref(sink);
  // B repairs by FEC only here: no retransmission requests (NACK/RTX is tested above).
  gst_element_set_state(call.b.pipe, GST_STATE_READY);
  GstElement *rtpbin = call.b.by_name("rtpbin");
  ASSERT_NE(rtpbin, nullptr);
  g_signal_connect_after(rtpbin, "new-jitterbuffer",
                         G_CALLBACK(+[](GstElement *, GstElement *jb, guint, guint, gpointer) {
                           g_object_set(jb, "do-retransmission", FALSE, nullptr);
                         }),
                         nullptr);
  gst_object_unref(rtpbin);
  call.start(5);
  // The video m-line's RED PT, from the negotiated description.
  GstRtcSessionDescription *cur = nullptr;
  g_object_get(call.a.pc, "current-local-description", &cur, nullptr);
  gchar *text = gst_sdp_message_as_text(cur->sdp);
  std::string sdp = text;
  g_free(text);
  gst_rtc_session_description_free(cur);
  auto at = sdp.find(" red/90000");
  ASSERT_NE(at, std::string::npos) << sdp;
  static int red_pt = std::atoi(sdp.substr(sdp.rfind(':', at) + 1).c_str());
  GstElement *dec = call.b.by_name("t1_dtlsdec");
  GstPad *rtp = gst_element_get_static_pad(dec, "rtp_src");
  static std::atomic<int> red{0}, seen{0};
  gulong probe = gst_pad_add_probe(
      rtp, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad *, GstPadProbeInfo *info, gpointer) {
        guint8 hdr[2];
        gst_buffer_extract(GST_PAD_PROBE_INFO_BUFFER(info), 0, hdr, 2);
        if ((hdr[1] & 0x7f) != red_pt)
          return GST_PAD_PROBE_OK;
        red++;
        if (++seen % 11 == 0)
          return GST_PAD_PROBE_DROP;
        return GST_PAD_PROBE_OK;
      },
      nullptr, nullptr);
  int before = call.b.count("video");
  EXPECT_TRUE(call.b.wait([&] { return call.b.video >= before + 60; }, 20000));
  gst_pad_remove_probe(rtp, probe);
  gst_object_unref(rtp);
  gst_object_unref(dec);
  EXPECT_GT(red.load(), 30) << "A sent no RED";
  guint fec_seen = 0, recovered = 0;
  GstIterator *it = gst_bin_iterate_recurse(GST_BIN(call.b.pc));
  GValue v = G_VALUE_INIT;
  while (gst_iterator_next(it, &v) == GST_ITERATOR_OK) {
    GstElement *e = GST_ELEMENT(g_value_get_object(&v));
    const gchar *factory = GST_OBJECT_NAME(gst_element_get_factory(e));
    guint n = 0;
    if (g_str_equal(factory, "rtpreddec")) {
      g_object_get(e, "received", &n, nullptr);
      fec_seen += n;
    } else if (g_str_equal(factory, "rtpulpfecdec")) {
      g_object_get(e, "recovered", &n, nullptr);
      recovered += n;
    }
    g_value_reset(&v);
  }
  g_value_unset(&v);
  gst_iterator_free(it);
  EXPECT_GT(fec_seen, 30u) << "B unwrapped no RED";
  EXPECT_GT(recovered, 0u) << "no lost packet rebuilt from FEC";
}

namespace {

// The peer's channels as "on-data-channel" gives them (references kept).
struct Incoming {
  std::mutex m;
  std::condition_variable cv;
  std::vector<GstRtcDataChannel *> channels;
  explicit Incoming(GstElement *pc) {
    g_signal_connect(pc, "on-data-channel",
                     G_CALLBACK(+[](GstElement *, GstRtcDataChannel *dc, Incoming *in) {
                       {
                         std::lock_guard lk(in->m);
                         in->channels.push_back(GST_RTC_DATA_CHANNEL(gst_object_ref(dc)));
                       }
                       in->cv.notify_all();
                     }),
                     this);
  }
  ~Incoming() {
    for (auto *dc : channels)
      gst_object_unref(dc);
  }
  GstRtcDataChannel *wait(size_t n) {
    std::unique_lock lk(m);
    if (!cv.wait_for(lk, std::chrono::seconds(15), [&] { return channels.size() >= n; }))
      return nullptr;
    return channels[n - 1];
  }
};

GstRtcDataChannel *create_channel(GstElement *pc, const char *label, GstStructure *opts) {
  GstRtcDataChannel *dc = nullptr;
  g_signal_emit_by_name(pc, "create-data-channel", label, opts, &dc);
  if (opts)
    gst_structure_free(opts);
  return dc;
}

} // namespace

// A data-only session: channels made before the first negotiation (which they start) and
// after it, both ways, with mixed messages echoed byte-exact.
TEST(RtcBin, DataChannelsBeforeAndAfterNegotiationEchoByteExact) {
  std::deque<Seen> seen; // outlives the pipelines
  Call call(30, "");
  Incoming in_a(call.a.pc), in_b(call.b.pc);
  GstRtcSCTPTransport *none = nullptr;
  g_object_get(call.a.pc, "sctp-transport", &none, nullptr);
  EXPECT_EQ(none, nullptr) << "no SCTP transport before negotiation (W3C: sctp is null)";
  GstRtcDataChannel *chat = create_channel(
      call.a.pc, "chat", gst_structure_new("o", "protocol", G_TYPE_STRING, "chat/1", nullptr));
  ASSERT_NE(chat, nullptr);
  Seen &a = seen.emplace_back();
  watch(chat, &a);
  call.start(0);
  GstRtcDataChannel *chat_b = in_b.wait(1);
  ASSERT_NE(chat_b, nullptr) << "B got no on-data-channel";
  Seen &b = seen.emplace_back();
  b.on_message = echo;
  watch(chat_b, &b);
  ASSERT_TRUE(a.wait([&] { return a.opened == 1; }));

  GstRtcSCTPTransport *sctp = nullptr;
  g_object_get(call.a.pc, "sctp-transport", &sctp, nullptr);
  ASSERT_NE(sctp, nullptr);
  GstRtcSCTPTransportState st;
  guint64 max_message = 0;
  g_object_get(sctp, "state", &st, "max-message-size", &max_message, nullptr);
  EXPECT_EQ(st, GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED);
  EXPECT_GE(max_message, 262144u) << "rtcbin advertises at least 256 KiB";
  gst_object_unref(sctp);

  const size_t sizes[] = {0, 3, 1000, 1300, 16384, 65536, 65537, 200000, 262144};
  std::vector<std::pair<bool, std::string>> sent;
  for (unsigned i = 0; i < 300; i++) {
    bool binary = i % 3 == 1;
    sent.emplace_back(binary, pattern(sizes[i % 9], i));
    ASSERT_EQ(send(chat, binary, sent.back().second), "") << i;
  }
  ASSERT_TRUE(a.wait([&] { return a.messages.size() == sent.size(); }, 30000))
      << a.messages.size() << " of " << sent.size() << " echoed";
  for (size_t i = 0; i < sent.size(); i++) {
    EXPECT_EQ(a.messages[i].first, sent[i].first) << i;
    EXPECT_TRUE(a.messages[i].second == sent[i].second) << "message " << i << " differs";
  }

  // After the negotiation: B opens one (no renegotiation needed), A answers on it.
  GstRtcDataChannel *late = create_channel(
      call.b.pc, "late", gst_structure_new("o", "ordered", G_TYPE_BOOLEAN, FALSE, nullptr));
  ASSERT_NE(late, nullptr);
  Seen &b2 = seen.emplace_back();
  watch(late, &b2);
  GstRtcDataChannel *late_a = in_a.wait(1);
  ASSERT_NE(late_a, nullptr);
  Seen &a2 = seen.emplace_back();
  a2.on_message = echo;
  watch(late_a, &a2);
  ASSERT_TRUE(b2.wait([&] { return b2.opened == 1; }));
  gint id_chat = -1, id_late = -1;
  gboolean ordered = TRUE;
  g_object_get(chat, "id", &id_chat, nullptr);
  g_object_get(late_a, "id", &id_late, "ordered", &ordered, nullptr);
  EXPECT_NE(id_chat % 2, id_late % 2) << "stream ids follow each side's DTLS role";
  EXPECT_FALSE(ordered);
  EXPECT_EQ(send(late, false, "ping"), "");
  EXPECT_TRUE(b2.wait([&] { return b2.messages.size() == 1; }));

  // Idle past the ICE transport's 5 s silence limit: a data-only session has no RTCP, and its
  // SCTP heartbeats are what keeps it connected.
  std::vector<int> states;
  g_signal_connect(call.a.pc, "notify::connection-state",
                   G_CALLBACK(+[](GObject *pc, GParamSpec *, std::vector<int> *v) {
                     GstRtcPeerConnectionState s;
                     g_object_get(pc, "connection-state", &s, nullptr);
                     v->push_back(int(s));
                   }),
                   &states);
  std::this_thread::sleep_for(std::chrono::milliseconds(6500));
  g_signal_handlers_disconnect_by_data(call.a.pc, &states);
  EXPECT_TRUE(states.empty()) << "A's connection state changed while idle, first to "
                              << (states.empty() ? 0 : states[0]);
  EXPECT_EQ(send(late, false, "still there"), "");
  EXPECT_TRUE(b2.wait([&] { return b2.messages.size() == 2; }));

  // Close from A: B hears it.
  gst_rtc_data_channel_close(chat);
  EXPECT_TRUE(b.wait([&] { return b.closed == 1; }));
  EXPECT_TRUE(a.wait([&] { return a.closed == 1; }));
  EXPECT_TRUE(a.errors.empty() && b.errors.empty() && a2.errors.empty() && b2.errors.empty());
  gst_object_unref(chat);
  gst_object_unref(late);
}

// Media and data on one BUNDLE transport; bad options get a warning naming the fault.
TEST(RtcBin, DataChannelNextToMediaAndBadOptionsRefused) {
  std::deque<Seen> seen;
  Call call;
  Incoming in_b(call.b.pc);
  EXPECT_EQ(create_channel(call.a.pc, "bad",
                           gst_structure_new("o", "max-retransmits", G_TYPE_INT, 1,
                                             "max-packet-lifetime", G_TYPE_INT, 5, nullptr)),
            nullptr);
  GstRtcDataChannel *dc = create_channel(
      call.a.pc, "meta", gst_structure_new("o", "max-retransmits", G_TYPE_INT, 0, nullptr));
  ASSERT_NE(dc, nullptr);
  Seen &a = seen.emplace_back();
  watch(dc, &a);
  call.start(10);
  GstRtcDataChannel *dc_b = in_b.wait(1);
  ASSERT_NE(dc_b, nullptr);
  Seen &b = seen.emplace_back();
  watch(dc_b, &b);
  gint rexmit = -1;
  g_object_get(dc_b, "max-retransmits", &rexmit, nullptr);
  EXPECT_EQ(rexmit, 0);
  ASSERT_TRUE(a.wait([&] { return a.opened == 1; }));
  for (int i = 0; i < 20; i++)
    ASSERT_EQ(send(dc, true, pattern(1000, i)), "");
  EXPECT_TRUE(b.wait([&] { return b.messages.size() == 20; }));
  // The media still flows.
  int before = call.b.count("video");
  EXPECT_TRUE(call.b.wait([&] { return call.b.video >= before + 10; }, 10000));
  gst_object_unref(dc);
}

namespace {

// What arrives on a fakesink: bytes hashed in order, buffers counted, EOS seen.
struct Received {
  std::mutex m;
  std::condition_variable cv;
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
  size_t bytes = 0, buffers = 0;
  bool eos = false;
  ~Received() { g_checksum_free(sum); }
  void attach(GstElement *sink) {
    g_object_set(sink, "signal-handoffs", TRUE, nullptr);
    g_signal_connect(sink, "handoff", G_CALLBACK(+[](GstElement *, GstBuffer *buf, GstPad *,
                                                     Received *r) {
                       GstMapInfo map;
                       gst_buffer_map(buf, &map, GST_MAP_READ);
                       std::lock_guard lk(r->m);
                       g_checksum_update(r->sum, map.data, map.size);
                       r->bytes += map.size;
                       r->buffers++;
                       gst_buffer_unmap(buf, &map);
                     }),
                     this);
    GstPad *pad = gst_element_get_static_pad(sink, "sink");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                      [](GstPad *, GstPadProbeInfo *info, gpointer d) {
                        auto *r = static_cast<Received *>(d);
                        if (GST_EVENT_TYPE(GST_PAD_PROBE_INFO_EVENT(info)) == GST_EVENT_EOS) {
                          std::lock_guard lk(r->m);
                          r->eos = true;
                          r->cv.notify_all();
                        }
                        return GST_PAD_PROBE_OK;
                      },
                      this, nullptr);
    gst_object_unref(pad);
  }
};

// Starts both; A offers when it asks for a negotiation (its data pads do), B answers.
// Calls f on every element made by `factory` inside `bin`, at any depth.
template <typename F> void each_element(GstElement *bin, const char *factory, F f) {
  GstIterator *it = gst_bin_iterate_recurse(GST_BIN(bin));
  GValue v = G_VALUE_INIT;
  while (gst_iterator_next(it, &v) == GST_ITERATOR_OK) {
    GstElement *e = GST_ELEMENT(g_value_get_object(&v));
    if (g_strcmp0(GST_OBJECT_NAME(gst_element_get_factory(e)), factory) == 0)
      f(e);
    g_value_reset(&v);
  }
  g_value_unset(&v);
  gst_iterator_free(it);
}

void start_when_needed(Peer &a, Peer &b) {
  struct Flag {
    Peer *peer;
    bool needed = false; // under peer->m
  } flag{&a};
  gulong id = g_signal_connect(a.pc, "on-negotiation-needed",
                               G_CALLBACK(+[](GstElement *, Flag *f) {
                                 std::lock_guard lk(f->peer->m);
                                 f->needed = true;
                                 f->peer->cv.notify_all();
                               }),
                               &flag);
  gst_element_set_state(b.pipe, GST_STATE_PLAYING);
  gst_element_set_state(a.pipe, GST_STATE_PLAYING);
  bool asked = a.wait([&] { return flag.needed; }, 10000);
  g_signal_handler_disconnect(a.pc, id);
  ASSERT_TRUE(asked) << "no on-negotiation-needed";
  negotiate(a, b);
}

std::string write_temp(const std::string &data, const char *name) {
  gchar *path = g_build_filename(g_get_tmp_dir(), name, nullptr);
  std::string p = path;
  g_free(path);
  EXPECT_TRUE(g_file_set_contents(p.c_str(), data.data(), gssize(data.size()), nullptr));
  return p;
}

} // namespace

// Data channels as pads, written as gst-launch lines: A sends a file (one message per
// 64 KiB buffer, paced by max-buffered) and a text stream whose channel options are set as
// "data_sink_meta::prop"; B takes the file from its data_src_file pad, byte-exact, then EOS
// when A's EOS has closed the channel.
TEST(RtcBin, DataPadsSendAFileAndTextFromGstLaunchLines) {
  std::string file = pattern(3 * 1024 * 1024 + 123, 7);
  std::string text = "h\xc3\xa9llo w\xc3\xb6rld, a text stream\n";
  std::string fpath = write_temp(file, "gst-rtc-datapad.bin");
  std::string tpath = write_temp(text, "gst-rtc-datapad.txt");
  gchar *a_desc = g_strdup_printf(
      "data_sink_file::max-buffered=262144 data_sink_meta::max-retransmits=0 "
      "data_sink_meta::protocol=meta/1 data_sink_meta::ordered=false "
      "filesrc location=%s blocksize=65536 ! pc.data_sink_file "
      "filesrc location=%s ! text/x-raw,format=utf8 ! pc.data_sink_meta",
      fpath.c_str(), tpath.c_str());
  std::deque<Seen> seen;
  // B receives on a streaming thread per transport (shared-ice-thread=false), A on the shared
  // ICE thread: both ways work.
  Peer a("A", 30, a_desc), b("B", 30,
                             "shared-ice-thread=false "
                             "pc.data_src_file ! fakesink name=out sync=false "
                             "pc.data_src_meta ! fakesink name=meta sync=false");
  g_free(a_desc);
  a.remote = &b;
  b.remote = &a;
  Received got, got_text;
  for (auto [name, r] : {std::pair{"out", &got}, std::pair{"meta", &got_text}}) {
    GstElement *sink = gst_bin_get_by_name(GST_BIN(b.pipe), name);
    r->attach(sink);
    gst_object_unref(sink);
  }
  Incoming in_b(b.pc);
  ASSERT_NO_FATAL_FAILURE(start_when_needed(a, b));

  {
    std::unique_lock lk(got.m);
    ASSERT_TRUE(got.cv.wait_for(lk, std::chrono::seconds(30), [&] { return got.eos; }))
        << got.bytes << " of " << file.size() << " bytes before the timeout";
    EXPECT_EQ(got.bytes, file.size());
    EXPECT_EQ(got.buffers, (file.size() + 65535) / 65536) << "one buffer per message";
    GChecksum *want = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(want, reinterpret_cast<const guchar *>(file.data()), file.size());
    EXPECT_STREQ(g_checksum_get_string(got.sum), g_checksum_get_string(want));
    g_checksum_free(want);
  }
  // The text stream's channel has the options of the pad's properties; strings arrive as such.
  GstRtcDataChannel *meta = nullptr;
  for (size_t n = 1; n <= 2 && !meta; n++) {
    GstRtcDataChannel *dc = in_b.wait(n);
    ASSERT_NE(dc, nullptr) << "B got " << n - 1 << " channels";
    gchar *label = nullptr;
    g_object_get(dc, "label", &label, nullptr);
    if (g_strcmp0(label, "meta") == 0)
      meta = dc;
    g_free(label);
  }
  ASSERT_NE(meta, nullptr);
  gint rexmit = -1;
  gboolean ordered = TRUE;
  gchar *protocol = nullptr;
  g_object_get(meta, "max-retransmits", &rexmit, "ordered", &ordered, "protocol", &protocol,
               nullptr);
  EXPECT_EQ(rexmit, 0);
  EXPECT_FALSE(ordered);
  EXPECT_STREQ(protocol, "meta/1");
  g_free(protocol);
  {
    std::unique_lock lk(got_text.m);
    ASSERT_TRUE(got_text.cv.wait_for(lk, std::chrono::seconds(5), [&] { return got_text.eos; }));
    EXPECT_EQ(got_text.bytes, text.size());
    EXPECT_EQ(got_text.buffers, 1u);
  }
  for (auto [peer, shared] : {std::pair{&a, true}, std::pair{&b, false}}) {
    int sources = 0;
    each_element(peer->pc, "rtcicesrc", [&, shared = shared](GstElement *e) {
      gboolean s = !shared;
      g_object_get(e, "shared-thread", &s, nullptr);
      EXPECT_EQ(bool(s), shared) << peer->name;
      sources++;
    });
    EXPECT_EQ(sources, 1) << peer->name;
  }
  EXPECT_TRUE(a.errors.empty() && b.errors.empty())
      << (a.errors.empty() ? "" : a.errors[0]) << (b.errors.empty() ? "" : b.errors[0]);
  g_remove(fpath.c_str());
  g_remove(tpath.c_str());
}

// Each message's kind (string or binary) rides on its data pad buffer as the
// GstRtcDataMessageMeta custom meta. B's src pad "kinds" tags what A sent through the API; A's
// sink pad "back" (caps not text/*) sends each buffer as its meta says, and B gets every
// message as it was meant, empty ones included.
TEST(RtcBin, DataPadsCarryEachMessagesKind) {
  std::deque<Seen> seen;
  Peer a("A", 30, "appsrc name=in format=time ! pc.data_sink_back"),
      b("B", 30, "pc.data_src_kinds ! fakesink sync=false");
  a.remote = &b;
  b.remote = &a;
  Seen &back = seen.emplace_back();
  // Watched from on-data-channel itself, so that no message can come before the handlers.
  g_signal_connect(b.pc, "on-data-channel",
                   G_CALLBACK(+[](GstElement *, GstRtcDataChannel *dc, Seen *s) {
                     gchar *label = nullptr;
                     g_object_get(dc, "label", &label, nullptr);
                     if (g_strcmp0(label, "back") == 0)
                       watch(dc, s);
                     g_free(label);
                   }),
                   &back);
  struct Kinds {
    std::mutex m;
    std::condition_variable cv;
    std::vector<int> seen; // 1 binary, 0 string, -1 no meta
  } kinds;
  GstPad *src = gst_element_get_static_pad(b.pc, "data_src_kinds");
  ASSERT_NE(src, nullptr);
  gst_pad_add_probe(
      src, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad *, GstPadProbeInfo *info, gpointer k) {
        GstCustomMeta *m =
            gst_buffer_get_custom_meta(GST_PAD_PROBE_INFO_BUFFER(info), "GstRtcDataMessageMeta");
        gboolean binary = FALSE;
        int kind = m && gst_structure_get_boolean(gst_custom_meta_get_structure(m), "binary",
                                                  &binary)
                       ? int(binary)
                       : -1;
        auto *ks = static_cast<Kinds *>(k);
        {
          std::lock_guard lk(ks->m);
          ks->seen.push_back(kind);
        }
        ks->cv.notify_all();
        return GST_PAD_PROBE_OK;
      },
      &kinds, nullptr);
  gst_object_unref(src);
  auto owned = gstrtc::adopt(create_channel(a.pc, "kinds", nullptr));
  GstRtcDataChannel *dc = owned.get();
  ASSERT_NE(dc, nullptr);
  Seen &out = seen.emplace_back();
  watch(dc, &out);
  ASSERT_NO_FATAL_FAILURE(start_when_needed(a, b));
  ASSERT_TRUE(out.wait([&] { return out.opened == 1; }));
  const std::vector<std::pair<bool, std::string>> sent = {
      {false, "h\xc3\xa9llo"}, {true, std::string("\x01\x02\x00\x03", 4)}, {false, ""},
      {true, ""}, {false, "{\"n\": 1}"}, {true, pattern(70000, 3)}};
  for (auto &[binary, v] : sent)
    ASSERT_EQ(send(dc, binary, v), "");
  {
    std::unique_lock lk(kinds.m);
    ASSERT_TRUE(kinds.cv.wait_for(lk, std::chrono::seconds(10),
                                  [&] { return kinds.seen.size() == sent.size(); }));
    EXPECT_EQ(kinds.seen, (std::vector<int>{0, 1, 0, 1, 0, 1}));
  }
  GstElement *in = gst_bin_get_by_name(GST_BIN(a.pipe), "in");
  for (auto &[binary, v] : sent) {
    GstBuffer *buf = v.empty() ? gst_buffer_new() : gst_buffer_new_memdup(v.data(), v.size());
    GstCustomMeta *m = gst_buffer_add_custom_meta(buf, "GstRtcDataMessageMeta");
    ASSERT_NE(m, nullptr);
    gst_structure_set(gst_custom_meta_get_structure(m), "binary", G_TYPE_BOOLEAN, binary, nullptr);
    ASSERT_EQ(gst_app_src_push_buffer(GST_APP_SRC(in), buf), GST_FLOW_OK);
  }
  gst_object_unref(in);
  ASSERT_TRUE(back.wait([&] { return back.messages.size() == sent.size(); }, 15000))
      << back.messages.size() << " of " << sent.size() << " arrived";
  for (size_t i = 0; i < sent.size(); i++) {
    EXPECT_EQ(back.messages[i].first, sent[i].first) << "message " << i << ": kind";
    EXPECT_TRUE(back.messages[i].second == sent[i].second) << "message " << i << " differs";
  }
  EXPECT_TRUE(a.errors.empty() && b.errors.empty())
      << (a.errors.empty() ? "" : a.errors[0]) << (b.errors.empty() ? "" : b.errors[0]);
}

namespace {

// A bad network on one side's outgoing packets (DTLS records, before ICE): `loss` percent
// dropped and `reorder` percent sent after the packet that follows them. Seeded: the same
// pattern every run.
struct BadPath {
  std::mt19937 rng;
  int loss, reorder;
  GstBuffer *held = nullptr;
  bool inside = false; // pushing a held packet from the probe
  std::atomic<unsigned> dropped{0}, reordered{0};
  BadPath(unsigned seed, int loss_pct, int reorder_pct)
      : rng(seed), loss(loss_pct), reorder(reorder_pct) {}
  ~BadPath() { gst_clear_buffer(&held); }

  // What goes on for one packet, in order: nothing (lost), it, or it and then the one held.
  void pass(GstBuffer *buf, GstBufferList *out) {
    int roll = int(rng() % 100);
    if (roll < loss) {
      dropped++;
      return;
    }
    gst_buffer_list_add(out, gst_buffer_ref(buf));
    if (held) {
      gst_buffer_list_add(out, std::exchange(held, nullptr));
    } else if (roll < loss + reorder) {
      gst_buffer_list_remove(out, gst_buffer_list_length(out) - 1, 1);
      held = gst_buffer_ref(buf);
      reordered++;
    }
  }
  // Single buffers and lists (the SCTP packets of one batch) alike.
  static GstPadProbeReturn probe(GstPad *pad, GstPadProbeInfo *info, gpointer data) {
    auto *self = static_cast<BadPath *>(data);
    if (self->inside)
      return GST_PAD_PROBE_OK;
    GstBufferList *out = gst_buffer_list_new();
    if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
      GstBufferList *in = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
      for (guint i = 0; i < gst_buffer_list_length(in); i++)
        self->pass(gst_buffer_list_get(in, i), out);
    } else {
      self->pass(GST_PAD_PROBE_INFO_BUFFER(info), out);
    }
    if (gst_buffer_list_length(out)) {
      self->inside = true;
      gst_pad_chain_list(pad, out);
      self->inside = false;
    } else {
      gst_buffer_list_unref(out);
    }
    return GST_PAD_PROBE_DROP;
  }
  void attach(GstElement *pc) {
    each_element(pc, "rtcicesink", [this](GstElement *e) {
      GstPad *sink = gst_element_get_static_pad(e, "sink");
      gst_pad_add_probe(
          sink, GstPadProbeType(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
          probe, this, nullptr);
      gst_object_unref(sink);
    });
  }
};

} // namespace

// RFC 8831 §6.6 reliable ordered: a bulk transfer through 5% packet loss and 2% reordering
// each way arrives byte-exact (sha256 of what A's data pad took against what B's gave), and the
// session stays up. The throughput is printed (bench/ measures it properly).
TEST(RtcBin, BulkDataThroughLossAndReorderingArrivesByteExact) {
  const char *mb_env = g_getenv("RTC_BULK_MB");
  const unsigned mb = mb_env ? unsigned(atoi(mb_env)) : 100;
  const unsigned buffers = mb * 16; // 64 KiB each
  gchar *a_desc = g_strdup_printf(
      "videotestsrc pattern=snow num-buffers=%u "
      "! video/x-raw,format=GRAY8,width=256,height=256,framerate=1000/1 ! pc.data_sink_bulk",
      buffers);
  Peer a("A", 30, a_desc), b("B", 30, "pc.data_src_bulk ! fakesink name=out sync=false");
  g_free(a_desc);
  a.remote = &b;
  b.remote = &a;
  Received sent, got;
  GstElement *out = gst_bin_get_by_name(GST_BIN(b.pipe), "out");
  got.attach(out);
  gst_object_unref(out);
  GstPad *data_sink = gst_element_get_static_pad(a.pc, "data_sink_bulk");
  ASSERT_NE(data_sink, nullptr);
  gst_pad_add_probe(data_sink, GST_PAD_PROBE_TYPE_BUFFER,
                    [](GstPad *, GstPadProbeInfo *info, gpointer d) {
                      auto *r = static_cast<Received *>(d);
                      GstMapInfo map;
                      gst_buffer_map(GST_PAD_PROBE_INFO_BUFFER(info), &map, GST_MAP_READ);
                      g_checksum_update(r->sum, map.data, map.size);
                      r->bytes += map.size;
                      gst_buffer_unmap(GST_PAD_PROBE_INFO_BUFFER(info), &map);
                      return GST_PAD_PROBE_OK;
                    },
                    &sent, nullptr);
  gst_object_unref(data_sink);
  const int loss = g_getenv("RTC_BULK_LOSS") ? atoi(g_getenv("RTC_BULK_LOSS")) : 5;
  const int reorder = g_getenv("RTC_BULK_REORDER") ? atoi(g_getenv("RTC_BULK_REORDER")) : 2;
  BadPath a_out(1, loss, reorder), b_out(2, loss, reorder);
  ASSERT_NO_FATAL_FAILURE(start_when_needed(a, b));
  a_out.attach(a.pc); // the transports exist once the answer is applied
  b_out.attach(b.pc);
  gint64 t0 = g_get_monotonic_time();
  {
    std::unique_lock lk(got.m);
    ASSERT_TRUE(got.cv.wait_for(lk, std::chrono::seconds(120), [&] { return got.eos; }))
        << got.bytes << " of " << mb << " MiB before the timeout (A's pad took " << sent.bytes
        << ")";
  }
  double secs = double(g_get_monotonic_time() - t0) / 1e6;
  EXPECT_EQ(sent.bytes, size_t(mb) << 20);
  EXPECT_EQ(got.bytes, sent.bytes);
  EXPECT_STREQ(g_checksum_get_string(got.sum), g_checksum_get_string(sent.sum));
  EXPECT_GT(a_out.dropped + b_out.dropped, 100u) << "the path lost nothing";
  EXPECT_GT(a_out.reordered + b_out.reordered, 20u) << "the path reordered nothing";
  std::printf("bulk: %u MiB in %.1f s (%.1f MB/s) through %u+%u drops, %u+%u reorders\n", mb,
              secs, double(mb) * 1.048576 / secs, a_out.dropped.load(), b_out.dropped.load(),
              a_out.reordered.load(), b_out.reordered.load());
  GstRtcPeerConnectionState st;
  g_object_get(a.pc, "connection-state", &st, nullptr);
  EXPECT_EQ(st, GST_RTC_PEER_CONNECTION_STATE_CONNECTED);
  EXPECT_TRUE(a.errors.empty() && b.errors.empty())
      << (a.errors.empty() ? "" : a.errors[0]) << (b.errors.empty() ? "" : b.errors[0]);
}
