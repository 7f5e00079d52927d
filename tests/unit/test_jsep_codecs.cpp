// The typed view of an m-line (sdp/media.hpp), codec matching, payload type allocation and
// offer/answer codec lists (jsep/codecs.hpp), and codecs as GstCaps (jsep/codeccaps.hpp).
#include "jsep/codeccaps.hpp"
#include "jsep/codecs.hpp"
#include "sdp/media.hpp"
#include "sdp/message.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace gstrtc;
using namespace gstrtc::jsep;
using sdp::Direction;
using sdp::MediaSection;

namespace {

const char *kHead = "v=0\r\n"
                    "o=- 1 1 IN IP4 127.0.0.1\r\n"
                    "s=-\r\n"
                    "t=0 0\r\n";

// A whole description: the session head, `session` attributes, then `media` (m-lines).
std::string sdp_text(const std::string &media, const std::string &session = "") {
  return kHead + session + media;
}

sdp::Message parse_ok(const std::string &text) {
  auto m = sdp::parse(text);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? std::move(*m) : sdp::new_message();
}

Result<MediaSection> read0(const std::string &media, const std::string &session = "") {
  auto msg = parse_ok(sdp_text(media, session));
  if (gst_sdp_message_medias_len(msg.get()) == 0)
    return type_error("test SDP has no m-line");
  return sdp::read_media(msg.get(), 0);
}

// The error message of reading `media`, or "<ok>" when it reads.
std::string read_error(const std::string &media) {
  auto s = read0(media);
  return s.ok() ? "<ok>" : s.error().message;
}

bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

const char *kVideoHead = "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
                         "c=IN IP4 0.0.0.0\r\n"
                         "a=rtpmap:96 VP8/90000\r\n"
                         "a=rtpmap:97 rtx/90000\r\n"
                         "a=fmtp:97 apt=96\r\n";

// Writes `s` into a fresh message the way a description is built, and reads it back.
Result<MediaSection> write_and_read(const MediaSection &s) {
  sdp::Message msg = sdp::new_message();
  gst_sdp_message_set_version(msg.get(), "0");
  gst_sdp_message_set_origin(msg.get(), "-", "1", "1", "IN", "IP4", "127.0.0.1");
  gst_sdp_message_set_session_name(msg.get(), "-");
  gst_sdp_message_add_time(msg.get(), "0", "0", nullptr);
  GstSDPMedia *media = nullptr;
  gst_sdp_media_new(&media);
  sdp::write_mline(s, media);
  if (!s.mid.empty())
    gst_sdp_media_add_attribute(media, "mid", s.mid.c_str());
  sdp::write_media_attributes(s, media);
  gst_sdp_message_add_media(msg.get(), media); // copies
  gst_sdp_media_free(media);
  // Through text as well, so what we write is what gst_sdp parses.
  auto again = sdp::parse(sdp::to_text(msg.get()));
  if (!again)
    return again.error();
  return sdp::read_media(again->get(), 0);
}

Codec make(const char *name, unsigned rate, unsigned channels = 0, sdp::Params params = {},
           std::vector<std::string> fb = {}, int pt = -1) {
  Codec c;
  c.pt = pt;
  c.name = name;
  c.clock_rate = rate;
  c.channels = channels;
  c.params = std::move(params);
  c.feedback = std::move(fb);
  return c;
}

Codec h264(const char *plid, const char *mode, int pt = -1) {
  sdp::Params p = {{"profile-level-id", plid}};
  if (mode)
    p.emplace_back("packetization-mode", mode);
  return make("H264", 90000, 0, p, {}, pt);
}

Codec rtx(int pt, int apt) {
  return make("rtx", 90000, 0, {{"apt", std::to_string(apt)}}, {}, pt);
}

std::vector<int> pts_of(const std::vector<Codec> &cs) {
  std::vector<int> out;
  for (const auto &c : cs)
    out.push_back(c.pt);
  return out;
}

std::vector<std::string> names_of(const std::vector<Codec> &cs) {
  std::vector<std::string> out;
  for (const auto &c : cs)
    out.push_back(c.name);
  return out;
}

Ref<GstCaps> caps(const char *text) {
  GstCaps *c = gst_caps_from_string(text);
  EXPECT_NE(c, nullptr) << text;
  return adopt(c);
}

const GstStructure *first(const Ref<GstCaps> &c) {
  return gst_caps_get_structure(c.get(), 0);
}

std::string str_field(const GstStructure *s, const char *field) {
  const gchar *v = gst_structure_get_string(s, field);
  return v ? v : "<none>";
}

const char *kH264Caps =
    "application/x-rtp, media=(string)video, encoding-name=(string)H264, "
    "clock-rate=(int)90000, payload=(int)102, packetization-mode=(string)1, "
    "profile-level-id=(string)42e01f, rtcp-fb-nack-pli=(boolean)true, "
    "rtcp-fb-transport-cc=(boolean)true, ssrc=(uint)1234, timestamp-offset=(uint)5";

} // namespace

// ---------------------------------------------------------------------------------------------
// sdp/media: reading

TEST(SdpMedia, ReadsRtpmapFmtpAndFeedbackInMlineOrder) {
  auto s = read0("m=video 9 UDP/TLS/RTP/SAVPF 102 96 97\r\n"
                 "c=IN IP4 0.0.0.0\r\n"
                 "a=mid:v\r\n"
                 "a=rtpmap:96 VP8/90000\r\n"
                 "a=rtcp-fb:96 nack\r\n"
                 "a=rtcp-fb:96 nack pli\r\n"
                 "a=rtpmap:97 rtx/90000\r\n"
                 "a=fmtp:97 apt=96\r\n"
                 "a=rtpmap:102 H264/90000\r\n"
                 "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;"
                 "profile-level-id=42e01f\r\n"
                 "a=rtcp-fb:102 ccm fir\r\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->kind, sdp::MediaKind::Video);
  EXPECT_EQ(s->media, "video");
  EXPECT_EQ(s->protocol, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(s->mid, "v");
  EXPECT_TRUE(s->is_rtp());
  EXPECT_EQ(s->formats, (std::vector<std::string>{"102", "96", "97"}));
  ASSERT_EQ(s->codecs.size(), 3u);
  EXPECT_EQ(pts_of(s->codecs), (std::vector<int>{102, 96, 97})) << "m= order, not a= order";
  const Codec *vp8 = s->codec(96);
  ASSERT_NE(vp8, nullptr);
  EXPECT_EQ(vp8->name, "VP8");
  EXPECT_EQ(vp8->clock_rate, 90000u);
  EXPECT_EQ(vp8->feedback, (std::vector<std::string>{"nack", "nack pli"}));
  const Codec *r = s->codec(97);
  ASSERT_NE(r, nullptr);
  ASSERT_NE(r->param("apt"), nullptr);
  EXPECT_EQ(*r->param("apt"), "96");
  EXPECT_TRUE(r->feedback.empty());
  const Codec *h = s->codec(102);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->params.size(), 3u);
  ASSERT_NE(h->param("PROFILE-LEVEL-ID"), nullptr) << "parameter names are case-insensitive";
  EXPECT_EQ(*h->param("profile-level-id"), "42e01f");
  EXPECT_EQ(*h->param("packetization-mode"), "1");
  EXPECT_EQ(h->param("sprop-parameter-sets"), nullptr);
  EXPECT_TRUE(h->has_feedback("ccm fir"));
  EXPECT_FALSE(h->has_feedback("nack"));
  EXPECT_EQ(s->codec(100), nullptr);
}

TEST(SdpMedia, WildcardFeedbackAppliesToEveryPayloadTypeOnce) {
  auto s = read0("m=video 9 UDP/TLS/RTP/SAVPF 96 98\r\n"
                 "a=rtpmap:96 VP8/90000\r\n"
                 "a=rtpmap:98 VP9/90000\r\n"
                 "a=rtcp-fb:96 nack\r\n"
                 "a=rtcp-fb:* nack\r\n"
                 "a=rtcp-fb:* transport-cc\r\n");
  ASSERT_TRUE(s) << s.error().message;
  for (const auto &c : s->codecs) {
    EXPECT_EQ(std::count(c.feedback.begin(), c.feedback.end(), "nack"), 1) << c.name;
    EXPECT_TRUE(c.has_feedback("transport-cc")) << c.name;
  }
}

TEST(SdpMedia, StaticPayloadTypesNeedNoRtpmap) {
  auto s = read0("m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 9\r\n"
                 "a=rtpmap:111 opus/48000/2\r\n"
                 "a=fmtp:111 minptime=10;useinbandfec=1\r\n");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->codecs.size(), 4u);
  EXPECT_EQ(names_of(s->codecs), (std::vector<std::string>{"opus", "PCMU", "PCMA", "G722"}));
  EXPECT_EQ(s->codecs[0].clock_rate, 48000u);
  EXPECT_EQ(s->codecs[0].channels, 2u);
  EXPECT_EQ(*s->codecs[0].param("useinbandfec"), "1");
  for (int i = 1; i < 4; i++)
    EXPECT_EQ(s->codecs[i].clock_rate, 8000u) << s->codecs[i].name; // G.722 too (RFC 3551)
}

TEST(SdpMedia, RtpmapMayRestateButNotRedefineAStaticType) {
  auto same = read0("m=audio 9 RTP/AVP 0\r\na=rtpmap:0 pcmu/8000\r\n");
  ASSERT_TRUE(same) << same.error().message;
  EXPECT_EQ(same->codecs[0].clock_rate, 8000u);
  auto err = read_error("m=audio 9 RTP/AVP 0\r\na=rtpmap:0 opus/48000/2\r\n");
  EXPECT_TRUE(contains(err, "a=rtpmap")) << err;
  EXPECT_TRUE(contains(err, "PCMU")) << err;
}

TEST(SdpMedia, FmtpThatIsNotKeyValueIsKeptRaw) {
  auto s = read0("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 110\r\n"
                 "a=rtpmap:111 opus/48000/2\r\n"
                 "a=rtpmap:63 red/48000/2\r\n"
                 "a=fmtp:63 111/111\r\n"
                 "a=rtpmap:110 telephone-event/48000\r\n"
                 "a=fmtp:110 0-15\r\n"
                 "a=fmtp:120 apt=111\r\n"); // not in m=: ignored
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->codecs.size(), 3u);
  EXPECT_EQ(s->codec(63)->fmtp_raw, "111/111");
  ASSERT_EQ(s->codec(63)->params.size(), 1u);
  EXPECT_EQ(s->codec(63)->params[0].first, "111/111") << "a value-less token";
  EXPECT_EQ(sdp::fmtp_string(*s->codec(63)), "111/111");
  EXPECT_EQ(s->codec(110)->fmtp_raw, "0-15");
  EXPECT_EQ(s->codec(110)->channels, 0u);
  EXPECT_EQ(s->codec(120), nullptr);
}

TEST(SdpMedia, ExtmapWithDirectionAndAttributes) {
  auto s = read0(std::string(kVideoHead) +
                 "a=extmap-allow-mixed\r\n"
                 "a=extmap:3/sendonly urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
                 "a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
                 "a=extmap:16/recvonly urn:3gpp:video-orientation extra-attr\r\n"
                 "a=extmap:7 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"); // repeated URI
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->extmap_allow_mixed);
  ASSERT_EQ(s->extmaps.size(), 3u) << "a repeated URI keeps its first id";
  const sdp::Extmap *mid = s->extmap("urn:ietf:params:rtp-hdrext:sdes:mid");
  ASSERT_NE(mid, nullptr);
  EXPECT_EQ(mid->id, 3);
  EXPECT_EQ(mid->direction, Direction::SendOnly);
  EXPECT_EQ(s->extmaps[1].id, 5);
  EXPECT_EQ(s->extmaps[1].direction, Direction::None);
  EXPECT_EQ(s->extmaps[2].id, 16);
  EXPECT_EQ(s->extmaps[2].direction, Direction::RecvOnly);
  EXPECT_EQ(s->extmaps[2].attributes, "extra-attr");
  EXPECT_EQ(s->extmap("urn:unknown"), nullptr);
}

TEST(SdpMedia, MsidSsrcAndSsrcGroups) {
  auto s = read0(std::string(kVideoHead) + "a=msid:stream0 track0\r\n"
                                           "a=msid:- track1\r\n"
                                           "a=ssrc-group:FID 1111 2222\r\n"
                                           "a=ssrc-group:FEC-FR 1111 3333\r\n"
                                           "a=ssrc:1111 cname:abc\r\n"
                                           "a=ssrc:1111 msid:stream0 track0\r\n"
                                           "a=ssrc:2222 cname:abc\r\n"
                                           "a=ssrc:3333 label:whatever\r\n"
                                           "a=ssrc:4294967295 cname:max\r\n");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->msids.size(), 2u);
  EXPECT_EQ(s->msids[0].stream, "stream0");
  EXPECT_EQ(s->msids[0].track, "track0");
  EXPECT_EQ(s->msids[1].stream, "-");
  ASSERT_EQ(s->ssrc_groups.size(), 2u);
  EXPECT_EQ(s->ssrc_groups[0].semantics, "FID");
  EXPECT_EQ(s->ssrc_groups[0].ssrcs, (std::vector<uint32_t>{1111, 2222}));
  EXPECT_EQ(s->ssrc_groups[1].semantics, "FEC-FR");
  EXPECT_EQ(s->ssrc_groups[1].ssrcs, (std::vector<uint32_t>{1111, 3333}));
  ASSERT_EQ(s->ssrcs.size(), 4u) << "one entry per SSRC, attributes merged";
  EXPECT_EQ(s->ssrcs[0].ssrc, 1111u);
  EXPECT_EQ(s->ssrcs[0].cname, "abc");
  ASSERT_TRUE(s->ssrcs[0].msid);
  EXPECT_EQ(s->ssrcs[0].msid->stream, "stream0");
  EXPECT_EQ(s->ssrcs[0].msid->track, "track0");
  EXPECT_FALSE(s->ssrcs[1].msid);
  EXPECT_EQ(s->ssrcs[2].ssrc, 3333u);
  EXPECT_EQ(s->ssrcs[2].cname, "");
  EXPECT_EQ(s->ssrcs[3].ssrc, 4294967295u);
}

TEST(SdpMedia, RidRestrictionsAndSimulcastAlternatives) {
  // a=simulcast before the a=rid lines it names: still read.
  auto s = read0(std::string(kVideoHead) + "a=simulcast:send h;~m,l recv r\r\n"
                                           "a=rid:h send pt=96,97;max-width=1280;max-height=720\r\n"
                                           "a=rid:m send max-fps=15\r\n"
                                           "a=rid:l send\r\n"
                                           "a=rid:r recv pt=96\r\n");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_EQ(s->rids.size(), 4u);
  EXPECT_EQ(s->rids[0].id, "h");
  EXPECT_TRUE(s->rids[0].send);
  EXPECT_EQ(s->rids[0].pts, (std::vector<int>{96, 97}));
  EXPECT_EQ(s->rids[0].restrictions, "max-width=1280;max-height=720");
  EXPECT_TRUE(s->rids[1].pts.empty());
  EXPECT_EQ(s->rids[1].restrictions, "max-fps=15");
  EXPECT_EQ(s->rids[2].restrictions, "");
  EXPECT_FALSE(s->rids[3].send);
  EXPECT_EQ(s->rids[3].pts, (std::vector<int>{96}));
  ASSERT_TRUE(s->simulcast);
  ASSERT_EQ(s->simulcast->send.size(), 2u);
  ASSERT_EQ(s->simulcast->send[0].size(), 1u);
  EXPECT_EQ(s->simulcast->send[0][0].rid, "h");
  EXPECT_FALSE(s->simulcast->send[0][0].paused);
  ASSERT_EQ(s->simulcast->send[1].size(), 2u);
  EXPECT_EQ(s->simulcast->send[1][0].rid, "m");
  EXPECT_TRUE(s->simulcast->send[1][0].paused);
  EXPECT_EQ(s->simulcast->send[1][1].rid, "l");
  EXPECT_FALSE(s->simulcast->send[1][1].paused);
  ASSERT_EQ(s->simulcast->recv.size(), 1u);
  EXPECT_EQ(s->simulcast->recv[0][0].rid, "r");
}

TEST(SdpMedia, SctpPortAndMaxMessageSize) {
  auto s = read0("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                 "a=mid:data\r\n"
                 "a=sctp-port:5001\r\n"
                 "a=max-message-size:262144\r\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->kind, sdp::MediaKind::Application);
  EXPECT_FALSE(s->is_rtp());
  EXPECT_TRUE(s->codecs.empty());
  ASSERT_TRUE(s->sctp);
  EXPECT_FALSE(s->sctp->legacy);
  EXPECT_EQ(s->sctp->port, 5001u);
  ASSERT_TRUE(s->sctp->max_message_size);
  EXPECT_EQ(*s->sctp->max_message_size, 262144u);

  auto dflt = read0("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
  ASSERT_TRUE(dflt);
  ASSERT_TRUE(dflt->sctp);
  EXPECT_EQ(dflt->sctp->port, 5000u);
  EXPECT_FALSE(dflt->sctp->max_message_size) << "absent: the peer assumes 65536";
}

TEST(SdpMedia, LegacySctpmapForm) {
  auto s = read0("m=application 9 DTLS/SCTP 5000\r\n"
                 "a=sctpmap:5000 webrtc-datachannel 1024\r\n");
  ASSERT_TRUE(s) << s.error().message;
  ASSERT_TRUE(s->sctp);
  EXPECT_TRUE(s->sctp->legacy);
  EXPECT_EQ(s->sctp->port, 5000u);
  EXPECT_EQ(s->sctp->streams, 1024u);
  EXPECT_FALSE(s->sctp->max_message_size);
  EXPECT_TRUE(s->codecs.empty()) << "5000 is an SCTP port, not a payload type";

  auto other = read0("m=application 9 DTLS/SCTP 5002\r\n");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->sctp->port, 5002u) << "the m= format is the port";
}

TEST(SdpMedia, SessionLevelDirectionAppliesToMlinesWithoutOne) {
  auto msg = parse_ok(sdp_text("m=audio 9 RTP/AVP 0\r\n"
                               "m=audio 9 RTP/AVP 0\r\n"
                               "a=sendonly\r\n",
                               "a=recvonly\r\n"));
  auto all = sdp::read_all_media(msg.get());
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].index, 0u);
  EXPECT_EQ((*all)[1].index, 1u);
  EXPECT_EQ((*all)[0].direction, Direction::RecvOnly);
  EXPECT_EQ((*all)[1].direction, Direction::SendOnly) << "media level wins";

  auto plain = read0("m=audio 9 RTP/AVP 0\r\n");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->direction, Direction::SendRecv) << "RFC 4566 §6 default";
  auto inactive = read0("m=audio 9 RTP/AVP 0\r\na=inactive\r\n");
  ASSERT_TRUE(inactive);
  EXPECT_EQ(inactive->direction, Direction::Inactive);
}

TEST(SdpMedia, RejectedSectionIgnoresItsAttributes) {
  auto s = read0("m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
                 "a=rtpmap:96 VP8\r\n" // would be an error in a live section
                 "a=extmap:0 urn:x\r\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_TRUE(s->rejected);
  EXPECT_TRUE(s->extmaps.empty());

  auto bundled = read0("m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
                       "a=bundle-only\r\n"
                       "a=rtpmap:96 VP8/90000\r\n");
  ASSERT_TRUE(bundled) << bundled.error().message;
  EXPECT_FALSE(bundled->rejected) << "port 0 with bundle-only is not a rejection";
  EXPECT_EQ(bundled->codecs[0].name, "VP8");
}

TEST(SdpMedia, ReadAllMediaFailsOnAnyBadSection) {
  auto msg = parse_ok(sdp_text("m=audio 9 RTP/AVP 0\r\n"
                               "m=video 9 RTP/AVP 96\r\n"
                               "a=mid:v1\r\n"
                               "a=rtpmap:96 VP8/0\r\n"));
  auto all = sdp::read_all_media(msg.get());
  ASSERT_FALSE(all);
  EXPECT_TRUE(contains(all.error().message, "m-line 1 (mid 'v1')")) << all.error().message;
  EXPECT_TRUE(contains(all.error().message, "a=rtpmap")) << all.error().message;
  EXPECT_EQ(all.error().code, ErrorCode::TypeError);
}

// ---------------------------------------------------------------------------------------------
// sdp/media: errors name the m-line and the attribute

struct BadCase {
  const char *line;
  const char *names; // what the message must contain
};

void expect_errors(const std::string &mline, std::initializer_list<BadCase> cases) {
  for (const auto &c : cases) {
    std::string err = read_error(mline + "a=mid:m0\r\n" + c.line + "\r\n");
    EXPECT_NE(err, "<ok>") << c.line;
    EXPECT_TRUE(contains(err, "m-line 0")) << c.line << " -> " << err;
    EXPECT_TRUE(contains(err, "mid 'm0'")) << c.line << " -> " << err;
    EXPECT_TRUE(contains(err, c.names)) << c.line << " -> " << err;
  }
}

TEST(SdpMediaErrors, BadRtpmap) {
  expect_errors("m=audio 9 RTP/AVP 111\r\n", {
                                                 {"a=rtpmap:128 opus/48000/2", "a=rtpmap"},
                                                 {"a=rtpmap:-1 opus/48000/2", "a=rtpmap"},
                                                 {"a=rtpmap:abc opus/48000/2", "a=rtpmap"},
                                                 {"a=rtpmap:111 opus", "a=rtpmap"},
                                                 {"a=rtpmap:111 opus/0/2", "a=rtpmap"},
                                                 {"a=rtpmap:111 opus/abc", "a=rtpmap"},
                                                 {"a=rtpmap:111 opus/48000/x", "a=rtpmap"},
                                                 {"a=rtpmap:111 opus/48000/2/1", "a=rtpmap"},
                                             });
  // The message quotes the bad value.
  EXPECT_TRUE(contains(read_error("m=audio 9 RTP/AVP 111\r\na=rtpmap:128 opus/48000/2\r\n"),
                       "128 opus/48000/2"));
}

TEST(SdpMediaErrors, BadFmtpAndRtcpFb) {
  expect_errors("m=video 9 RTP/AVPF 96\r\na=rtpmap:96 VP8/90000\r\n",
                {
                    {"a=fmtp:x apt=96", "a=fmtp"},
                    {"a=fmtp:200 apt=96", "a=fmtp"},
                    {"a=rtcp-fb:300 nack", "a=rtcp-fb"},
                    {"a=rtcp-fb:96", "a=rtcp-fb"},
                });
}

TEST(SdpMediaErrors, BadExtmap) {
  expect_errors(kVideoHead, {
                                {"a=extmap:0 urn:a", "a=extmap"},
                                {"a=extmap:15 urn:a", "a=extmap"},
                                {"a=extmap:256 urn:a", "a=extmap"},
                                {"a=extmap:x urn:a", "a=extmap"},
                                {"a=extmap:3/sideways urn:a", "a=extmap"},
                                {"a=extmap:3", "a=extmap"},
                            });
  std::string err =
      read_error(std::string(kVideoHead) + "a=extmap:3 urn:a\r\na=extmap:3 urn:b\r\n");
  EXPECT_TRUE(contains(err, "a=extmap")) << err;
  EXPECT_TRUE(contains(err, "urn:a")) << "names the URI the id already has: " << err;
  // 14 and 16 are the edges of the valid ranges.
  auto ok = read0(std::string(kVideoHead) + "a=extmap:14 urn:a\r\na=extmap:255 urn:b\r\n");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->extmaps.size(), 2u);
}

TEST(SdpMediaErrors, BadSsrcAndSsrcGroup) {
  expect_errors(kVideoHead, {
                                {"a=ssrc:abc cname:x", "a=ssrc"},
                                {"a=ssrc:-1 cname:x", "a=ssrc"},
                                {"a=ssrc:4294967296 cname:x", "a=ssrc"},
                                {"a=ssrc-group:FID", "a=ssrc-group"},
                                {"a=ssrc-group:FID 1 x", "a=ssrc-group"},
                                {"a=msid:a b c", "a=msid"},
                            });
}

TEST(SdpMediaErrors, BadRidAndSimulcast) {
  expect_errors(kVideoHead, {
                                {"a=rid:h sideways", "a=rid"},
                                {"a=rid:h", "a=rid"},
                                {"a=rid:h! send", "a=rid"},
                                {"a=rid:h send pt=96,300", "a=rid"},
                                {"a=simulcast:send h", "a=simulcast"},
                                {"a=simulcast:sideways h", "a=simulcast"},
                            });
  std::string dup = read_error(std::string(kVideoHead) + "a=rid:h send\r\na=rid:h recv\r\n");
  EXPECT_TRUE(contains(dup, "a=rid")) << dup;
  EXPECT_TRUE(contains(dup, "twice")) << dup;
  std::string unknown =
      read_error(std::string(kVideoHead) + "a=rid:h send\r\na=simulcast:send h;~lo\r\n");
  EXPECT_TRUE(contains(unknown, "a=simulcast")) << unknown;
  EXPECT_TRUE(contains(unknown, "'lo'")) << "the paused marker is not part of the rid: " << unknown;
}

TEST(SdpMediaErrors, BadSctp) {
  expect_errors("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n",
                {
                    {"a=sctp-port:0", "a=sctp-port"},
                    {"a=sctp-port:65536", "a=sctp-port"},
                    {"a=sctp-port:abc", "a=sctp-port"},
                    {"a=max-message-size:big", "a=max-message-size"},
                });
  expect_errors("m=application 9 DTLS/SCTP 5000\r\n",
                {
                    {"a=sctpmap:x webrtc-datachannel", "a=sctpmap"},
                    {"a=sctpmap:5000", "a=sctpmap"},
                });
}

TEST(SdpMediaErrors, NonNumericFormatOnAnRtpMline) {
  std::string err = read_error("m=audio 9 UDP/TLS/RTP/SAVPF 111 abc\r\na=mid:a\r\n");
  EXPECT_TRUE(contains(err, "m-line 0")) << err;
  EXPECT_TRUE(contains(err, "'abc'")) << err;
  err = read_error("m=audio 9 RTP/AVP 128\r\n");
  EXPECT_TRUE(contains(err, "'128'")) << err;
  // Non-RTP, non-SCTP m-lines have formats that are not payload types.
  auto s = read0("m=message 9 TCP/MSRP *\r\n");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->kind, sdp::MediaKind::Other);
  EXPECT_TRUE(s->codecs.empty());
}

// ---------------------------------------------------------------------------------------------
// sdp/media: direction helpers

TEST(SdpDirection, ReverseSwapsSendAndRecv) {
  EXPECT_EQ(sdp::reverse(Direction::SendOnly), Direction::RecvOnly);
  EXPECT_EQ(sdp::reverse(Direction::RecvOnly), Direction::SendOnly);
  EXPECT_EQ(sdp::reverse(Direction::SendRecv), Direction::SendRecv);
  EXPECT_EQ(sdp::reverse(Direction::Inactive), Direction::Inactive);
  EXPECT_EQ(sdp::reverse(Direction::None), Direction::None);
  EXPECT_STREQ(sdp::to_string(Direction::SendOnly), "sendonly");
  EXPECT_STREQ(sdp::to_string(Direction::None), "none");
  EXPECT_EQ(sdp::make_direction(false, false), Direction::Inactive);
  EXPECT_TRUE(sdp::has_send(Direction::SendRecv));
  EXPECT_FALSE(sdp::has_send(Direction::RecvOnly));
  EXPECT_FALSE(sdp::has_recv(Direction::None));
}

TEST(SdpDirection, AnswerDirectionFollowsRfc3264) {
  using D = Direction;
  struct {
    D offered, wanted, answer;
  } cases[] = {
      {D::SendRecv, D::SendRecv, D::SendRecv}, {D::SendRecv, D::SendOnly, D::SendOnly},
      {D::SendRecv, D::RecvOnly, D::RecvOnly}, {D::SendRecv, D::Inactive, D::Inactive},
      {D::SendOnly, D::SendRecv, D::RecvOnly}, {D::SendOnly, D::SendOnly, D::Inactive},
      {D::SendOnly, D::RecvOnly, D::RecvOnly}, {D::RecvOnly, D::SendRecv, D::SendOnly},
      {D::RecvOnly, D::SendOnly, D::SendOnly}, {D::RecvOnly, D::RecvOnly, D::Inactive},
      {D::Inactive, D::SendRecv, D::Inactive},
  };
  for (const auto &c : cases)
    EXPECT_EQ(sdp::answer_direction(c.offered, c.wanted), c.answer)
        << sdp::to_string(c.offered) << " / " << sdp::to_string(c.wanted);
}

// ---------------------------------------------------------------------------------------------
// sdp/media: fmtp text

TEST(SdpFmtp, ParseParamsTrimsAndKeepsOrder) {
  auto p = sdp::parse_fmtp_params(" minptime=10; useinbandfec = 1 ;;stereo=1");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>{"minptime", "10"}));
  EXPECT_EQ(p[1], (std::pair<std::string, std::string>{"useinbandfec", "1"}));
  EXPECT_EQ(p[2], (std::pair<std::string, std::string>{"stereo", "1"}));
  EXPECT_TRUE(sdp::parse_fmtp_params("").empty());
  auto red = sdp::parse_fmtp_params("111/111");
  ASSERT_EQ(red.size(), 1u);
  EXPECT_EQ(red[0], (std::pair<std::string, std::string>{"111/111", ""}));
  EXPECT_TRUE(sdp::parse_fmtp_params("=1").empty());
  auto eq = sdp::parse_fmtp_params("sprop-parameter-sets=Z0LAHtkA,aM4=");
  ASSERT_EQ(eq.size(), 1u);
  EXPECT_EQ(eq[0].second, "Z0LAHtkA,aM4=") << "split at the first '=' only";
}

TEST(SdpFmtp, FmtpStringPrefersParamsOverRaw) {
  Codec c = make("opus", 48000, 2, {{"minptime", "10"}, {"useinbandfec", "1"}});
  EXPECT_EQ(sdp::fmtp_string(c), "minptime=10;useinbandfec=1");
  c.fmtp_raw = "ignored";
  EXPECT_EQ(sdp::fmtp_string(c), "minptime=10;useinbandfec=1");
  Codec red = make("red", 48000, 2);
  red.fmtp_raw = "111/111";
  EXPECT_EQ(sdp::fmtp_string(red), "111/111");
  EXPECT_EQ(sdp::fmtp_string(make("VP8", 90000)), "");
  c.set_param("minptime", "20");
  c.set_param("stereo", "1");
  EXPECT_EQ(sdp::fmtp_string(c), "minptime=20;useinbandfec=1;stereo=1");
}

// media.hpp documents value-less fmtp tokens as params with value "" and fmtp_string's output
// as "k=v;k2". Neither holds: the parser drops the token and the writer adds '='.
TEST(SdpFmtp, ValuelessTokensRoundTrip) {
  auto p = sdp::parse_fmtp_params("apt=96;x-flag");
  EXPECT_EQ(p, (sdp::Params{{"apt", "96"}, {"x-flag", ""}})) << "actual size " << p.size();
  Codec c = make("rtx", 90000, 0, {{"apt", "96"}, {"x-flag", ""}});
  EXPECT_EQ(sdp::fmtp_string(c), "apt=96;x-flag");
}

// ---------------------------------------------------------------------------------------------
// sdp/media: writing

TEST(SdpMediaWrite, VideoSectionRoundTrips) {
  auto s = read0("m=video 9 UDP/TLS/RTP/SAVPF 102 96 97\r\n"
                 "c=IN IP4 0.0.0.0\r\n"
                 "a=mid:1\r\n"
                 "a=extmap:3/sendonly urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
                 "a=extmap:4 urn:3gpp:video-orientation attr\r\n"
                 "a=sendonly\r\n"
                 "a=msid:s0 t0\r\n"
                 "a=rtpmap:102 H264/90000\r\n"
                 "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n"
                 "a=rtcp-fb:102 nack pli\r\n"
                 "a=rtpmap:96 VP8/90000\r\n"
                 "a=rtcp-fb:* transport-cc\r\n"
                 "a=rtpmap:97 rtx/90000\r\n"
                 "a=fmtp:97 apt=96\r\n"
                 "a=ssrc-group:FID 10 20\r\n"
                 "a=ssrc:10 cname:c\r\n"
                 "a=ssrc:10 msid:s0 t0\r\n"
                 "a=ssrc:20 cname:c\r\n"
                 "a=rid:hi send pt=102;max-width=1280\r\n"
                 "a=rid:lo send\r\n"
                 "a=simulcast:send hi;~lo\r\n");
  ASSERT_TRUE(s) << s.error().message;
  auto again = write_and_read(*s);
  ASSERT_TRUE(again) << again.error().message;
  const MediaSection &a = *s, &b = *again;
  EXPECT_EQ(b.kind, a.kind);
  EXPECT_EQ(b.protocol, a.protocol);
  EXPECT_EQ(b.mid, "1");
  EXPECT_FALSE(b.rejected);
  EXPECT_EQ(b.formats, a.formats);
  EXPECT_EQ(b.direction, Direction::SendOnly);
  ASSERT_EQ(b.codecs.size(), a.codecs.size());
  for (size_t i = 0; i < a.codecs.size(); i++) {
    EXPECT_EQ(b.codecs[i].pt, a.codecs[i].pt);
    EXPECT_EQ(b.codecs[i].name, a.codecs[i].name);
    EXPECT_EQ(b.codecs[i].clock_rate, a.codecs[i].clock_rate);
    EXPECT_EQ(b.codecs[i].params, a.codecs[i].params);
    EXPECT_EQ(b.codecs[i].feedback, a.codecs[i].feedback);
    EXPECT_TRUE(same_format(a.codecs[i], b.codecs[i])) << a.codecs[i].name;
  }
  ASSERT_EQ(b.extmaps.size(), 2u);
  EXPECT_EQ(b.extmaps[0].id, 3);
  EXPECT_EQ(b.extmaps[0].direction, Direction::SendOnly);
  EXPECT_EQ(b.extmaps[1].attributes, "attr");
  ASSERT_EQ(b.msids.size(), 1u);
  EXPECT_EQ(b.msids[0].track, "t0");
  ASSERT_EQ(b.ssrc_groups.size(), 1u);
  EXPECT_EQ(b.ssrc_groups[0].ssrcs, a.ssrc_groups[0].ssrcs);
  ASSERT_EQ(b.ssrcs.size(), 2u);
  EXPECT_EQ(b.ssrcs[0].cname, "c");
  ASSERT_TRUE(b.ssrcs[0].msid);
  EXPECT_EQ(b.ssrcs[0].msid->stream, "s0");
  ASSERT_EQ(b.rids.size(), 2u);
  EXPECT_EQ(b.rids[0].pts, (std::vector<int>{102}));
  EXPECT_EQ(b.rids[0].restrictions, "max-width=1280");
  ASSERT_TRUE(b.simulcast);
  ASSERT_EQ(b.simulcast->send.size(), 2u);
  EXPECT_EQ(b.simulcast->send[1][0].rid, "lo");
  EXPECT_TRUE(b.simulcast->send[1][0].paused);
  EXPECT_TRUE(b.simulcast->recv.empty());
}

TEST(SdpMediaWrite, AudioCodecsWithChannelsAndRawFmtpRoundTrip) {
  auto s = read0("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 0 110\r\n"
                 "a=rtpmap:111 opus/48000/2\r\n"
                 "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
                 "a=rtpmap:63 red/48000/2\r\n"
                 "a=fmtp:63 111/111\r\n"
                 "a=rtpmap:110 telephone-event/48000\r\n"
                 "a=fmtp:110 0-15\r\n");
  ASSERT_TRUE(s) << s.error().message;
  auto b = write_and_read(*s);
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_EQ(b->codecs.size(), 4u);
  EXPECT_EQ(b->codecs[0].channels, 2u);
  EXPECT_EQ(b->codecs[0].params, s->codecs[0].params);
  EXPECT_EQ(b->codecs[1].fmtp_raw, "111/111");
  EXPECT_EQ(b->codecs[2].name, "PCMU");
  EXPECT_EQ(b->codecs[2].clock_rate, 8000u);
  EXPECT_EQ(b->codecs[3].fmtp_raw, "0-15");
  EXPECT_EQ(b->direction, Direction::SendRecv);
}

TEST(SdpMediaWrite, SctpSectionsRoundTrip) {
  auto modern = read0("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                      "a=sctp-port:5001\r\n"
                      "a=max-message-size:1024\r\n");
  ASSERT_TRUE(modern);
  auto m2 = write_and_read(*modern);
  ASSERT_TRUE(m2) << m2.error().message;
  EXPECT_EQ(m2->formats, (std::vector<std::string>{"webrtc-datachannel"}));
  ASSERT_TRUE(m2->sctp);
  EXPECT_FALSE(m2->sctp->legacy);
  EXPECT_EQ(m2->sctp->port, 5001u);
  EXPECT_EQ(m2->sctp->max_message_size.value_or(0), 1024u);

  auto legacy = read0("m=application 9 DTLS/SCTP 5000\r\n"
                      "a=sctpmap:5000 webrtc-datachannel 1024\r\n");
  ASSERT_TRUE(legacy);
  auto l2 = write_and_read(*legacy);
  ASSERT_TRUE(l2) << l2.error().message;
  EXPECT_EQ(l2->protocol, "DTLS/SCTP");
  EXPECT_EQ(l2->formats, (std::vector<std::string>{"5000"}));
  ASSERT_TRUE(l2->sctp);
  EXPECT_TRUE(l2->sctp->legacy);
  EXPECT_EQ(l2->sctp->port, 5000u);
  EXPECT_EQ(l2->sctp->streams, 1024u);
  EXPECT_FALSE(l2->sctp->max_message_size);
}

TEST(SdpMediaWrite, MlineAndDirectionDetails) {
  MediaSection s;
  s.kind = sdp::MediaKind::Video;
  s.protocol = "UDP/TLS/RTP/SAVPF";
  s.direction = Direction::None;
  s.codecs = {make("VP8", 90000, 0, {}, {}, 96), rtx(97, 96)};
  GstSDPMedia *media = nullptr;
  gst_sdp_media_new(&media);
  sdp::write_mline(s, media);
  sdp::write_media_attributes(s, media);
  EXPECT_STREQ(gst_sdp_media_get_media(media), "video") << "from the kind when media is empty";
  EXPECT_EQ(gst_sdp_media_get_port(media), 9u);
  ASSERT_EQ(gst_sdp_media_formats_len(media), 2u);
  EXPECT_STREQ(gst_sdp_media_get_format(media, 0), "96");
  EXPECT_STREQ(gst_sdp_media_get_format(media, 1), "97");
  ASSERT_EQ(gst_sdp_media_connections_len(media), 1u);
  EXPECT_STREQ(gst_sdp_media_get_connection(media, 0)->address, "0.0.0.0");
  bool inactive = false;
  for (guint i = 0; i < gst_sdp_media_attributes_len(media); i++)
    inactive |= g_strcmp0(gst_sdp_media_get_attribute(media, i)->key, "inactive") == 0;
  EXPECT_TRUE(inactive) << "Direction::None is written as inactive";
  EXPECT_STREQ(gst_sdp_media_get_attribute_val(media, "fmtp"), "97 apt=96");
  gst_sdp_media_free(media);
}

TEST(SdpMediaWrite, RejectedSectionIsOnlyAnMline) {
  auto s = read0(std::string("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n") +
                 "a=rtpmap:96 VP8/90000\r\n" + "a=rtpmap:97 VP9/90000\r\n" + "a=sendrecv\r\n");
  ASSERT_TRUE(s);
  s->rejected = true;
  GstSDPMedia *media = nullptr;
  gst_sdp_media_new(&media);
  sdp::write_mline(*s, media);
  sdp::write_media_attributes(*s, media);
  EXPECT_EQ(gst_sdp_media_get_port(media), 0u);
  EXPECT_EQ(gst_sdp_media_formats_len(media), 1u) << "RFC 4566: one format even when rejected";
  EXPECT_STREQ(gst_sdp_media_get_format(media, 0), "96");
  EXPECT_EQ(gst_sdp_media_attributes_len(media), 0u);
  gst_sdp_media_free(media);

  MediaSection empty;
  empty.kind = sdp::MediaKind::Audio;
  empty.protocol = "UDP/TLS/RTP/SAVPF";
  empty.rejected = true;
  gst_sdp_media_new(&media);
  sdp::write_mline(empty, media);
  ASSERT_EQ(gst_sdp_media_formats_len(media), 1u);
  EXPECT_STREQ(gst_sdp_media_get_format(media, 0), "0");
  gst_sdp_media_free(media);
}

// ---------------------------------------------------------------------------------------------
// jsep/codecs: identity of a codec

TEST(JsepCodecs, RoleOfIgnoresCase) {
  EXPECT_EQ(role_of(make("RTX", 90000)), CodecRole::Rtx);
  EXPECT_EQ(role_of(make("red", 90000)), CodecRole::Red);
  EXPECT_EQ(role_of(make("ULPFEC", 90000)), CodecRole::Ulpfec);
  EXPECT_EQ(role_of(make("flexfec-03", 90000)), CodecRole::Flexfec);
  EXPECT_EQ(role_of(make("telephone-event", 8000)), CodecRole::TelephoneEvent);
  EXPECT_EQ(role_of(make("cn", 8000)), CodecRole::ComfortNoise);
  EXPECT_EQ(role_of(make("opus", 48000)), CodecRole::Media);
  EXPECT_EQ(role_of(make("rtx2", 90000)), CodecRole::Media);
}

TEST(JsepCodecs, CanonicalName) {
  EXPECT_EQ(canonical_name("OPUS"), "opus");
  EXPECT_EQ(canonical_name("vp8"), "VP8");
  EXPECT_EQ(canonical_name("h264"), "H264");
  EXPECT_EQ(canonical_name("RTX"), "rtx");
  EXPECT_EQ(canonical_name("TELEPHONE-EVENT"), "telephone-event");
  EXPECT_EQ(canonical_name("FLEXFEC-03"), "flexfec-03");
  EXPECT_EQ(canonical_name("MyCodec"), "MyCodec") << "unknown names as given";
  EXPECT_EQ(canonical_name("opusx"), "opusx");
}

TEST(JsepCodecs, SameFormatH264ByProfileAndPacketizationMode) {
  EXPECT_TRUE(same_format(h264("42e01f", "1"), h264("42c01f", "1"))) << "both Constrained Baseline";
  EXPECT_TRUE(same_format(h264("42e01f", "1"), h264("42e029", "1"))) << "the level does not count";
  EXPECT_FALSE(same_format(h264("42e01f", "1"), h264("4d001f", "1")));
  EXPECT_FALSE(same_format(h264("42e01f", "1"), h264("42001f", "1")));
  EXPECT_FALSE(same_format(h264("42e01f", "0"), h264("42e01f", "1")));
  EXPECT_TRUE(same_format(h264("42e01f", nullptr), h264("42e01f", "0"))) << "mode defaults to 0";
  Codec bad = h264("zzzzzz", "1");
  EXPECT_FALSE(same_format(bad, bad)) << "an unreadable profile-level-id matches nothing";
  Codec lower = h264("42e01f", "1");
  lower.name = "h264";
  EXPECT_TRUE(same_format(lower, h264("42e01f", "1")));
}

TEST(JsepCodecs, SameFormatVp9Av1H265UseDefaults) {
  Codec vp9 = make("VP9", 90000);
  EXPECT_TRUE(same_format(vp9, make("VP9", 90000, 0, {{"profile-id", "0"}})));
  EXPECT_FALSE(same_format(vp9, make("VP9", 90000, 0, {{"profile-id", "2"}})));
  Codec av1 = make("AV1", 90000);
  EXPECT_TRUE(same_format(av1, make("AV1", 90000, 0, {{"profile", "0"}})));
  EXPECT_FALSE(same_format(av1, make("AV1", 90000, 0, {{"profile", "1"}})));
  EXPECT_TRUE(same_format(av1, make("AV1", 90000, 0, {{"level-idx", "8"}})))
      << "level-idx does not define the format";
  Codec h265 = make("H265", 90000);
  EXPECT_TRUE(same_format(h265, make("H265", 90000, 0, {{"profile-id", "1"}, {"tier-flag", "0"}})));
  EXPECT_FALSE(same_format(h265, make("H265", 90000, 0, {{"profile-id", "2"}})));
  EXPECT_FALSE(same_format(h265, make("H265", 90000, 0, {{"tier-flag", "1"}})));
  EXPECT_TRUE(same_format(h265, make("H265", 90000, 0, {{"level-id", "93"}})));
}

TEST(JsepCodecs, SameFormatNameClockRateAndChannels) {
  EXPECT_TRUE(same_format(make("OPUS", 48000, 2), make("opus", 48000, 2)));
  EXPECT_FALSE(same_format(make("opus", 48000, 2), make("opus", 48000, 1)));
  EXPECT_TRUE(same_format(make("PCMU", 8000, 0), make("PCMU", 8000, 1))) << "channels default 1";
  EXPECT_FALSE(same_format(make("telephone-event", 8000), make("telephone-event", 48000)));
  EXPECT_FALSE(same_format(make("VP8", 90000), make("VP9", 90000)));
  EXPECT_TRUE(same_format(make("VP8", 90000, 0, {{"max-fr", "30"}}), make("VP8", 90000)))
      << "parameters that do not define the format are not compared";
}

TEST(JsepCodecs, SameFormatRtxByAptAndRedByList) {
  EXPECT_TRUE(same_format(rtx(97, 96), rtx(99, 96)));
  EXPECT_FALSE(same_format(rtx(97, 96), rtx(97, 98)));
  Codec red_a = make("red", 48000, 2), red_b = make("red", 48000, 2);
  red_a.fmtp_raw = "111/111";
  red_b.fmtp_raw = "111/111";
  EXPECT_TRUE(same_format(red_a, red_b));
  red_b.fmtp_raw = "109/109";
  EXPECT_FALSE(same_format(red_a, red_b));
  EXPECT_TRUE(same_format(make("red", 90000), make("red", 90000))) << "video red has no list";
}

// ---------------------------------------------------------------------------------------------
// jsep/codecs: payload types

TEST(JsepPayloadTypes, KeepsAFreeExplicitPt) {
  PayloadTypes pts;
  EXPECT_FALSE(pts.used(111));
  EXPECT_EQ(pts.assign(make("opus", 48000, 2, {}, {}, 111)), 111);
  EXPECT_TRUE(pts.used(111));
  EXPECT_EQ(pts.assign(make("PCMU", 8000, 0, {}, {}, 0)), 0);
  EXPECT_EQ(pts.assign(make("OPUS", 48000, 2, {}, {}, 111)), 111) << "same format, same PT";
}

TEST(JsepPayloadTypes, ReusesThePtOfAnIdenticalFormat) {
  PayloadTypes pts;
  EXPECT_EQ(pts.assign(h264("42e01f", "1", 102)), 102);
  EXPECT_EQ(pts.assign(h264("42c01f", "1")), 102) << "no PT asked: the format's PT";
  EXPECT_EQ(pts.assign(h264("42e01f", "1", 104)), 104) << "a free PT asked for is kept";
}

TEST(JsepPayloadTypes, ConflictingPtGetsAnotherOne) {
  PayloadTypes pts;
  EXPECT_EQ(pts.assign(make("VP8", 90000, 0, {}, {}, 96)), 96);
  int vp9 = pts.assign(make("VP9", 90000, 0, {}, {}, 96));
  EXPECT_NE(vp9, 96);
  EXPECT_EQ(vp9, 97) << "the first free dynamic PT";
  EXPECT_EQ(pts.assign(make("VP9", 90000, 0, {}, {}, 96)), 97) << "and it keeps that one";
}

TEST(JsepPayloadTypes, AllocatesUpperDynamicRangeThenLowerThenFails) {
  PayloadTypes pts;
  std::vector<int> got;
  for (int i = 0; i < 32 + 29 + 1; i++)
    got.push_back(pts.assign(rtx(-1, 1000 + i))); // distinct formats
  for (int i = 0; i < 32; i++)
    EXPECT_EQ(got[i], 96 + i);
  for (int i = 0; i < 29; i++)
    EXPECT_EQ(got[32 + i], 35 + i);
  EXPECT_EQ(got.back(), -1) << "64-95 are never allocated (RTCP mux, RFC 5761 §4)";
  for (int pt = 64; pt < 96; pt++)
    EXPECT_FALSE(pts.used(pt)) << pt;
  EXPECT_EQ(pts.assign(rtx(-1, 1000)), 96) << "a known format still finds its PT";
}

TEST(JsepPayloadTypes, ReserveRecordsNegotiatedPts) {
  PayloadTypes pts;
  pts.reserve(make("VP8", 90000, 0, {}, {}, 96));
  pts.reserve(make("VP9", 90000, 0, {}, {}, 96)); // already taken: ignored
  pts.reserve(make("AV1", 90000, 0, {}, {}, -1)); // no PT: ignored
  EXPECT_TRUE(pts.used(96));
  EXPECT_FALSE(pts.used(-1));
  EXPECT_EQ(pts.assign(make("VP8", 90000)), 96);
  EXPECT_EQ(pts.assign(make("VP9", 90000)), 97) << "VP9 never got 96";
  EXPECT_EQ(pts.assign(make("AV1", 90000)), 98);
}

// ---------------------------------------------------------------------------------------------
// jsep/codecs: offers

TEST(JsepOfferCodecs, EveryVideoCodecIsFollowedByItsRtx) {
  PayloadTypes pts;
  auto caps = default_capabilities(sdp::MediaKind::Video);
  auto offer = offer_codecs(caps, pts);
  std::set<int> seen;
  int media = 0;
  for (size_t i = 0; i < offer.size(); i++) {
    const Codec &c = offer[i];
    EXPECT_TRUE(seen.insert(c.pt).second) << "PT " << c.pt << " used twice";
    EXPECT_TRUE((c.pt >= 96 && c.pt <= 127) || (c.pt >= 35 && c.pt <= 63)) << c.pt;
    if (role_of(c) != CodecRole::Media)
      continue;
    media++;
    ASSERT_LT(i + 1, offer.size()) << c.name;
    const Codec &r = offer[i + 1];
    EXPECT_EQ(role_of(r), CodecRole::Rtx) << c.name << " is not followed by rtx";
    ASSERT_NE(r.param("apt"), nullptr);
    EXPECT_EQ(*r.param("apt"), std::to_string(c.pt));
    EXPECT_EQ(r.clock_rate, 90000u);
  }
  EXPECT_EQ(media, 10) << "VP8, VP9 x2, H264 x5, H265, AV1";
  auto rtx_count = std::count_if(offer.begin(), offer.end(),
                                 [](const Codec &c) { return role_of(c) == CodecRole::Rtx; });
  EXPECT_EQ(rtx_count, media);
  EXPECT_TRUE(std::any_of(offer.begin(), offer.end(),
                          [](const Codec &c) { return role_of(c) == CodecRole::Red; }));
  EXPECT_TRUE(std::any_of(offer.begin(), offer.end(),
                          [](const Codec &c) { return role_of(c) == CodecRole::Ulpfec; }));
}

TEST(JsepOfferCodecs, AudioKeepsItsPtsAndHasNoRtx) {
  PayloadTypes pts;
  auto offer = offer_codecs(default_capabilities(sdp::MediaKind::Audio), pts);
  EXPECT_EQ(pts_of(offer), (std::vector<int>{111, 9, 0, 8, 110, 126}));
  EXPECT_EQ(names_of(offer), (std::vector<std::string>{"opus", "G722", "PCMU", "PCMA",
                                                       "telephone-event", "telephone-event"}));
}

TEST(JsepOfferCodecs, NamesAreCanonicalAndBundlePtsDoNotCollide) {
  PayloadTypes pts;
  Capabilities a;
  a.codecs = {make("OPUS", 48000, 2, {}, {}, 96)};
  Capabilities v;
  v.codecs = {make("vp8", 90000, 0, {}, {}, 96)};
  v.rtx = true;
  auto audio = offer_codecs(a, pts);
  auto video = offer_codecs(v, pts);
  ASSERT_EQ(audio.size(), 1u);
  EXPECT_EQ(audio[0].name, "opus");
  EXPECT_EQ(audio[0].pt, 96);
  ASSERT_EQ(video.size(), 2u);
  EXPECT_EQ(video[0].name, "VP8");
  EXPECT_EQ(video[0].pt, 97) << "96 is opus in this BUNDLE group";
  EXPECT_EQ(video[1].pt, 98);
  EXPECT_EQ(*video[1].param("apt"), "97");
}

TEST(JsepOfferCodecs, CodecsWithoutAPtAreLeftOut) {
  PayloadTypes pts;
  for (int i = 0; i < 61; i++)
    ASSERT_GE(pts.assign(rtx(-1, 1000 + i)), 0);
  Capabilities v;
  v.codecs = {make("VP8", 90000), make("PCMU", 8000, 0, {}, {}, 0)};
  v.rtx = true;
  auto offer = offer_codecs(v, pts);
  EXPECT_EQ(names_of(offer), (std::vector<std::string>{"PCMU"})) << "VP8 and its rtx get no PT";
  EXPECT_EQ(offer[0].pt, 0);
}

TEST(JsepOfferCodecs, AudioRedWithAListIsNotOfferedFromCapabilities) {
  PayloadTypes pts;
  Capabilities a;
  Codec red = make("red", 48000, 2);
  red.fmtp_raw = "111/111";
  a.codecs = {make("opus", 48000, 2, {}, {}, 111), red};
  EXPECT_EQ(names_of(offer_codecs(a, pts)), (std::vector<std::string>{"opus"}));
}

// Two capabilities that are the same format (here H.264 Constrained Baseline at two levels,
// as codec-preferences or a payloader's caps may list) get the same PT from PayloadTypes, and
// offer_codecs lists both: the offer's m= line has the PT twice, with two rtpmaps and fmtps.
TEST(JsepOfferCodecs, SameFormatTwiceDoesNotRepeatAPt) {
  PayloadTypes pts;
  Capabilities v;
  v.codecs = {h264("42e01f", "1"), h264("42e028", "1")};
  v.rtx = true;
  auto offer = offer_codecs(v, pts);
  std::set<int> seen;
  for (const auto &c : offer)
    EXPECT_TRUE(seen.insert(c.pt).second) << "PT " << c.pt << " used twice";
}

// ---------------------------------------------------------------------------------------------
// jsep/codecs: answers

std::vector<Codec> chrome_video_offer() {
  std::vector<std::string> fb = {"goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"};
  Codec h = h264("42e01f", "1", 102);
  h.set_param("level-asymmetry-allowed", "1");
  h.feedback = fb;
  return {make("VP8", 90000, 0, {}, fb, 96),
          rtx(97, 96),
          make("VP9", 90000, 0, {{"profile-id", "0"}}, fb, 98),
          rtx(99, 98),
          h,
          rtx(103, 102),
          make("AV1", 90000, 0, {}, fb, 45),
          rtx(46, 45),
          make("red", 90000, 0, {}, {}, 116),
          rtx(117, 116),
          make("ulpfec", 90000, 0, {}, {}, 118)};
}

TEST(JsepAnswerCodecs, KeepsOffererPtsAndOrder) {
  Capabilities ours;
  ours.codecs = {h264("42c01f", "1"), make("VP8", 90000)};
  auto ans = answer_codecs(chrome_video_offer(), ours);
  EXPECT_EQ(pts_of(ans), (std::vector<int>{96, 102})) << "no rtx/red/ulpfec: we have none";
  EXPECT_EQ(names_of(ans), (std::vector<std::string>{"VP8", "H264"}));
}

TEST(JsepAnswerCodecs, PreferredCapabilitiesUseOurOrder) {
  Capabilities ours;
  ours.codecs = {h264("42e01f", "1"), make("VP8", 90000)};
  ours.rtx = true;
  ours.preferred = true;
  auto ans = answer_codecs(chrome_video_offer(), ours);
  EXPECT_EQ(pts_of(ans), (std::vector<int>{102, 103, 96, 97}))
      << "our order, each with its rtx right after";
  ours.preferred = false;
  EXPECT_EQ(pts_of(answer_codecs(chrome_video_offer(), ours)),
            (std::vector<int>{96, 97, 102, 103}));
}

TEST(JsepAnswerCodecs, FeedbackIsTheIntersection) {
  Capabilities ours;
  ours.codecs = {make("VP8", 90000, 0, {}, {"nack", "nack pli", "rrtr"})};
  auto ans = answer_codecs(chrome_video_offer(), ours);
  ASSERT_FALSE(ans.empty());
  EXPECT_EQ(ans[0].feedback, (std::vector<std::string>{"nack", "nack pli"}))
      << "the offer's order, only what both list";
}

TEST(JsepAnswerCodecs, RtxOnlyForKeptCodecsAndWhenWeDoRtx) {
  Capabilities ours;
  ours.codecs = {make("VP9", 90000, 0, {{"profile-id", "0"}})};
  ours.rtx = true;
  auto ans = answer_codecs(chrome_video_offer(), ours);
  EXPECT_EQ(pts_of(ans), (std::vector<int>{98, 99}));
  ASSERT_EQ(ans.size(), 2u);
  EXPECT_EQ(*ans[1].param("apt"), "98");
  ours.rtx = false;
  EXPECT_EQ(pts_of(answer_codecs(chrome_video_offer(), ours)), (std::vector<int>{98}));
}

TEST(JsepAnswerCodecs, RedUlpfecAndTheirRtxWithDefaultCapabilities) {
  auto ans = answer_codecs(chrome_video_offer(), default_capabilities(sdp::MediaKind::Video));
  EXPECT_EQ(pts_of(ans), (std::vector<int>{96, 97, 98, 99, 102, 103, 45, 46, 116, 117, 118}));
  std::set<int> seen;
  for (const auto &c : ans)
    EXPECT_TRUE(seen.insert(c.pt).second) << c.pt;
}

TEST(JsepAnswerCodecs, TelephoneEventOnlyWhenWeHaveItAtThatRate) {
  std::vector<Codec> offer = {make("opus", 48000, 2, {{"minptime", "10"}}, {"transport-cc"}, 111),
                              make("telephone-event", 48000, 0, {}, {}, 110),
                              make("telephone-event", 8000, 0, {}, {}, 126)};
  Capabilities ours;
  ours.codecs = {make("opus", 48000, 2, {{"useinbandfec", "1"}})};
  EXPECT_EQ(pts_of(answer_codecs(offer, ours)), (std::vector<int>{111}));
  ours.codecs.push_back(make("telephone-event", 8000));
  EXPECT_EQ(pts_of(answer_codecs(offer, ours)), (std::vector<int>{111, 126}));
  auto ans = answer_codecs(offer, default_capabilities(sdp::MediaKind::Audio));
  EXPECT_EQ(pts_of(ans), (std::vector<int>{111, 110, 126}));
  ASSERT_FALSE(ans.empty());
  EXPECT_TRUE(ans[0].feedback == std::vector<std::string>{"transport-cc"});
  ASSERT_NE(ans[0].param("useinbandfec"), nullptr) << "our fmtp: what we want to receive";
}

TEST(JsepAnswerCodecs, EmptyWhenNoMediaCodecIsCommon) {
  std::vector<Codec> offer = {make("telephone-event", 8000, 0, {}, {}, 126),
                              make("ISAC", 16000, 0, {}, {}, 103)};
  EXPECT_TRUE(answer_codecs(offer, default_capabilities(sdp::MediaKind::Audio)).empty());
  Capabilities ours;
  ours.codecs = {make("VP9", 90000, 0, {{"profile-id", "2"}})};
  ours.rtx = true;
  EXPECT_TRUE(answer_codecs(chrome_video_offer(), ours).empty()) << "only profile 0 offered";
  EXPECT_TRUE(answer_codecs({}, default_capabilities(sdp::MediaKind::Video)).empty());
}

TEST(JsepAnswerCodecs, H264AnswerLevelFollowsRfc6184) {
  std::vector<Codec> offer = {h264("42e028", "1", 102)}; // level 4.0, no asymmetry
  Capabilities ours;
  ours.codecs = {h264("42e01f", "1")}; // we decode up to 3.1
  auto ans = answer_codecs(offer, ours);
  ASSERT_EQ(ans.size(), 1u);
  ASSERT_NE(ans[0].param("profile-level-id"), nullptr);
  EXPECT_EQ(*ans[0].param("profile-level-id"), "42e01f") << "the lower level";
  EXPECT_EQ(*ans[0].param("packetization-mode"), "1");
  EXPECT_EQ(ans[0].pt, 102);
}

TEST(JsepNegotiatedCodecs, AnswerEntriesTheOfferHas) {
  auto offer = chrome_video_offer();
  Codec vp8 = make("VP8", 90000, 0, {}, {"nack"}, 96);
  Codec stray = make("VP9", 90000, 0, {}, {}, 100);   // not offered at that PT
  Codec renamed = make("AV1", 90000, 0, {}, {}, 102); // PT 102 is H264 in the offer
  auto n = negotiated_codecs(offer, {vp8, rtx(97, 96), stray, renamed});
  EXPECT_EQ(pts_of(n), (std::vector<int>{96, 97}));
  ASSERT_FALSE(n.empty());
  EXPECT_EQ(n[0].feedback, (std::vector<std::string>{"nack"})) << "the answer's parameters";
  EXPECT_TRUE(negotiated_codecs(offer, {}).empty());
}

TEST(JsepCodecs, DefaultCapabilities) {
  auto audio = default_capabilities(sdp::MediaKind::Audio);
  EXPECT_FALSE(audio.rtx);
  EXPECT_FALSE(audio.preferred);
  ASSERT_FALSE(audio.codecs.empty());
  EXPECT_EQ(audio.codecs[0].name, "opus");
  EXPECT_EQ(audio.codecs[0].channels, 2u);
  auto video = default_capabilities(sdp::MediaKind::Video);
  EXPECT_TRUE(video.rtx);
  auto has = [&](const Codec &c) {
    return std::any_of(video.codecs.begin(), video.codecs.end(),
                       [&](const Codec &v) { return same_format(v, c); });
  };
  EXPECT_TRUE(has(make("VP8", 90000)));
  EXPECT_TRUE(has(make("VP9", 90000)));
  EXPECT_TRUE(has(make("VP9", 90000, 0, {{"profile-id", "2"}})));
  EXPECT_TRUE(has(h264("42c01f", "1")));
  EXPECT_TRUE(has(h264("42e01f", "0")));
  EXPECT_TRUE(has(h264("4d001f", "1")));
  EXPECT_TRUE(has(h264("64001f", "1")));
  EXPECT_TRUE(has(make("H265", 90000)));
  EXPECT_TRUE(has(make("AV1", 90000)));
  EXPECT_FALSE(has(make("VP9", 90000, 0, {{"profile-id", "1"}})));
  for (const auto &c : video.codecs) {
    if (role_of(c) == CodecRole::Media) {
      EXPECT_TRUE(c.has_feedback("nack pli") && c.has_feedback("transport-cc")) << c.name;
    }
  }
  EXPECT_TRUE(default_capabilities(sdp::MediaKind::Application).codecs.empty());
}

// ---------------------------------------------------------------------------------------------
// jsep/codeccaps

TEST(JsepCodecCaps, H264CapsBecomeACodec) {
  auto c = caps(kH264Caps);
  EXPECT_EQ(kind_of_structure(first(c)), sdp::MediaKind::Video);
  auto codec = codec_from_structure(first(c));
  ASSERT_TRUE(codec) << codec.error().message;
  EXPECT_EQ(codec->name, "H264");
  EXPECT_EQ(codec->pt, 102);
  EXPECT_EQ(codec->clock_rate, 90000u);
  EXPECT_EQ(codec->channels, 0u);
  EXPECT_EQ(codec->params.size(), 2u) << "only fmtp parameters, no ssrc or timestamp-offset";
  ASSERT_NE(codec->param("profile-level-id"), nullptr);
  EXPECT_EQ(*codec->param("profile-level-id"), "42e01f");
  EXPECT_EQ(*codec->param("packetization-mode"), "1");
  EXPECT_EQ(codec->param("ssrc"), nullptr);
  EXPECT_EQ(codec->param("timestamp-offset"), nullptr);
  EXPECT_TRUE(codec->has_feedback("nack pli"));
  EXPECT_TRUE(codec->has_feedback("transport-cc"));
  EXPECT_EQ(codec->feedback.size(), 2u);
  EXPECT_TRUE(same_format(*codec, h264("42c01f", "1")));
}

TEST(JsepCodecCaps, OpusCapsCanonicalNameAndChannels) {
  auto c = caps("application/x-rtp, media=(string)audio, encoding-name=(string)OPUS, "
                "clock-rate=(int)48000, payload=(int)111, encoding-params=(string)2, "
                "minptime=(string)10, useinbandfec=(string)1, rtcp-fb-nack=(boolean)false, "
                "seqnum-offset=(uint)7, x-gst-private=(string)y");
  auto codec = codec_from_structure(first(c));
  ASSERT_TRUE(codec) << codec.error().message;
  EXPECT_EQ(codec->name, "opus");
  EXPECT_EQ(codec->channels, 2u);
  EXPECT_EQ(codec->clock_rate, 48000u);
  EXPECT_EQ(codec->params, (sdp::Params{{"minptime", "10"}, {"useinbandfec", "1"}}));
  EXPECT_TRUE(codec->feedback.empty()) << "a false rtcp-fb field is no feedback";
  EXPECT_TRUE(same_format(*codec, make("opus", 48000, 2)));

  auto no_pt = codec_from_structure(first(caps(
      "application/x-rtp, media=(string)audio, encoding-name=(string)PCMA, clock-rate=(int)8000")));
  ASSERT_TRUE(no_pt);
  EXPECT_EQ(no_pt->pt, -1) << "no payload field: allocated later";
  EXPECT_EQ(no_pt->channels, 0u);
}

TEST(JsepCodecCaps, CodecToCapsFields) {
  Codec c = h264("42e01f", "1", 102);
  c.feedback = {"nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"};
  std::vector<sdp::Extmap> ext = {{3, "urn:ietf:params:rtp-hdrext:sdes:mid", Direction::None, ""},
                                  {5, "urn:3gpp:video-orientation", Direction::None, ""}};
  auto out = codec_to_caps(c, sdp::MediaKind::Video, ext);
  ASSERT_TRUE(out);
  ASSERT_EQ(gst_caps_get_size(out.get()), 1u);
  const GstStructure *s = first(out);
  EXPECT_TRUE(gst_structure_has_name(s, "application/x-rtp"));
  EXPECT_EQ(str_field(s, "media"), "video");
  EXPECT_EQ(str_field(s, "encoding-name"), "H264");
  gint pt = 0, rate = 0;
  EXPECT_TRUE(gst_structure_get_int(s, "payload", &pt));
  EXPECT_EQ(pt, 102);
  EXPECT_TRUE(gst_structure_get_int(s, "clock-rate", &rate));
  EXPECT_EQ(rate, 90000);
  EXPECT_EQ(str_field(s, "profile-level-id"), "42e01f");
  EXPECT_EQ(str_field(s, "packetization-mode"), "1");
  for (const char *f : {"rtcp-fb-nack", "rtcp-fb-nack-pli", "rtcp-fb-ccm-fir", "rtcp-fb-goog-remb",
                        "rtcp-fb-transport-cc"}) {
    gboolean b = FALSE;
    EXPECT_TRUE(gst_structure_get_boolean(s, f, &b)) << f;
    EXPECT_TRUE(b) << f;
  }
  EXPECT_EQ(str_field(s, "extmap-3"), "urn:ietf:params:rtp-hdrext:sdes:mid");
  EXPECT_EQ(str_field(s, "extmap-5"), "urn:3gpp:video-orientation");
  EXPECT_FALSE(gst_structure_has_field(s, "encoding-params"));

  auto opus = codec_to_caps(make("opus", 48000, 2, {}, {}, 111), sdp::MediaKind::Audio);
  const GstStructure *o = first(opus);
  EXPECT_EQ(str_field(o, "encoding-name"), "OPUS") << "rtpbin and payloaders use upper case";
  EXPECT_EQ(str_field(o, "encoding-params"), "2");
  EXPECT_EQ(str_field(o, "media"), "audio");
  EXPECT_FALSE(gst_structure_has_field(o, "extmap-3"));
  auto nopt = codec_to_caps(make("VP8", 90000), sdp::MediaKind::Video);
  EXPECT_FALSE(gst_structure_has_field(first(nopt), "payload"));
}

TEST(JsepCodecCaps, CapsCodecCapsRoundTrip) {
  auto codec = codec_from_structure(first(caps(kH264Caps)));
  ASSERT_TRUE(codec);
  auto back = codec_to_caps(*codec, sdp::MediaKind::Video);
  auto again = codec_from_structure(first(back));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->name, codec->name);
  EXPECT_EQ(again->pt, codec->pt);
  EXPECT_EQ(again->clock_rate, codec->clock_rate);
  std::set<std::pair<std::string, std::string>> p1(codec->params.begin(), codec->params.end()),
      p2(again->params.begin(), again->params.end());
  EXPECT_EQ(p1, p2);
  std::set<std::string> f1(codec->feedback.begin(), codec->feedback.end()),
      f2(again->feedback.begin(), again->feedback.end());
  EXPECT_EQ(f1, f2);
  EXPECT_TRUE(same_format(*codec, *again));
  EXPECT_FALSE(gst_structure_has_field(first(back), "ssrc"));
}

TEST(JsepCodecCaps, CapabilitiesFromSeveralStructuresWithRtx) {
  auto c = caps("application/x-rtp, media=(string)video, encoding-name=(string)VP8, "
                "clock-rate=(int)90000, rtcp-fb-nack=(boolean)true; "
                "application/x-rtp, media=(string)video, encoding-name=(string)RTX, "
                "clock-rate=(int)90000, apt=(string)96; "
                "application/x-rtp, encoding-name=(string)VP9, clock-rate=(int)90000, "
                "profile-id=(string)2");
  auto cap = capabilities_from_caps(c.get(), sdp::MediaKind::Video);
  ASSERT_TRUE(cap) << cap.error().message;
  EXPECT_TRUE(cap->rtx);
  EXPECT_FALSE(cap->preferred);
  EXPECT_EQ(names_of(cap->codecs), (std::vector<std::string>{"VP8", "VP9"}))
      << "rtx is a flag, not a codec; a structure without media matches any kind";
  EXPECT_TRUE(cap->codecs[0].has_feedback("nack"));
  EXPECT_EQ(*cap->codecs[1].param("profile-id"), "2");

  auto nortx = capabilities_from_caps(
      caps("application/x-rtp, encoding-name=(string)VP8, clock-rate=(int)90000").get(),
      sdp::MediaKind::Other);
  ASSERT_TRUE(nortx);
  EXPECT_FALSE(nortx->rtx);
}

TEST(JsepCodecCaps, CapabilitiesErrors) {
  auto audio = caps("application/x-rtp, media=(string)audio, encoding-name=(string)OPUS, "
                    "clock-rate=(int)48000");
  auto mismatch = capabilities_from_caps(audio.get(), sdp::MediaKind::Video);
  ASSERT_FALSE(mismatch);
  EXPECT_TRUE(contains(mismatch.error().message, "audio")) << mismatch.error().message;
  EXPECT_TRUE(contains(mismatch.error().message, "video")) << mismatch.error().message;
  EXPECT_TRUE(capabilities_from_caps(audio.get(), sdp::MediaKind::Audio));
  EXPECT_TRUE(capabilities_from_caps(audio.get(), sdp::MediaKind::Other));

  auto any = adopt(gst_caps_new_any());
  auto empty = adopt(gst_caps_new_empty());
  for (GstCaps *c : {any.get(), empty.get(), static_cast<GstCaps *>(nullptr)}) {
    auto r = capabilities_from_caps(c, sdp::MediaKind::Video);
    ASSERT_FALSE(r);
    EXPECT_TRUE(contains(r.error().message, "empty or ANY")) << r.error().message;
  }

  auto norate = capabilities_from_caps(
      caps("application/x-rtp, media=(string)video, encoding-name=(string)VP8").get(),
      sdp::MediaKind::Video);
  ASSERT_FALSE(norate);
  EXPECT_TRUE(contains(norate.error().message, "clock-rate")) << norate.error().message;
  EXPECT_TRUE(contains(norate.error().message, "VP8")) << norate.error().message;

  auto range = capabilities_from_caps(
      caps("application/x-rtp, encoding-name=(string)VP8, clock-rate=(int)[1, 90000]").get(),
      sdp::MediaKind::Video);
  ASSERT_FALSE(range) << "an unfixed clock-rate";
  EXPECT_TRUE(contains(range.error().message, "clock-rate")) << range.error().message;

  auto raw =
      capabilities_from_caps(caps("video/x-raw, width=(int)320").get(), sdp::MediaKind::Video);
  ASSERT_FALSE(raw);
  EXPECT_TRUE(contains(raw.error().message, "video/x-raw")) << raw.error().message;
  EXPECT_TRUE(contains(raw.error().message, "application/x-rtp")) << raw.error().message;

  auto noname = capabilities_from_caps(caps("application/x-rtp, clock-rate=(int)90000").get(),
                                       sdp::MediaKind::Video);
  ASSERT_FALSE(noname);
  EXPECT_TRUE(contains(noname.error().message, "encoding-name")) << noname.error().message;

  auto badpt = codec_from_structure(first(caps("application/x-rtp, encoding-name=(string)VP8, "
                                               "clock-rate=(int)90000, payload=(int)200")));
  ASSERT_FALSE(badpt);
  EXPECT_TRUE(contains(badpt.error().message, "payload 200")) << badpt.error().message;
}

TEST(JsepCodecCaps, CodecThroughSdpAndCapsIsTheSameFormat) {
  Codec h = h264("42e01f", "1", 102);
  h.set_param("level-asymmetry-allowed", "1");
  h.feedback = {"nack", "nack pli", "transport-cc"};
  std::vector<Codec> codecs = {
      make("opus", 48000, 2, {{"useinbandfec", "1"}}, {"transport-cc"}, 111), h,
      make("VP9", 90000, 0, {{"profile-id", "2"}}, {"nack"}, 98), make("PCMU", 8000, 0, {}, {}, 0)};
  for (const Codec &c : codecs) {
    MediaSection s;
    s.kind = c.clock_rate == 90000 ? sdp::MediaKind::Video : sdp::MediaKind::Audio;
    s.protocol = "UDP/TLS/RTP/SAVPF";
    s.codecs = {c};
    auto read = write_and_read(s);
    ASSERT_TRUE(read) << read.error().message;
    ASSERT_EQ(read->codecs.size(), 1u);
    auto capsd = codec_to_caps(read->codecs[0], s.kind);
    auto back = codec_from_structure(first(capsd));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(same_format(c, *back)) << c.name;
    EXPECT_EQ(back->name, c.name);
    EXPECT_EQ(back->pt, c.pt);
    EXPECT_EQ(back->feedback, c.feedback) << c.name;
    std::set<std::pair<std::string, std::string>> p1(c.params.begin(), c.params.end()),
        p2(back->params.begin(), back->params.end());
    EXPECT_EQ(p1, p2) << c.name;
  }
}
