// rtc-sdp: the JSEP engine from the command line, for looking at what gst-rtc would say to a
// peer before any pipeline exists.
//
//   rtc-sdp answer OFFER.sdp        our answer on stdout, the plan on stderr
//   rtc-sdp offer [audio|video|data]...  [--bundle-policy balanced|max-bundle|max-compat]
//
// Exit status 1 and the engine's error (naming the line) when a description is refused.
#include "dtls/certificate.hpp"
#include "jsep/negotiator.hpp"
#include "sdp/message.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

using namespace gstrtc;
using namespace gstrtc::jsep;

namespace {

int usage() {
  fprintf(stderr, "usage: rtc-sdp answer OFFER.sdp\n"
                  "       rtc-sdp offer [audio|video|data]... [--bundle-policy balanced|"
                  "max-bundle|max-compat]\n");
  return 2;
}

NegotiatorConfig config(BundlePolicy policy) {
  NegotiatorConfig c;
  c.bundle_policy = policy;
  auto cert = dtls::Certificate::generate(dtls::KeyType::EcdsaP256);
  if (cert)
    c.fingerprints = {dtls::Fingerprint{"sha-256", (*cert)->fingerprint("sha-256")}};
  return c;
}

void print_plan(const Plan &p) {
  for (const auto &t : p.transports) {
    std::string mids;
    for (const auto &m : t.mids)
      mids += (mids.empty() ? "" : " ") + m;
    fprintf(stderr, "transport %u: mids [%s], ICE %s, DTLS %s, %zu remote candidates\n", t.id,
            mids.c_str(), t.ice_controlling ? "controlling" : "controlled",
            !t.dtls_client   ? "role open"
            : *t.dtls_client ? "client"
                             : "server",
            t.remote_candidates.size());
  }
  for (const auto &t : p.transceivers) {
    fprintf(stderr, "mid %s: %s %s%s", t.mid.c_str(), sdp::to_string(t.kind),
            sdp::to_string(t.direction), t.stopped ? " (rejected)" : "");
    for (const auto &c : t.codecs)
      fprintf(stderr, " %s/%d", c.name.c_str(), c.pt);
    fprintf(stderr, "\n");
  }
  if (p.data)
    fprintf(stderr, "mid %s: SCTP port %u%s, peer max-message-size %llu\n", p.data->mid.c_str(),
            p.data->remote_port, p.data->legacy ? " (legacy DTLS/SCTP)" : "",
            static_cast<unsigned long long>(p.data->remote_max_message_size));
}

int answer(const char *path) {
  std::ifstream f(path);
  if (!f) {
    fprintf(stderr, "rtc-sdp: cannot read %s\n", path);
    return 1;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  auto offer = sdp::parse(ss.str());
  if (!offer) {
    fprintf(stderr, "rtc-sdp: %s\n", offer.error().message.c_str());
    return 1;
  }
  Negotiator n(config(BundlePolicy::Balanced));
  auto r = n.set_remote_description(SdpType::Offer, offer->get());
  auto a = r ? n.create_answer() : Result<sdp::Message>(r.error());
  auto plan = a ? n.set_local_description(SdpType::Answer, a->get()) : Result<Plan>(a.error());
  if (!plan) {
    fprintf(stderr, "rtc-sdp: %s\n", plan.error().message.c_str());
    return 1;
  }
  fputs(sdp::to_text(a->get()).c_str(), stdout);
  print_plan(*plan);
  return 0;
}

int offer(int argc, char **argv) {
  BundlePolicy policy = BundlePolicy::Balanced;
  std::vector<sdp::MediaKind> kinds;
  bool data = false;
  for (int i = 0; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--bundle-policy" && i + 1 < argc) {
      std::string p = argv[++i];
      policy = p == "max-bundle"   ? BundlePolicy::MaxBundle
               : p == "max-compat" ? BundlePolicy::MaxCompat
                                   : BundlePolicy::Balanced;
    } else if (a == "audio" || a == "video") {
      kinds.push_back(sdp::parse_kind(a));
    } else if (a == "data") {
      data = true;
    } else {
      return usage();
    }
  }
  if (kinds.empty() && !data)
    kinds = {sdp::MediaKind::Audio, sdp::MediaKind::Video};
  Negotiator n(config(policy));
  for (auto k : kinds) {
    TransceiverInit t;
    t.kind = k;
    t.stream_ids = {"rtc-sdp"};
    n.add_transceiver(t);
  }
  if (data)
    n.want_data_channel();
  auto o = n.create_offer();
  auto plan = o ? n.set_local_description(SdpType::Offer, o->get()) : Result<Plan>(o.error());
  if (!plan) {
    fprintf(stderr, "rtc-sdp: %s\n", plan.error().message.c_str());
    return 1;
  }
  fputs(sdp::to_text(o->get()).c_str(), stdout);
  print_plan(*plan);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "answer") == 0)
    return answer(argv[2]);
  if (argc >= 2 && strcmp(argv[1], "offer") == 0)
    return offer(argc - 2, argv + 2);
  return usage();
}
