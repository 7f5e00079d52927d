// SRTP/SRTCP for one direction (RFC 3711, RFC 7714) over libsrtp2: any SSRC (BUNDLE), replay
// protection on receive, in-place transforms. libsrtp2's process-wide init is done once.
// Thread-safe: a libsrtp session is not (a new SSRC adds a stream to its list), and RTP and RTCP
// of one direction arrive on different threads.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"
#include "dtls/srtpprofile.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>

namespace gstrtc::srtp {

// Bytes protect() may add: the auth tag or GCM tag, and SRTCP's index (libsrtp's maximum).
constexpr size_t kMaxTrailer = 148;

enum class Direction { Outbound, Inbound };

// Why unprotect() refused a packet, for the counters the elements expose.
enum class Reject { None, Replayed, AuthFailed, Malformed, Other };

class GSTRTC_INTERNAL Context {
public:
  static Result<std::unique_ptr<Context>>
  create(dtls::SrtpProfile profile, std::span<const uint8_t> key_and_salt, Direction dir);
  ~Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  // In place. `len` is the packet length in and out; the buffer must have kMaxTrailer spare
  // bytes after it for protect.
  Status protect_rtp(uint8_t *buf, size_t *len, size_t capacity);
  Status protect_rtcp(uint8_t *buf, size_t *len, size_t capacity);
  Reject unprotect_rtp(uint8_t *buf, size_t *len);
  Reject unprotect_rtcp(uint8_t *buf, size_t *len);

private:
  explicit Context(void *session) : session_(session) {}
  std::mutex lock_; // serialises every call into session_
  void *session_;   // srtp_t
};

GSTRTC_INTERNAL const char *to_string(Reject r);

} // namespace gstrtc::srtp
