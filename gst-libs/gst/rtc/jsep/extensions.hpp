// RTP header extensions (RFC 8285) in offers and answers: the URIs we handle, one id per URI
// across a BUNDLE group (Chromium rejects a group where one id means two URIs), and the
// answer's subset of an offer (same ids; unknown URIs left out).
#pragma once

#include "core/export.hpp"
#include "sdp/media.hpp"

#include <string>
#include <vector>

namespace gstrtc::jsep::ext {

inline constexpr const char *kMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr const char *kRid = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
inline constexpr const char *kRepairedRid =
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
inline constexpr const char *kAbsSendTime =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr const char *kTransportCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr const char *kAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

// What we offer and accept for a kind, in offer order.
GSTRTC_INTERNAL std::vector<std::string> default_extensions(sdp::MediaKind kind);

// Ids in use in one BUNDLE group: one id, one URI.
class GSTRTC_INTERNAL ExtensionIds {
public:
  // The id `uri` has, or the lowest free one in 1-14; 0 when all are taken.
  int assign(const std::string &uri);
  void reserve(int id, const std::string &uri);

private:
  std::vector<sdp::Extmap> used_;
};

// The offered extensions whose URI is in `supported`, with the offerer's ids.
GSTRTC_INTERNAL std::vector<sdp::Extmap>
answer_extensions(const std::vector<sdp::Extmap> &offered,
                  const std::vector<std::string> &supported);

} // namespace gstrtc::jsep::ext
