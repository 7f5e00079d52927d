// libFuzzer: STUN/TURN URI parsing never crashes; accepted URIs re-parse to the same server.
#include "ice/uri.hpp"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  auto u = gstrtc::ice::parse_server_uri(in);
  if (!u)
    return 0;
  if (u->is_turn())
    return 0; // to_string() drops credentials on purpose; a TURN URI without them is invalid
  auto again = gstrtc::ice::parse_server_uri(u->to_string());
  if (!again || again->host != u->host || again->port != u->port)
    abort();
  return 0;
}
