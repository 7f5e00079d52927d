#include "jsep/codecs.hpp"

#include "core/strings.hpp"
#include "jsep/h264.hpp"

#include <algorithm>
#include <cstring>

namespace gstrtc::jsep {

namespace {

std::string param_or(const Codec &c, const char *key, const char *dflt) {
  const std::string *v = c.param(key);
  return v ? *v : dflt;
}

unsigned channels_of(const Codec &c) {
  return c.channels ? c.channels : 1;
}

bool same_h264(const Codec &a, const Codec &b) {
  auto pa = parse_h264_fmtp(sdp::fmtp_string(a));
  auto pb = parse_h264_fmtp(sdp::fmtp_string(b));
  return pa && pb && h264_compatible(*pa, *pb);
}

Codec make(const char *name, unsigned rate, unsigned channels, sdp::Params params,
           std::vector<std::string> fb, int pt = -1) {
  Codec c;
  c.pt = pt;
  c.name = name;
  c.clock_rate = rate;
  c.channels = channels;
  c.params = std::move(params);
  c.feedback = std::move(fb);
  return c;
}

const std::vector<std::string> kVideoFeedback = {"goog-remb", "transport-cc", "ccm fir", "nack",
                                                 "nack pli"};

Codec h264(const char *profile_level_id, const char *mode) {
  return make("H264", 90000, 0,
              {{"level-asymmetry-allowed", "1"},
               {"packetization-mode", mode},
               {"profile-level-id", profile_level_id}},
              kVideoFeedback);
}

Codec rtx_for(const Codec &c) {
  Codec r = make("rtx", c.clock_rate, 0, {{"apt", std::to_string(c.pt)}}, {});
  return r;
}

// An offered auxiliary codec (rtx, red, ulpfec, ...) an answer keeps, given the media PTs kept.
bool keep_auxiliary(const Codec &o, const Capabilities &caps, const std::vector<int> &kept) {
  auto have = [&](CodecRole role) {
    return std::any_of(caps.codecs.begin(), caps.codecs.end(), [&](const Codec &c) {
      return role_of(c) == role && c.clock_rate == o.clock_rate;
    });
  };
  auto kept_pt = [&](const std::string &v) {
    int pt = atoi(v.c_str());
    return std::find(kept.begin(), kept.end(), pt) != kept.end();
  };
  switch (role_of(o)) {
  case CodecRole::Rtx: {
    const std::string *apt = o.param("apt");
    return caps.rtx && apt && kept_pt(*apt);
  }
  case CodecRole::Red:
    if (!have(CodecRole::Red))
      return false;
    // Audio red (RFC 2198 fmtp "111/111") only for a kept codec.
    return o.fmtp_raw.empty() || kept_pt(o.fmtp_raw.substr(0, o.fmtp_raw.find('/')));
  case CodecRole::Ulpfec:
  case CodecRole::Flexfec:
  case CodecRole::TelephoneEvent:
  case CodecRole::ComfortNoise:
    return have(role_of(o));
  case CodecRole::Media:
    break;
  }
  return false;
}

const Codec *find_local(const Codec &offered, const Capabilities &caps) {
  for (const auto &c : caps.codecs)
    if (role_of(c) == CodecRole::Media && same_format(offered, c))
      return &c;
  return nullptr;
}

// The answer's form of an offered media codec we also have.
Codec answer_one(const Codec &offered, const Codec &ours) {
  Codec a = offered;
  a.feedback.clear();
  for (const auto &fb : offered.feedback)
    if (ours.has_feedback(fb))
      a.feedback.push_back(fb);
  if (iequals(offered.name, "H264")) {
    auto po = parse_h264_fmtp(sdp::fmtp_string(offered));
    auto pl = parse_h264_fmtp(sdp::fmtp_string(ours));
    if (po && pl) {
      a.set_param("profile-level-id", h264_answer_profile_level_id(*po, *pl));
      if (po->level_asymmetry_allowed && pl->level_asymmetry_allowed)
        a.set_param("level-asymmetry-allowed", "1");
    }
  } else if (!ours.params.empty()) {
    a.params = ours.params; // what we want to receive (Opus: inband FEC, stereo, ...)
    a.fmtp_raw.clear();
  }
  return a;
}

} // namespace

CodecRole role_of(const Codec &c) {
  const std::string &n = c.name;
  if (iequals(n, "rtx"))
    return CodecRole::Rtx;
  if (iequals(n, "red"))
    return CodecRole::Red;
  if (iequals(n, "ulpfec"))
    return CodecRole::Ulpfec;
  if (iequals(n, "flexfec-03") || iequals(n, "flexfec"))
    return CodecRole::Flexfec;
  if (iequals(n, "telephone-event"))
    return CodecRole::TelephoneEvent;
  if (iequals(n, "CN"))
    return CodecRole::ComfortNoise;
  return CodecRole::Media;
}

std::string canonical_name(std::string_view name) {
  static const char *const known[] = {
      "opus", "PCMU", "PCMA", "G722", "VP8",    "VP9",        "H264",
      "H265", "AV1",  "rtx",  "red",  "ulpfec", "flexfec-03", "telephone-event",
      "CN",   "ISAC", "ILBC", "G729", "GSM",    "L16"};
  for (const char *k : known)
    if (iequals(name, k))
      return k;
  return std::string(name);
}

bool same_format(const Codec &a, const Codec &b) {
  if (!iequals(a.name, b.name) || a.clock_rate != b.clock_rate)
    return false;
  if (channels_of(a) != channels_of(b))
    return false;
  const std::string &n = a.name;
  if (iequals(n, "H264"))
    return same_h264(a, b);
  if (iequals(n, "VP9")) // draft-ietf-payload-vp9 §6: profile-id defaults to 0
    return param_or(a, "profile-id", "0") == param_or(b, "profile-id", "0");
  if (iequals(n, "AV1")) // AV1 RTP spec §7.2: profile defaults to 0
    return param_or(a, "profile", "0") == param_or(b, "profile", "0");
  if (iequals(n, "H265")) // RFC 7798 §7.1: profile-id 1 and tier-flag 0 by default
    return param_or(a, "profile-id", "1") == param_or(b, "profile-id", "1") &&
           param_or(a, "tier-flag", "0") == param_or(b, "tier-flag", "0");
  if (iequals(n, "rtx"))
    return param_or(a, "apt", "") == param_or(b, "apt", "");
  if (iequals(n, "red") && (!a.fmtp_raw.empty() || !b.fmtp_raw.empty()))
    return a.fmtp_raw == b.fmtp_raw;
  return true;
}

Capabilities default_capabilities(MediaKind kind) {
  Capabilities caps;
  if (kind == MediaKind::Audio) {
    caps.codecs = {
        make("opus", 48000, 2, {{"minptime", "10"}, {"useinbandfec", "1"}}, {"transport-cc"}, 111),
        make("G722", 8000, 0, {}, {}, 9),
        make("PCMU", 8000, 0, {}, {}, 0),
        make("PCMA", 8000, 0, {}, {}, 8),
        make("telephone-event", 48000, 0, {}, {}, 110),
        make("telephone-event", 8000, 0, {}, {}, 126),
    };
  } else if (kind == MediaKind::Video) {
    caps.codecs = {
        make("VP8", 90000, 0, {}, kVideoFeedback),
        make("VP9", 90000, 0, {{"profile-id", "0"}}, kVideoFeedback),
        make("VP9", 90000, 0, {{"profile-id", "2"}}, kVideoFeedback),
        h264("42e01f", "1"),
        h264("42001f", "1"),
        h264("42e01f", "0"),
        h264("4d001f", "1"),
        h264("64001f", "1"),
        make("H265", 90000, 0, {}, kVideoFeedback),
        make("AV1", 90000, 0, {}, kVideoFeedback),
        make("red", 90000, 0, {}, {}),
        make("ulpfec", 90000, 0, {}, {}),
    };
    caps.rtx = true;
  }
  return caps;
}

bool PayloadTypes::used(int pt) const {
  return std::any_of(used_.begin(), used_.end(), [pt](const Codec &c) { return c.pt == pt; });
}

void PayloadTypes::reserve(const Codec &c) {
  if (c.pt >= 0 && !used(c.pt))
    used_.push_back(c);
}

int PayloadTypes::assign(const Codec &c) {
  auto holder = [&](int pt) -> const Codec * {
    for (const auto &u : used_)
      if (u.pt == pt)
        return &u;
    return nullptr;
  };
  if (c.pt >= 0) {
    const Codec *h = holder(c.pt);
    if (!h || same_format(*h, c)) {
      reserve(c);
      return c.pt;
    }
  }
  for (const auto &u : used_)
    if (same_format(u, c))
      return u.pt;
  for (int range : {0, 1}) {
    int lo = range == 0 ? 96 : 35, hi = range == 0 ? 127 : 63;
    for (int pt = lo; pt <= hi; pt++)
      if (!holder(pt)) {
        Codec r = c;
        r.pt = pt;
        used_.push_back(r);
        return pt;
      }
  }
  return -1;
}

std::vector<Codec> offer_codecs(const Capabilities &caps, PayloadTypes &pts) {
  std::vector<Codec> out;
  for (const auto &c : caps.codecs) {
    Codec o = c;
    o.name = canonical_name(c.name);
    if (role_of(o) == CodecRole::Red && !o.fmtp_raw.empty())
      continue; // audio red refers to a PT: not offered from capabilities
    o.pt = pts.assign(o);
    bool repeated =
        std::any_of(out.begin(), out.end(), [&](const Codec &x) { return x.pt == o.pt; });
    if (o.pt < 0 || repeated) // no PT left, or the same format listed twice
      continue;
    out.push_back(o);
    if (caps.rtx && role_of(o) == CodecRole::Media && o.clock_rate == 90000) {
      Codec r = rtx_for(o);
      r.pt = pts.assign(r);
      if (r.pt >= 0)
        out.push_back(r);
    }
  }
  return out;
}

std::vector<Codec> answer_codecs(const std::vector<Codec> &offered, const Capabilities &caps) {
  std::vector<Codec> media;
  std::vector<int> kept;
  for (const auto &o : offered) {
    if (role_of(o) != CodecRole::Media)
      continue;
    if (const Codec *ours = find_local(o, caps)) {
      media.push_back(answer_one(o, *ours));
      kept.push_back(o.pt);
    }
  }
  if (media.empty())
    return {};
  if (caps.preferred) {
    auto rank = [&](const Codec &c) {
      auto it = std::find_if(caps.codecs.begin(), caps.codecs.end(),
                             [&](const Codec &l) { return same_format(c, l); });
      return it - caps.codecs.begin();
    };
    std::stable_sort(media.begin(), media.end(),
                     [&](const Codec &a, const Codec &b) { return rank(a) < rank(b); });
  }
  std::vector<Codec> out;
  for (const auto &m : media) {
    out.push_back(m);
    for (const auto &o : offered) // each media codec followed by its rtx, as offered
      if (role_of(o) == CodecRole::Rtx && o.param("apt") &&
          *o.param("apt") == std::to_string(m.pt) && keep_auxiliary(o, caps, kept))
        out.push_back(o);
  }
  for (const auto &o : offered)
    if (role_of(o) != CodecRole::Media && role_of(o) != CodecRole::Rtx &&
        keep_auxiliary(o, caps, kept)) {
      out.push_back(o);
      if (role_of(o) == CodecRole::Red) // the red's own rtx
        for (const auto &r : offered)
          if (role_of(r) == CodecRole::Rtx && r.param("apt") &&
              *r.param("apt") == std::to_string(o.pt) && caps.rtx)
            out.push_back(r);
    }
  return out;
}

std::vector<Codec> negotiated_codecs(const std::vector<Codec> &offer,
                                     const std::vector<Codec> &answer) {
  std::vector<Codec> out;
  for (const auto &a : answer)
    for (const auto &o : offer)
      if (o.pt == a.pt && iequals(o.name, a.name) && o.clock_rate == a.clock_rate) {
        out.push_back(a);
        break;
      }
  return out;
}

} // namespace gstrtc::jsep
