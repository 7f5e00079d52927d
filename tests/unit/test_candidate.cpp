#include "ice/candidate.hpp"

#include <gtest/gtest.h>

#include <glib.h>

#include <dirent.h>
#include <fstream>
#include <sstream>

using namespace gstrtc::ice;

TEST(Candidate, ParsesHostUdp) {
  auto c = parse_candidate("candidate:842163049 1 udp 1677729535 127.0.0.1 54321 typ host "
                           "generation 0 ufrag EsAw network-cost 999");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->foundation, "842163049");
  EXPECT_EQ(c->component, 1u);
  EXPECT_EQ(c->protocol, Protocol::Udp);
  EXPECT_EQ(c->priority, 1677729535u);
  EXPECT_EQ(c->address, "127.0.0.1");
  EXPECT_EQ(c->port, 54321);
  EXPECT_EQ(c->type, CandidateType::Host);
  EXPECT_EQ(c->ufrag, "EsAw");
  ASSERT_EQ(c->extensions.size(), 2u);
  EXPECT_EQ(c->extensions[0].first, "generation");
  EXPECT_EQ(c->extensions[1].second, "999");
}

TEST(Candidate, ParsesSdpLineWithPrefixAndCrlf) {
  auto c = parse_candidate("a=candidate:1 1 UDP 2130706431 ::1 9 typ host\r\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->address, "::1");
}

TEST(Candidate, ParsesRelayWithRelated) {
  auto c = parse_candidate("candidate:3 1 udp 41885439 10.0.0.5 60000 typ relay raddr 192.0.2.1 "
                           "rport 50000");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->type, CandidateType::Relay);
  EXPECT_EQ(c->related_address, "192.0.2.1");
  EXPECT_EQ(c->related_port, 50000);
}

TEST(Candidate, TcpActiveAllowsPortZeroAndNinePassiveNeedsPort) {
  auto a = parse_candidate("candidate:4 1 TCP 1518280447 127.0.0.1 9 typ host tcptype active");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->tcp_type, TcpType::Active);
  EXPECT_TRUE(parse_candidate("candidate:4 1 TCP 1 127.0.0.1 0 typ host tcptype active"));
  EXPECT_FALSE(parse_candidate("candidate:4 1 TCP 1 127.0.0.1 0 typ host tcptype passive"));
  EXPECT_FALSE(parse_candidate("candidate:4 1 TCP 1 127.0.0.1 5 typ host tcptype sideways"));
}

TEST(Candidate, RoundTripsThroughToString) {
  const char *lines[] = {
      "candidate:1 1 UDP 2130706431 127.0.0.1 5000 typ host",
      "candidate:2 1 UDP 1694498815 203.0.113.7 6000 typ srflx raddr 127.0.0.1 rport 5000",
      "candidate:4 1 TCP 1518280447 127.0.0.1 9 typ host tcptype active",
      "candidate:9 1 UDP 1 ::1 1 typ prflx generation 0 ufrag abcd",
  };
  for (const char *l : lines) {
    auto c = parse_candidate(l);
    ASSERT_TRUE(c) << l << ": " << c.error().message;
    EXPECT_EQ(c->to_string(), l);
    auto again = parse_candidate(c->to_string());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->to_string(), c->to_string());
  }
}

TEST(Candidate, ErrorsNameTheField) {
  auto c = parse_candidate("candidate:1 1 UDP 12 127.0.0.1 65536 typ host");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, gstrtc::ErrorCode::TypeError);
  EXPECT_NE(c.error().message.find("port '65536'"), std::string::npos) << c.error().message;
}

TEST(Candidate, RejectsControlCharactersThatWouldInjectSdp) {
  auto c = parse_candidate("candidate:1 1 UDP 1 127.0.0.1 5 typ host x a\r\na=fingerprint:x");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("extension"), std::string::npos) << c.error().message;
  EXPECT_EQ(c.error().message.find('\n'), std::string::npos) << "errors must be one printable line";
  auto d = parse_candidate("candidate:1 1 UDP 1 127.0.0.1 5 typ host n\x01v v");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("\\x01"), std::string::npos) << d.error().message;
}

TEST(Candidate, Credentials) {
  EXPECT_TRUE(validate_ufrag("abcd"));
  EXPECT_FALSE(validate_ufrag("abc"));
  EXPECT_FALSE(validate_ufrag("ab d"));
  EXPECT_TRUE(validate_pwd("0123456789abcdef+/ABCD"));
  EXPECT_FALSE(validate_pwd("0123456789abcdef+/ABC"));
  EXPECT_FALSE(validate_pwd(std::string(257, 'a')));
}

// Every a=candidate line in the real SDP vectors (Chromium, webrtcbin, aiortc) parses and
// survives a round trip.
TEST(Candidate, ParsesEveryCandidateInRealSdpVectors) {
  std::string dir =
      std::string(g_getenv("GSTRTC_TEST_DATA") ? g_getenv("GSTRTC_TEST_DATA") : "") + "/sdp";
  DIR *d = opendir(dir.c_str());
  ASSERT_NE(d, nullptr) << "missing " << dir;
  int seen = 0;
  while (dirent *e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() < 4 || name.substr(name.size() - 4) != ".sdp")
      continue;
    std::ifstream f(dir + "/" + name);
    std::string line;
    while (std::getline(f, line)) {
      if (line.rfind("a=candidate:", 0) != 0)
        continue;
      auto c = parse_candidate(line);
      ASSERT_TRUE(c) << name << ": " << c.error().message;
      auto again = parse_candidate(c->to_string());
      ASSERT_TRUE(again) << c->to_string();
      EXPECT_EQ(again->address, c->address);
      EXPECT_EQ(again->port, c->port);
      EXPECT_EQ(again->priority, c->priority);
      seen++;
    }
  }
  closedir(d);
  EXPECT_GT(seen, 20);
}
