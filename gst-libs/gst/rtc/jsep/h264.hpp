// H.264 format parameters (RFC 6184 §8.1): profile-level-id decoded into a profile and a level,
// so two descriptions are matched by what they mean, not by their text (42e01f and 42c01f are
// both Constrained Baseline 3.1). Used to pick and answer H.264 payload types.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace gstrtc::jsep {

enum class H264Profile {
  ConstrainedBaseline,
  Baseline,
  Main,
  Extended,
  High,
  ConstrainedHigh,
  High10,
  High422,
  High444,
};

// level_idc × 10 (31 = 3.1); level 1b is 9.
struct H264ProfileLevel {
  H264Profile profile;
  int level;
};

GSTRTC_INTERNAL const char *to_string(H264Profile p);
// "42e01f" → Constrained Baseline, 31. Errors name the value.
GSTRTC_INTERNAL Result<H264ProfileLevel> parse_profile_level_id(std::string_view hex);
// The canonical 6-hex-digit form of a profile and level.
GSTRTC_INTERNAL std::string to_profile_level_id(const H264ProfileLevel &pl);

struct H264Params {
  H264ProfileLevel profile_level{H264Profile::Baseline, 10}; // RFC 6184 §8.1 default: 420010
  int packetization_mode = 0;
  bool level_asymmetry_allowed = false;
};
// From an a=fmtp parameter string ("profile-level-id=42e01f;packetization-mode=1;...").
GSTRTC_INTERNAL Result<H264Params> parse_h264_fmtp(std::string_view fmtp);

// Same profile and packetization mode: the two can talk (the level is negotiated).
GSTRTC_INTERNAL bool h264_compatible(const H264Params &a, const H264Params &b);
// The profile-level-id to put in an answer to `offer` when we decode up to `ours` (RFC 6184
// §8.2.2): the offer's level if level asymmetry is allowed, else the lower of the two.
GSTRTC_INTERNAL std::string h264_answer_profile_level_id(const H264Params &offer,
                                                         const H264Params &ours);

} // namespace gstrtc::jsep
