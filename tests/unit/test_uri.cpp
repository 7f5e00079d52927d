#include "ice/uri.hpp"

#include <gtest/gtest.h>

using namespace gstrtc::ice;

TEST(ServerUri, StunForms) {
  for (const char *u : {"stun:127.0.0.1:3478", "stun://127.0.0.1:3478", "STUN:127.0.0.1"}) {
    auto r = parse_server_uri(u);
    ASSERT_TRUE(r) << u << ": " << r.error().message;
    EXPECT_EQ(r->scheme, ServerScheme::Stun);
    EXPECT_EQ(r->host, "127.0.0.1");
    EXPECT_EQ(r->port, 3478);
  }
  auto s = parse_server_uri("stuns:stun.example.org");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->port, 5349);
}

TEST(ServerUri, TurnWithCredentialsAndTransport) {
  auto r = parse_server_uri("turn://al%40ice:p%3Ass@[::1]:3479?transport=tcp");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->scheme, ServerScheme::Turn);
  EXPECT_EQ(r->username, "al@ice");
  EXPECT_EQ(r->password, "p:ss");
  EXPECT_EQ(r->host, "::1");
  EXPECT_EQ(r->port, 3479);
  EXPECT_EQ(r->transport, ServerTransport::Tcp);
  EXPECT_EQ(r->to_string(), "turn:[::1]:3479?transport=tcp");
  EXPECT_EQ(r->to_string().find("p:ss"), std::string::npos);
}

TEST(ServerUri, TurnsDefaultsToTlsPort) {
  auto r = parse_server_uri("turns://u:p@turn.example.org");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->port, 5349);
  EXPECT_EQ(r->transport, ServerTransport::Tcp);
}

TEST(ServerUri, Rejects) {
  for (const char *u : {"", "stun", "stun:", "turn://u:p@h:0", "turn://u:p@h:65536", "ftp://h",
                        "stun://h?transport=udp", "turn://h", "turn://u:p@h?x=y",
                        // found by fuzz_server_uri: a bare host with ':' is not IPv6
                        "stun:127.0.0stun:127.0.0.1:347.1:3478", "stun:::1:3478"}) {
    auto r = parse_server_uri(u);
    EXPECT_FALSE(r) << u;
    if (!r)
      EXPECT_EQ(r.error().code, gstrtc::ErrorCode::TypeError);
  }
}
