// rtcrtxsend: media passes untouched; a retransmission request is answered with an RFC 4588
// packet on the RTX PT and SSRC; what is not kept (or not mapped) is not retransmitted.
#include <gst/check/gstharness.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gtest/gtest.h>

#include <string>

namespace {

constexpr guint kSsrc = 0x11223344, kRtxSsrc = 0x55667788;

GstBuffer *media_packet(guint8 pt, guint16 seq) {
  GstBuffer *buf = gst_rtp_buffer_new_allocate(6, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gst_rtp_buffer_map(buf, GST_MAP_WRITE, &rtp);
  gst_rtp_buffer_set_payload_type(&rtp, pt);
  gst_rtp_buffer_set_seq(&rtp, seq);
  gst_rtp_buffer_set_ssrc(&rtp, kSsrc);
  gst_rtp_buffer_set_timestamp(&rtp, 1000u + seq);
  gst_rtp_buffer_set_marker(&rtp, seq % 2);
  guint8 *p = static_cast<guint8 *>(gst_rtp_buffer_get_payload(&rtp));
  for (int i = 0; i < 6; i++)
    p[i] = static_cast<guint8>(seq + i);
  gst_rtp_buffer_unmap(&rtp);
  return buf;
}

GstEvent *nack(guint ssrc, guint seq) {
  return gst_event_new_custom(GST_EVENT_CUSTOM_UPSTREAM,
                              gst_structure_new("GstRTPRetransmissionRequest", "seqnum",
                                                G_TYPE_UINT, seq, "ssrc", G_TYPE_UINT, ssrc,
                                                nullptr));
}

struct RtxHarness {
  GstHarness *h;
  RtxHarness() {
    h = gst_harness_new("rtcrtxsend");
    GstStructure *pts =
        gst_structure_new("application/x-rtp-pt-map", "96", G_TYPE_UINT, 97u, nullptr);
    GstStructure *ssrcs =
        gst_structure_new("application/x-rtp-ssrc-map", std::to_string(kSsrc).c_str(), G_TYPE_UINT,
                          kRtxSsrc, nullptr);
    g_object_set(h->element, "payload-type-map", pts, "ssrc-map", ssrcs, nullptr);
    gst_structure_free(pts);
    gst_structure_free(ssrcs);
    gst_harness_set_src_caps_str(
        h, "application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96");
  }
  ~RtxHarness() { gst_harness_teardown(h); }
  guint prop(const char *name) {
    guint v = 0;
    g_object_get(h->element, name, &v, nullptr);
    return v;
  }
};

} // namespace

TEST(RtcRtxSend, MediaPassesAndANackGetsAnRfc4588Packet) {
  RtxHarness t;
  for (guint16 seq = 100; seq < 110; seq++) {
    GstBuffer *in = media_packet(96, seq);
    ASSERT_EQ(gst_harness_push(t.h, gst_buffer_ref(in)), GST_FLOW_OK);
    GstBuffer *out = gst_harness_pull(t.h);
    EXPECT_EQ(out, in) << "the same buffer, nothing copied";
    gst_buffer_unref(out);
    gst_buffer_unref(in);
  }
  ASSERT_TRUE(gst_harness_push_upstream_event(t.h, nack(kSsrc, 105)));
  GstBuffer *rtx = gst_harness_pull(t.h);
  ASSERT_NE(rtx, nullptr);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  ASSERT_TRUE(gst_rtp_buffer_map(rtx, GST_MAP_READ, &rtp));
  EXPECT_EQ(gst_rtp_buffer_get_payload_type(&rtp), 97);
  EXPECT_EQ(gst_rtp_buffer_get_ssrc(&rtp), kRtxSsrc);
  EXPECT_EQ(gst_rtp_buffer_get_timestamp(&rtp), 1105u);
  EXPECT_TRUE(gst_rtp_buffer_get_marker(&rtp));
  ASSERT_EQ(gst_rtp_buffer_get_payload_len(&rtp), 8u);
  const guint8 *p = static_cast<const guint8 *>(gst_rtp_buffer_get_payload(&rtp));
  EXPECT_EQ(GST_READ_UINT16_BE(p), 105) << "OSN";
  for (int i = 0; i < 6; i++)
    EXPECT_EQ(p[2 + i], static_cast<guint8>(105 + i));
  guint16 first_rtx_seq = gst_rtp_buffer_get_seq(&rtp);
  gst_rtp_buffer_unmap(&rtp);
  gst_buffer_unref(rtx);

  // The RTX stream went out with its own caps (payload and SSRC), for rtpsession's reports.
  GstCaps *caps = gst_pad_get_current_caps(t.h->sinkpad);
  ASSERT_NE(caps, nullptr);
  GstStructure *s = gst_caps_get_structure(caps, 0);
  gint pt = 0;
  guint ssrc = 0;
  EXPECT_TRUE(gst_structure_get_int(s, "payload", &pt));
  EXPECT_EQ(pt, 97);
  EXPECT_TRUE(gst_structure_get_uint(s, "ssrc", &ssrc));
  EXPECT_EQ(ssrc, kRtxSsrc);
  gst_caps_unref(caps);

  // The next media packet brings the media caps back.
  ASSERT_EQ(gst_harness_push(t.h, media_packet(96, 110)), GST_FLOW_OK);
  gst_buffer_unref(gst_harness_pull(t.h));
  caps = gst_pad_get_current_caps(t.h->sinkpad);
  EXPECT_TRUE(gst_structure_get_int(gst_caps_get_structure(caps, 0), "payload", &pt));
  EXPECT_EQ(pt, 96);
  gst_caps_unref(caps);

  // A second retransmission takes the next RTX sequence number.
  ASSERT_TRUE(gst_harness_push_upstream_event(t.h, nack(kSsrc, 100)));
  rtx = gst_harness_pull(t.h);
  ASSERT_NE(rtx, nullptr);
  ASSERT_TRUE(gst_rtp_buffer_map(rtx, GST_MAP_READ, &rtp));
  EXPECT_EQ(gst_rtp_buffer_get_seq(&rtp), static_cast<guint16>(first_rtx_seq + 1));
  gst_rtp_buffer_unmap(&rtp);
  gst_buffer_unref(rtx);
  EXPECT_EQ(t.prop("num-rtx-requests"), 2u);
  EXPECT_EQ(t.prop("num-rtx-packets"), 2u);
}

TEST(RtcRtxSend, WhatIsNotKeptIsNotRetransmitted) {
  RtxHarness t;
  g_object_set(t.h->element, "max-size-packets", 4u, nullptr);
  for (guint16 seq = 0; seq < 10; seq++) {
    ASSERT_EQ(gst_harness_push(t.h, media_packet(96, seq)), GST_FLOW_OK);
    gst_buffer_unref(gst_harness_pull(t.h));
  }
  ASSERT_EQ(gst_harness_push(t.h, media_packet(100, 10)), GST_FLOW_OK); // PT with no RTX
  gst_buffer_unref(gst_harness_pull(t.h));
  gst_harness_push_upstream_event(t.h, nack(kSsrc, 2));      // pushed out of the history
  gst_harness_push_upstream_event(t.h, nack(kSsrc, 10));     // its PT has no RTX PT
  gst_harness_push_upstream_event(t.h, nack(0xdeadbeef, 9)); // unknown SSRC
  gst_harness_push_upstream_event(t.h, nack(kSsrc, 9));      // kept
  GstBuffer *rtx = gst_harness_pull(t.h);
  ASSERT_NE(rtx, nullptr);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  ASSERT_TRUE(gst_rtp_buffer_map(rtx, GST_MAP_READ, &rtp));
  EXPECT_EQ(GST_READ_UINT16_BE(gst_rtp_buffer_get_payload(&rtp)), 9);
  gst_rtp_buffer_unmap(&rtp);
  gst_buffer_unref(rtx);
  EXPECT_EQ(gst_harness_buffers_in_queue(t.h), 0u) << "only the kept packet was resent";
  EXPECT_EQ(t.prop("num-rtx-requests"), 4u);
  EXPECT_EQ(t.prop("num-rtx-packets"), 1u);
}
