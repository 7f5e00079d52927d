#include "rtp/rtx.hpp"

#include <cstring>

namespace gstrtc::rtp {

std::optional<RtpHeader> parse_rtp_header(std::span<const uint8_t> p) {
  if (p.size() < 12 || (p[0] >> 6) != 2)
    return std::nullopt;
  RtpHeader h;
  h.marker = p[1] & 0x80;
  h.pt = p[1] & 0x7f;
  h.seq = static_cast<uint16_t>(p[2] << 8 | p[3]);
  h.timestamp = uint32_t(p[4]) << 24 | uint32_t(p[5]) << 16 | uint32_t(p[6]) << 8 | p[7];
  h.ssrc = uint32_t(p[8]) << 24 | uint32_t(p[9]) << 16 | uint32_t(p[10]) << 8 | p[11];
  size_t len = 12 + 4 * size_t(p[0] & 0x0f);
  if (p[0] & 0x10) { // RFC 3550 §5.3.1: profile, length in 32-bit words, then the words
    if (p.size() < len + 4)
      return std::nullopt;
    len += 4 + 4 * size_t(p[len + 2] << 8 | p[len + 3]);
  }
  if (p.size() < len)
    return std::nullopt;
  size_t padding = 0;
  if (p[0] & 0x20) { // the last octet counts the padding, itself included
    padding = p.back();
    if (padding == 0 || p.size() - len < padding)
      return std::nullopt;
  }
  h.header_len = len;
  h.payload_len = p.size() - len - padding;
  return h;
}

void write_rtx_packet(std::span<const uint8_t> original, const RtpHeader &h, uint8_t rtx_pt,
                      uint16_t rtx_seq, uint32_t rtx_ssrc, std::span<uint8_t> out) {
  uint8_t *o = out.data();
  std::memcpy(o, original.data(), h.header_len);
  o[0] &= ~0x20; // no padding
  o[1] = static_cast<uint8_t>((o[1] & 0x80) | (rtx_pt & 0x7f));
  o[2] = static_cast<uint8_t>(rtx_seq >> 8);
  o[3] = static_cast<uint8_t>(rtx_seq);
  o[8] = static_cast<uint8_t>(rtx_ssrc >> 24);
  o[9] = static_cast<uint8_t>(rtx_ssrc >> 16);
  o[10] = static_cast<uint8_t>(rtx_ssrc >> 8);
  o[11] = static_cast<uint8_t>(rtx_ssrc);
  o[h.header_len] = static_cast<uint8_t>(h.seq >> 8); // OSN
  o[h.header_len + 1] = static_cast<uint8_t>(h.seq);
  std::memcpy(o + h.header_len + 2, original.data() + h.header_len, h.payload_len);
}

} // namespace gstrtc::rtp
