// End to end on 127.0.0.1: VP8 over SRTP keyed by DTLS over ICE, decoded and counted.
//   A: videotestsrc ! vp8enc ! rtpvp8pay ! rtcdtlssrtpenc ! rtcicesink   rtcicesrc ! rtcdtlssrtpdec
//   B: rtcicesrc ! rtcdtlssrtpdec ! rtpvp8depay ! vp8dec ! fakesink      rtcdtlssrtpenc !
//   rtcicesink
// DTLS starts before ICE connects, so its first flight is lost for real and must be resent.
#include "icepair.hpp"

#include <gtest/gtest.h>

#include <atomic>

using namespace test;

namespace {

GstElement *launch(const char *desc) {
  GError *err = nullptr;
  GstElement *p = gst_parse_launch(desc, &err);
  EXPECT_NE(p, nullptr) << (err ? err->message : "");
  g_clear_error(&err);
  return p;
}

void set_transports(GstElement *pipe, GstRtcICETransport *ice, GstRtcDTLSTransport *dtls) {
  GstIterator *it = gst_bin_iterate_elements(GST_BIN(pipe));
  GValue v = G_VALUE_INIT;
  while (gst_iterator_next(it, &v) == GST_ITERATOR_OK) {
    GstElement *e = GST_ELEMENT(g_value_get_object(&v));
    const gchar *factory = GST_OBJECT_NAME(gst_element_get_factory(e));
    if (g_str_has_prefix(factory, "rtcice"))
      g_object_set(e, "transport", ice, nullptr);
    else if (g_str_has_prefix(factory, "rtcdtlssrtp"))
      g_object_set(e, "transport", dtls, nullptr);
    g_value_reset(&v);
  }
  g_value_unset(&v);
  gst_iterator_free(it);
}

std::string fingerprint(GstRtcDTLSTransport *t) {
  GstRtcCertificate *c = nullptr;
  g_object_get(t, "certificate", &c, nullptr);
  gchar *f = gst_rtc_certificate_get_fingerprint(c, "sha-256");
  std::string s = std::string("sha-256 ") + f;
  g_free(f);
  g_object_unref(c);
  return s;
}

} // namespace

TEST(RtcDtlsSrtpOverIce, Vp8FramesAreDecodedOnTheOtherSide) {
  IcePair ice;
  auto da = gstrtc::adopt(gst_rtc_dtls_transport_new("dtls-a"));
  auto db = gstrtc::adopt(gst_rtc_dtls_transport_new("dtls-b"));
  for (auto *t : {da.get(), db.get()}) {
    GstRtcCertificate *c = gst_rtc_certificate_generate(GST_RTC_KEY_TYPE_ECDSA_P256, nullptr);
    g_object_set(t, "certificate", c, nullptr);
    g_object_unref(c);
  }
  g_object_set(da.get(), "client", TRUE, nullptr); // a=setup:active on A's side
  ASSERT_TRUE(gst_rtc_dtls_transport_set_remote_fingerprint(da.get(), fingerprint(db.get()).c_str(),
                                                            nullptr));
  ASSERT_TRUE(gst_rtc_dtls_transport_set_remote_fingerprint(db.get(), fingerprint(da.get()).c_str(),
                                                            nullptr));

  GstElement *a = launch(
      "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1 "
      "! vp8enc deadline=1 keyframe-max-dist=10 ! rtpvp8pay pt=96 ! rtcdtlssrtpenc ! rtcicesink "
      "rtcicesrc ! rtcdtlssrtpdec");
  GstElement *b =
      launch("rtcicesrc ! rtcdtlssrtpdec name=dec dec.rtp_src "
             "! application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96 "
             "! rtpjitterbuffer latency=50 ! rtpvp8depay ! vp8dec "
             "! fakesink name=out signal-handoffs=true sync=false async=false "
             "rtcdtlssrtpenc ! rtcicesink");
  set_transports(a, ice.a.get(), da.get());
  set_transports(b, ice.b.get(), db.get());
  std::atomic<int> frames{0};
  GstElement *out = gst_bin_get_by_name(GST_BIN(b), "out");
  g_signal_connect(out, "handoff", G_CALLBACK(+[](GstElement *, GstBuffer *, GstPad *, gpointer n) {
                     (*static_cast<std::atomic<int> *>(n))++;
                   }),
                   &frames);
  gst_object_unref(out);

  gst_element_set_state(b, GST_STATE_PLAYING);
  gst_element_set_state(a, GST_STATE_PLAYING);
  ice.start();
  ASSERT_TRUE(ice.wait_connected());

  GstBus *bus = gst_element_get_bus(b);
  gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
  while (frames < 60 && g_get_monotonic_time() < deadline) {
    if (GstMessage *m = gst_bus_timed_pop_filtered(bus, 50 * GST_MSECOND, GST_MESSAGE_ERROR)) {
      GError *err = nullptr;
      gst_message_parse_error(m, &err, nullptr);
      ADD_FAILURE() << "error from " << GST_MESSAGE_SRC_NAME(m) << ": " << err->message;
      g_error_free(err);
      gst_message_unref(m);
      break;
    }
  }
  gst_object_unref(bus);
  EXPECT_GE(frames.load(), 60) << "decoded frames";

  GstRtcDTLSTransportState st;
  g_object_get(db.get(), "state", &st, nullptr);
  EXPECT_EQ(st, GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED);
  GstStructure *s = gst_rtc_dtls_transport_get_stats(db.get());
  guint64 unprotected = 0, failed = 0;
  gst_structure_get_uint64(s, "rtp-unprotected", &unprotected);
  gst_structure_get_uint64(s, "srtp-auth-failed", &failed);
  gst_structure_free(s);
  EXPECT_GT(unprotected, 60u);
  EXPECT_EQ(failed, 0u);
  gst_element_set_state(a, GST_STATE_NULL);
  gst_element_set_state(b, GST_STATE_NULL);
  gst_object_unref(a);
  gst_object_unref(b);
}
