// STUN/TURN server URIs: RFC 7064 (stun:, stuns:), RFC 7065 (turn:, turns:, ?transport=),
// and the "scheme://user:pass@host:port" form that webrtcbin users already write.
#pragma once

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace gstrtc::ice {

enum class ServerScheme { Stun, Stuns, Turn, Turns };
enum class ServerTransport { Udp, Tcp };

struct ServerUri {
  ServerScheme scheme = ServerScheme::Stun;
  std::string host; // without IPv6 brackets
  uint16_t port = 3478;
  ServerTransport transport = ServerTransport::Udp;
  std::string username;
  std::string password;

  bool is_turn() const { return scheme == ServerScheme::Turn || scheme == ServerScheme::Turns; }
  // URI without credentials, safe to log.
  std::string to_string() const;
};

Result<ServerUri> parse_server_uri(std::string_view uri);

} // namespace gstrtc::ice
