// RAII for OpenSSL handles, and the OpenSSL error queue turned into a message.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace gstrtc::ossl {

struct Free {
  void operator()(X509 *p) const { X509_free(p); }
  void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX *p) const { EVP_PKEY_CTX_free(p); }
  void operator()(BIO *p) const { BIO_free_all(p); }
  void operator()(SSL_CTX *p) const { SSL_CTX_free(p); }
  void operator()(SSL *p) const { SSL_free(p); }
  void operator()(BIO_METHOD *p) const { BIO_meth_free(p); }
};
template <typename T> using Ptr = std::unique_ptr<T, Free>;

// Drains the thread's OpenSSL error queue into one line ("" if empty).
inline std::string errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += out.empty() ? "" : "; ";
    out += buf;
  }
  return out;
}

} // namespace gstrtc::ossl
