#include "srtp/context.hpp"

#include <srtp2/srtp.h>

#include <cstring>
#include <mutex>
#include <string>

namespace gstrtc::srtp {

namespace {

// libsrtp2 needs srtp_init() once per process; it is never shut down. Another library in the
// process (gst-plugins-bad's srtp plugin) may have called it first, and a second call fails
// while loading its debug module although libsrtp works: only srtp_create()'s result counts.
void ensure_init() {
  static std::once_flag once;
  std::call_once(once, [] { srtp_init(); });
}

srtp_profile_t to_srtp(dtls::SrtpProfile p) {
  switch (p) {
  case dtls::SrtpProfile::AesCm128HmacSha1_80:
    return srtp_profile_aes128_cm_sha1_80;
  case dtls::SrtpProfile::AesCm128HmacSha1_32:
    return srtp_profile_aes128_cm_sha1_32;
  case dtls::SrtpProfile::AeadAes128Gcm:
    return srtp_profile_aead_aes_128_gcm;
  case dtls::SrtpProfile::AeadAes256Gcm:
    return srtp_profile_aead_aes_256_gcm;
  }
  return srtp_profile_reserved;
}

Reject classify(srtp_err_status_t e) {
  switch (e) {
  case srtp_err_status_ok:
    return Reject::None;
  case srtp_err_status_replay_fail:
  case srtp_err_status_replay_old:
    return Reject::Replayed;
  case srtp_err_status_auth_fail:
  case srtp_err_status_cipher_fail:
    return Reject::AuthFailed;
  case srtp_err_status_bad_param:
  case srtp_err_status_parse_err:
    return Reject::Malformed;
  default:
    return Reject::Other;
  }
}

} // namespace

const char *to_string(Reject r) {
  switch (r) {
  case Reject::None:
    return "ok";
  case Reject::Replayed:
    return "replayed";
  case Reject::AuthFailed:
    return "authentication failed";
  case Reject::Malformed:
    return "malformed";
  case Reject::Other:
    break;
  }
  return "rejected";
}

Result<std::unique_ptr<Context>>
Context::create(dtls::SrtpProfile profile, std::span<const uint8_t> key_and_salt, Direction dir) {
  ensure_init();
  size_t need = dtls::master_key_len(profile) + dtls::master_salt_len(profile);
  if (key_and_salt.size() != need)
    return type_error("SRTP key material of " + std::to_string(key_and_salt.size()) +
                      " bytes, the profile needs " + std::to_string(need));
  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, to_srtp(profile));
  srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, to_srtp(profile));
  policy.ssrc.type = dir == Direction::Outbound ? ssrc_any_outbound : ssrc_any_inbound;
  // libsrtp keeps a pointer to the key only during srtp_create.
  policy.key = const_cast<uint8_t *>(key_and_salt.data());
  policy.window_size = 1024; // replay window (RFC 3711 §3.3.2: at least 64)
  policy.allow_repeat_tx = dir == Direction::Outbound; // NACK retransmissions reuse seq numbers
  srtp_t session = nullptr;
  srtp_err_status_t e = srtp_create(&session, &policy);
  if (e != srtp_err_status_ok)
    return Error{ErrorCode::OperationError, "srtp_create failed (" + std::to_string(e) + ")"};
  return std::unique_ptr<Context>(new Context(session));
}

Context::~Context() {
  srtp_dealloc(static_cast<srtp_t>(session_));
}

Status Context::protect_rtp(uint8_t *buf, size_t *len, size_t capacity) {
  if (capacity < *len + kMaxTrailer)
    return type_error("no room for the SRTP trailer");
  int n = static_cast<int>(*len);
  std::lock_guard lk(lock_);
  srtp_err_status_t e = srtp_protect(static_cast<srtp_t>(session_), buf, &n);
  if (e != srtp_err_status_ok)
    return Error{ErrorCode::OperationError, "srtp_protect failed (" + std::to_string(e) + ")"};
  *len = static_cast<size_t>(n);
  return Ok{};
}

Status Context::protect_rtcp(uint8_t *buf, size_t *len, size_t capacity) {
  if (capacity < *len + kMaxTrailer)
    return type_error("no room for the SRTCP trailer");
  int n = static_cast<int>(*len);
  std::lock_guard lk(lock_);
  srtp_err_status_t e = srtp_protect_rtcp(static_cast<srtp_t>(session_), buf, &n);
  if (e != srtp_err_status_ok)
    return Error{ErrorCode::OperationError, "srtp_protect_rtcp failed (" + std::to_string(e) + ")"};
  *len = static_cast<size_t>(n);
  return Ok{};
}

Reject Context::unprotect_rtp(uint8_t *buf, size_t *len) {
  if (*len < 12)
    return Reject::Malformed;
  int n = static_cast<int>(*len);
  std::lock_guard lk(lock_);
  Reject r = classify(srtp_unprotect(static_cast<srtp_t>(session_), buf, &n));
  if (r == Reject::None)
    *len = static_cast<size_t>(n);
  return r;
}

Reject Context::unprotect_rtcp(uint8_t *buf, size_t *len) {
  if (*len < 8)
    return Reject::Malformed;
  int n = static_cast<int>(*len);
  std::lock_guard lk(lock_);
  Reject r = classify(srtp_unprotect_rtcp(static_cast<srtp_t>(session_), buf, &n));
  if (r == Reject::None)
    *len = static_cast<size_t>(n);
  return r;
}

} // namespace gstrtc::srtp
