// libFuzzer: SRTP/SRTCP unprotect of arbitrary bytes never crashes and never accepts a forgery.
#include "srtp/context.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace gstrtc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  static std::vector<uint8_t> key(28, 0x42);
  static auto gcm = std::move(
      *srtp::Context::create(dtls::SrtpProfile::AeadAes128Gcm, key, srtp::Direction::Inbound));
  static std::vector<uint8_t> key80(30, 0x24);
  static auto cm = std::move(*srtp::Context::create(dtls::SrtpProfile::AesCm128HmacSha1_80, key80,
                                                    srtp::Direction::Inbound));
  std::vector<uint8_t> buf(data + 1, data + size);
  size_t len = buf.size();
  srtp::Context &ctx = data[0] & 1 ? *gcm : *cm;
  auto r = data[0] & 2 ? ctx.unprotect_rtcp(buf.data(), &len) : ctx.unprotect_rtp(buf.data(), &len);
  // Random bytes cannot carry a valid tag for our key (2^-80 / 2^-128).
  if (r == srtp::Reject::None)
    abort();
  return 0;
}
