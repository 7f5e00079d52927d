// rtcsctpenc/rtcsctpdec and the GObject API of data channels (GstRtcSCTPTransport,
// GstRtcDataChannel): two associations in one pipeline, each encoder feeding the other side's
// decoder through a queue (DTLS is tested with rtcbin; here the SCTP layer alone).
#include <gst/gst.h>
#include <gst/rtc/rtc.h>
#include <gtest/gtest.h>

#include "datachannel_watch.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace {

// Two transports wired back to back: A (DTLS client role) and B (server).
struct Pair {
  GstElement *pipe = gst_pipeline_new(nullptr);
  GstRtcSCTPTransport *a = gst_rtc_sctp_transport_new();
  GstRtcSCTPTransport *b = gst_rtc_sctp_transport_new();
  std::mutex m;
  std::condition_variable cv;
  std::vector<GstRtcDataChannel *> incoming; // B's, from on-data-channel (refs)
  std::vector<std::string> warnings;
  std::deque<Seen> seens; // outlive the pipeline: its handlers may run until it stops
  std::vector<GstRtcDataChannel *> ours; // A's channels made by open() (refs)

  Seen &seen() { return seens.emplace_back(); }

  Pair() {
    g_object_set(a, "client", TRUE, nullptr);
    g_object_set(b, "client", FALSE, nullptr);
    link(a, b);
    link(b, a);
    g_signal_connect(b, "on-data-channel",
                     G_CALLBACK(+[](GstRtcSCTPTransport *, GstRtcDataChannel *dc, Pair *p) {
                       {
                         std::lock_guard lk(p->m);
                         p->incoming.push_back(GST_RTC_DATA_CHANNEL(gst_object_ref(dc)));
                       }
                       p->cv.notify_all();
                     }),
                     this);
  }
  ~Pair() {
    gst_element_set_state(pipe, GST_STATE_NULL);
    gst_object_unref(pipe);
    for (auto *dc : incoming)
      gst_object_unref(dc);
    for (auto *dc : ours)
      gst_object_unref(dc);
    gst_object_unref(a);
    gst_object_unref(b);
  }
  void link(GstRtcSCTPTransport *from, GstRtcSCTPTransport *to) {
    GstElement *enc = gst_element_factory_make("rtcsctpenc", nullptr);
    GstElement *q = gst_element_factory_make("queue", nullptr);
    GstElement *dec = gst_element_factory_make("rtcsctpdec", nullptr);
    g_object_set(enc, "transport", from, nullptr);
    g_object_set(dec, "transport", to, nullptr);
    g_object_set(q, "max-size-buffers", 0u, "max-size-bytes", 0u, "max-size-time", (guint64)0,
                 nullptr);
    gst_bin_add_many(GST_BIN(pipe), enc, q, dec, nullptr);
    gst_element_link_many(enc, q, dec, nullptr);
  }
  void start() {
    GstBus *bus = gst_element_get_bus(pipe);
    gst_bus_set_sync_handler(
        bus,
        [](GstBus *, GstMessage *msg, gpointer p) {
          if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_WARNING) {
            GError *e = nullptr;
            gst_message_parse_warning(msg, &e, nullptr);
            auto *pair = static_cast<Pair *>(p);
            std::lock_guard lk(pair->m);
            pair->warnings.push_back(e->message);
            g_error_free(e);
          }
          gst_message_unref(msg); // a sync handler that drops owns the message
          return GST_BUS_DROP;
        },
        this, nullptr);
    gst_object_unref(bus);
    ASSERT_NE(gst_element_set_state(pipe, GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  }
  // One in-band channel as both sides see it, each watched.
  struct Link {
    GstRtcDataChannel *a = nullptr, *b = nullptr; // A's and B's (the Pair holds both)
    Seen *sa = nullptr, *sb = nullptr;
  };
  // A opens these channels (default options) and the pipeline starts. Returns them once B has
  // them all and A's last is open; empty if that did not happen.
  std::vector<Link> open(std::initializer_list<const char *> labels) {
    std::vector<Link> links;
    size_t before;
    {
      std::lock_guard lk(m);
      before = incoming.size();
    }
    for (const char *label : labels) {
      Link k;
      k.a = gst_rtc_sctp_transport_create_data_channel(a, label, nullptr, nullptr);
      if (!k.a)
        return {};
      ours.push_back(k.a);
      k.sa = &seen();
      watch(k.a, k.sa);
      links.push_back(k);
    }
    start();
    if (!wait_incoming(before + links.size())) {
      ADD_FAILURE() << "B got " << incoming.size() - before << " of " << links.size()
                    << " channels";
      return {};
    }
    for (auto &k : links) { // B's by label: streams need not deliver their OPENs in order
      std::lock_guard lk(m);
      for (auto *dc : incoming) {
        gchar *l = nullptr, *want = nullptr;
        g_object_get(dc, "label", &l, nullptr);
        g_object_get(k.a, "label", &want, nullptr);
        if (g_strcmp0(l, want) == 0)
          k.b = dc;
        g_free(l);
        g_free(want);
      }
      if (!k.b) {
        ADD_FAILURE() << "B has no channel with A's label";
        return {};
      }
      k.sb = &seen();
      watch(k.b, k.sb);
    }
    Seen &last = *links.back().sa;
    if (!last.wait([&] { return last.opened == 1; })) {
      ADD_FAILURE() << "A's last channel never opened (on-open seen " << last.opened << " times)";
      return {};
    }
    return links;
  }

  GstRtcDataChannel *wait_incoming(size_t n) {
    std::unique_lock lk(m);
    if (!cv.wait_for(lk, std::chrono::seconds(10), [&] { return incoming.size() >= n; }))
      return nullptr;
    return incoming[n - 1];
  }
};

GstRtcDataChannel *create(GstRtcSCTPTransport *t, const char *label, GstStructure *opts,
                          GError **err = nullptr) {
  auto *dc = gst_rtc_sctp_transport_create_data_channel(t, label, opts, err);
  if (opts)
    gst_structure_free(opts);
  return dc;
}

int ready_state(GstRtcDataChannel *dc) {
  GstRtcDataChannelState st;
  g_object_get(dc, "ready-state", &st, nullptr);
  return st;
}

TEST(RtcSctp, InBandChannelEchoesMixedMessagesByteExact) {
  Pair p;
  // As browsers advertise (a=max-message-size:262144).
  g_object_set(p.a, "remote-max-message-size", (guint64)262144, nullptr);
  g_object_set(p.b, "remote-max-message-size", (guint64)262144, nullptr);
  auto *dc =
      create(p.a, "chat", gst_structure_new("opts", "protocol", G_TYPE_STRING, "echo/1", nullptr));
  ASSERT_NE(dc, nullptr);
  EXPECT_EQ(ready_state(dc), GST_RTC_DATA_CHANNEL_STATE_CONNECTING);
  Seen &a = p.seen();
  watch(dc, &a);
  p.start();
  GstRtcDataChannel *in = p.wait_incoming(1);
  ASSERT_NE(in, nullptr);
  Seen &b = p.seen();
  b.on_message = echo;
  watch(in, &b);
  ASSERT_TRUE(a.wait([&] { return a.opened == 1; }));
  gchar *label = nullptr, *proto = nullptr;
  gint id_a = -1, id_b = -1;
  g_object_get(in, "label", &label, "protocol", &proto, "id", &id_b, nullptr);
  g_object_get(dc, "id", &id_a, nullptr);
  EXPECT_STREQ(label, "chat");
  EXPECT_STREQ(proto, "echo/1");
  g_free(label);
  g_free(proto);
  EXPECT_EQ(id_a, id_b);
  EXPECT_EQ(id_a % 2, 0) << "the DTLS client's channels use even streams (RFC 8832 §6)";
  GstRtcSCTPTransportState st;
  guint max_channels = 0;
  g_object_get(p.a, "state", &st, "max-channels", &max_channels, nullptr);
  EXPECT_EQ(st, GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED);
  EXPECT_GT(max_channels, 0u);

  // Sizes from empty to 256 KiB, strings and binary alternating; strings with no NUL.
  const size_t sizes[] = {0, 1, 100, 1200, 5000, 65535, 65536, 65537, 100000, 262144};
  std::vector<std::pair<bool, std::string>> sent;
  for (int i = 0; i < 200; i++) {
    bool binary = i % 2;
    std::string v = pattern(sizes[i % 10], i);
    ASSERT_EQ(send(dc, binary, v), "");
    sent.emplace_back(binary, v);
  }
  ASSERT_TRUE(a.wait([&] { return a.messages.size() == sent.size(); }, 30000)) << a.messages.size();
  for (size_t i = 0; i < sent.size(); i++) {
    EXPECT_EQ(a.messages[i].first, sent[i].first) << i;
    EXPECT_TRUE(a.messages[i].second == sent[i].second) << "message " << i << " differs";
  }
  EXPECT_TRUE(a.errors.empty() && b.errors.empty());
  gst_object_unref(dc);
}

TEST(RtcSctp, NegotiatedChannelsOpenOnBothSidesWithoutDcep) {
  Pair p;
  auto opts = [] {
    return gst_structure_new("opts", "negotiated", G_TYPE_BOOLEAN, TRUE, "id", G_TYPE_INT, 7,
                             "ordered", G_TYPE_BOOLEAN, FALSE, "max-retransmits", G_TYPE_INT, 0,
                             nullptr);
  };
  auto *da = create(p.a, "meta", opts());
  auto *db = create(p.b, "meta", opts());
  ASSERT_TRUE(da && db);
  Seen &a = p.seen();
  Seen &b = p.seen();
  watch(da, &a);
  watch(db, &b);
  p.start();
  ASSERT_TRUE(a.wait([&] { return a.opened == 1; }));
  ASSERT_TRUE(b.wait([&] { return b.opened == 1; }));
  gint rexmit = -2, id = -1;
  gboolean ordered = TRUE;
  g_object_get(db, "max-retransmits", &rexmit, "ordered", &ordered, "id", &id, nullptr);
  EXPECT_EQ(rexmit, 0);
  EXPECT_FALSE(ordered);
  EXPECT_EQ(id, 7);
  for (int i = 0; i < 50; i++)
    gst_rtc_data_channel_send_string(da, ("m" + std::to_string(i)).c_str());
  // No loss here: unordered, unreliable messages all arrive.
  ASSERT_TRUE(b.wait([&] { return b.messages.size() == 50; }));
  std::lock_guard lk(p.m);
  EXPECT_TRUE(p.incoming.empty()) << "a negotiated channel is not announced";
  gst_object_unref(da);
  gst_object_unref(db);
}

TEST(RtcSctp, FullBufferQueuesAndTellsWhenToResume) {
  Pair p;
  auto ch = p.open({"bulk"});
  ASSERT_EQ(ch.size(), 1u);
  GstRtcDataChannel *dc = ch[0].a;
  Seen &a = *ch[0].sa, &b = *ch[0].sb;
  g_object_set(dc, "buffered-amount-low-threshold", (guint64)(256 * 1024), nullptr);
  // 16 MiB at once: far more than the association's buffer; nothing may be refused or lost.
  const int n = 256;
  guint64 peak = 0;
  for (int i = 0; i < n; i++) {
    std::string v = pattern(65536, i);
    GBytes *bytes = g_bytes_new(v.data(), v.size());
    GError *err = nullptr;
    ASSERT_TRUE(gst_rtc_data_channel_send_data_full(dc, bytes, &err)) << err->message;
    g_bytes_unref(bytes);
    guint64 buffered = 0;
    g_object_get(dc, "buffered-amount", &buffered, nullptr);
    peak = std::max(peak, buffered);
  }
  EXPECT_GT(peak, 1024u * 1024u) << "the sends should have outrun the association";
  ASSERT_TRUE(b.wait([&] { return b.messages.size() == size_t(n); }, 30000)) << b.messages.size();
  for (int i = 0; i < n; i++)
    ASSERT_TRUE(b.messages[i].second == pattern(65536, i)) << i;
  ASSERT_TRUE(a.wait([&] { return a.low >= 1; }));
  guint64 buffered = 1;
  g_object_get(dc, "buffered-amount", &buffered, nullptr);
  EXPECT_EQ(buffered, 0u);
}

TEST(RtcSctp, CloseFromEitherSideIsSeenByTheOther) {
  Pair p;
  auto ch = p.open({"one", "two"});
  ASSERT_EQ(ch.size(), 2u);
  GstRtcDataChannel *d1 = ch[0].a, *in2 = ch[1].b;
  Seen &a1 = *ch[0].sa, &b1 = *ch[0].sb, &a2 = *ch[1].sa, &b2 = *ch[1].sb;
  // A closes its first channel; B closes the second.
  g_signal_emit_by_name(d1, "close");
  gst_rtc_data_channel_close(in2);
  EXPECT_TRUE(b1.wait([&] { return b1.closed == 1; }));
  EXPECT_TRUE(a1.wait([&] { return a1.closed == 1; }));
  EXPECT_TRUE(a2.wait([&] { return a2.closed == 1; }));
  EXPECT_TRUE(b2.wait([&] { return b2.closed == 1; }));
  EXPECT_EQ(ready_state(d1), GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  EXPECT_EQ(ready_state(in2), GST_RTC_DATA_CHANNEL_STATE_CLOSED);
  GError *err = nullptr;
  EXPECT_FALSE(gst_rtc_data_channel_send_string_full(d1, "late", &err));
  ASSERT_NE(err, nullptr);
  EXPECT_TRUE(g_error_matches(err, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE)) << err->message;
  g_error_free(err);
  // A channel opened right after the simultaneous closes opens and carries data.
  auto again = p.open({"three"});
  guint64 queued = 0;
  gint sid = -1;
  g_object_get(p.ours.back(), "buffered-amount", &queued, "id", &sid, nullptr);
  ASSERT_EQ(again.size(), 1u) << "a channel opened after the closes never opened (state "
                              << ready_state(p.ours.back()) << ", id " << sid << ", queued "
                              << queued << ")";
}

TEST(RtcSctp, BadOptionsAndOversizeMessagesAreRefusedWithTheReason) {
  Pair p;
  GError *err = nullptr;
  EXPECT_EQ(create(p.a, "x",
                   gst_structure_new("o", "max-retransmits", G_TYPE_INT, 1, "max-packet-lifetime",
                                     G_TYPE_INT, 100, nullptr),
                   &err),
            nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_TRUE(g_error_matches(err, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  EXPECT_NE(std::string(err->message).find("both"), std::string::npos) << err->message;
  g_clear_error(&err);
  EXPECT_EQ(
      create(p.a, "x", gst_structure_new("o", "negotiated", G_TYPE_BOOLEAN, TRUE, nullptr), &err),
      nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err->message).find("needs an id"), std::string::npos) << err->message;
  g_clear_error(&err);

  // The peer accepts 64 KiB (the default without a=max-message-size): a bigger send is a
  // TypeError and the channel goes on.
  auto ch = p.open({"c"});
  ASSERT_EQ(ch.size(), 1u);
  GstRtcDataChannel *dc = ch[0].a;
  Seen &b = *ch[0].sb;
  std::string big = pattern(65537, 1);
  EXPECT_FALSE(gst_rtc_data_channel_send_string_full(dc, big.c_str(), &err));
  ASSERT_NE(err, nullptr);
  EXPECT_TRUE(g_error_matches(err, GST_RTC_ERROR, GST_RTC_ERROR_TYPE_ERROR));
  EXPECT_NE(std::string(err->message).find("max-message-size"), std::string::npos);
  g_clear_error(&err);
  gst_rtc_data_channel_send_string(dc, "after");
  EXPECT_TRUE(b.wait([&] { return b.messages.size() == 1; }));
}

TEST(RtcSctp, MessageOverOurLimitIsAnErrorOnThatChannelOnly) {
  Pair p;
  // A believes B takes 16 MiB; B takes 4 MiB.
  g_object_set(p.a, "remote-max-message-size", (guint64)(16 << 20), nullptr);
  g_object_set(p.b, "remote-max-message-size", (guint64)(16 << 20), nullptr);
  auto ch = p.open({"big", "other"});
  ASSERT_EQ(ch.size(), 2u);
  GstRtcDataChannel *big = ch[0].a, *other = ch[1].a;
  Seen &b1 = *ch[0].sb, &b2 = *ch[1].sb;
  std::string huge = pattern(5 << 20, 3);
  GBytes *bytes = g_bytes_new(huge.data(), huge.size());
  EXPECT_TRUE(gst_rtc_data_channel_send_data_full(big, bytes, nullptr));
  g_bytes_unref(bytes);
  gst_rtc_data_channel_send_string(big, "small after");
  gst_rtc_data_channel_send_string(other, "other channel");
  ASSERT_TRUE(b1.wait([&] { return !b1.errors.empty(); }, 20000));
  EXPECT_NE(b1.errors[0].find("max-message-size"), std::string::npos) << b1.errors[0];
  EXPECT_TRUE(b2.wait([&] { return b2.messages.size() == 1; }));
  EXPECT_TRUE(b1.wait([&] { return b1.messages.size() == 1; })) << "the next message arrives";
  EXPECT_EQ(b1.messages.empty() ? "" : b1.messages[0].second, "small after");
  EXPECT_TRUE(b2.errors.empty());
}

TEST(RtcSctp, GarbagePacketsAreDroppedAndTheAssociationGoesOn) {
  Pair p;
  auto ch = p.open({"c"});
  ASSERT_EQ(ch.size(), 1u);
  GstRtcDataChannel *dc = ch[0].a;
  Seen &a = *ch[0].sa, &b = *ch[0].sb;
  // Random bytes, truncated headers and a packet with a wrong checksum, straight into B.
  GstIterator *it = gst_bin_iterate_elements(GST_BIN(p.pipe));
  GValue v = G_VALUE_INIT;
  GstElement *dec_b = nullptr;
  while (gst_iterator_next(it, &v) == GST_ITERATOR_OK) {
    auto *e = GST_ELEMENT(g_value_get_object(&v));
    GstRtcSCTPTransport *t = nullptr;
    if (g_str_has_prefix(GST_OBJECT_NAME(gst_element_get_factory(e)), "rtcsctpdec")) {
      g_object_get(e, "transport", &t, nullptr);
      if (t == p.b)
        dec_b = GST_ELEMENT(gst_object_ref(e));
      gst_object_unref(t);
    }
    g_value_reset(&v);
  }
  g_value_unset(&v);
  gst_iterator_free(it);
  ASSERT_NE(dec_b, nullptr);
  GstPad *sink = gst_element_get_static_pad(dec_b, "sink");
  for (int i = 0; i < 200; i++) {
    size_t n = (i * 37) % 1300;
    std::vector<uint8_t> junk(n);
    for (size_t k = 0; k < n; k++)
      junk[k] = uint8_t(k * 131 + i);
    if (n >= 4 && i % 3 == 0) { // a plausible common header: ports 5000 → 5000
      junk[0] = 0x13, junk[1] = 0x88, junk[2] = 0x13, junk[3] = 0x88;
    }
    gst_pad_chain(sink, n ? gst_buffer_new_memdup(junk.data(), n) : gst_buffer_new());
  }
  gst_object_unref(sink);
  gst_object_unref(dec_b);
  gst_rtc_data_channel_send_string(dc, "still here");
  EXPECT_TRUE(b.wait([&] { return b.messages.size() == 1; }));
  EXPECT_TRUE(a.errors.empty() && b.errors.empty());
}

TEST(RtcSctp, ClosingTheTransportClosesEveryChannel) {
  Pair p;
  auto ch = p.open({"one", "two"});
  ASSERT_EQ(ch.size(), 2u);
  Seen &a1 = *ch[0].sa, &b1 = *ch[0].sb, &a2 = *ch[1].sa, &b2 = *ch[1].sb;
  gst_rtc_sctp_transport_close(p.a);
  EXPECT_TRUE(a1.wait([&] { return a1.closed == 1; }));
  EXPECT_TRUE(a2.wait([&] { return a2.closed == 1; }));
  // B hears the ABORT.
  EXPECT_TRUE(b1.wait([&] { return b1.closed == 1; }));
  EXPECT_TRUE(b2.wait([&] { return b2.closed == 1; }));
  GstRtcSCTPTransportState st;
  g_object_get(p.b, "state", &st, nullptr);
  EXPECT_EQ(st, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
  {
    std::lock_guard lk(p.m); // B's decoder says why (posted before the channels closed)
    ASSERT_FALSE(p.warnings.empty());
    EXPECT_NE(p.warnings[0].find("SCTP association"), std::string::npos) << p.warnings[0];
  }
  GError *err = nullptr;
  EXPECT_EQ(create(p.a, "late", nullptr, &err), nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_TRUE(g_error_matches(err, GST_RTC_ERROR, GST_RTC_ERROR_INVALID_STATE));
  g_error_free(err);
}

} // namespace
