#include "ice/consent.hpp"

#include <gtest/gtest.h>

using namespace gstrtc::ice;

namespace {
constexpr int64_t ms = 1000;
ConsentConfig cfg() {
  return ConsentConfig{300 * ms, 1500 * ms};
}
} // namespace

TEST(Consent, IdleUntilStarted) {
  ConsentMonitor m(cfg());
  EXPECT_EQ(m.poll(10'000 * ms), Liveness::Idle);
  EXPECT_EQ(m.next_deadline(), -1);
}

TEST(Consent, DisconnectedThenExpired) {
  ConsentMonitor m(cfg());
  m.start(0);
  EXPECT_EQ(m.poll(299 * ms), Liveness::Alive);
  EXPECT_EQ(m.next_deadline(), 300 * ms);
  EXPECT_EQ(m.poll(300 * ms), Liveness::Disconnected);
  EXPECT_EQ(m.next_deadline(), 1500 * ms);
  EXPECT_EQ(m.poll(1499 * ms), Liveness::Disconnected);
  EXPECT_EQ(m.poll(1500 * ms), Liveness::Expired);
  // Expired is terminal: late traffic does not restore consent (RFC 7675 §5.1).
  EXPECT_FALSE(m.on_inbound(1600 * ms));
  EXPECT_EQ(m.poll(1600 * ms), Liveness::Expired);
  EXPECT_EQ(m.next_deadline(), -1);
}

TEST(Consent, TrafficRevivesDisconnected) {
  ConsentMonitor m(cfg());
  m.start(0);
  EXPECT_EQ(m.poll(400 * ms), Liveness::Disconnected);
  EXPECT_TRUE(m.on_inbound(500 * ms));
  EXPECT_EQ(m.state(), Liveness::Alive);
  EXPECT_EQ(m.poll(700 * ms), Liveness::Alive);
  EXPECT_EQ(m.next_deadline(), 800 * ms);
}

TEST(Consent, ResetAfterExpiryAllowsRestart) {
  ConsentMonitor m(cfg());
  m.start(0);
  EXPECT_EQ(m.poll(2000 * ms), Liveness::Expired);
  m.reset();
  m.start(3000 * ms);
  EXPECT_EQ(m.poll(3100 * ms), Liveness::Alive);
}

TEST(Consent, InboundKeepsAlive) {
  ConsentMonitor m(cfg());
  m.start(0);
  for (int64_t t = 0; t < 10'000 * ms; t += 100 * ms) {
    m.on_inbound(t);
    ASSERT_EQ(m.poll(t + 50 * ms), Liveness::Alive) << t;
  }
}

TEST(Consent, ZeroDisablesASteps) {
  ConsentMonitor m(ConsentConfig{0, 1000 * ms});
  m.start(0);
  EXPECT_EQ(m.next_deadline(), 1000 * ms);
  EXPECT_EQ(m.poll(999 * ms), Liveness::Alive);
  EXPECT_EQ(m.poll(1000 * ms), Liveness::Expired);
  ConsentMonitor never(ConsentConfig{0, 0});
  never.start(0);
  EXPECT_EQ(never.next_deadline(), -1);
  EXPECT_EQ(never.poll(1'000'000 * ms), Liveness::Alive);
  ConsentMonitor only_disc(ConsentConfig{100 * ms, 0});
  only_disc.start(0);
  EXPECT_EQ(only_disc.poll(200 * ms), Liveness::Disconnected);
  EXPECT_EQ(only_disc.next_deadline(), -1);
}
