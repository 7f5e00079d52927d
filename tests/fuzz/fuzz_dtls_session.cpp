// libFuzzer: any datagram fed to a DTLS server session (before and during a handshake) never
// crashes it, and it never reports a connection without a verified peer.
#include "dtls/session.hpp"

#include <cstdlib>

using namespace gstrtc::dtls;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static auto cert = *Certificate::generate();
  SessionConfig cfg;
  cfg.role = Role::Server;
  cfg.certificate = cert;
  cfg.remote_fingerprints = {{"sha-256", cert->fingerprint()}};
  size_t sent = 0;
  SessionEvents ev;
  ev.send = [&](std::span<const uint8_t> d) { sent += d.size(); };
  Session s(cfg, ev);
  s.start(0);
  // The input may hold several datagrams: split it on a length prefix.
  size_t off = 0;
  int64_t now = 0;
  while (off + 2 <= size) {
    size_t len = (size_t(data[off]) << 8 | data[off + 1]) % 2048;
    off += 2;
    len = std::min(len, size - off);
    s.handle_datagram({data + off, len}, now += 1000);
    off += len;
  }
  s.handle_timeout(now + 10'000'000);
  if (s.state() == State::Connected && s.peer_fingerprint().empty())
    abort();
  return 0;
}
