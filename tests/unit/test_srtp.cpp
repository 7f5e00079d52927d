#include "srtp/context.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace gstrtc;
using dtls::SrtpProfile;

namespace {

std::vector<uint8_t> key_for(SrtpProfile p, uint8_t seed) {
  std::vector<uint8_t> k(dtls::master_key_len(p) + dtls::master_salt_len(p));
  for (size_t i = 0; i < k.size(); i++)
    k[i] = static_cast<uint8_t>(seed + i * 13);
  return k;
}

// An RTP packet in a buffer with room for the SRTP trailer.
std::vector<uint8_t> rtp(uint16_t seq, uint32_t ssrc, size_t payload = 100) {
  std::vector<uint8_t> b(12 + payload + srtp::kMaxTrailer);
  b[0] = 0x80;
  b[1] = 96;
  b[2] = seq >> 8;
  b[3] = seq & 0xff;
  uint32_t ts = seq * 3000u;
  for (int i = 0; i < 4; i++) {
    b[4 + i] = (ts >> (24 - 8 * i)) & 0xff;
    b[8 + i] = (ssrc >> (24 - 8 * i)) & 0xff;
  }
  for (size_t i = 0; i < payload; i++)
    b[12 + i] = static_cast<uint8_t>(seq + i);
  b.resize(12 + payload);
  return b;
}

std::vector<uint8_t> rtcp_rr(uint32_t ssrc) {
  std::vector<uint8_t> b = {0x80, 201, 0, 1, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++)
    b[4 + i] = (ssrc >> (24 - 8 * i)) & 0xff;
  return b;
}

struct Link {
  std::unique_ptr<srtp::Context> tx, rx;
  explicit Link(SrtpProfile p) {
    auto k = key_for(p, 1);
    tx = std::move(*srtp::Context::create(p, k, srtp::Direction::Outbound));
    rx = std::move(*srtp::Context::create(p, k, srtp::Direction::Inbound));
  }
  // Protects in place and returns the wire bytes.
  std::vector<uint8_t> protect(std::vector<uint8_t> pkt, bool rtcp = false) {
    size_t len = pkt.size();
    pkt.resize(len + srtp::kMaxTrailer);
    auto s = rtcp ? tx->protect_rtcp(pkt.data(), &len, pkt.size())
                  : tx->protect_rtp(pkt.data(), &len, pkt.size());
    EXPECT_TRUE(s) << s.error().message;
    pkt.resize(len);
    return pkt;
  }
  srtp::Reject unprotect(std::vector<uint8_t> &wire, bool rtcp = false) {
    size_t len = wire.size();
    auto r = rtcp ? rx->unprotect_rtcp(wire.data(), &len) : rx->unprotect_rtp(wire.data(), &len);
    wire.resize(len);
    return r;
  }
};

const SrtpProfile kAll[] = {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32,
                            SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm};

} // namespace

TEST(Srtp, RoundTripEveryProfileRtpAndRtcp) {
  for (auto prof : kAll) {
    Link l(prof);
    auto plain = rtp(1, 0x1234);
    auto wire = l.protect(plain);
    EXPECT_GT(wire.size(), plain.size()) << dtls::openssl_name(prof);
    EXPECT_NE(std::vector<uint8_t>(wire.begin() + 12, wire.begin() + 60),
              std::vector<uint8_t>(plain.begin() + 12, plain.begin() + 60))
        << "payload must be encrypted";
    ASSERT_EQ(l.unprotect(wire), srtp::Reject::None) << dtls::openssl_name(prof);
    EXPECT_EQ(wire, plain);
    auto rr = rtcp_rr(0x1234);
    auto rwire = l.protect(rr, true);
    ASSERT_EQ(l.unprotect(rwire, true), srtp::Reject::None);
    EXPECT_EQ(rwire, rr);
  }
}

TEST(Srtp, ReplayIsRejected) {
  Link l(SrtpProfile::AeadAes128Gcm);
  auto wire = l.protect(rtp(5, 1));
  auto copy = wire;
  ASSERT_EQ(l.unprotect(wire), srtp::Reject::None);
  EXPECT_EQ(l.unprotect(copy), srtp::Reject::Replayed);
}

TEST(Srtp, TamperedPacketFailsAuthentication) {
  for (auto prof : kAll) {
    Link l(prof);
    auto wire = l.protect(rtp(9, 1));
    wire[20] ^= 1;
    EXPECT_EQ(l.unprotect(wire), srtp::Reject::AuthFailed) << dtls::openssl_name(prof);
    auto tail = l.protect(rtp(10, 1));
    tail.back() ^= 0x80;
    EXPECT_EQ(l.unprotect(tail), srtp::Reject::AuthFailed);
  }
}

TEST(Srtp, WrongKeyFailsAuthentication) {
  auto p = SrtpProfile::AesCm128HmacSha1_80;
  auto tx = std::move(*srtp::Context::create(p, key_for(p, 1), srtp::Direction::Outbound));
  auto rx = std::move(*srtp::Context::create(p, key_for(p, 2), srtp::Direction::Inbound));
  auto pkt = rtp(1, 1);
  size_t len = pkt.size();
  pkt.resize(len + srtp::kMaxTrailer);
  ASSERT_TRUE(tx->protect_rtp(pkt.data(), &len, pkt.size()));
  EXPECT_EQ(rx->unprotect_rtp(pkt.data(), &len), srtp::Reject::AuthFailed);
}

TEST(Srtp, RolloverCounterAcrossSequenceWrap) {
  Link l(SrtpProfile::AesCm128HmacSha1_80);
  // 3 wraps of the 16-bit sequence number: the receiver must track the ROC (RFC 3711 §3.3.1).
  for (uint32_t i = 0; i < 3 * 65536 + 100; i++) {
    auto plain = rtp(static_cast<uint16_t>(i + 65000), 7, 20);
    auto wire = l.protect(plain);
    ASSERT_EQ(l.unprotect(wire), srtp::Reject::None) << "packet " << i;
    ASSERT_EQ(wire, plain);
  }
}

TEST(Srtp, ManySsrcsOnOneSession) {
  Link l(SrtpProfile::AeadAes128Gcm);
  for (uint16_t seq = 0; seq < 200; seq++)
    for (uint32_t ssrc : {1u, 0xdeadbeefu, 42u}) {
      auto plain = rtp(seq, ssrc);
      auto wire = l.protect(plain);
      ASSERT_EQ(l.unprotect(wire), srtp::Reject::None);
      ASSERT_EQ(wire, plain);
    }
}

TEST(Srtp, MalformedInputNeverCrashes) {
  Link l(SrtpProfile::AeadAes128Gcm);
  for (size_t n : {0u, 1u, 11u, 12u, 13u, 20u}) {
    std::vector<uint8_t> junk(n, 0x80);
    EXPECT_NE(l.unprotect(junk), srtp::Reject::None) << n;
    std::vector<uint8_t> junk2(n, 0x80);
    EXPECT_NE(l.unprotect(junk2, true), srtp::Reject::None) << n;
  }
}

TEST(Srtp, BadKeyLengthIsAnError) {
  auto r = srtp::Context::create(SrtpProfile::AeadAes256Gcm, std::vector<uint8_t>(28),
                                 srtp::Direction::Inbound);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("needs 44"), std::string::npos) << r.error().message;
}

// RTP and RTCP of one direction come from different threads (rtp_sink, rtcp_sink): one context
// must take both at once, including new SSRCs appearing on both sides (run under ASan/TSan).
TEST(Srtp, ConcurrentRtpAndRtcpOnOneContext) {
  Link l(SrtpProfile::AeadAes128Gcm);
  std::atomic<int> failures{0};
  auto worker = [&](bool rtcp) {
    for (uint32_t i = 0; i < 20000; i++) {
      uint32_t ssrc = 1000 + i % 50; // new SSRCs keep appearing on both threads
      std::vector<uint8_t> pkt = rtcp ? rtcp_rr(ssrc) : rtp(static_cast<uint16_t>(i), ssrc, 40);
      size_t len = pkt.size();
      pkt.resize(len + srtp::kMaxTrailer);
      auto s = rtcp ? l.tx->protect_rtcp(pkt.data(), &len, pkt.size())
                    : l.tx->protect_rtp(pkt.data(), &len, pkt.size());
      if (!s)
        failures++;
    }
  };
  std::thread a(worker, false), b(worker, true);
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
}
