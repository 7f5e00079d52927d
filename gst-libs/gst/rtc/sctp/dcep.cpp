#include "sctp/dcep.hpp"

namespace gstrtc::sctp {

namespace {

constexpr size_t kOpenHeader = 12;
constexpr uint8_t kUnorderedBit = 0x80;

void put16(std::vector<uint8_t> &o, uint16_t v) {
  o.push_back(uint8_t(v >> 8));
  o.push_back(uint8_t(v));
}

uint16_t get16(const uint8_t *p) {
  return uint16_t(p[0] << 8 | p[1]);
}

uint32_t get32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

} // namespace

std::vector<uint8_t> write_open(const ChannelParams &p) {
  std::vector<uint8_t> o;
  // Label and protocol lengths are 16-bit fields: longer strings cannot be signalled.
  size_t label = std::min<size_t>(p.label.size(), 0xffff);
  size_t proto = std::min<size_t>(p.protocol.size(), 0xffff);
  o.reserve(kOpenHeader + label + proto);
  o.push_back(kDcepOpen);
  o.push_back(uint8_t(uint8_t(p.reliability) | (p.ordered ? 0 : kUnorderedBit)));
  put16(o, p.priority);
  uint32_t param = p.reliability == Reliability::Reliable ? 0 : p.reliability_param;
  for (int shift = 24; shift >= 0; shift -= 8)
    o.push_back(uint8_t(param >> shift));
  put16(o, uint16_t(label));
  put16(o, uint16_t(proto));
  o.insert(o.end(), p.label.begin(), p.label.begin() + label);
  o.insert(o.end(), p.protocol.begin(), p.protocol.begin() + proto);
  return o;
}

std::vector<uint8_t> write_ack() {
  return {kDcepAck};
}

Result<DcepMessage> parse_dcep(std::span<const uint8_t> m) {
  if (m.empty())
    return type_error("empty DCEP message");
  if (m[0] == kDcepAck)
    return DcepMessage{};
  if (m[0] != kDcepOpen)
    return type_error("unknown DCEP message type " + std::to_string(m[0]));
  if (m.size() < kOpenHeader)
    return type_error("DATA_CHANNEL_OPEN of " + std::to_string(m.size()) +
                      " bytes is shorter than its 12-byte header");
  uint8_t type = m[1];
  uint8_t policy = type & ~kUnorderedBit;
  if (policy > uint8_t(Reliability::PartialTimed))
    return type_error("DATA_CHANNEL_OPEN has unknown channel type " + std::to_string(type));
  size_t label_len = get16(&m[8]), proto_len = get16(&m[10]);
  if (kOpenHeader + label_len + proto_len > m.size())
    return type_error("DATA_CHANNEL_OPEN label and protocol lengths (" +
                      std::to_string(label_len) + " + " + std::to_string(proto_len) +
                      ") run past the message's " + std::to_string(m.size()) + " bytes");
  DcepOpen open;
  ChannelParams &p = open.params;
  p.ordered = !(type & kUnorderedBit);
  p.reliability = Reliability(policy);
  p.priority = get16(&m[2]);
  // §5.1: the parameter is ignored for reliable channels.
  p.reliability_param = p.reliability == Reliability::Reliable ? 0 : get32(&m[4]);
  const char *text = reinterpret_cast<const char *>(m.data() + kOpenHeader);
  p.label.assign(text, label_len);
  p.protocol.assign(text + label_len, proto_len);
  return DcepMessage{std::move(open)};
}

Ppid ppid_for(bool binary, size_t size) {
  if (size == 0)
    return binary ? Ppid::BinaryEmpty : Ppid::StringEmpty;
  return binary ? Ppid::Binary : Ppid::String;
}

std::optional<UserKind> user_kind(uint32_t ppid) {
  switch (Ppid(ppid)) {
  case Ppid::String:
    return UserKind{false, false, false};
  case Ppid::Binary:
    return UserKind{true, false, false};
  case Ppid::StringEmpty:
    return UserKind{false, true, false};
  case Ppid::BinaryEmpty:
    return UserKind{true, true, false};
  case Ppid::StringPartial:
    return UserKind{false, false, true};
  case Ppid::BinaryPartial:
    return UserKind{true, false, true};
  default:
    return std::nullopt;
  }
}

} // namespace gstrtc::sctp
