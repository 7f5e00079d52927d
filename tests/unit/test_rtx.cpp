// RTX on the sending side: RTP header parsing, the RFC 4588 packet, and the sent history.
#include "rtp/rtx.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace gstrtc::rtp;

namespace {

// V=2, CSRC count 1, extension (one word), padding of 3, marker, PT 96.
std::vector<uint8_t> sample_packet() {
  std::vector<uint8_t> p = {0xb1, 0xe0, 0x12, 0x34, // V=2 P X CC=1, M PT=96, seq 0x1234
                            0x00, 0x01, 0x02, 0x03, // timestamp
                            0xca, 0xfe, 0xba, 0xbe, // SSRC
                            0x11, 0x22, 0x33, 0x44, // CSRC
                            0xbe, 0xde, 0x00, 0x01, // one-byte extensions, one word
                            0x10, 0xaa, 0x00, 0x00, // id 1, one byte
                            'p',  'a',  'y',  'l',  'o', 'a', 'd', // payload
                            0x00, 0x00, 0x03};                     // padding
  return p;
}

} // namespace

TEST(Rtx, ParsesHeaderCsrcExtensionAndPadding) {
  auto p = sample_packet();
  auto h = parse_rtp_header(p);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->pt, 96);
  EXPECT_TRUE(h->marker);
  EXPECT_EQ(h->seq, 0x1234);
  EXPECT_EQ(h->timestamp, 0x00010203u);
  EXPECT_EQ(h->ssrc, 0xcafebabeu);
  EXPECT_EQ(h->header_len, 24u);
  EXPECT_EQ(h->payload_len, 7u);
}

TEST(Rtx, RefusesMalformedPackets) {
  auto p = sample_packet();
  EXPECT_FALSE(parse_rtp_header(std::span(p).first(11))) << "shorter than the fixed header";
  auto v1 = p;
  v1[0] = (v1[0] & 0x3f) | 0x40;
  EXPECT_FALSE(parse_rtp_header(v1)) << "version 1";
  EXPECT_FALSE(parse_rtp_header(std::span(p).first(22))) << "extension cut short";
  auto pad = p;
  pad.back() = 40;
  EXPECT_FALSE(parse_rtp_header(pad)) << "padding longer than the packet";
  pad.back() = 0;
  EXPECT_FALSE(parse_rtp_header(pad)) << "padding of zero";
}

TEST(Rtx, PacketKeepsHeaderAndPrefixesTheOriginalSequenceNumber) {
  auto p = sample_packet();
  auto h = parse_rtp_header(p);
  ASSERT_TRUE(h);
  std::vector<uint8_t> out(rtx_packet_size(*h));
  ASSERT_EQ(out.size(), 24u + 2 + 7);
  write_rtx_packet(p, *h, 97, 0xfffe, 0x01020304, out);
  auto r = parse_rtp_header(out);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->pt, 97);
  EXPECT_TRUE(r->marker) << "marker kept";
  EXPECT_EQ(r->seq, 0xfffe);
  EXPECT_EQ(r->ssrc, 0x01020304u);
  EXPECT_EQ(r->timestamp, h->timestamp) << "timestamp kept (RFC 4588 §4)";
  EXPECT_EQ(out[0] & 0x20, 0) << "no padding";
  EXPECT_EQ(std::vector<uint8_t>(out.begin() + 12, out.begin() + 24),
            std::vector<uint8_t>(p.begin() + 12, p.begin() + 24))
      << "CSRCs and extensions kept";
  EXPECT_EQ(out[24], 0x12);
  EXPECT_EQ(out[25], 0x34) << "OSN";
  EXPECT_EQ(std::string(out.begin() + 26, out.end()), "payload");
}

TEST(Rtx, HistoryFindsWhatItKeepsAcrossTheSequenceWrap) {
  SentHistory<std::unique_ptr<int>> h(8, 1000000);
  for (int i = 0; i < 12; i++)
    h.add(static_cast<uint16_t>(65530 + i), i * 1000, std::make_unique<int>(i));
  EXPECT_EQ(h.size(), 8u) << "capacity";
  EXPECT_EQ(h.find(65531, 12000), nullptr) << "pushed out by newer packets";
  for (int i = 4; i < 12; i++) {
    auto *item = h.find(static_cast<uint16_t>(65530 + i), 12000);
    ASSERT_NE(item, nullptr) << i;
    EXPECT_EQ(**item, i);
  }
  EXPECT_EQ(h.find(100, 12000), nullptr) << "never sent";
}

TEST(Rtx, HistoryForgetsPacketsOlderThanItsAgeAndSkipsGaps) {
  SentHistory<std::unique_ptr<int>> h(100, 500000);
  h.add(10, 0, std::make_unique<int>(10));
  h.add(12, 100000, std::make_unique<int>(12)); // 11 went out under another PT (not kept)
  h.add(13, 200000, std::make_unique<int>(13));
  ASSERT_NE(h.find(12, 300000), nullptr);
  EXPECT_EQ(**h.find(12, 300000), 12) << "found despite the gap";
  EXPECT_EQ(h.find(11, 300000), nullptr);
  EXPECT_NE(h.find(10, 450000), nullptr);
  EXPECT_EQ(h.find(10, 600000), nullptr) << "older than 500 ms";
  EXPECT_EQ(h.size(), 2u) << "and released";
  h.clear();
  EXPECT_EQ(h.size(), 0u);
}
