#include "dtls/certificate.hpp"

#include <gtest/gtest.h>

#include <ctime>

using namespace gstrtc::dtls;

TEST(Certificate, GeneratesEcdsaWithSha256Fingerprint) {
  auto c = Certificate::generate();
  ASSERT_TRUE(c) << c.error().message;
  std::string fp = (*c)->fingerprint();
  EXPECT_EQ(fp.size(), 32u * 3 - 1); // 32 bytes, "AB:" each, no trailing colon
  for (size_t i = 2; i < fp.size(); i += 3)
    EXPECT_EQ(fp[i], ':');
  EXPECT_EQ((*c)->fingerprint("sha-1").size(), 20u * 3 - 1);
  EXPECT_EQ((*c)->fingerprint("sha-512").size(), 64u * 3 - 1);
  EXPECT_EQ((*c)->fingerprint("md5"), "");
  EXPECT_EQ((*c)->key_type(), KeyType::EcdsaP256);
  int64_t days = ((*c)->expires() - time(nullptr)) / 86400;
  EXPECT_GE(days, 29);
  EXPECT_LE(days, 30);
}

TEST(Certificate, EachCertificateIsDistinct) {
  auto a = Certificate::generate(), b = Certificate::generate();
  ASSERT_TRUE(a && b);
  EXPECT_NE((*a)->fingerprint(), (*b)->fingerprint());
}

TEST(Certificate, Rsa2048) {
  auto c = Certificate::generate(KeyType::Rsa2048, 3600);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ((*c)->key_type(), KeyType::Rsa2048);
  EXPECT_EQ(EVP_PKEY_get_bits((*c)->pkey()), 2048);
}

TEST(Certificate, PemRoundTripKeepsIdentity) {
  for (auto type : {KeyType::EcdsaP256, KeyType::Rsa2048}) {
    auto c = Certificate::generate(type);
    ASSERT_TRUE(c);
    std::string pem = (*c)->to_pem();
    EXPECT_NE(pem.find("-----BEGIN CERTIFICATE-----"), std::string::npos);
    EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    auto back = Certificate::from_pem(pem);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ((*back)->fingerprint(), (*c)->fingerprint());
    EXPECT_EQ((*back)->expires(), (*c)->expires());
    EXPECT_EQ((*back)->key_type(), type);
  }
}

TEST(Certificate, BadPemIsRejectedWithReason) {
  auto none = Certificate::from_pem("not a pem");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("no certificate"), std::string::npos);
  auto a = Certificate::generate(), b = Certificate::generate();
  std::string pa = (*a)->to_pem(), pb = (*b)->to_pem();
  std::string cert_only = pa.substr(0, pa.find("-----BEGIN PRIVATE KEY-----"));
  auto no_key = Certificate::from_pem(cert_only);
  ASSERT_FALSE(no_key);
  EXPECT_NE(no_key.error().message.find("no private key"), std::string::npos);
  std::string mixed = cert_only + pb.substr(pb.find("-----BEGIN PRIVATE KEY-----"));
  auto wrong = Certificate::from_pem(mixed);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("does not belong"), std::string::npos);
  EXPECT_EQ(ERR_peek_error(), 0u) << "OpenSSL error queue must be left empty";
}
