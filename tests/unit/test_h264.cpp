// H.264 profile-level-id decoding and matching (RFC 6184 §8.1, §8.2.2).
#include "jsep/h264.hpp"

#include <gtest/gtest.h>

#include <glib.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace gstrtc::jsep;
using P = H264Profile;

TEST(H264, DecodesProfilesByMeaning) {
  struct {
    const char *hex;
    P profile;
    int level;
  } cases[] = {
      {"42e01f", P::ConstrainedBaseline, 31},
      {"42c01f", P::ConstrainedBaseline, 31},
      {"42401f", P::ConstrainedBaseline, 31},
      {"4d801f", P::ConstrainedBaseline, 31},
      {"58c01f", P::ConstrainedBaseline, 31},
      {"42001f", P::Baseline, 31},
      {"58801f", P::Baseline, 31},
      {"4d001f", P::Main, 31},
      {"58001f", P::Extended, 31},
      {"640c1f", P::ConstrainedHigh, 31},
      {"64001f", P::High, 31},
      {"640032", P::High, 50},
      {"6e001f", P::High10, 31},
      {"f4001f", P::High444, 31},
      {"42f00b", P::ConstrainedBaseline, 9}, // level 1b: level_idc 11 + constraint_set3
      {"64100b", P::High, 11},               // set3 means nothing for High: level 1.1
  };
  for (const auto &c : cases) {
    auto pl = parse_profile_level_id(c.hex);
    ASSERT_TRUE(pl) << c.hex << ": " << pl.error().message;
    EXPECT_EQ(pl->profile, c.profile) << c.hex << " is " << to_string(pl->profile);
    EXPECT_EQ(pl->level, c.level) << c.hex;
  }
}

TEST(H264, RejectsMalformedValuesByName) {
  for (const char *bad : {"42e0", "42e01f0", "zz001f", "ff001f", "42e0ff", ""}) {
    auto pl = parse_profile_level_id(bad);
    ASSERT_FALSE(pl) << bad;
    EXPECT_NE(pl.error().message.find(std::string("'") + bad + "'"), std::string::npos)
        << pl.error().message;
  }
  EXPECT_FALSE(parse_h264_fmtp("profile-level-id=42e01f;packetization-mode=7"));
}

TEST(H264, CanonicalFormRoundTrips) {
  for (const char *hex : {"42e01f", "4d001f", "640c1f", "64001f", "42f00b"}) {
    auto pl = parse_profile_level_id(hex);
    ASSERT_TRUE(pl);
    auto again = parse_profile_level_id(to_profile_level_id(*pl));
    ASSERT_TRUE(again) << to_profile_level_id(*pl);
    EXPECT_EQ(again->profile, pl->profile) << hex;
    EXPECT_EQ(again->level, pl->level) << hex;
  }
}

TEST(H264, CompatibilityIsProfileAndPacketizationMode) {
  auto cb1 = *parse_h264_fmtp("profile-level-id=42e01f;packetization-mode=1");
  auto cb1b = *parse_h264_fmtp("packetization-mode=1;profile-level-id=42c01f");
  auto cb0 = *parse_h264_fmtp("profile-level-id=42e01f");
  auto base1 = *parse_h264_fmtp("profile-level-id=42001f;packetization-mode=1");
  auto high1 = *parse_h264_fmtp("profile-level-id=640c1f;packetization-mode=1");
  EXPECT_TRUE(h264_compatible(cb1, cb1b)) << "same profile, different spelling";
  EXPECT_FALSE(h264_compatible(cb1, cb0)) << "packetization modes differ";
  EXPECT_FALSE(h264_compatible(cb1, base1)) << "Constrained Baseline is not Baseline";
  EXPECT_FALSE(h264_compatible(cb1, high1));
  auto none = *parse_h264_fmtp("");
  EXPECT_EQ(none.profile_level.profile, P::Baseline) << "RFC 6184 default is 420010";
  EXPECT_EQ(none.profile_level.level, 10);
}

TEST(H264, AnswerLevel) {
  auto offer = *parse_h264_fmtp("profile-level-id=42e033;packetization-mode=1;"
                                "level-asymmetry-allowed=1");
  auto ours_asym = *parse_h264_fmtp("profile-level-id=42e01f;level-asymmetry-allowed=1");
  auto ours = *parse_h264_fmtp("profile-level-id=42e01f");
  EXPECT_EQ(h264_answer_profile_level_id(offer, ours_asym), "42e033");
  EXPECT_EQ(h264_answer_profile_level_id(offer, ours), "42e01f");
  // 1b is above 1: answering a 1b offer from a level-1 decoder gives level 1.
  auto offer_1b = *parse_h264_fmtp("profile-level-id=42f00b");
  auto ours_l1 = *parse_h264_fmtp("profile-level-id=42e00a");
  EXPECT_EQ(h264_answer_profile_level_id(offer_1b, ours_l1), "42e00a");
  auto ours_l11 = *parse_h264_fmtp("profile-level-id=42e00b");
  EXPECT_EQ(h264_answer_profile_level_id(offer_1b, ours_l11), "42f00b");
}

TEST(H264, EveryChromiumFmtpParses) {
  std::string path =
      std::string(g_getenv("GSTRTC_TEST_DATA")) + "/sdp/chromium-08-h264-only.offer.sdp";
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string sdp = ss.str();
  std::regex re("a=fmtp:\\d+ ([^\\r\\n]*profile-level-id[^\\r\\n]*)");
  int seen = 0;
  for (auto it = std::sregex_iterator(sdp.begin(), sdp.end(), re); it != std::sregex_iterator();
       ++it) {
    auto p = parse_h264_fmtp((*it)[1].str());
    ASSERT_TRUE(p) << (*it)[1].str() << ": " << p.error().message;
    EXPECT_LE(p->packetization_mode, 1);
    seen++;
  }
  EXPECT_GE(seen, 4) << "Chromium offers several H.264 variants";
}
