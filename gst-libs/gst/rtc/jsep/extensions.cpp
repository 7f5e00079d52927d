#include "jsep/extensions.hpp"

#include <algorithm>

namespace gstrtc::jsep::ext {

std::vector<std::string> default_extensions(sdp::MediaKind kind) {
  switch (kind) {
  case sdp::MediaKind::Audio:
    return {kAudioLevel, kAbsSendTime, kTransportCc, kMid};
  case sdp::MediaKind::Video:
    return {kAbsSendTime, kTransportCc, kMid, kRid, kRepairedRid};
  default:
    return {};
  }
}

void ExtensionIds::reserve(int id, const std::string &uri) {
  for (const auto &e : used_)
    if (e.id == id || e.uri == uri)
      return;
  used_.push_back(sdp::Extmap{id, uri, sdp::Direction::None, {}});
}

int ExtensionIds::assign(const std::string &uri) {
  for (const auto &e : used_)
    if (e.uri == uri)
      return e.id;
  for (int id = 1; id <= 14; id++) // one-byte header ids (RFC 8285 §4.2)
    if (std::none_of(used_.begin(), used_.end(),
                     [id](const sdp::Extmap &e) { return e.id == id; })) {
      used_.push_back(sdp::Extmap{id, uri, sdp::Direction::None, {}});
      return id;
    }
  return 0;
}

std::vector<sdp::Extmap> answer_extensions(const std::vector<sdp::Extmap> &offered,
                                           const std::vector<std::string> &supported) {
  std::vector<sdp::Extmap> out;
  for (const auto &e : offered)
    if (std::find(supported.begin(), supported.end(), e.uri) != supported.end()) {
      sdp::Extmap a = e;
      // RFC 8285 §6: the answer's direction is the reverse of the offer's.
      a.direction = e.direction == sdp::Direction::None ? e.direction : sdp::reverse(e.direction);
      out.push_back(a);
    }
  return out;
}

} // namespace gstrtc::jsep::ext
