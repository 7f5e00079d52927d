// create-answer (RFC 9429 §5.3): each offered m-line answered in place with the offerer's
// payload types and extension ids, rejected (port 0) when nothing is common; every offered
// BUNDLE group accepted with its first live m-line as tag; DTLS role kept once established.
#include "jsep/description.hpp"
#include "jsep/extensions.hpp"
#include "jsep/negotiator.hpp"

#include <algorithm>

namespace gstrtc::jsep {

namespace {

// DTLS-SRTP RTP profiles (RFC 5764 §8, RFC 8843); plain RTP/AVP and SDES are not accepted.
bool secure_rtp(const std::string &proto) {
  return proto == "UDP/TLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP" ||
         proto == "TCP/DTLS/RTP/SAVPF" || proto == "TCP/TLS/RTP/SAVPF" || proto == "RTP/SAVPF";
}

// RFC 8853 §5.3: receive the layers the offerer sends; send the layers it asks for that we
// have. Without the rid header extension neither side can tell layers apart.
void answer_simulcast(const sdp::MediaSection &o, const Transceiver &t, sdp::MediaSection &a) {
  if (!o.simulcast || !a.extmap(ext::kRid))
    return;
  sdp::Simulcast sim;
  auto copy_rid = [&](const std::string &id, bool send) {
    for (const auto &r : o.rids)
      if (r.id == id) {
        sdp::Rid x = r;
        x.send = send;
        x.pts.erase(std::remove_if(x.pts.begin(), x.pts.end(),
                                   [&](int pt) { return a.codec(pt) == nullptr; }),
                    x.pts.end());
        a.rids.push_back(x);
      }
  };
  if (!o.simulcast->send.empty() && t.receive_simulcast && sdp::has_recv(a.direction)) {
    sim.recv = o.simulcast->send;
    for (const auto &alt : sim.recv)
      for (const auto &st : alt)
        copy_rid(st.rid, false);
  }
  if (!o.simulcast->recv.empty() && sdp::has_send(a.direction))
    for (const auto &alt : o.simulcast->recv)
      for (const auto &st : alt)
        if (std::find(t.send_rids.begin(), t.send_rids.end(), st.rid) != t.send_rids.end()) {
          sim.send.push_back({st});
          copy_rid(st.rid, true);
        }
  if (!sim.send.empty() || !sim.recv.empty())
    a.simulcast = sim;
}

} // namespace

sdp::MediaSection Negotiator::answer_media(const sdp::MediaSection &o) {
  if (o.rejected)
    return rejected_section(o);
  if (o.sctp) {
    std::string key = o.mid.empty() ? "#" + std::to_string(o.index) : o.mid;
    if (key != data_mid_)
      return rejected_section(o); // one SCTP association per session
    sdp::MediaSection a = data_media(o.mid, &o);
    a.index = o.index;
    a.protocol = o.protocol;
    return a;
  }
  Transceiver *t = nullptr;
  for (auto &x : transceivers_)
    if (x.mline == o.index)
      t = &x;
  if (!o.is_rtp() || !secure_rtp(o.protocol) || !t || t->stopped || t->stopping)
    return rejected_section(o);
  sdp::MediaSection a;
  a.index = o.index;
  a.kind = o.kind;
  a.media = o.media;
  a.protocol = o.protocol;
  a.mid = o.mid;
  a.codecs = answer_codecs(o.codecs, t->codecs);
  if (a.codecs.empty())
    return rejected_section(o); // RFC 9429 §5.3.1: no common codec
  a.direction = sdp::answer_direction(o.direction, t->direction);
  a.extmaps = ext::answer_extensions(o.extmaps, t->extensions);
  answer_simulcast(o, *t, a);
  add_send_streams(*t, a);
  return a;
}

Result<sdp::Message> Negotiator::create_answer() {
  if (auto s = can_create(machine_.state(), SdpType::Answer); !s)
    return s.error();
  auto offer = read_description(pending_remote_.get());
  if (!offer)
    return offer.error();
  std::vector<sdp::MediaSection> sections;
  for (const auto &o : offer->media)
    sections.push_back(answer_media(o));
  // Every offered group, minus rejected m-lines; its first live mid is the tag.
  std::vector<std::vector<std::string>> groups;
  std::vector<std::string> owner(sections.size());
  for (const auto &s : sections)
    owner[s.index] = s.mid.empty() ? "#" + std::to_string(s.index) : s.mid;
  for (const auto &g : offer->transport.bundle_groups) {
    std::vector<std::string> live;
    for (const auto &mid : g)
      if (auto i = offer->index_of(mid); i && !sections[*i].rejected)
        live.push_back(mid);
    if (live.empty())
      continue;
    for (const auto &mid : live)
      owner[*offer->index_of(mid)] = live.front();
    groups.push_back(live);
  }
  std::optional<Description> previous;
  if (current_remote_)
    if (auto d = read_description(current_remote_.get()))
      previous = std::move(*d);
  sdp::Message msg = sdp::new_message();
  write_session(msg.get(), session_id_, ++session_version_, groups);
  bool restarted = false;
  for (const auto &s : sections) {
    if (s.rejected) {
      write_section(msg.get(), s, nullptr);
      continue;
    }
    TransportState &ts = transport_for(owner[s.index]);
    const auto &theirs = offer->transport.media[s.index];
    // RFC 9429 §5.3.1: a remote ICE restart (new ufrag) gets new credentials in the answer.
    if (previous && !ts.proposed)
      if (auto j = previous->index_of(s.mid);
          j && previous->transport.media[*j].ice_ufrag != theirs.ice_ufrag) {
        if (!restarted)
          new_ice_generation(); // once for every transport the peer restarts
        restarted = true;
        ts.proposed = new_credentials();
      }
    TransportAttributes attrs;
    attrs.ice = ts.proposed ? *ts.proposed : ts.local;
    attrs.fingerprints = config_.fingerprints;
    attrs.setup = answer_setup(theirs.setup.value_or(sdp::Setup::ActPass), ts.dtls_client);
    if (!ts.proposed) {
      attrs.candidates = ts.local_candidates;
      attrs.end_of_candidates = ts.local_done;
    }
    write_section(msg.get(), s, &attrs);
  }
  return msg;
}

// RFC 8842 §5.3: complement the offer; with actpass keep an established role, else be active
// (the handshake starts with the answer, RFC 5763 §5).
sdp::Setup Negotiator::answer_setup(sdp::Setup offered, std::optional<bool> we_are_client) {
  if (offered == sdp::Setup::Active)
    return sdp::Setup::Passive;
  if (offered == sdp::Setup::Passive)
    return sdp::Setup::Active;
  if (we_are_client)
    return *we_are_client ? sdp::Setup::Active : sdp::Setup::Passive;
  return sdp::Setup::Active;
}

} // namespace gstrtc::jsep
