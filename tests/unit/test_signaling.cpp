// JSEP signalling state machine: every (state, side, type) against the RFC 9429 §3.2 /
// W3C §4.4.1.5 table, and whole negotiations.
#include "jsep/signaling.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <tuple>
#include <vector>

using namespace gstrtc::jsep;
using S = SignalingState;
using T = SdpType;

namespace {

constexpr S kAllStates[] = {S::Stable,
                            S::Closed,
                            S::HaveLocalOffer,
                            S::HaveRemoteOffer,
                            S::HaveLocalPranswer,
                            S::HaveRemotePranswer};
constexpr T kAllTypes[] = {T::Offer, T::Pranswer, T::Answer, T::Rollback};

struct Row {
  S from;
  Side side;
  T type;
  S to;
  bool implicit_rollback = false;
};

// Everything not listed here must be refused.
const std::vector<Row> kAllowed = {
    {S::Stable, Side::Local, T::Offer, S::HaveLocalOffer},
    {S::HaveLocalOffer, Side::Local, T::Offer, S::HaveLocalOffer},
    {S::HaveLocalOffer, Side::Local, T::Rollback, S::Stable},
    {S::HaveLocalOffer, Side::Remote, T::Answer, S::Stable},
    {S::HaveLocalOffer, Side::Remote, T::Pranswer, S::HaveRemotePranswer},
    {S::HaveLocalOffer, Side::Remote, T::Offer, S::HaveRemoteOffer, true},
    {S::HaveRemotePranswer, Side::Remote, T::Pranswer, S::HaveRemotePranswer},
    {S::HaveRemotePranswer, Side::Remote, T::Answer, S::Stable},
    {S::Stable, Side::Remote, T::Offer, S::HaveRemoteOffer},
    {S::HaveRemoteOffer, Side::Remote, T::Offer, S::HaveRemoteOffer},
    {S::HaveRemoteOffer, Side::Remote, T::Rollback, S::Stable},
    {S::HaveRemoteOffer, Side::Local, T::Answer, S::Stable},
    {S::HaveRemoteOffer, Side::Local, T::Pranswer, S::HaveLocalPranswer},
    {S::HaveLocalPranswer, Side::Local, T::Pranswer, S::HaveLocalPranswer},
    {S::HaveLocalPranswer, Side::Local, T::Answer, S::Stable},
};

std::optional<Row> allowed(S s, Side side, T t) {
  for (const auto &r : kAllowed)
    if (r.from == s && r.side == side && r.type == t)
      return r;
  return std::nullopt;
}

} // namespace

TEST(Signaling, EveryTransitionMatchesTheTable) {
  int checked = 0;
  for (S s : kAllStates)
    for (Side side : {Side::Local, Side::Remote})
      for (T t : kAllTypes) {
        auto got = next_state(s, side, t);
        auto want = allowed(s, side, t);
        std::string where = std::string(to_string(s)) +
                            (side == Side::Local ? " local " : " remote ") + to_string(t);
        if (want) {
          ASSERT_TRUE(got) << where << ": " << got.error().message;
          EXPECT_EQ(got->next, want->to) << where;
          EXPECT_EQ(got->implicit_rollback, want->implicit_rollback) << where;
        } else {
          ASSERT_FALSE(got) << where << " should be refused";
          EXPECT_EQ(got.error().code, gstrtc::ErrorCode::InvalidState) << where;
          EXPECT_NE(got.error().message.find(to_string(s)), std::string::npos)
              << "the error must name the current state: " << got.error().message;
        }
        checked++;
      }
  EXPECT_EQ(checked, 6 * 2 * 4);
}

TEST(Signaling, ErrorsSayWhatWasExpected) {
  auto r = next_state(S::Stable, Side::Local, T::Answer);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "cannot set a local answer in signaling state stable (expected "
                               "have-remote-offer or have-local-pranswer)");
  auto c = next_state(S::Closed, Side::Remote, T::Offer);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("closed"), std::string::npos);
}

TEST(Signaling, CreateOfferAndAnswerStates) {
  for (S s : kAllStates) {
    bool offer_ok = s == S::Stable || s == S::HaveLocalOffer;
    bool answer_ok = s == S::HaveRemoteOffer || s == S::HaveLocalPranswer;
    EXPECT_EQ(static_cast<bool>(can_create(s, T::Offer)), offer_ok) << to_string(s);
    EXPECT_EQ(static_cast<bool>(can_create(s, T::Answer)), answer_ok) << to_string(s);
  }
  auto e = can_create(S::HaveRemoteOffer, T::Offer);
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("create an offer"), std::string::npos);
}

TEST(Signaling, OffererAndAnswererReachStable) {
  SignalingMachine offerer, answerer;
  ASSERT_TRUE(offerer.apply(Side::Local, T::Offer));
  ASSERT_TRUE(answerer.apply(Side::Remote, T::Offer));
  ASSERT_TRUE(answerer.apply(Side::Local, T::Pranswer));
  ASSERT_TRUE(offerer.apply(Side::Remote, T::Pranswer));
  EXPECT_EQ(offerer.state(), S::HaveRemotePranswer);
  ASSERT_TRUE(answerer.apply(Side::Local, T::Answer));
  ASSERT_TRUE(offerer.apply(Side::Remote, T::Answer));
  EXPECT_EQ(offerer.state(), S::Stable);
  EXPECT_EQ(answerer.state(), S::Stable);
}

TEST(Signaling, GlareWithImplicitRollback) {
  // Both sides offer at once; the polite peer accepts the remote offer (perfect negotiation).
  SignalingMachine polite;
  ASSERT_TRUE(polite.apply(Side::Local, T::Offer));
  auto t = polite.apply(Side::Remote, T::Offer);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->implicit_rollback);
  EXPECT_EQ(polite.state(), S::HaveRemoteOffer);
}

TEST(Signaling, RefusedTransitionLeavesTheStateAlone) {
  SignalingMachine m;
  ASSERT_TRUE(m.apply(Side::Local, T::Offer));
  EXPECT_FALSE(m.apply(Side::Local, T::Answer));
  EXPECT_EQ(m.state(), S::HaveLocalOffer);
  m.close();
  EXPECT_FALSE(m.apply(Side::Local, T::Rollback));
  EXPECT_EQ(m.state(), S::Closed);
}
