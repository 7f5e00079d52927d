#include "dtls/srtpprofile.hpp"

namespace gstrtc::dtls {

const char *openssl_name(SrtpProfile p) {
  switch (p) {
  case SrtpProfile::AesCm128HmacSha1_80:
    return "SRTP_AES128_CM_SHA1_80";
  case SrtpProfile::AesCm128HmacSha1_32:
    return "SRTP_AES128_CM_SHA1_32";
  case SrtpProfile::AeadAes128Gcm:
    return "SRTP_AEAD_AES_128_GCM";
  case SrtpProfile::AeadAes256Gcm:
    return "SRTP_AEAD_AES_256_GCM";
  }
  return "";
}

std::optional<SrtpProfile> profile_from_name(std::string_view name) {
  for (auto p : {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32,
                 SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm})
    if (name == openssl_name(p))
      return p;
  return std::nullopt;
}

size_t master_key_len(SrtpProfile p) {
  return p == SrtpProfile::AeadAes256Gcm ? 32 : 16;
}

size_t master_salt_len(SrtpProfile p) {
  return p == SrtpProfile::AeadAes128Gcm || p == SrtpProfile::AeadAes256Gcm ? 12 : 14;
}

} // namespace gstrtc::dtls
