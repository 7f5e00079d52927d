// Transport parameters from real SDP (Chromium, webrtcbin, aiortc) and from broken SDP.
#include "sdp/transport.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fstream>
#include <sstream>

using namespace gstrtc::sdp;

namespace {

GstSDPMessage *parse(const std::string &text) {
  GstSDPMessage *msg = nullptr;
  gst_sdp_message_new(&msg);
  gst_sdp_message_parse_buffer(reinterpret_cast<const guint8 *>(text.data()), text.size(), msg);
  return msg;
}

std::string read_file(const std::string &path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> vectors() {
  std::string dir = std::string(g_getenv("GSTRTC_TEST_DATA")) + "/sdp";
  std::vector<std::string> out;
  DIR *d = opendir(dir.c_str());
  while (dirent *e = d ? readdir(d) : nullptr) {
    std::string n = e->d_name;
    if (n.size() > 4 && n.substr(n.size() - 4) == ".sdp")
      out.push_back(dir + "/" + n);
  }
  if (d)
    closedir(d);
  return out;
}

const char *kMinimal = "v=0\r\n"
                       "o=- 1 1 IN IP4 127.0.0.1\r\n"
                       "s=-\r\n"
                       "t=0 0\r\n"
                       "a=group:BUNDLE 0\r\n"
                       "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                       "c=IN IP4 0.0.0.0\r\n"
                       "a=mid:0\r\n"
                       "a=ice-ufrag:abcd\r\n"
                       "a=ice-pwd:0123456789abcdefghijkl\r\n"
                       "a=fingerprint:sha-256 "
                       "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:"
                       "CD:EF:01:23:45:67:89\r\n"
                       "a=setup:actpass\r\n"
                       "a=rtcp-mux\r\n"
                       "a=candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ host\r\n"
                       "a=end-of-candidates\r\n"
                       "a=rtpmap:111 opus/48000/2\r\n";

std::string without(std::string s, const std::string &line) {
  auto p = s.find(line);
  if (p != std::string::npos)
    s.erase(p, line.size());
  return s;
}

std::string replace(std::string s, const std::string &from, const std::string &to) {
  auto p = s.find(from);
  if (p != std::string::npos)
    s.replace(p, from.size(), to);
  return s;
}

} // namespace

TEST(SdpTransport, EveryRealVectorReads) {
  auto files = vectors();
  ASSERT_GE(files.size(), 40u);
  for (const auto &path : files) {
    GstSDPMessage *msg = parse(read_file(path));
    auto t = read_transport(msg);
    ASSERT_TRUE(t) << path << ": " << t.error().message;
    bool offer = path.find(".offer") != std::string::npos;
    bool gathered = path.find(".gathered") != std::string::npos;
    for (const auto &m : t->media) {
      if (m.rejected)
        continue;
      EXPECT_GE(m.ice_ufrag.size(), 4u) << path;
      ASSERT_FALSE(m.fingerprints.empty()) << path;
      EXPECT_EQ(m.fingerprints[0].hash, "sha-256") << path;
      ASSERT_TRUE(m.setup) << path;
      if (offer) {
        EXPECT_EQ(*m.setup, Setup::ActPass) << path;
      } else {
        EXPECT_NE(*m.setup, Setup::ActPass) << path << ": answers choose a role";
      }
      if (gathered && !m.bundle_only && !m.candidates.empty()) {
        EXPECT_EQ(m.candidates[0].address, "127.0.0.1") << path;
      }
    }
    gst_sdp_message_free(msg);
  }
}

TEST(SdpTransport, ReadsTheMinimalDescription) {
  GstSDPMessage *msg = parse(kMinimal);
  auto t = read_transport(msg);
  ASSERT_TRUE(t) << t.error().message;
  ASSERT_EQ(t->media.size(), 1u);
  const auto &m = t->media[0];
  EXPECT_EQ(m.mid, "0");
  EXPECT_EQ(m.ice_ufrag, "abcd");
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_TRUE(m.end_of_candidates);
  ASSERT_EQ(m.candidates.size(), 1u);
  EXPECT_EQ(m.candidates[0].port, 5000);
  ASSERT_EQ(t->bundle_groups.size(), 1u);
  EXPECT_EQ(t->bundle_groups[0], std::vector<std::string>{"0"});
  gst_sdp_message_free(msg);
}

TEST(SdpTransport, SessionLevelAttributesApplyToMedia) {
  std::string s = kMinimal;
  s = without(s, "a=ice-ufrag:abcd\r\n");
  s = replace(s, "t=0 0\r\n", "t=0 0\r\na=ice-ufrag:wxyz\r\n");
  GstSDPMessage *msg = parse(s);
  auto t = read_transport(msg);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(t->media[0].ice_ufrag, "wxyz");
  gst_sdp_message_free(msg);
}

TEST(SdpTransport, BrokenDescriptionsAreRejectedWithTheReason) {
  struct Case {
    std::string sdp;
    const char *mention;
  } cases[] = {
      {without(kMinimal, "a=ice-ufrag:abcd\r\n"), "m-line 0 (mid '0'): no a=ice-ufrag"},
      {replace(kMinimal, "a=ice-pwd:0123456789abcdefghijkl", "a=ice-pwd:short"), "22 to 256"},
      {replace(kMinimal, "sha-256 AB:CD", "md5 AB:CD"), "unknown hash 'md5'"},
      {replace(kMinimal, "a=setup:actpass", "a=setup:sometimes"), "a=setup:sometimes"},
      {replace(kMinimal, "127.0.0.1 5000 typ host", "127.0.0.1 99999 typ host"), "port '99999'"},
      {replace(kMinimal, "a=group:BUNDLE 0", "a=group:BUNDLE 0 video"), "mid 'video'"},
      {without(kMinimal, "a=fingerprint:sha-256 "
                         "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                         "AB:CD:EF:01:23:45:67:89\r\n"),
       "no a=fingerprint"},
  };
  for (const auto &c : cases) {
    GstSDPMessage *msg = parse(c.sdp);
    auto t = read_transport(msg);
    ASSERT_FALSE(t) << "accepted: " << c.mention;
    EXPECT_EQ(t.error().code, gstrtc::ErrorCode::TypeError);
    EXPECT_NE(t.error().message.find(c.mention), std::string::npos)
        << "wanted '" << c.mention << "' in: " << t.error().message;
    gst_sdp_message_free(msg);
  }
}

TEST(SdpTransport, RejectedMlinesNeedNoCredentials) {
  std::string s = replace(kMinimal, "m=audio 9", "m=audio 0");
  s = without(s, "a=ice-ufrag:abcd\r\n");
  s = replace(s, "a=group:BUNDLE 0\r\n", "");
  GstSDPMessage *msg = parse(s);
  auto t = read_transport(msg);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_TRUE(t->media[0].rejected);
  gst_sdp_message_free(msg);
}

TEST(SdpTransport, DtlsRoleFromSetup) {
  // RFC 8842 §5.3: the offerer says actpass; the answerer picks.
  EXPECT_EQ(*we_are_dtls_client(Setup::ActPass, Setup::Active, true), false);
  EXPECT_EQ(*we_are_dtls_client(Setup::ActPass, Setup::Passive, true), true);
  EXPECT_EQ(*we_are_dtls_client(Setup::Active, Setup::ActPass, false), true);
  EXPECT_EQ(*we_are_dtls_client(Setup::Passive, Setup::ActPass, false), false);
  auto bad = we_are_dtls_client(Setup::ActPass, Setup::ActPass, true);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("actpass"), std::string::npos);
  EXPECT_FALSE(we_are_dtls_client(Setup::Active, Setup::Active, false));
  EXPECT_FALSE(we_are_dtls_client(Setup::ActPass, Setup::HoldConn, true));
}
