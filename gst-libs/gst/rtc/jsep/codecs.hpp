// Codec negotiation (RFC 9429 §5.2.1, §5.3.1): what is "the same codec" (H.264 by profile and
// packetization mode, VP9 by profile-id, AV1 by profile, H.265 by profile-id and tier, not by
// fmtp text), which codecs an answer keeps (with the offerer's payload types), the rtx/red/
// ulpfec/telephone-event companions, and payload type allocation without collisions across a
// BUNDLE group (RFC 8843 §9.1.2). Conversion to and from GstCaps is in codeccaps.hpp.
#pragma once

#include "core/export.hpp"
#include "sdp/media.hpp"

#include <string>
#include <vector>

namespace gstrtc::jsep {

using sdp::Codec;
using sdp::MediaKind;

enum class CodecRole { Media, Rtx, Red, Ulpfec, Flexfec, TelephoneEvent, ComfortNoise };
GSTRTC_INTERNAL CodecRole role_of(const Codec &c);
// The SDP spelling of an encoding name ("OPUS" -> "opus", "vp8" -> "VP8"); unknown names as given.
GSTRTC_INTERNAL std::string canonical_name(std::string_view name);

// Same encoding, clock rate, channels and format-defining parameters. rtx compares apt; audio
// red compares its redundancy list.
GSTRTC_INTERNAL bool same_format(const Codec &a, const Codec &b);

// What one transceiver can send and receive, in preference order. `codecs` holds media codecs
// and red/ulpfec/telephone-event/CN; rtx is added for each video codec when `rtx` is set.
// A payload type of -1 is allocated when an offer is made.
struct Capabilities {
  std::vector<Codec> codecs;
  bool rtx = false;
  // Set when the application chose codecs (codec-preferences): answers use our order.
  bool preferred = false;
};

// Everything the plugin set can handle for `kind` (Opus, G.722, PCMU, PCMA, telephone-event;
// VP8, VP9 profiles 0 and 2, H.264 constrained baseline/baseline/main/high in packetization
// modes 1 and 0, H.265, AV1, red+ulpfec, rtx) with RFC 4585 feedback.
GSTRTC_INTERNAL Capabilities default_capabilities(MediaKind kind);

// Payload types in use in one BUNDLE group (or one m-line without BUNDLE): one PT, one format.
class GSTRTC_INTERNAL PayloadTypes {
public:
  // The PT `c` gets: its own if free (or already this format), the one this format already
  // has, else a free dynamic PT (96-127, then 35-63); -1 if none is left.
  int assign(const Codec &c);
  // Records a PT already in use (from a negotiated description).
  void reserve(const Codec &c);
  bool used(int pt) const;

private:
  std::vector<Codec> used_;
};

// The codec list of an offer: our capabilities with PTs from `pts`, each video codec followed
// by its rtx. Codecs whose PT cannot be allocated are left out.
GSTRTC_INTERNAL std::vector<Codec> offer_codecs(const Capabilities &caps, PayloadTypes &pts);

// The codec list of an answer to `offered` (RFC 9429 §5.3.1): the offered media codecs we also
// have, with the offerer's PTs, in our order when `caps.preferred`, else the offerer's;
// feedback limited to what both list; H.264 profile-level-id answered per RFC 6184 §8.2.2; the
// rtx/red/ulpfec/telephone-event/CN the offer has for those codecs when we have them too.
// Empty when no media codec is common.
GSTRTC_INTERNAL std::vector<Codec> answer_codecs(const std::vector<Codec> &offered,
                                                 const Capabilities &caps);

// The offered codecs that an answer kept, as the PTs and parameters both sides now use:
// what rtcbin sends and expects. `answer` is the answer's list.
GSTRTC_INTERNAL std::vector<Codec> negotiated_codecs(const std::vector<Codec> &offer,
                                                     const std::vector<Codec> &answer);

} // namespace gstrtc::jsep
