// libFuzzer: any text as a remote offer, and as the answer to our own offer. Never crashes;
// an error always has a message; an offer we accept we can always answer, and our answer
// applies and reads back.
#include "jsep/negotiator.hpp"
#include "sdp/message.hpp"

#include <cstdlib>
#include <memory>
#include <string_view>

using namespace gstrtc;
using namespace gstrtc::jsep;

namespace {

NegotiatorConfig config() {
  NegotiatorConfig c;
  std::string fp;
  for (int i = 0; i < 32; i++)
    fp += i ? ":AB" : "AB";
  c.fingerprints = {dtls::Fingerprint{"sha-256", fp}};
  auto state = std::make_shared<uint32_t>(1); // deterministic, so crashes reproduce
  c.random = [state](uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
      *state = *state * 1103515245u + 12345u;
      p[i] = static_cast<uint8_t>(*state >> 16);
    }
  };
  return c;
}

void require(bool ok, const Error *e) {
  if (!ok && (!e || e->message.empty()))
    abort();
}

void as_offer(const GstSDPMessage *msg) {
  Negotiator b(config());
  auto r = b.set_remote_description(SdpType::Offer, msg);
  if (!r) {
    require(false, &r.error());
    return;
  }
  auto answer = b.create_answer();
  if (!answer)
    abort(); // an accepted offer can always be answered
  auto text = sdp::to_text(answer->get());
  auto back = sdp::parse(text);
  if (!back)
    abort();
  auto l = b.set_local_description(SdpType::Answer, back->get());
  if (!l)
    abort(); // and our own answer always applies
  b.add_remote_candidate(0, "", "candidate:1 1 UDP 1 127.0.0.1 9 typ host");
  b.create_offer();
}

void as_answer(const GstSDPMessage *msg) {
  Negotiator a(config());
  TransceiverInit t;
  a.add_transceiver(t);
  t.kind = sdp::MediaKind::Video;
  a.add_transceiver(t);
  a.want_data_channel();
  auto offer = a.create_offer();
  if (!offer || !a.set_local_description(SdpType::Offer, offer->get()))
    abort();
  auto r = a.set_remote_description(SdpType::Answer, msg);
  if (!r) {
    require(false, &r.error());
    if (a.signaling_state() != SignalingState::HaveLocalOffer)
      abort(); // a refused answer changes nothing
    return;
  }
  a.create_offer();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  auto msg = sdp::parse(in);
  if (!msg) {
    require(false, &msg.error());
    return 0;
  }
  as_offer(msg->get());
  as_answer(msg->get());
  return 0;
}
