// DTLS-SRTP protection profiles (RFC 5764 §4.1.2, RFC 7714 §14.2) and keying material export
// (RFC 5764 §4.2).
#pragma once

#include "core/export.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gstrtc::dtls {

enum class SrtpProfile : uint16_t {
  AesCm128HmacSha1_80 = 0x0001,
  AesCm128HmacSha1_32 = 0x0002,
  AeadAes128Gcm = 0x0007,
  AeadAes256Gcm = 0x0008,
};

// Our default preference: GCM (authenticated encryption, and about 4x cheaper than AES-CM +
// HMAC-SHA1 with Debian's libsrtp2), then the mandatory AES_CM_128_HMAC_SHA1_80.
inline const std::vector<SrtpProfile> kDefaultProfiles = {
    SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm, SrtpProfile::AesCm128HmacSha1_80,
    SrtpProfile::AesCm128HmacSha1_32};

GSTRTC_INTERNAL const char *openssl_name(SrtpProfile p);
GSTRTC_INTERNAL std::optional<SrtpProfile> profile_from_name(std::string_view name);
GSTRTC_INTERNAL size_t master_key_len(SrtpProfile p);
GSTRTC_INTERNAL size_t master_salt_len(SrtpProfile p);

// Keys of one direction as libsrtp wants them: master key followed by master salt.
struct SrtpKeys {
  SrtpProfile profile;
  std::vector<uint8_t> local;  // protects what we send
  std::vector<uint8_t> remote; // unprotects what we receive
};

} // namespace gstrtc::dtls
