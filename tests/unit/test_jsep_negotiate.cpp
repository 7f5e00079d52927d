// Two negotiators talking to each other: what our offers look like, what the answers and plans
// say, renegotiation, ICE restart, rollback and negotiation-needed.
#include "jsep_helpers.hpp"

#include "jsep/extensions.hpp"

#include <set>

using namespace jsep_test;

namespace {

TransceiverInit audio(sdp::Direction d = sdp::Direction::SendRecv) {
  TransceiverInit t;
  t.kind = sdp::MediaKind::Audio;
  t.direction = d;
  t.stream_ids = {"stream0"};
  return t;
}

TransceiverInit video(sdp::Direction d = sdp::Direction::SendRecv) {
  TransceiverInit t = audio(d);
  t.kind = sdp::MediaKind::Video;
  return t;
}

} // namespace

TEST(JsepOffer, FirstOfferHasWhatABrowserNeeds) {
  Negotiator a(config("AA"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  a.want_data_channel();
  EXPECT_TRUE(a.negotiation_needed());
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok()) << offer.error().message;
  const GstSDPMessage *m = offer->get();
  ASSERT_EQ(gst_sdp_message_medias_len(m), 3u);
  EXPECT_STREQ(gst_sdp_message_get_attribute_val(m, "group"), "BUNDLE 0 1 2");
  auto media = media_of(m);
  EXPECT_EQ(media[0].kind, sdp::MediaKind::Audio);
  EXPECT_EQ(media[1].kind, sdp::MediaKind::Video);
  EXPECT_EQ(media[2].protocol, "UDP/DTLS/SCTP");
  EXPECT_EQ(attr(m, 2, "sctp-port"), "5000");
  EXPECT_EQ(attr(m, 2, "max-message-size"), "262144");
  for (unsigned i = 0; i < 3; i++) {
    EXPECT_EQ(media[i].mid, std::to_string(i));
    EXPECT_EQ(attr(m, i, "setup"), "actpass");
    EXPECT_EQ(attr(m, i, "fingerprint").substr(0, 11), "sha-256 AA:");
    EXPECT_EQ(attr(m, i, "ice-options"), "trickle");
    EXPECT_NE(attr(m, i, "ice-ufrag"), "<none>");
  }
  // balanced: the first m-line of each kind has a transport of its own (different
  // credentials) and none is bundle-only (RFC 9429 §4.1.1).
  EXPECT_NE(attr(m, 0, "ice-ufrag"), attr(m, 1, "ice-ufrag"));
  EXPECT_NE(attr(m, 1, "ice-ufrag"), attr(m, 2, "ice-ufrag"));
  for (unsigned i = 0; i < 3; i++) {
    EXPECT_EQ(attr(m, i, "bundle-only"), "<none>");
    EXPECT_EQ(gst_sdp_media_get_port(gst_sdp_message_get_media(m, i)), 9u);
  }
  for (unsigned i = 0; i < 2; i++) {
    EXPECT_EQ(attr(m, i, "rtcp-mux"), "");
    EXPECT_EQ(attr(m, i, "rtcp-rsize"), "");
    EXPECT_EQ(media[i].direction, sdp::Direction::SendRecv);
    ASSERT_EQ(media[i].msids.size(), 1u);
    EXPECT_EQ(media[i].msids[0].stream, "stream0");
    ASSERT_FALSE(media[i].ssrcs.empty());
    EXPECT_FALSE(media[i].ssrcs[0].cname.empty());
  }
  EXPECT_EQ(names(media[0].codecs),
            (std::vector<std::string>{"opus/111", "G722/9", "PCMU/0", "PCMA/8",
                                      "telephone-event/110", "telephone-event/126"}));
  EXPECT_EQ(*media[0].codecs[0].param("useinbandfec"), "1");
  EXPECT_EQ(media[0].codecs[0].channels, 2u);
  // Video: every codec followed by its rtx, then red, ulpfec; FID group for the rtx SSRC.
  EXPECT_EQ(media[1].codecs[0].name, "VP8");
  EXPECT_EQ(media[1].codecs[1].name, "rtx");
  EXPECT_EQ(*media[1].codecs[1].param("apt"), std::to_string(media[1].codecs[0].pt));
  EXPECT_TRUE(media[1].codecs[0].has_feedback("nack pli"));
  EXPECT_TRUE(media[1].codecs[0].has_feedback("transport-cc"));
  ASSERT_EQ(media[1].ssrc_groups.size(), 1u);
  EXPECT_EQ(media[1].ssrc_groups[0].semantics, "FID");
}

TEST(JsepOffer, PayloadTypesAndExtensionIdsAreUniqueAcrossTheBundle) {
  Negotiator a(config());
  for (int i = 0; i < 2; i++) {
    ASSERT_TRUE(a.add_transceiver(audio()).ok());
    ASSERT_TRUE(a.add_transceiver(video()).ok());
  }
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok());
  std::map<int, std::string> pt_meaning;
  std::map<int, std::string> ext_meaning;
  for (const auto &s : media_of(offer->get())) {
    for (const auto &c : s.codecs) {
      std::string meaning = c.name + "/" + std::to_string(c.clock_rate) + ";" + sdp::fmtp_string(c);
      auto [it, fresh] = pt_meaning.emplace(c.pt, meaning);
      EXPECT_EQ(it->second, meaning) << "PT " << c.pt << " means two codecs in one BUNDLE group";
      EXPECT_TRUE((c.pt >= 96 && c.pt <= 127) || (c.pt >= 35 && c.pt <= 63) || c.pt < 35);
    }
    for (const auto &e : s.extmaps) {
      auto [it, fresh] = ext_meaning.emplace(e.id, e.uri);
      EXPECT_EQ(it->second, e.uri) << "extmap id " << e.id << " means two URIs";
      EXPECT_GE(e.id, 1);
      EXPECT_LE(e.id, 14);
    }
  }
  EXPECT_GT(pt_meaning.size(), 20u);
}

TEST(JsepNegotiate, OfferAnswerBetweenTwoEnginesAgreesOnEverything) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  a.want_data_channel();
  auto ex = negotiate(a, b);
  EXPECT_EQ(a.signaling_state(), SignalingState::Stable);
  EXPECT_EQ(b.signaling_state(), SignalingState::Stable);
  ASSERT_TRUE(ex.offerer.final);
  // One transport after BUNDLE, with complementary roles and the peer's fingerprint.
  ASSERT_EQ(ex.offerer.transports.size(), 1u);
  ASSERT_EQ(ex.answerer.transports.size(), 1u);
  const auto &ta = ex.offerer.transports[0], &tb = ex.answerer.transports[0];
  EXPECT_EQ(ta.mids, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_TRUE(ta.ice_controlling);
  EXPECT_FALSE(tb.ice_controlling);
  ASSERT_TRUE(ta.dtls_client && tb.dtls_client);
  EXPECT_FALSE(*ta.dtls_client); // the answerer is active (RFC 5763 §5)
  EXPECT_TRUE(*tb.dtls_client);
  ASSERT_TRUE(ta.remote && tb.remote);
  EXPECT_EQ(ta.remote->ufrag, tb.local.ufrag);
  EXPECT_EQ(tb.remote->pwd, ta.local.pwd);
  EXPECT_EQ(ta.remote_fingerprints[0].value.substr(0, 2), "BB");
  EXPECT_EQ(tb.remote_fingerprints[0].value.substr(0, 2), "AA");
  // Transceivers: b got two new ones, recvonly, so the answer says recvonly and a sends only.
  ASSERT_EQ(ex.offerer.transceivers.size(), 2u);
  ASSERT_EQ(b.transceivers().size(), 2u);
  EXPECT_TRUE(b.transceivers()[0].from_remote);
  EXPECT_EQ(ex.offerer.transceivers[0].direction, sdp::Direction::SendOnly);
  EXPECT_EQ(ex.answerer.transceivers[0].direction, sdp::Direction::RecvOnly);
  EXPECT_EQ(ex.offerer.transceivers[1].codecs.front().name, "VP8");
  EXPECT_EQ(names(ex.offerer.transceivers[1].codecs), names(ex.answerer.transceivers[1].codecs));
  EXPECT_EQ(ex.offerer.transceivers[0].transport, ta.id);
  // What a sends, b expects.
  ASSERT_FALSE(ex.offerer.transceivers[1].send.empty());
  ASSERT_TRUE(ex.offerer.transceivers[1].send[0].rtx_ssrc);
  ASSERT_EQ(ex.answerer.transceivers[1].remote_ssrcs.size(), 2u);
  EXPECT_EQ(ex.answerer.transceivers[1].remote_ssrcs[0].ssrc,
            ex.offerer.transceivers[1].send[0].ssrc);
  EXPECT_EQ(ex.answerer.transceivers[1].remote_msid->stream, "stream0");
  // Data: the SCTP association on the bundle transport, 256 KiB each way.
  ASSERT_TRUE(ex.offerer.data && ex.answerer.data);
  EXPECT_EQ(ex.offerer.data->transport, ta.id);
  EXPECT_EQ(ex.offerer.data->remote_max_message_size, 262144u);
  EXPECT_FALSE(a.negotiation_needed());
  EXPECT_FALSE(b.negotiation_needed());
}

TEST(JsepNegotiate, EveryBundlePolicyEndsOnOneTransportWhenTheAnswerBundles) {
  for (auto policy : {BundlePolicy::Balanced, BundlePolicy::MaxBundle, BundlePolicy::MaxCompat}) {
    Negotiator a(config("AA", policy)), b(config("BB"));
    ASSERT_TRUE(a.add_transceiver(audio()).ok());
    ASSERT_TRUE(a.add_transceiver(video()).ok());
    ASSERT_TRUE(a.add_transceiver(video()).ok());
    auto offer = a.create_offer();
    ASSERT_TRUE(offer.ok());
    auto l = a.set_local_description(SdpType::Offer, offer->get());
    ASSERT_TRUE(l.ok());
    // Before the answer: transports to gather on, per policy.
    size_t expected = policy == BundlePolicy::MaxBundle  ? 1
                      : policy == BundlePolicy::Balanced ? 2
                                                         : 3;
    EXPECT_EQ(l->transports.size(), expected) << int(policy);
    auto media = media_of(offer->get());
    EXPECT_EQ(attrs(offer->get(), 2, "bundle-only").size(),
              policy == BundlePolicy::MaxCompat ? 0u : 1u);
    ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer->get()).ok());
    auto answer = b.create_answer();
    ASSERT_TRUE(answer.ok());
    ASSERT_TRUE(b.set_local_description(SdpType::Answer, answer->get()).ok());
    auto r = a.set_remote_description(SdpType::Answer, answer->get());
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->transports.size(), 1u);
    EXPECT_EQ(r->transports[0].mids.size(), 3u);
  }
}
