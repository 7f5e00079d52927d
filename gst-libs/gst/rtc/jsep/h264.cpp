#include "jsep/h264.hpp"

#include "core/strings.hpp"

#include <glib.h>

#include <charconv>
#include <algorithm>
#include <cstdio>

namespace gstrtc::jsep {

namespace {

// profile-iop bits (constraint_set0..5_flag, RFC 6184 §8.1).
constexpr int kSet0 = 0x80, kSet1 = 0x40, kSet3 = 0x10, kSet4 = 0x08, kSet5 = 0x04;

std::optional<H264Profile> profile_of(int idc, int iop) {
  switch (idc) {
  case 0x42: // Baseline; with constraint_set1 it is Constrained Baseline
    return (iop & kSet1) ? H264Profile::ConstrainedBaseline : H264Profile::Baseline;
  case 0x4d: // Main; with constraint_set0 the stream is also Constrained Baseline
    return (iop & kSet0) ? H264Profile::ConstrainedBaseline : H264Profile::Main;
  case 0x58: // Extended; set0+set1 is Constrained Baseline, set0 alone Baseline
    if ((iop & (kSet0 | kSet1)) == (kSet0 | kSet1))
      return H264Profile::ConstrainedBaseline;
    return (iop & kSet0) ? H264Profile::Baseline : H264Profile::Extended;
  case 0x64: // High; set4+set5 is Constrained High
    return (iop & (kSet4 | kSet5)) == (kSet4 | kSet5) ? H264Profile::ConstrainedHigh
                                                      : H264Profile::High;
  case 0x6e:
    return H264Profile::High10;
  case 0x7a:
    return H264Profile::High422;
  case 0xf4:
    return H264Profile::High444;
  default:
    return std::nullopt;
  }
}

// Level 1b (9) lies between 1 (10) and 1.1 (11).
int level_rank(int level) {
  return level == 9 ? 105 : level * 10;
}

bool known_level(int level_idc) {
  for (int l : {10, 11, 12, 13, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52, 60, 61, 62})
    if (l == level_idc)
      return true;
  return level_idc == 9;
}

} // namespace

const char *to_string(H264Profile p) {
  switch (p) {
  case H264Profile::ConstrainedBaseline:
    return "constrained-baseline";
  case H264Profile::Baseline:
    return "baseline";
  case H264Profile::Main:
    return "main";
  case H264Profile::Extended:
    return "extended";
  case H264Profile::High:
    return "high";
  case H264Profile::ConstrainedHigh:
    return "constrained-high";
  case H264Profile::High10:
    return "high-10";
  case H264Profile::High422:
    return "high-4:2:2";
  case H264Profile::High444:
    return "high-4:4:4";
  }
  return "";
}

Result<H264ProfileLevel> parse_profile_level_id(std::string_view hex) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), v, 16);
  if (hex.size() != 6 || ec != std::errc() || p != hex.data() + hex.size())
    return type_error("invalid H.264 profile-level-id '" + std::string(hex) +
                      "': need 6 hex digits (RFC 6184 §8.1)");
  int idc = v >> 16, iop = (v >> 8) & 0xff, level = v & 0xff;
  auto profile = profile_of(idc, iop);
  if (!profile)
    return type_error("invalid H.264 profile-level-id '" + std::string(hex) +
                      "': unknown profile_idc " + std::to_string(idc));
  // Level 1b: level_idc 11 with constraint_set3 in the Baseline/Main/Extended family.
  bool family = idc == 0x42 || idc == 0x4d || idc == 0x58;
  if (level == 11 && (iop & kSet3) && family)
    level = 9;
  if (!known_level(level))
    return type_error("invalid H.264 profile-level-id '" + std::string(hex) +
                      "': unknown level_idc " + std::to_string(v & 0xff));
  return H264ProfileLevel{*profile, level};
}

std::string to_profile_level_id(const H264ProfileLevel &pl) {
  int idc = 0x42, iop = 0;
  switch (pl.profile) {
  case H264Profile::ConstrainedBaseline:
    iop = 0xe0; // set0, set1, set2: the form browsers send (42e0xx)
    break;
  case H264Profile::Baseline:
    break;
  case H264Profile::Main:
    idc = 0x4d;
    break;
  case H264Profile::Extended:
    idc = 0x58;
    break;
  case H264Profile::High:
    idc = 0x64;
    break;
  case H264Profile::ConstrainedHigh:
    idc = 0x64;
    iop = 0x0c;
    break;
  case H264Profile::High10:
    idc = 0x6e;
    break;
  case H264Profile::High422:
    idc = 0x7a;
    break;
  case H264Profile::High444:
    idc = 0xf4;
    break;
  }
  int level = pl.level;
  if (level == 9) { // 1b
    level = 11;
    iop |= kSet3;
  }
  char buf[8];
  g_snprintf(buf, sizeof buf, "%02x%02x%02x", idc, iop, level);
  return buf;
}

Result<H264Params> parse_h264_fmtp(std::string_view fmtp) {
  H264Params out;
  // Without profile-level-id the default is 420010: Baseline level 1 (RFC 6184 §8.1).
  out.profile_level = H264ProfileLevel{H264Profile::Baseline, 10};
  for (auto item : split_fields(fmtp, "; ")) {
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      continue;
    auto key = item.substr(0, eq), value = item.substr(eq + 1);
    if (key == "profile-level-id") {
      auto pl = parse_profile_level_id(value);
      if (!pl)
        return pl.error();
      out.profile_level = *pl;
    } else if (key == "packetization-mode") {
      if (value != "0" && value != "1" && value != "2")
        return type_error("invalid H.264 packetization-mode '" + std::string(value) + "'");
      out.packetization_mode = value[0] - '0';
    } else if (key == "level-asymmetry-allowed") {
      out.level_asymmetry_allowed = value == "1";
    }
  }
  return out;
}

bool h264_compatible(const H264Params &a, const H264Params &b) {
  return a.profile_level.profile == b.profile_level.profile &&
         a.packetization_mode == b.packetization_mode;
}

std::string h264_answer_profile_level_id(const H264Params &offer, const H264Params &ours) {
  H264ProfileLevel pl = offer.profile_level;
  if (!(offer.level_asymmetry_allowed && ours.level_asymmetry_allowed) &&
      level_rank(ours.profile_level.level) < level_rank(pl.level))
    pl.level = ours.profile_level.level;
  return to_profile_level_id(pl);
}

} // namespace gstrtc::jsep
