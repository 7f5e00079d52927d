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
  // balanced: the first m-line of each kind has a transport of its own and none is
  // bundle-only (RFC 9429 §4.1.1); like browsers, one ICE generation's credentials are shared
  // by every transport (webrtcbin refuses a BUNDLE group with different ufrags).
  EXPECT_EQ(attr(m, 0, "ice-ufrag"), attr(m, 1, "ice-ufrag"));
  EXPECT_EQ(attr(m, 1, "ice-ufrag"), attr(m, 2, "ice-ufrag"));
  auto gathering = a.set_local_description(SdpType::Offer, m);
  ASSERT_TRUE(gathering.ok());
  EXPECT_EQ(gathering->transports.size(), 3u); // still three transports to gather on
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

TEST(JsepRenegotiate, AddingATrackKeepsWhatIsNegotiatedAndJoinsTheBundle) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  auto first = negotiate(a, b);
  auto before = media_of(a.current_local());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  EXPECT_TRUE(a.negotiation_needed());
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok());
  auto media = media_of(offer->get());
  ASSERT_EQ(media.size(), 2u);
  EXPECT_EQ(media[0].mid, "0");
  EXPECT_EQ(names(media[0].codecs), names(before[0].codecs)) << "negotiated codecs, same PTs";
  EXPECT_EQ(media[0].ssrcs[0].ssrc, before[0].ssrcs[0].ssrc) << "same SSRC";
  EXPECT_EQ(media[1].mid, "1");
  EXPECT_STREQ(gst_sdp_message_get_attribute_val(offer->get(), "group"), "BUNDLE 0 1");
  // The new m-line uses the negotiated transport, not a new one (no bundle-only needed).
  EXPECT_EQ(attr(offer->get(), 1, "ice-ufrag"), attr(offer->get(), 0, "ice-ufrag"));
  EXPECT_EQ(attrs(offer->get(), 1, "bundle-only").size(), 0u);
  // o= version grows, session id stays.
  const GstSDPOrigin *o1 = gst_sdp_message_get_origin(a.current_local());
  const GstSDPOrigin *o2 = gst_sdp_message_get_origin(offer->get());
  EXPECT_STREQ(o1->sess_id, o2->sess_id);
  EXPECT_GT(std::stoull(o2->sess_version), std::stoull(o1->sess_version));
  for (const auto &c : media[1].codecs)
    for (const auto &c0 : media[0].codecs)
      EXPECT_NE(c.pt, c0.pt) << "new codecs take PTs free in the whole BUNDLE group";
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer->get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(b.set_local_description(SdpType::Answer, answer->get()).ok());
  auto plan = a.set_remote_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_EQ(plan->transports.size(), 1u);
  EXPECT_EQ(plan->transports[0].id, first.offerer.transports[0].id) << "the transport lives on";
  EXPECT_EQ(plan->transports[0].local, first.offerer.transports[0].local) << "no ICE restart";
  EXPECT_EQ(plan->transceivers.size(), 2u);
  EXPECT_FALSE(a.negotiation_needed());
}

TEST(JsepRenegotiate, StoppingRejectsTheMlineAndANewTrackRecyclesIt) {
  Negotiator a(config("AA")), b(config("BB"));
  auto t0 = a.add_transceiver(audio());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  negotiate(a, b);
  ASSERT_TRUE(a.stop_transceiver(*t0).ok());
  EXPECT_TRUE(a.negotiation_needed());
  auto ex = negotiate(a, b);
  auto local = media_of(a.current_local());
  EXPECT_TRUE(local[0].rejected);
  EXPECT_EQ(gst_sdp_media_get_port(gst_sdp_message_get_media(a.current_local(), 0)), 0u);
  EXPECT_STREQ(gst_sdp_message_get_attribute_val(a.current_local(), "group"), "BUNDLE 1")
      << "a rejected m-line leaves the group (RFC 8843 §7.5.2)";
  EXPECT_TRUE(a.transceiver(*t0)->stopped);
  EXPECT_TRUE(b.transceivers()[0].stopped) << "the peer stops it too";
  EXPECT_FALSE(a.negotiation_needed());
  ASSERT_EQ(ex.offerer.transports.size(), 1u);
  EXPECT_EQ(ex.offerer.transports[0].mids, std::vector<std::string>{"1"});
  // A new transceiver takes the rejected slot with a new mid (RFC 9429 §5.2.2).
  auto t2 = a.add_transceiver(video());
  negotiate(a, b);
  local = media_of(a.current_local());
  ASSERT_EQ(local.size(), 2u);
  EXPECT_FALSE(local[0].rejected);
  EXPECT_EQ(local[0].kind, sdp::MediaKind::Video);
  EXPECT_EQ(local[0].mid, "2");
  EXPECT_EQ(a.transceiver(*t2)->mid, "2");
  EXPECT_EQ(a.transceiver(*t2)->mline, 0u);
}

TEST(JsepRenegotiate, DirectionChangesAreNegotiated) {
  Negotiator a(config("AA")), b(config("BB"));
  auto t = a.add_transceiver(video());
  auto ex = negotiate(a, b);
  EXPECT_EQ(ex.offerer.transceivers[0].direction, sdp::Direction::SendOnly);
  // b now sends too: its recvonly transceiver becomes sendrecv, and b offers.
  ASSERT_TRUE(b.set_direction(b.transceivers()[0].id, sdp::Direction::SendRecv).ok());
  EXPECT_TRUE(b.negotiation_needed());
  ex = negotiate(b, a);
  EXPECT_EQ(ex.offerer.transceivers[0].direction, sdp::Direction::SendRecv);
  EXPECT_EQ(ex.answerer.transceivers[0].direction, sdp::Direction::SendRecv);
  EXPECT_FALSE(ex.answerer.transceivers[0].remote_ssrcs.empty()) << "b's SSRC is signalled";
  // Roles stay as the first negotiation set them: a controls ICE, b is the DTLS client.
  EXPECT_FALSE(ex.offerer.transports[0].ice_controlling);
  EXPECT_TRUE(ex.answerer.transports[0].ice_controlling);
  EXPECT_TRUE(*ex.offerer.transports[0].dtls_client);
  EXPECT_FALSE(*ex.answerer.transports[0].dtls_client);
  // a goes inactive.
  ASSERT_TRUE(a.set_direction(*t, sdp::Direction::Inactive).ok());
  EXPECT_TRUE(a.negotiation_needed());
  ex = negotiate(a, b);
  EXPECT_EQ(ex.offerer.transceivers[0].direction, sdp::Direction::Inactive);
  EXPECT_EQ(ex.answerer.transceivers[0].direction, sdp::Direction::Inactive);
  EXPECT_FALSE(a.negotiation_needed());
}

TEST(JsepRenegotiate, IceRestartChangesCredentialsOnEveryTransport) {
  Negotiator a(config("AA", BundlePolicy::MaxCompat)), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  auto first = negotiate(a, b);
  a.restart_ice();
  EXPECT_TRUE(a.negotiation_needed());
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok());
  auto old_local = attr(a.current_local(), 0, "ice-ufrag");
  EXPECT_NE(attr(offer->get(), 0, "ice-ufrag"), old_local);
  EXPECT_NE(attr(offer->get(), 0, "ice-pwd"), attr(a.current_local(), 0, "ice-pwd"));
  EXPECT_EQ(attrs(offer->get(), 0, "candidate").size(), 0u) << "old candidates are not reused";
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer->get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  EXPECT_NE(attr(answer->get(), 0, "ice-ufrag"), attr(b.current_local(), 0, "ice-ufrag"))
      << "the answerer restarts too (RFC 8839 §4.4.1.1.1)";
  ASSERT_TRUE(b.set_local_description(SdpType::Answer, answer->get()).ok());
  auto plan = a.set_remote_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->transports.size(), 1u);
  EXPECT_EQ(plan->transports[0].id, first.offerer.transports[0].id);
  EXPECT_NE(plan->transports[0].local, first.offerer.transports[0].local);
  EXPECT_EQ(plan->transports[0].dtls_client, first.offerer.transports[0].dtls_client)
      << "DTLS is not restarted";
  EXPECT_FALSE(a.negotiation_needed());
  // A plain re-offer now keeps the new credentials.
  auto again = a.create_offer();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(attr(again->get(), 0, "ice-ufrag"), plan->transports[0].local.ufrag);
}

TEST(JsepRenegotiate, RollbackRestoresTheStableState) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  negotiate(a, b);
  auto stable_local = text(a.current_local());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok());
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  EXPECT_EQ(a.transceivers()[1].mid, "1");
  auto rb = a.set_local_description(SdpType::Rollback, nullptr);
  ASSERT_TRUE(rb.ok()) << rb.error().message;
  EXPECT_EQ(a.signaling_state(), SignalingState::Stable);
  EXPECT_FALSE(a.transceivers()[1].mid.has_value()) << "the mid goes with the rolled-back offer";
  EXPECT_EQ(text(a.local_description()), stable_local);
  EXPECT_TRUE(a.negotiation_needed());
  // Remote offer rolled back: the transceiver it created disappears.
  Negotiator c(config("CC"));
  ASSERT_TRUE(c.set_remote_description(SdpType::Offer, offer->get()).ok());
  EXPECT_EQ(c.transceivers().size(), 2u);
  ASSERT_TRUE(c.set_remote_description(SdpType::Rollback, nullptr).ok());
  EXPECT_EQ(c.transceivers().size(), 0u);
  EXPECT_EQ(c.remote_description(), nullptr);
}

TEST(JsepRenegotiate, GlareIsResolvedByImplicitRollback) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  ASSERT_TRUE(b.add_transceiver(audio()).ok());
  auto oa = a.create_offer();
  auto ob = b.create_offer();
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, oa->get()).ok());
  ASSERT_TRUE(b.set_local_description(SdpType::Offer, ob->get()).ok());
  // The polite peer (b) takes a's offer: its own is rolled back (W3C perfect negotiation).
  auto r = b.set_remote_description(SdpType::Offer, oa->get());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(b.signaling_state(), SignalingState::HaveRemoteOffer);
  EXPECT_TRUE(r->new_transceivers.empty()) << "b's own audio transceiver takes the m-line";
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  ASSERT_TRUE(b.set_local_description(SdpType::Answer, answer->get()).ok());
  ASSERT_TRUE(a.set_remote_description(SdpType::Answer, answer->get()).ok());
  EXPECT_EQ(media_of(answer->get())[0].direction, sdp::Direction::SendRecv);
}

TEST(JsepState, CallsOutOfOrderSayWhatWasExpected) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  auto answer = a.create_answer();
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::InvalidState);
  EXPECT_NE(answer.error().message.find("have-remote-offer"), std::string::npos)
      << answer.error().message;
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok());
  auto wrong = a.set_remote_description(SdpType::Answer, offer->get());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::InvalidState);
  EXPECT_EQ(a.signaling_state(), SignalingState::Stable);
  // An edited offer that changes the m-lines is refused; one that edits attributes is not.
  Negotiator other(config("CC"));
  ASSERT_TRUE(other.add_transceiver(video()).ok());
  auto foreign = other.create_offer();
  auto bad = a.set_local_description(SdpType::Offer, foreign->get());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("create-offer"), std::string::npos) << bad.error().message;
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  a.close();
  EXPECT_EQ(a.signaling_state(), SignalingState::Closed);
  EXPECT_FALSE(a.create_offer().ok());
  EXPECT_FALSE(a.add_transceiver(audio()).ok());
}

TEST(JsepState, AnswersThatDoNotAnswerAreRejected) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  auto offer = a.create_offer();
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer->get()).ok());
  auto answer = b.create_answer();
  std::string good = text(answer->get());
  struct Case {
    std::string from, to, says;
  } cases[] = {
      {"a=setup:active", "a=setup:actpass", "actpass"},
      {"a=setup:active", "a=setup:passive\r\na=x-was:active", ""}, // passive is fine
      {"a=mid:1", "a=mid:7", "mid '"},
      {"m=video 9 UDP/TLS/RTP/SAVPF", "m=audio 9 UDP/TLS/RTP/SAVPF", "does not answer"},
      {"a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/90000\r\na=rtpmap:55 H261/90000", ""},
  };
  for (const auto &c : cases) {
    std::string t = good;
    size_t p = 0;
    while ((p = t.find(c.from, p)) != std::string::npos) {
      t.replace(p, c.from.size(), c.to);
      p += c.to.size();
    }
    auto msg = parse_or_die(t);
    auto r = a.set_remote_description(SdpType::Answer, msg.get());
    if (c.says.empty()) {
      EXPECT_TRUE(r.ok()) << c.to << ": " << (r.ok() ? "" : r.error().message);
      if (r.ok()) { // undo for the next case
        ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok() ||
                    a.create_offer().ok());
        auto o2 = a.create_offer();
        ASSERT_TRUE(a.set_local_description(SdpType::Offer, o2->get()).ok());
        offer = std::move(*o2);
        good = text(answer->get());
      }
      continue;
    }
    ASSERT_FALSE(r.ok()) << c.to;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
    EXPECT_EQ(a.signaling_state(), SignalingState::HaveLocalOffer) << "nothing applied";
  }
}

TEST(JsepCandidates, TrickleGoesIntoTheDescriptions) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  auto offer = a.create_offer();
  auto plan = a.set_local_description(SdpType::Offer, offer->get());
  ASSERT_TRUE(plan.ok());
  unsigned tid = plan->transports[0].id;
  auto c = ice::parse_candidate("candidate:1 1 UDP 2122260223 127.0.0.1 40000 typ host");
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(a.add_local_candidate(tid, *c).ok());
  ASSERT_TRUE(a.local_candidates_done(tid).ok());
  EXPECT_EQ(attrs(a.local_description(), 0, "candidate").size(), 1u);
  EXPECT_EQ(attrs(a.local_description(), 0, "end-of-candidates").size(), 1u);
  auto where = a.transport_mline(tid);
  ASSERT_TRUE(where.has_value());
  EXPECT_EQ(where->first, 0u);
  EXPECT_EQ(where->second, "0");
  EXPECT_FALSE(a.add_local_candidate(999, *c).ok());
  // The remote side: before a description it is an InvalidState; by mid; bad ones named.
  auto early = b.add_remote_candidate(0, "", c->to_string());
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::InvalidState);
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, a.local_description()).ok());
  auto t = b.add_remote_candidate(std::nullopt, "0",
                                  "candidate:2 1 UDP 2122260222 127.0.0.1 40001 typ host");
  ASSERT_TRUE(t.ok()) << t.error().message;
  auto bad = b.add_remote_candidate(0, "", "candidate:2 1 UDP x 127.0.0.1 40001 typ host");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::TypeError);
  auto nomid = b.add_remote_candidate(std::nullopt, "9", c->to_string());
  ASSERT_FALSE(nomid.ok());
  EXPECT_NE(nomid.error().message.find("'9'"), std::string::npos);
  EXPECT_TRUE(b.add_remote_candidate(0, "", "").ok()) << "end-of-candidates";
  EXPECT_EQ(attrs(b.remote_description(), 0, "candidate").size(), 2u);
  auto answer = b.create_answer();
  auto bp = b.set_local_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(bp.ok());
  EXPECT_EQ(bp->transports[0].remote_candidates.size(), 2u);
  EXPECT_TRUE(bp->transports[0].remote_end_of_candidates);
}

TEST(JsepNegotiationNeeded, FollowsTheW3CRules) {
  Negotiator a(config("AA")), b(config("BB"));
  EXPECT_FALSE(a.negotiation_needed()) << "nothing to negotiate";
  auto t = a.add_transceiver(audio());
  EXPECT_TRUE(a.negotiation_needed());
  auto offer = a.create_offer();
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  EXPECT_FALSE(a.negotiation_needed()) << "never outside stable";
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer->get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(b.set_local_description(SdpType::Answer, answer->get()).ok());
  ASSERT_TRUE(a.set_remote_description(SdpType::Answer, answer->get()).ok());
  EXPECT_FALSE(a.negotiation_needed());
  EXPECT_FALSE(b.negotiation_needed()) << "b answered recvonly as its transceiver wants";
  ASSERT_TRUE(a.set_direction(*t, sdp::Direction::SendRecv).ok());
  EXPECT_FALSE(a.negotiation_needed()) << "the same direction";
  ASSERT_TRUE(a.set_direction(*t, sdp::Direction::RecvOnly).ok());
  EXPECT_TRUE(a.negotiation_needed());
  ASSERT_TRUE(a.set_direction(*t, sdp::Direction::SendRecv).ok());
  EXPECT_FALSE(a.negotiation_needed()) << "back to what was negotiated";
  b.want_data_channel();
  EXPECT_TRUE(b.negotiation_needed()) << "a first data channel needs an m=application";
}

TEST(JsepData, LegacySctpPeersGetTheLegacyFormInReoffers) {
  auto offer = parse_or_die(read_vector("aiortc-04-datachannel-only.offer.sdp"));
  Negotiator b(config("BB"));
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer.get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(b.set_local_description(SdpType::Answer, answer->get()).ok());
  EXPECT_EQ(attr(answer->get(), 0, "sctpmap"), "5000 webrtc-datachannel 65535");
  auto re = b.create_offer();
  ASSERT_TRUE(re.ok());
  auto media = media_of(re->get());
  ASSERT_EQ(media.size(), 1u);
  EXPECT_EQ(media[0].protocol, "DTLS/SCTP");
  EXPECT_EQ(media[0].mid, "0");
  EXPECT_FALSE(b.negotiation_needed());
}

TEST(JsepOffer, SimulcastLayersAreOfferedByRidAndReceivedByTheAnswerer) {
  Negotiator a(config("AA")), b(config("BB"));
  TransceiverInit v = video(sdp::Direction::SendOnly);
  v.send_rids = {"h", "m", "l"};
  ASSERT_TRUE(a.add_transceiver(v).ok());
  v.send_rids = {"bad rid"};
  EXPECT_FALSE(a.add_transceiver(v).ok());
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(attrs(offer->get(), 0, "rid"),
            (std::vector<std::string>{"h send", "m send", "l send"}));
  EXPECT_EQ(attr(offer->get(), 0, "simulcast"), "send h;m;l");
  auto media = media_of(offer->get());
  EXPECT_TRUE(media[0].ssrcs.empty()) << "layers are told apart by rid, not SSRC";
  EXPECT_NE(media[0].extmap(ext::kRid), nullptr);
  auto ex = negotiate(a, b);
  ASSERT_EQ(ex.answerer.transceivers.size(), 1u);
  EXPECT_EQ(ex.answerer.transceivers[0].remote_rids.size(), 3u);
  EXPECT_EQ(attr(b.current_local(), 0, "simulcast"), "recv h;m;l");
  ASSERT_EQ(ex.offerer.transceivers[0].send.size(), 3u);
  EXPECT_EQ(ex.offerer.transceivers[0].send[1].rid, "m");
}

TEST(JsepNegotiate, IceLitePeerMakesUsControlling) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  auto offer = a.create_offer();
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  // An SFU that is ice-lite answers and offers; the full agent controls (RFC 8445 §6.1.1).
  Negotiator sfu(config("CC"));
  ASSERT_TRUE(sfu.set_remote_description(SdpType::Offer, offer->get()).ok());
  auto answer = sfu.create_answer();
  gst_sdp_message_add_attribute(answer->get(), "ice-lite", nullptr);
  auto plan = a.set_remote_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->transports[0].remote_ice_lite);
  EXPECT_TRUE(plan->transports[0].ice_controlling);
  Negotiator c(config("DD"));
  auto lite_offer = sdp::copy(offer->get());
  gst_sdp_message_add_attribute(lite_offer.get(), "ice-lite", nullptr);
  ASSERT_TRUE(c.set_remote_description(SdpType::Offer, lite_offer.get()).ok());
  auto ca = c.create_answer();
  auto cp = c.set_local_description(SdpType::Answer, ca->get());
  ASSERT_TRUE(cp.ok());
  EXPECT_TRUE(cp->transports[0].ice_controlling) << "answerer to a lite offerer controls";
}

TEST(JsepNegotiate, PranswerStartsTransportsBeforeTheFinalAnswer) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  auto offer = a.create_offer();
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, offer->get()).ok());
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer->get()).ok());
  auto pr = b.create_answer();
  ASSERT_TRUE(pr.ok());
  auto bp = b.set_local_description(SdpType::Pranswer, pr->get());
  ASSERT_TRUE(bp.ok()) << bp.error().message;
  EXPECT_FALSE(bp->final);
  EXPECT_EQ(b.signaling_state(), SignalingState::HaveLocalPranswer);
  auto ap = a.set_remote_description(SdpType::Pranswer, pr->get());
  ASSERT_TRUE(ap.ok()) << ap.error().message;
  EXPECT_EQ(a.signaling_state(), SignalingState::HaveRemotePranswer);
  ASSERT_EQ(ap->transports.size(), 1u);
  EXPECT_TRUE(ap->transports[0].remote.has_value()) << "ICE can start on a pranswer";
  EXPECT_TRUE(ap->transports[0].dtls_client.has_value());
  auto fin = b.create_answer();
  ASSERT_TRUE(fin.ok());
  ASSERT_TRUE(b.set_local_description(SdpType::Answer, fin->get()).ok());
  auto done = a.set_remote_description(SdpType::Answer, fin->get());
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->final);
  EXPECT_EQ(a.signaling_state(), SignalingState::Stable);
}

TEST(JsepNegotiate, DataOnlySessionAndTheSmallerMessageSizeIsKnown) {
  Negotiator a(config("AA")), b(config("BB"));
  a.want_data_channel();
  auto offer = a.create_offer();
  ASSERT_TRUE(offer.ok());
  ASSERT_EQ(gst_sdp_message_medias_len(offer->get()), 1u);
  auto ex = negotiate(a, b);
  ASSERT_TRUE(ex.offerer.data && ex.answerer.data);
  EXPECT_TRUE(ex.offerer.transceivers.empty());
  EXPECT_EQ(ex.offerer.data->mid, "0");
  EXPECT_EQ(ex.offerer.data->local_port, 5000u);
  EXPECT_EQ(ex.offerer.data->remote_port, 5000u);
  EXPECT_EQ(ex.offerer.transports.size(), 1u);
  // A peer that says nothing about max-message-size gets 65536 (RFC 8841 §6.1).
  auto legacy = parse_or_die(read_vector("webrtcbin-01-audio-video-data.offer.sdp"));
  Negotiator c(config("CC"));
  auto plan = c.set_remote_description(SdpType::Offer, legacy.get());
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->data.has_value());
  EXPECT_EQ(plan->data->remote_max_message_size, 65536u);
}

TEST(JsepNegotiate, WithoutBundleEveryMlineHasItsOwnTransport) {
  auto offer = parse_or_die(read_vector("chromium-03-audio-video.offer.sdp"));
  gst_sdp_message_remove_attribute(offer.get(), 0); // a=group:BUNDLE is the first one
  ASSERT_EQ(gst_sdp_message_get_attribute_val(offer.get(), "group"), nullptr);
  Negotiator b(config("BB"));
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, offer.get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(gst_sdp_message_get_attribute_val(answer->get(), "group"), nullptr);
  auto plan = b.set_local_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->transports.size(), 2u);
  EXPECT_NE(plan->transceivers[0].transport, plan->transceivers[1].transport);
}

TEST(JsepOffer, OfferingAgainBeforeTheAnswerKeepsMidsAndCredentials) {
  Negotiator a(config("AA")), b(config("BB"));
  ASSERT_TRUE(a.add_transceiver(audio()).ok());
  auto first = a.create_offer();
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, first->get()).ok());
  ASSERT_TRUE(a.add_transceiver(video()).ok());
  auto second = a.create_offer(); // allowed in have-local-offer (RFC 9429 §5.2)
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto m1 = media_of(first->get()), m2 = media_of(second->get());
  ASSERT_EQ(m2.size(), 2u);
  EXPECT_EQ(m2[0].mid, m1[0].mid);
  EXPECT_EQ(attr(second->get(), 0, "ice-ufrag"), attr(first->get(), 0, "ice-ufrag"));
  EXPECT_EQ(names(m2[0].codecs), names(m1[0].codecs));
  ASSERT_TRUE(a.set_local_description(SdpType::Offer, second->get()).ok());
  ASSERT_TRUE(b.set_remote_description(SdpType::Offer, second->get()).ok());
  auto answer = b.create_answer();
  ASSERT_TRUE(b.set_local_description(SdpType::Answer, answer->get()).ok());
  auto plan = a.set_remote_description(SdpType::Answer, answer->get());
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(plan->transceivers.size(), 2u);
}
