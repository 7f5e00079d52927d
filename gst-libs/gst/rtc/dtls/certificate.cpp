#include "dtls/certificate.hpp"

#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <glib.h>

#include <ctime>

namespace gstrtc::dtls {

namespace {

const EVP_MD *digest_named(std::string_view hash) {
  if (hash == "sha-1")
    return EVP_sha1();
  if (hash == "sha-224")
    return EVP_sha224();
  if (hash == "sha-256")
    return EVP_sha256();
  if (hash == "sha-384")
    return EVP_sha384();
  if (hash == "sha-512")
    return EVP_sha512();
  return nullptr;
}

Error ossl_error(const std::string &what) {
  return Error{ErrorCode::OperationError, what + ": " + ossl::errors()};
}

ossl::Ptr<EVP_PKEY> make_key(KeyType type) {
  if (type == KeyType::EcdsaP256)
    return ossl::Ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  return ossl::Ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", (size_t)2048));
}

} // namespace

std::string fingerprint_of(X509 *cert, std::string_view hash) {
  const EVP_MD *md = digest_named(hash);
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!md || !cert || !X509_digest(cert, md, buf, &len))
    return {};
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(len * 3);
  for (unsigned i = 0; i < len; i++) {
    if (i)
      out += ':';
    out += hex[buf[i] >> 4];
    out += hex[buf[i] & 15];
  }
  return out;
}

Result<std::shared_ptr<const Certificate>> Certificate::generate(KeyType type, int64_t validity_s) {
  auto key = make_key(type);
  if (!key)
    return ossl_error("key generation failed");
  ossl::Ptr<X509> x(X509_new());
  X509_set_version(x.get(), 2);
  // A random 63-bit serial and a random CN: certificates must not be linkable (W3C webrtc §4.9).
  unsigned char rnd[8];
  RAND_bytes(rnd, sizeof rnd);
  rnd[0] &= 0x7f;
  BIGNUM *serial = BN_bin2bn(rnd, sizeof rnd, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -86400); // tolerate clock skew
  X509_gmtime_adj(X509_getm_notAfter(x.get()), validity_s);
  char cn[17];
  for (int i = 0; i < 8; i++)
    g_snprintf(cn + 2 * i, 3, "%02x", rnd[i]);
  X509_NAME *name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<unsigned char *>(cn), -1,
                             -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509_set_pubkey(x.get(), key.get());
  if (!X509_sign(x.get(), key.get(), EVP_sha256()))
    return ossl_error("certificate signing failed");
  return std::shared_ptr<const Certificate>(new Certificate(std::move(x), std::move(key), type));
}

Result<std::shared_ptr<const Certificate>> Certificate::from_pem(std::string_view pem) {
  ossl::Ptr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ossl::Ptr<X509> x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  bio.reset(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ossl::Ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!x)
    return type_error("PEM has no certificate (expected -----BEGIN CERTIFICATE-----)");
  if (!key)
    return type_error("PEM has no private key (expected -----BEGIN PRIVATE KEY-----)");
  if (X509_check_private_key(x.get(), key.get()) != 1) {
    ERR_clear_error();
    return type_error("the PEM private key does not belong to its certificate");
  }
  KeyType type;
  if (EVP_PKEY_is_a(key.get(), "EC"))
    type = KeyType::EcdsaP256;
  else if (EVP_PKEY_is_a(key.get(), "RSA"))
    type = KeyType::Rsa2048;
  else
    return type_error("unsupported key type in PEM (need EC P-256 or RSA)");
  return std::shared_ptr<const Certificate>(new Certificate(std::move(x), std::move(key), type));
}

std::string Certificate::to_pem() const {
  ossl::Ptr<BIO> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), x509_.get());
  PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char *data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, len);
}

std::string Certificate::fingerprint(std::string_view hash) const {
  return fingerprint_of(x509_.get(), hash);
}

int64_t Certificate::expires() const {
  const ASN1_TIME *t = X509_get0_notAfter(x509_.get());
  struct tm tm {};
  if (!ASN1_TIME_to_tm(t, &tm))
    return 0;
  return static_cast<int64_t>(timegm(&tm));
}

} // namespace gstrtc::dtls
