// Shared by the JSEP unit tests: vectors from tests/data/sdp, deterministic negotiators, and
// small readers over produced SDP.
#pragma once

#include "jsep/negotiator.hpp"
#include "sdp/media.hpp"
#include "sdp/message.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace jsep_test {

using namespace gstrtc;
using namespace gstrtc::jsep;

inline std::string read_vector(const std::string &name) {
  std::ifstream f(std::string(g_getenv("GSTRTC_TEST_DATA")) + "/sdp/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline sdp::Message parse_or_die(const std::string &text) {
  auto m = sdp::parse(text);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? std::move(*m) : sdp::new_message();
}

inline NegotiatorConfig config(const char *fp_byte = "AB",
                               BundlePolicy policy = BundlePolicy::Balanced) {
  NegotiatorConfig c;
  c.bundle_policy = policy;
  std::string fp;
  for (int i = 0; i < 32; i++)
    fp += std::string(i ? ":" : "") + fp_byte;
  c.fingerprints = {dtls::Fingerprint{"sha-256", fp}};
  auto counter = std::make_shared<uint32_t>(std::hash<std::string>{}(fp_byte));
  c.random = [counter](uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
      *counter = *counter * 1103515245u + 12345u;
      p[i] = static_cast<uint8_t>(*counter >> 16);
    }
  };
  return c;
}

inline std::vector<sdp::MediaSection> media_of(const GstSDPMessage *m) {
  auto r = sdp::read_all_media(m);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::vector<sdp::MediaSection>{};
}

inline std::string text(const GstSDPMessage *m) {
  return sdp::to_text(m);
}

inline std::vector<std::string> attrs(const GstSDPMessage *m, unsigned mline, const char *key) {
  std::vector<std::string> out;
  const GstSDPMedia *media = gst_sdp_message_get_media(m, mline);
  for (guint i = 0; i < gst_sdp_media_attributes_len(media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(media, i);
    if (g_strcmp0(a->key, key) == 0)
      out.emplace_back(a->value ? a->value : "");
  }
  return out;
}

inline std::string attr(const GstSDPMessage *m, unsigned mline, const char *key) {
  auto v = attrs(m, mline, key);
  return v.empty() ? "<none>" : v.front();
}

inline std::vector<std::string> names(const std::vector<sdp::Codec> &codecs) {
  std::vector<std::string> out;
  for (const auto &c : codecs)
    out.push_back(c.name + "/" + std::to_string(c.pt));
  return out;
}

// Offer from `a`, answer from `b`, both applied; returns the two final plans.
struct Exchange {
  Plan offerer, answerer;
};
inline Exchange negotiate(Negotiator &a, Negotiator &b, const OfferOptions &opts = {}) {
  Exchange ex;
  auto offer = a.create_offer(opts);
  EXPECT_TRUE(offer.ok()) << (offer.ok() ? "" : offer.error().message);
  if (!offer.ok())
    return ex;
  auto l = a.set_local_description(SdpType::Offer, offer->get());
  EXPECT_TRUE(l.ok()) << (l.ok() ? "" : l.error().message);
  auto r = b.set_remote_description(SdpType::Offer, offer->get());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message) << "\n" << text(offer->get());
  auto answer = b.create_answer();
  EXPECT_TRUE(answer.ok()) << (answer.ok() ? "" : answer.error().message);
  if (!answer.ok())
    return ex;
  auto bl = b.set_local_description(SdpType::Answer, answer->get());
  EXPECT_TRUE(bl.ok()) << (bl.ok() ? "" : bl.error().message);
  auto ar = a.set_remote_description(SdpType::Answer, answer->get());
  EXPECT_TRUE(ar.ok()) << (ar.ok() ? "" : ar.error().message) << "\n" << text(answer->get());
  if (ar.ok())
    ex.offerer = *ar;
  if (bl.ok())
    ex.answerer = *bl;
  return ex;
}

} // namespace jsep_test
