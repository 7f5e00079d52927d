// RTCCertificate: a self-signed certificate and its key, generated (ECDSA P-256 by default, or
// RSA 2048), or imported from PEM so a server keeps its identity across restarts; fingerprints
// in SDP form (RFC 8122 §5). Immutable once built; shared between sessions.
#pragma once

#include "core/export.hpp"
#include "core/ossl.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gstrtc::dtls {

enum class KeyType { EcdsaP256, Rsa2048 };

class GSTRTC_INTERNAL Certificate {
public:
  // validity_s: seconds from now (W3C default for generateCertificate is 30 days).
  static Result<std::shared_ptr<const Certificate>> generate(KeyType type = KeyType::EcdsaP256,
                                                             int64_t validity_s = 30 * 86400);
  // PEM with the certificate and its private key (either order).
  static Result<std::shared_ptr<const Certificate>> from_pem(std::string_view pem);

  std::string to_pem() const; // certificate, then the PKCS#8 private key
  // "AB:CD:..." (uppercase hex, colon separated) with the named hash: sha-1, sha-224, sha-256,
  // sha-384, sha-512 (RFC 8122 §5). Empty if the hash is unknown.
  std::string fingerprint(std::string_view hash = "sha-256") const;
  int64_t expires() const; // seconds since the epoch
  KeyType key_type() const { return type_; }
  X509 *x509() const { return x509_.get(); }
  EVP_PKEY *pkey() const { return pkey_.get(); }

private:
  Certificate(ossl::Ptr<X509> x, ossl::Ptr<EVP_PKEY> k, KeyType t)
      : x509_(std::move(x)), pkey_(std::move(k)), type_(t) {}
  ossl::Ptr<X509> x509_;
  ossl::Ptr<EVP_PKEY> pkey_;
  KeyType type_;
};

// Fingerprint of any certificate (the peer's), same format as Certificate::fingerprint.
GSTRTC_INTERNAL std::string fingerprint_of(X509 *cert, std::string_view hash);

} // namespace gstrtc::dtls
