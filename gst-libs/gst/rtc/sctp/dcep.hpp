// The Data Channel Establishment Protocol (RFC 8832) and the data channel PPIDs (RFC 8831 §8),
// sans I/O: bytes in, messages out, and the reverse. No state: which stream a message belongs
// to and what it means for a channel is the channel layer's business.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gstrtc::sctp {

// SCTP payload protocol identifiers of WebRTC (RFC 8831 §8, RFC 8832 §8.1).
enum class Ppid : uint32_t {
  Dcep = 50,
  String = 51,
  BinaryPartial = 52, // deprecated, still sent by old stacks
  Binary = 53,
  StringPartial = 54, // deprecated
  StringEmpty = 56,
  BinaryEmpty = 57,
};

// RFC 8832 §5.1 channel types: the reliability policy, and the 0x80 bit for unordered.
enum class Reliability : uint8_t {
  Reliable = 0x00,
  PartialRexmit = 0x01, // reliability parameter: max retransmissions
  PartialTimed = 0x02,  // reliability parameter: lifetime in ms
};

struct ChannelParams {
  std::string label;
  std::string protocol;
  bool ordered = true;
  Reliability reliability = Reliability::Reliable;
  uint32_t reliability_param = 0;
  uint16_t priority = 256; // RFC 8832 §5.1: below normal 128, normal 256, high 512, extra 1024
};

struct DcepOpen {
  ChannelParams params;
};
struct DcepAck {};

// RFC 8832 §5: message types.
inline constexpr uint8_t kDcepOpen = 0x03;
inline constexpr uint8_t kDcepAck = 0x02;

// DATA_CHANNEL_OPEN (§5.1): 12 bytes of header, then the label, then the protocol.
std::vector<uint8_t> write_open(const ChannelParams &p);
// DATA_CHANNEL_ACK (§5.2): the message type alone.
std::vector<uint8_t> write_ack();

// A DCEP message, or a TypeError naming what is wrong (unknown type, lengths past the end,
// unknown channel type). Bytes after the protocol are ignored (later extensions).
struct DcepMessage {
  std::optional<DcepOpen> open; // set for an OPEN, empty for an ACK
};
Result<DcepMessage> parse_dcep(std::span<const uint8_t> msg);

// The PPID a user message goes out with (RFC 8831 §6.6: an empty message is sent as one byte
// with the *_EMPTY PPID, since SCTP cannot carry empty user messages).
Ppid ppid_for(bool binary, size_t size);

// What a received user message is, from its PPID; nullopt for a PPID that is not a user
// message (DCEP, or unknown).
struct UserKind {
  bool binary = false;
  bool empty = false;   // the payload byte is padding: deliver an empty message
  bool partial = false; // deprecated partial PPID: more of the message follows
};
std::optional<UserKind> user_kind(uint32_t ppid);

} // namespace gstrtc::sctp
