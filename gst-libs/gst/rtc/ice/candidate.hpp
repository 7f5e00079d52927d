// ICE candidate attribute: parse and format (RFC 8839 §5.1, TCP per RFC 6544 §4.5).
// Pure logic; errors name the field and the offending value.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gstrtc::ice {

enum class Protocol { Udp, Tcp };
enum class CandidateType { Host, Srflx, Prflx, Relay };
enum class TcpType { None, Active, Passive, So };

struct Candidate {
  std::string foundation;
  unsigned component = 1;
  Protocol protocol = Protocol::Udp;
  uint32_t priority = 0;
  std::string address; // IP literal or an FQDN (e.g. an mDNS ".local" name)
  uint16_t port = 0;
  CandidateType type = CandidateType::Host;
  std::string related_address;
  uint16_t related_port = 0;
  TcpType tcp_type = TcpType::None;
  std::string ufrag; // "ufrag" extension, if present
  // Extensions we do not interpret, kept in order for round trips.
  std::vector<std::pair<std::string, std::string>> extensions;

  // "candidate:..." without "a=" and without a line ending.
  std::string to_string() const;
  bool address_is_ip() const;
};

// Accepts "candidate:..." with or without a leading "a=" and trailing CR/LF.
Result<Candidate> parse_candidate(std::string_view line);

const char *to_string(CandidateType t);
const char *to_string(Protocol p);
const char *to_string(TcpType t);

// ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4).
bool is_ice_chars(std::string_view s);
// ice-ufrag: 4..256 ice-chars; ice-pwd: 22..256 ice-chars (RFC 8839 §5.4).
Status validate_ufrag(std::string_view ufrag);
Status validate_pwd(std::string_view pwd);

} // namespace gstrtc::ice
