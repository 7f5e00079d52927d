// Answers to every real offer in tests/data/sdp (Chromium, webrtcbin, aiortc): generated,
// applied, and their content checked against the offer and against what each peer needs.
#include "jsep_helpers.hpp"

#include "jsep/extensions.hpp"

using namespace jsep_test;

namespace {

struct Expect {
  const char *file;
  std::vector<std::string> first_codecs; // first codec of each RTP m-line, "name/pt"
  bool data = false;
  bool legacy_data = false;
  uint64_t remote_max_message_size = 0;
  std::vector<std::string> simulcast_recv;
};

std::ostream &operator<<(std::ostream &os, const Expect &e) {
  return os << e.file;
}

// A video transceiver that has one codec.
TransceiverInit video_with(const char *name, sdp::Params params = {}) {
  TransceiverInit v;
  v.kind = sdp::MediaKind::Video;
  Capabilities caps;
  sdp::Codec c;
  c.name = name;
  c.clock_rate = 90000;
  c.params = std::move(params);
  caps.codecs = {c};
  v.codecs = caps;
  return v;
}

class AnswerVector : public ::testing::TestWithParam<Expect> {};

// What holds for every answer we give to any offer.
void check_answer(const sdp::Message &offer, const GstSDPMessage *answer, const Plan &plan) {
  auto om = media_of(offer.get()), am = media_of(answer);
  ASSERT_EQ(om.size(), am.size());
  EXPECT_STREQ(gst_sdp_message_get_attribute_val(answer, "group"),
               gst_sdp_message_get_attribute_val(offer.get(), "group"))
      << "every offered m-line is accepted, so the whole BUNDLE group is";
  for (size_t i = 0; i < am.size(); i++) {
    SCOPED_TRACE("m-line " + std::to_string(i));
    EXPECT_EQ(am[i].mid, om[i].mid);
    EXPECT_EQ(am[i].kind, om[i].kind);
    EXPECT_FALSE(am[i].rejected);
    EXPECT_EQ(attr(answer, i, "setup"), "active");
    EXPECT_EQ(attr(answer, i, "ice-ufrag"), attr(answer, 0, "ice-ufrag")) << "one transport";
    EXPECT_EQ(attr(answer, i, "fingerprint").substr(0, 10), "sha-256 BB");
    // A new transceiver receives only: recvonly to sendrecv/sendonly, inactive to recvonly.
    if (am[i].is_rtp()) {
      EXPECT_EQ(am[i].direction, sdp::answer_direction(om[i].direction, sdp::Direction::RecvOnly));
    }
    for (const auto &c : am[i].codecs) {
      const sdp::Codec *o = om[i].codec(c.pt);
      ASSERT_NE(o, nullptr) << "answer PT " << c.pt << " was not offered";
      EXPECT_EQ(o->name, c.name) << "the answer keeps the offerer's payload types";
      for (const auto &fb : c.feedback)
        EXPECT_TRUE(o->has_feedback(fb)) << fb;
      if (c.name == "rtx") {
        int apt = std::stoi(*c.param("apt"));
        ASSERT_NE(am[i].codec(apt), nullptr) << "rtx " << c.pt << " repairs a codec we dropped";
      }
    }
    for (const auto &e : am[i].extmaps) {
      const sdp::Extmap *o = om[i].extmap(e.uri);
      ASSERT_NE(o, nullptr) << e.uri;
      EXPECT_EQ(o->id, e.id) << e.uri;
    }
  }
  ASSERT_EQ(plan.transports.size(), 1u);
  const auto &t = plan.transports[0];
  EXPECT_FALSE(t.ice_controlling);
  ASSERT_TRUE(t.dtls_client.has_value());
  EXPECT_TRUE(*t.dtls_client);
  ASSERT_TRUE(t.remote.has_value());
  EXPECT_EQ(t.remote->ufrag, attr(offer.get(), 0, "ice-ufrag")) << "the BUNDLE tag's credentials";
  EXPECT_FALSE(t.remote_fingerprints.empty());
}

} // namespace

TEST_P(AnswerVector, AnswerIsValidAndComplete) {
  const Expect &e = GetParam();
  auto offer = parse_or_die(read_vector(e.file));
  Negotiator b(config("BB"));
  auto r = b.set_remote_description(SdpType::Offer, offer.get());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(b.signaling_state(), SignalingState::HaveRemoteOffer);
  EXPECT_EQ(r->new_transceivers.size(), e.first_codecs.size());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  auto plan = b.set_local_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok()) << plan.error().message << "\n" << text(answer->get());
  EXPECT_EQ(b.signaling_state(), SignalingState::Stable);
  EXPECT_TRUE(plan->final);
  check_answer(offer, answer->get(), *plan);
  // The answer reads back as the same thing: text round trip through GstSDPMessage.
  auto again = parse_or_die(text(answer->get()));
  EXPECT_EQ(text(again.get()), text(answer->get()));

  std::vector<std::string> firsts;
  for (const auto &tp : plan->transceivers) {
    ASSERT_FALSE(tp.codecs.empty());
    firsts.push_back(tp.codecs[0].name + "/" + std::to_string(tp.codecs[0].pt));
    EXPECT_EQ(tp.transport, plan->transports[0].id);
    for (const auto &rid : tp.remote_rids)
      EXPECT_NE(std::find(e.simulcast_recv.begin(), e.simulcast_recv.end(), rid.id),
                e.simulcast_recv.end());
    if (!e.simulcast_recv.empty()) {
      EXPECT_EQ(tp.remote_rids.size(), e.simulcast_recv.size());
    }
  }
  EXPECT_EQ(firsts, e.first_codecs);
  ASSERT_EQ(plan->data.has_value(), e.data);
  if (e.data) {
    EXPECT_EQ(plan->data->legacy, e.legacy_data);
    EXPECT_EQ(plan->data->remote_max_message_size, e.remote_max_message_size);
    EXPECT_EQ(plan->data->local_max_message_size, 262144u);
    EXPECT_EQ(plan->data->transport, plan->transports[0].id);
  }
}

INSTANTIATE_TEST_SUITE_P(
    RealOffers, AnswerVector,
    ::testing::Values(
        Expect{"chromium-01-audio-only.offer.sdp", {"opus/111"}},
        Expect{"chromium-01-audio-only.offer.gathered.sdp", {"opus/111"}},
        Expect{"chromium-02-video-only.offer.sdp", {"VP8/96"}},
        Expect{"chromium-03-audio-video.offer.sdp", {"opus/111", "VP8/96"}},
        Expect{"chromium-03-audio-video.offer.gathered.sdp", {"opus/111", "VP8/96"}},
        Expect{"chromium-04-datachannel-only.offer.sdp", {}, true, false, 262144},
        Expect{
            "chromium-05-audio-video-data.offer.sdp", {"opus/111", "VP8/96"}, true, false, 262144},
        Expect{"chromium-05-audio-video-data.offer.gathered.sdp",
               {"opus/111", "VP8/96"},
               true,
               false,
               262144},
        Expect{"chromium-06-recvonly.offer.sdp", {"opus/111", "VP8/96"}},
        Expect{"chromium-07-simulcast.offer.sdp", {"VP8/96"}, false, false, 0, {"h", "m", "l"}},
        Expect{"chromium-08-h264-only.offer.sdp", {"H264/102"}},
        Expect{
            "webrtcbin-01-audio-video-data.offer.sdp", {"OPUS/111", "VP8/96"}, true, false, 65536},
        Expect{"webrtcbin-01-audio-video-data.offer.gathered.sdp",
               {"OPUS/111", "VP8/96"},
               true,
               false,
               65536},
        Expect{"aiortc-01-audio-video-data.offer.sdp", {"opus/96", "VP8/97"}, true, true, 65536},
        Expect{"aiortc-02-audio-only.offer.sdp", {"opus/96"}},
        Expect{"aiortc-03-video-only.offer.sdp", {"VP8/97"}},
        Expect{"aiortc-04-datachannel-only.offer.sdp", {}, true, true, 65536},
        Expect{"aiortc-04-datachannel-only.offer.gathered.sdp", {}, true, true, 65536}));

TEST(AnswerVectors, ChromiumRecvonlyOfferIsAnsweredSendonlyByLocalTracks) {
  auto offer = parse_or_die(read_vector("chromium-06-recvonly.offer.sdp"));
  Negotiator b(config("BB"));
  TransceiverInit a;
  a.kind = sdp::MediaKind::Audio;
  a.stream_ids = {"s"};
  ASSERT_TRUE(b.add_transceiver(a).ok());
  a.kind = sdp::MediaKind::Video;
  ASSERT_TRUE(b.add_transceiver(a).ok());
  auto r = b.set_remote_description(SdpType::Offer, offer.get());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->new_transceivers.empty()) << "our transceivers take the offered m-lines";
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  auto media = media_of(answer->get());
  for (const auto &m : media) {
    EXPECT_EQ(m.direction, sdp::Direction::SendOnly);
    ASSERT_EQ(m.msids.size(), 1u);
    EXPECT_EQ(m.msids[0].stream, "s");
    EXPECT_FALSE(m.ssrcs.empty());
  }
  // rtx is answered, so the video SSRC has its repair SSRC in an FID group.
  ASSERT_EQ(media[1].ssrc_groups.size(), 1u);
  EXPECT_EQ(media[1].ssrc_groups[0].semantics, "FID");
  auto plan = b.set_local_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->transceivers[1].direction, sdp::Direction::SendOnly);
  ASSERT_EQ(plan->transceivers[1].send.size(), 1u);
  EXPECT_TRUE(plan->transceivers[1].send[0].rtx_ssrc.has_value());
}

TEST(AnswerVectors, H264IsMatchedByProfileNotByText) {
  auto offer = parse_or_die(read_vector("chromium-08-h264-only.offer.sdp"));
  Negotiator b(config("BB"));
  // Constrained Baseline 4.0 written as 42c028 (constraint_set1 alone): the same profile as
  // the offer's 42e01f.
  auto v = video_with("H264", {{"profile-level-id", "42c028"}, {"packetization-mode", "1"}});
  ASSERT_TRUE(b.add_transceiver(v).ok());
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer.get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  auto media = media_of(answer->get());
  ASSERT_EQ(media[0].codecs.size(), 1u);
  EXPECT_EQ(media[0].codecs[0].pt, 108); // 42e01f, packetization-mode 1
  // No level-asymmetry on our side: the answer's level is the lower of the two (3.1).
  EXPECT_EQ(*media[0].codecs[0].param("profile-level-id"), "42e01f");
}

TEST(AnswerVectors, NothingInCommonRejectsTheMlineNotTheSession) {
  auto offer = parse_or_die(read_vector("chromium-03-audio-video.offer.sdp"));
  Negotiator b(config("BB"));
  ASSERT_TRUE(b.add_transceiver(video_with("H265")).ok());
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer.get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  const GstSDPMedia *video = gst_sdp_message_get_media(answer->get(), 1);
  EXPECT_EQ(gst_sdp_media_get_port(video), 0u);
  EXPECT_STREQ(gst_sdp_message_get_attribute_val(answer->get(), "group"), "BUNDLE 0");
  auto plan = b.set_local_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->transceivers.size(), 2u);
  for (const auto &t : plan->transceivers) {
    EXPECT_EQ(t.stopped, t.mid == "1") << t.mid;
    EXPECT_EQ(t.transport.has_value(), t.mid == "0") << t.mid;
  }
  EXPECT_TRUE(b.transceivers()[0].stopped) << "our H.265-only video transceiver";
}

TEST(AnswerVectors, UnknownMediaIsRejectedInPlace) {
  // Found by fuzz_sdp: an SCTP protocol on an m-line that is not "application" was taken for
  // the data channel, and our own answer then failed to apply.
  std::string t = read_vector("aiortc-04-datachannel-only.offer.sdp");
  t.replace(t.find("m=application"), 13, "m=appli*ation");
  auto offer = parse_or_die(t);
  Negotiator b(config("BB"));
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer.get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  const GstSDPMedia *m = gst_sdp_message_get_media(answer->get(), 0);
  EXPECT_STREQ(gst_sdp_media_get_media(m), "appli*ation");
  EXPECT_EQ(gst_sdp_media_get_port(m), 0u);
  auto plan = b.set_local_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_FALSE(plan->data.has_value());
  EXPECT_TRUE(plan->transports.empty());
}

TEST(AnswerVectors, BrokenOffersAreRefusedWithTheLineAndNothingChanges) {
  std::string good = read_vector("chromium-03-audio-video.offer.sdp");
  struct Case {
    std::string from, to, says;
  } cases[] = {
      {"a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8", "a=rtpmap"},
      {"a=mid:1", "a=mid:0", "mid"},
      {"a=extmap:2 http", "a=extmap:0 http", "a=extmap"},
      {"a=ice-ufrag:", "a=x-ufrag:", "ice-ufrag"},
      {"a=fingerprint:sha-256 71", "a=fingerprint:sha-256 ZZ", "a=fingerprint"},
      {"a=setup:actpass", "a=setup:sideways", "a=setup:sideways"},
      {"a=ssrc-group:FID 1465124193", "a=ssrc-group:FID x", "a=ssrc-group"},
      {"a=group:BUNDLE 0 1", "a=group:BUNDLE 0 1 7", "mid '7'"},
  };
  for (const auto &c : cases) {
    std::string t = good;
    auto p = t.find(c.from);
    ASSERT_NE(p, std::string::npos) << c.from;
    t.replace(p, c.from.size(), c.to);
    auto offer = parse_or_die(t);
    Negotiator b(config("BB"));
    auto r = b.set_remote_description(SdpType::Offer, offer.get());
    ASSERT_FALSE(r.ok()) << c.to;
    EXPECT_EQ(r.error().code, ErrorCode::TypeError);
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("remote offer"), std::string::npos) << r.error().message;
    EXPECT_EQ(b.signaling_state(), SignalingState::Stable);
    EXPECT_EQ(b.remote_description(), nullptr);
    EXPECT_TRUE(b.transceivers().empty());
    // The session keeps working: the good offer is still answered.
    auto fine = parse_or_die(good);
    EXPECT_TRUE(b.set_remote_description(SdpType::Offer, fine.get()).ok());
    EXPECT_TRUE(b.create_answer().ok());
  }
  auto garbage = sdp::parse("hello");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("v=0"), std::string::npos) << garbage.error().message;
}

TEST(AnswerVectors, ChromiumFecAndRepairPairsAreKeptTogether) {
  auto offer = parse_or_die(read_vector("chromium-05-audio-video-data.offer.sdp"));
  Negotiator b(config("BB"));
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer.get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  auto video = media_of(answer->get())[1];
  // red 118 with its rtx 119, and ulpfec 120, as offered; every rtx after the codec it repairs.
  ASSERT_NE(video.codec(118), nullptr);
  EXPECT_EQ(video.codec(118)->name, "red");
  ASSERT_NE(video.codec(119), nullptr);
  EXPECT_EQ(*video.codec(119)->param("apt"), "118");
  ASSERT_NE(video.codec(120), nullptr);
  EXPECT_EQ(video.codec(120)->name, "ulpfec");
  for (size_t i = 0; i < video.codecs.size(); i++)
    if (video.codecs[i].name == "rtx") {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(*video.codecs[i].param("apt"), std::to_string(video.codecs[i - 1].pt));
    }
  // Audio: red (63, "111/111") and CN (13) are not ours, so they are not answered.
  auto audio = media_of(answer->get())[0];
  EXPECT_EQ(audio.codec(63), nullptr);
  EXPECT_EQ(audio.codec(13), nullptr);
  EXPECT_NE(audio.codec(126), nullptr) << "telephone-event/8000";
}
