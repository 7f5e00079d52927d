// rtcdtlssrtpenc/rtcdtlssrtpdec, two transports wired back to back in one pipeline:
//   appsrc(rtp|rtcp|data) -> enc_a -> dec_b -> appsink(rtp|rtcp|data)
//                            dec_a <- enc_b
// plus injected bad input on dec_b's sink.
#include "rtc-gref.hpp"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/check/gsttestclock.h>
#include <gst/rtc/rtc.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Bytes = std::vector<guint8>;

GstBuffer *wrap(const Bytes &b) {
  return gst_buffer_new_memdup(b.data(), b.size());
}

Bytes rtp_packet(uint16_t seq, uint32_t ssrc, size_t payload) {
  Bytes b(12 + payload);
  b[0] = 0x80;
  b[1] = 96;
  GST_WRITE_UINT16_BE(&b[2], seq);
  GST_WRITE_UINT32_BE(&b[4], seq * 3000u);
  GST_WRITE_UINT32_BE(&b[8], ssrc);
  for (size_t i = 0; i < payload; i++)
    b[12 + i] = static_cast<guint8>(seq * 7 + i);
  return b;
}

Bytes rtcp_rr(uint32_t ssrc) {
  Bytes b = {0x80, 201, 0, 1, 0, 0, 0, 0};
  GST_WRITE_UINT32_BE(&b[4], ssrc);
  return b;
}

guint64 stat(GstRtcDTLSTransport *t, const char *name) {
  GstStructure *s = gst_rtc_dtls_transport_get_stats(t);
  guint64 v = 0;
  gst_structure_get_uint64(s, name, &v);
  gst_structure_free(s);
  return v;
}

GstRtcDTLSTransportState state_of(GstRtcDTLSTransport *t) {
  GstRtcDTLSTransportState s;
  g_object_get(t, "state", &s, nullptr);
  return s;
}

struct Options {
  bool a_client = true;
  const char *a_profiles = nullptr; // nullptr: default
  const char *b_profiles = nullptr;
  bool b_knows_fingerprint = true;
  bool wrong_fingerprint = false;
};

class DtlsPair {
public:
  explicit DtlsPair(Options o = {}) {
    GError *err = nullptr;
    pipeline =
        gst_parse_launch("appsrc name=rtp format=time caps=application/x-rtp ! enc_a.rtp_sink "
                         "appsrc name=rtcp format=time caps=application/x-rtcp ! enc_a.rtcp_sink "
                         "appsrc name=data format=time ! enc_a.data_sink "
                         "rtcdtlssrtpenc name=enc_a ! rtcdtlssrtpdec name=dec_b "
                         "dec_b.rtp_src ! appsink name=rtp_out sync=false async=false "
                         "dec_b.rtcp_src ! appsink name=rtcp_out sync=false async=false "
                         "dec_b.data_src ! appsink name=data_out sync=false async=false "
                         "rtcdtlssrtpenc name=enc_b ! rtcdtlssrtpdec name=dec_a",
                         &err);
    EXPECT_NE(pipeline, nullptr) << (err ? err->message : "");
    a = gstrtc::adopt(gst_rtc_dtls_transport_new("a"));
    b = gstrtc::adopt(gst_rtc_dtls_transport_new("b"));
    GstRtcCertificate *ca = gst_rtc_certificate_generate(GST_RTC_KEY_TYPE_ECDSA_P256, nullptr);
    GstRtcCertificate *cb = gst_rtc_certificate_generate(GST_RTC_KEY_TYPE_ECDSA_P256, nullptr);
    g_object_set(a.get(), "certificate", ca, "client", o.a_client, nullptr);
    g_object_set(b.get(), "certificate", cb, "client", !o.a_client, nullptr);
    if (o.a_profiles)
      g_object_set(a.get(), "srtp-profiles", o.a_profiles, nullptr);
    if (o.b_profiles)
      g_object_set(b.get(), "srtp-profiles", o.b_profiles, nullptr);
    GstRtcCertificate *other = gst_rtc_certificate_generate(GST_RTC_KEY_TYPE_ECDSA_P256, nullptr);
    std::string fb = fp(o.wrong_fingerprint ? other : cb);
    a_expected = fp(ca);
    EXPECT_TRUE(gst_rtc_dtls_transport_set_remote_fingerprint(a.get(), fb.c_str(), nullptr));
    if (o.b_knows_fingerprint)
      EXPECT_TRUE(
          gst_rtc_dtls_transport_set_remote_fingerprint(b.get(), a_expected.c_str(), nullptr));
    g_object_unref(ca);
    g_object_unref(cb);
    g_object_unref(other);
    for (auto [name, t] : {std::pair{"enc_a", a.get()}, std::pair{"dec_a", a.get()},
                           std::pair{"enc_b", b.get()}, std::pair{"dec_b", b.get()}}) {
      GstElement *e = gst_bin_get_by_name(GST_BIN(pipeline), name);
      g_object_set(e, "transport", t, nullptr);
      gst_object_unref(e);
    }
  }
  ~DtlsPair() {
    gst_element_set_state(pipeline, GST_STATE_NULL);
    gst_object_unref(pipeline);
  }
  static std::string fp(GstRtcCertificate *c) {
    gchar *f = gst_rtc_certificate_get_fingerprint(c, "sha-256");
    std::string s = std::string("sha-256 ") + f;
    g_free(f);
    return s;
  }
  void play() { gst_element_set_state(pipeline, GST_STATE_PLAYING); }
  bool wait_state(GstRtcDTLSTransport *t, GstRtcDTLSTransportState want, int ms = 5000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (state_of(t) != want) {
      if (std::chrono::steady_clock::now() > end)
        return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }
  bool connected() {
    return wait_state(a.get(), GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED) &&
           wait_state(b.get(), GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED);
  }
  GstElement *get(const char *name) {
    GstElement *e = gst_bin_get_by_name(GST_BIN(pipeline), name);
    gst_object_unref(e); // the pipeline keeps it alive
    return e;
  }
  void push(const char *src, const Bytes &b) {
    EXPECT_EQ(gst_app_src_push_buffer(GST_APP_SRC(get(src)), wrap(b)), GST_FLOW_OK);
  }
  // Next buffer on an appsink, or empty with ok=false after the timeout.
  Bytes pull(const char *sink, bool &ok, GstClockTime timeout = GST_SECOND) {
    GstSample *s = gst_app_sink_try_pull_sample(GST_APP_SINK(get(sink)), timeout);
    ok = s != nullptr;
    if (!s)
      return {};
    GstBuffer *buf = gst_sample_get_buffer(s);
    Bytes out(gst_buffer_get_size(buf));
    gst_buffer_extract(buf, 0, out.data(), out.size());
    gst_sample_unref(s);
    return out;
  }
  // Injects a datagram into dec_b as if it came from the network.
  void inject(const Bytes &b) {
    GstPad *sink = gst_element_get_static_pad(get("dec_b"), "sink");
    EXPECT_EQ(gst_pad_chain(sink, wrap(b)), GST_FLOW_OK);
    gst_object_unref(sink);
  }
  GstElement *pipeline = nullptr;
  gstrtc::Ref<GstRtcDTLSTransport> a, b;
  std::string a_expected;
};

} // namespace

class RtcDtlsSrtpProfiles : public ::testing::TestWithParam<std::pair<const char *, bool>> {};

TEST_P(RtcDtlsSrtpProfiles, RtpRtcpAndDataRoundTripByteExact) {
  Options o;
  o.a_profiles = GetParam().first;
  o.a_client = GetParam().second;
  DtlsPair p(o);
  p.play();
  ASSERT_TRUE(p.connected()) << "a=" << state_of(p.a.get()) << " b=" << state_of(p.b.get());
  gchar *profile = nullptr;
  g_object_get(p.a.get(), "srtp-profile", &profile, nullptr);
  EXPECT_STREQ(profile, GetParam().first);
  g_free(profile);
  for (uint16_t seq = 65000; seq != 1000; seq++) { // 1536 packets across the seq wrap
    Bytes pkt = rtp_packet(seq, seq % 2 ? 0x1111 : 0x2222, 100 + seq % 1000);
    p.push("rtp", pkt);
    bool ok;
    ASSERT_EQ(p.pull("rtp_out", ok), pkt) << "seq " << seq;
  }
  for (int i = 0; i < 10; i++) {
    Bytes rr = rtcp_rr(0x1111 + i);
    p.push("rtcp", rr);
    bool ok;
    ASSERT_EQ(p.pull("rtcp_out", ok), rr);
  }
  Bytes data(1100);
  for (size_t i = 0; i < data.size(); i++)
    data[i] = static_cast<guint8>(i);
  p.push("data", data);
  bool ok;
  EXPECT_EQ(p.pull("data_out", ok), data);
  EXPECT_EQ(stat(p.a.get(), "rtp-protected"), 1536u);
  EXPECT_EQ(stat(p.b.get(), "rtp-unprotected"), 1536u);
  EXPECT_EQ(stat(p.b.get(), "rtcp-unprotected"), 10u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, RtcDtlsSrtpProfiles,
                         ::testing::Values(std::pair{"SRTP_AEAD_AES_128_GCM", true},
                                           std::pair{"SRTP_AEAD_AES_256_GCM", false},
                                           std::pair{"SRTP_AES128_CM_SHA1_80", true},
                                           std::pair{"SRTP_AES128_CM_SHA1_32", false}),
                         [](const auto &info) {
                           std::string n = std::string(info.param.first).substr(5) +
                                           (info.param.second ? "_AClient" : "_AServer");
                           for (auto &c : n)
                             if (!g_ascii_isalnum(c))
                               c = '_';
                           return n;
                         });

// Application data as a buffer list (rtcsctpenc's batches) is encrypted as one batch; a message
// over the DTLS data MTU is refused with a warning naming why, and costs only itself.
TEST(RtcDtlsSrtp, DataListGoesAsABatchAndAnOversizeMessageCostsOnlyItself) {
  DtlsPair p;
  p.play();
  ASSERT_TRUE(p.connected());
  const std::vector<size_t> sizes = {1100, 1100, 1100, 1300, 500, 500};
  std::vector<Bytes> msgs;
  GstBufferList *list = gst_buffer_list_new();
  for (size_t i = 0; i < sizes.size(); i++) {
    Bytes m(sizes[i]);
    for (size_t k = 0; k < m.size(); k++)
      m[k] = static_cast<guint8>(i * 37 + k);
    gst_buffer_list_add(list, wrap(m));
    msgs.push_back(std::move(m));
  }
  ASSERT_EQ(gst_app_src_push_buffer_list(GST_APP_SRC(p.get("data")), list), GST_FLOW_OK);
  for (size_t i = 0; i < sizes.size(); i++) {
    if (sizes[i] > 1200 - 37) // the data MTU of a 1200-byte datagram with AES-GCM records
      continue;
    bool ok;
    EXPECT_EQ(p.pull("data_out", ok), msgs[i]) << "message " << i;
    ASSERT_TRUE(ok) << "message " << i << " never arrived";
  }
  bool more;
  p.pull("data_out", more, 200 * GST_MSECOND);
  EXPECT_FALSE(more) << "the oversize message went through";
  GstBus *bus = gst_element_get_bus(p.pipeline);
  GstMessage *w = gst_bus_timed_pop_filtered(bus, GST_SECOND, GST_MESSAGE_WARNING);
  gst_object_unref(bus);
  ASSERT_NE(w, nullptr) << "no warning for the oversize message";
  GError *err = nullptr;
  gchar *debug = nullptr;
  gst_message_parse_warning(w, &err, &debug);
  EXPECT_STREQ(err->message, "Application data not sent");
  EXPECT_NE(std::string(debug ? debug : "").find("exceeds the DTLS data MTU"), std::string::npos)
      << (debug ? debug : "");
  g_error_free(err);
  g_free(debug);
  gst_message_unref(w);
}

TEST(RtcDtlsSrtp, PreferenceOrderChoosesTheProfile) {
  Options o;
  o.a_profiles = "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM";
  o.b_profiles = "SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80";
  o.a_client = true; // the server (b) decides among what the client offers
  DtlsPair p(o);
  p.play();
  ASSERT_TRUE(p.connected());
  gchar *profile = nullptr;
  g_object_get(p.b.get(), "srtp-profile", &profile, nullptr);
  EXPECT_STREQ(profile, "SRTP_AEAD_AES_256_GCM");
  g_free(profile);
}

TEST(RtcDtlsSrtp, WrongFingerprintFailsWithAnErrorAndNothingPasses) {
  Options o;
  o.wrong_fingerprint = true; // a expects a certificate b does not have
  DtlsPair p(o);
  GstBus *bus = gst_element_get_bus(p.pipeline);
  p.play();
  // Both sides fail: a (whose check failed) with NOT_AUTHORIZED, b (refused) with the reason.
  bool a_reported = false, b_reported = false;
  while (GstMessage *msg = gst_bus_timed_pop_filtered(bus, 2 * GST_SECOND, GST_MESSAGE_ERROR)) {
    GError *err = nullptr;
    gchar *dbg = nullptr;
    gst_message_parse_error(msg, &err, &dbg);
    std::string from = GST_MESSAGE_SRC_NAME(msg);
    if (from == "dec_a") {
      a_reported = true;
      EXPECT_TRUE(g_error_matches(err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED))
          << err->message;
      EXPECT_NE(strstr(err->message, "fingerprint"), nullptr) << err->message;
      EXPECT_NE(strstr(dbg, "does not match"), nullptr) << dbg;
    } else if (from == "dec_b") {
      b_reported = true;
      EXPECT_NE(strstr(dbg, "the peer rejected our certificate"), nullptr) << dbg;
    }
    g_error_free(err);
    g_free(dbg);
    gst_message_unref(msg);
    if (a_reported && b_reported)
      break;
  }
  EXPECT_TRUE(a_reported);
  EXPECT_TRUE(b_reported);
  gst_object_unref(bus);
  EXPECT_EQ(state_of(p.a.get()), GST_RTC_DTLS_TRANSPORT_STATE_FAILED);
  gchar *why = nullptr;
  g_object_get(p.a.get(), "error", &why, nullptr);
  EXPECT_NE(why, nullptr);
  g_free(why);
  p.push("rtp", rtp_packet(1, 1, 100));
  bool ok;
  p.pull("rtp_out", ok, 200 * GST_MSECOND);
  EXPECT_FALSE(ok) << "media passed a failed DTLS transport";
  EXPECT_EQ(stat(p.a.get(), "rtp-protected"), 0u);
  EXPECT_EQ(stat(p.a.get(), "rtp-dropped-no-keys"), 1u);
}

TEST(RtcDtlsSrtp, LateFingerprintHoldsUntilVerified) {
  Options o;
  o.b_knows_fingerprint = false;
  DtlsPair p(o);
  p.play();
  ASSERT_TRUE(p.wait_state(p.a.get(), GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED));
  EXPECT_EQ(state_of(p.b.get()), GST_RTC_DTLS_TRANSPORT_STATE_CONNECTING);
  ASSERT_TRUE(
      gst_rtc_dtls_transport_set_remote_fingerprint(p.b.get(), p.a_expected.c_str(), nullptr));
  ASSERT_TRUE(p.wait_state(p.b.get(), GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED));
  Bytes pkt = rtp_packet(7, 7, 300);
  p.push("rtp", pkt);
  bool ok;
  EXPECT_EQ(p.pull("rtp_out", ok), pkt);
}

TEST(RtcDtlsSrtp, MalformedFingerprintIsRejectedByName) {
  GstRtcDTLSTransport *t = gst_rtc_dtls_transport_new(nullptr);
  struct {
    const char *value, *mention;
  } bad[] = {{"AB:CD", "expected 'sha-256"},
             {"md5 AB:CD", "unknown hash 'md5'"},
             {"sha-256 AB:CD", "need 32 hex bytes"},
             {"sha-256 ZZ:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:"
              "00:00:00:00:00:00:00",
              "need 32 hex bytes"}};
  for (auto &c : bad) {
    GError *err = nullptr;
    EXPECT_FALSE(gst_rtc_dtls_transport_set_remote_fingerprint(t, c.value, &err)) << c.value;
    ASSERT_NE(err, nullptr);
    EXPECT_EQ(err->code, GST_RTC_ERROR_TYPE_ERROR);
    EXPECT_NE(strstr(err->message, c.mention), nullptr) << err->message;
    g_error_free(err);
  }
  gst_object_unref(t);
}

TEST(RtcDtlsSrtp, BadInputIsRejectedCountedAndTheSessionKeepsWorking) {
  DtlsPair p;
  p.play();
  ASSERT_TRUE(p.connected());
  // A genuine packet, captured on its way out of enc_a so it can be replayed and tampered with.
  Bytes wire;
  GstPad *src = gst_element_get_static_pad(p.get("enc_a"), "src");
  gulong probe = gst_pad_add_probe(
      src, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad *, GstPadProbeInfo *info, gpointer w) {
        GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER(info);
        auto *out = static_cast<Bytes *>(w);
        out->resize(gst_buffer_get_size(b));
        gst_buffer_extract(b, 0, out->data(), out->size());
        return GST_PAD_PROBE_OK;
      },
      &wire, nullptr);
  Bytes first = rtp_packet(100, 5, 500);
  p.push("rtp", first);
  bool ok;
  ASSERT_EQ(p.pull("rtp_out", ok), first);
  gst_pad_remove_probe(src, probe);
  gst_object_unref(src);
  ASSERT_GT(wire.size(), first.size());

  p.inject(wire); // replayed
  Bytes tampered = wire;
  tampered[40] ^= 0x01;
  tampered[2] ^= 0x10; // another sequence number, so it is not a replay
  p.inject(tampered);
  Bytes wrong_key = rtp_packet(200, 0xbad, 100); // unknown SSRC, not protected by our keys
  wrong_key.resize(wrong_key.size() + 16, 0xaa);
  p.inject(wrong_key);
  p.inject({0x80, 0x60});                                               // truncated RTP
  p.inject({0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42});           // STUN
  p.inject({0x77, 1, 2, 3});                                            // not in RFC 7983's table
  p.inject({22, 0xfe, 0xfd, 0, 0});                                     // truncated DTLS record
  p.inject({23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 9, 9, 9, 9}); // forged app data

  for (int i = 0; i < 3; i++) { // nothing bad came out
    p.pull("rtp_out", ok, 50 * GST_MSECOND);
    EXPECT_FALSE(ok);
    p.pull("data_out", ok, 10 * GST_MSECOND);
    EXPECT_FALSE(ok);
  }
  EXPECT_EQ(stat(p.b.get(), "srtp-replayed"), 1u);
  EXPECT_EQ(stat(p.b.get(), "srtp-auth-failed"), 2u);
  EXPECT_EQ(stat(p.b.get(), "srtp-malformed"), 1u);
  EXPECT_EQ(stat(p.b.get(), "stun-dropped"), 1u);
  EXPECT_EQ(stat(p.b.get(), "unknown-dropped"), 1u);
  EXPECT_EQ(stat(p.b.get(), "dtls-rejected"), 1u);
  EXPECT_EQ(state_of(p.b.get()), GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED);

  Bytes after = rtp_packet(101, 5, 500);
  p.push("rtp", after);
  EXPECT_EQ(p.pull("rtp_out", ok), after) << "the session must keep working";
}

// Handshake retransmission is scheduled on the element's clock: with a frozen GstTestClock a
// lost ClientHello is not resent however much real time passes; cranking the clock resends it.
// (OpenSSL 3.0 also requires its own wall-clock interval, so the test lets that pass too.)
TEST(RtcDtlsSrtp, LostFlightIsResentOnTheElementClock) {
  DtlsPair p;
  GstClock *clock = gst_test_clock_new();
  gst_pipeline_use_clock(GST_PIPELINE(p.pipeline), clock);
  int dropped = 0;
  GstPad *src = gst_element_get_static_pad(p.get("enc_a"), "src");
  gst_pad_add_probe(
      src, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad *, GstPadProbeInfo *, gpointer n) {
        return (*static_cast<int *>(n))++ == 0 ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
      },
      &dropped, nullptr);
  gst_object_unref(src);
  p.play();
  std::this_thread::sleep_for(std::chrono::milliseconds(150)); // real time passes...
  EXPECT_EQ(dropped, 1);
  EXPECT_EQ(state_of(p.a.get()), GST_RTC_DTLS_TRANSPORT_STATE_CONNECTING);
  EXPECT_EQ(stat(p.a.get(), "dtls-retransmissions"), 0u) << "...but the element clock did not";
  for (int i = 0; i < 50 && state_of(p.a.get()) != GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED; i++) {
    GstClockID id = nullptr;
    gst_test_clock_wait_for_next_pending_id(GST_TEST_CLOCK(clock), &id);
    gst_test_clock_set_time(GST_TEST_CLOCK(clock), gst_clock_id_get_time(id));
    gst_clock_id_unref(id);
    gst_test_clock_crank(GST_TEST_CLOCK(clock));
  }
  EXPECT_TRUE(p.connected());
  EXPECT_EQ(stat(p.a.get(), "dtls-retransmissions"), 1u);
  EXPECT_GE(dropped, 2);
  gst_element_set_state(p.pipeline, GST_STATE_NULL);
  gst_object_unref(clock);
}

// EOS on the media input ends the association: close_notify reaches the peer, EOS goes on.
TEST(RtcDtlsSrtp, EosSendsCloseNotifyAndIsForwarded) {
  DtlsPair p;
  p.play();
  ASSERT_TRUE(p.connected());
  Bytes pkt = rtp_packet(1, 9, 100);
  p.push("rtp", pkt);
  bool ok;
  ASSERT_EQ(p.pull("rtp_out", ok), pkt);
  EXPECT_EQ(gst_app_src_end_of_stream(GST_APP_SRC(p.get("rtp"))), GST_FLOW_OK);
  EXPECT_TRUE(p.wait_state(p.a.get(), GST_RTC_DTLS_TRANSPORT_STATE_CLOSED));
  EXPECT_TRUE(p.wait_state(p.b.get(), GST_RTC_DTLS_TRANSPORT_STATE_CLOSED))
      << "the peer must see close_notify";
  EXPECT_TRUE(gst_app_sink_is_eos(GST_APP_SINK(p.get("rtp_out"))) ||
              gst_app_sink_try_pull_sample(GST_APP_SINK(p.get("rtp_out")), GST_SECOND) == nullptr);
}
