// create-offer (RFC 9429 §5.2): m-lines kept in place from the current description, stopped
// slots recycled for new transceivers, new ones appended; BUNDLE per policy; payload types and
// extension ids unique across the offer; the negotiated codecs of live m-lines kept.
#include "jsep/description.hpp"
#include "jsep/extensions.hpp"
#include "jsep/negotiator.hpp"

#include <algorithm>

namespace gstrtc::jsep {

// The slots of the next offer (RFC 9429 §5.2.2): existing m-lines in place, recycled or
// appended new ones.
std::vector<Negotiator::OfferSlot> Negotiator::offer_slots() {
  std::vector<OfferSlot> slots;
  std::optional<Description> local, remote;
  if (current_local_)
    if (auto d = read_description(current_local_.get()))
      local = std::move(*d);
  if (current_remote_)
    if (auto d = read_description(current_remote_.get()))
      remote = std::move(*d);
  std::vector<std::string> taken;
  if (local)
    for (const auto &m : local->media) {
      OfferSlot s;
      s.mid = m.mid;
      s.existing = true;
      bool rejected = m.rejected ||
                      (remote && m.index < remote->media.size() && remote->media[m.index].rejected);
      s.section = rejected_section(m);
      if (m.sctp && !rejected) {
        s.kind = OfferSlot::Kind::Data;
      } else if (!m.sctp) {
        for (const auto &t : transceivers_)
          if (t.mline == m.index && t.mid == m.mid && !t.stopped)
            s.transceiver = t.id;
        s.kind = s.transceiver && !rejected ? OfferSlot::Kind::Media : OfferSlot::Kind::Rejected;
        const Transceiver *t = s.transceiver ? transceiver(*s.transceiver) : nullptr;
        if (t && t->stopping)
          s.kind = OfferSlot::Kind::Rejected;
        // A stopping transceiver's m-line is rejected, mid kept until negotiated (§5.2.2).
        s.recyclable = rejected && (!t || t->stopped);
        if (s.kind == OfferSlot::Kind::Rejected)
          s.transceiver.reset();
      } else {
        s.recyclable = true;
      }
      taken.push_back(m.mid);
      slots.push_back(std::move(s));
    }
  auto fresh_mid = [&](const std::optional<std::string> &have) {
    if (have && std::find(taken.begin(), taken.end(), *have) == taken.end()) {
      taken.push_back(*have);
      return *have;
    }
    for (unsigned n = 0;; n++) {
      auto mid = std::to_string(n);
      if (!mid_used(mid) && std::find(taken.begin(), taken.end(), mid) == taken.end()) {
        taken.push_back(mid);
        return mid;
      }
    }
  };
  auto place = [&](OfferSlot s) {
    for (auto &o : slots)
      if (o.recyclable) {
        s.existing = true;
        o = std::move(s);
        return;
      }
    slots.push_back(std::move(s));
  };
  for (const auto &t : transceivers_) {
    bool placed = std::any_of(slots.begin(), slots.end(),
                              [&](const OfferSlot &s) { return s.transceiver == t.id; });
    if (placed || t.stopped || t.stopping)
      continue;
    OfferSlot s;
    s.kind = OfferSlot::Kind::Media;
    s.transceiver = t.id;
    s.mid = fresh_mid(t.mid);
    place(std::move(s));
  }
  bool have_data = std::any_of(slots.begin(), slots.end(),
                               [](const OfferSlot &s) { return s.kind == OfferSlot::Kind::Data; });
  if (want_data_ && !have_data) {
    OfferSlot s;
    s.kind = OfferSlot::Kind::Data;
    s.mid = fresh_mid(data_mid_.empty() ? std::nullopt : std::optional<std::string>(data_mid_));
    place(std::move(s));
  }
  return slots;
}

// The media section a transceiver offers: negotiated codecs and extension ids when it has
// been negotiated, else its capabilities with PTs and ids unique across the offer.
sdp::MediaSection Negotiator::offer_media(Transceiver &t, const std::string &mid, PayloadTypes &pts,
                                          ext::ExtensionIds &ids) {
  sdp::MediaSection s;
  s.kind = t.kind;
  s.media = sdp::to_string(t.kind);
  s.protocol = "UDP/TLS/RTP/SAVPF";
  s.mid = mid;
  s.direction = t.direction;
  bool negotiated = !t.negotiated_codecs.empty() && t.mid == mid;
  s.codecs = negotiated ? t.negotiated_codecs : offer_codecs(t.codecs, pts);
  if (negotiated) {
    s.extmaps = t.negotiated_extensions;
  } else {
    for (const auto &uri : t.extensions)
      if (int id = ids.assign(uri))
        s.extmaps.push_back(sdp::Extmap{id, uri, sdp::Direction::None, {}});
  }
  bool has_rid_ext = s.extmap(ext::kRid) != nullptr;
  if (!t.send_rids.empty() && has_rid_ext && sdp::has_send(t.direction)) {
    sdp::Simulcast sim;
    for (const auto &rid : t.send_rids) {
      s.rids.push_back(sdp::Rid{rid, true, {}, {}});
      sim.send.push_back({sdp::SimulcastStream{rid, false}});
    }
    s.simulcast = sim;
  }
  add_send_streams(t, s);
  return s;
}

// RFC 8830 msid and RFC 5576 ssrc/ssrc-group lines for what we send (none for simulcast,
// whose layers are identified by rid, as browsers do).
void Negotiator::add_send_streams(Transceiver &t, sdp::MediaSection &s) {
  if (!sdp::has_send(s.direction))
    return;
  sdp::Msid msid{t.stream_ids.empty() ? "-" : t.stream_ids[0], t.track_id};
  for (const auto &sid : t.stream_ids)
    s.msids.push_back(sdp::Msid{sid, t.track_id});
  if (t.stream_ids.empty())
    s.msids.push_back(msid);
  if (std::any_of(s.rids.begin(), s.rids.end(), [](const sdp::Rid &r) { return r.send; }))
    return;
  if (t.ssrc == 0)
    t.ssrc = new_ssrc();
  s.ssrcs.push_back(sdp::Ssrc{t.ssrc, cname_, msid});
  bool rtx = std::any_of(s.codecs.begin(), s.codecs.end(),
                         [](const sdp::Codec &c) { return role_of(c) == CodecRole::Rtx; });
  if (rtx) {
    if (t.rtx_ssrc == 0)
      t.rtx_ssrc = new_ssrc();
    s.ssrcs.push_back(sdp::Ssrc{t.rtx_ssrc, cname_, msid});
    s.ssrc_groups.push_back(sdp::SsrcGroup{"FID", {t.ssrc, t.rtx_ssrc}});
  }
}

sdp::MediaSection Negotiator::data_media(const std::string &mid, const sdp::MediaSection *was) {
  sdp::MediaSection s;
  s.kind = sdp::MediaKind::Application;
  s.media = "application";
  s.mid = mid;
  bool legacy = was && was->sctp && was->sctp->legacy;
  s.protocol = legacy ? "DTLS/SCTP" : "UDP/DTLS/SCTP";
  s.sctp = sdp::Sctp{};
  s.sctp->legacy = legacy;
  s.sctp->max_message_size = config_.max_message_size;
  s.sctp->streams = legacy ? 65535 : 0;
  return s;
}

Result<sdp::Message> Negotiator::create_offer(const OfferOptions &opts) {
  if (auto s = can_create(machine_.state(), SdpType::Offer); !s)
    return s.error();
  auto slots = offer_slots();
  PayloadTypes pts;
  ext::ExtensionIds ids;
  for (const auto &t : transceivers_) { // keep what is negotiated; nothing new collides
    for (const auto &c : t.negotiated_codecs)
      pts.reserve(c);
    for (const auto &e : t.negotiated_extensions)
      ids.reserve(e.id, e.uri);
  }
  // PTs the application asked for (a payloader's pt, codec-preferences) before any automatic
  // one: webrtcbin answers only with the PT its own payloader was configured with.
  for (const auto &t : transceivers_)
    if (t.negotiated_codecs.empty())
      for (const auto &c : t.codecs.codecs)
        if (c.pt >= 0 && !pts.used(c.pt))
          pts.reserve(c);
  std::vector<sdp::MediaSection> sections;
  last_offer_transceivers_.clear();
  for (unsigned i = 0; i < slots.size(); i++) {
    auto &s = slots[i];
    if (s.kind == OfferSlot::Kind::Media) {
      Transceiver *t = find_transceiver(*s.transceiver);
      sections.push_back(offer_media(*t, s.mid, pts, ids));
      last_offer_transceivers_[i] = t->id;
    } else if (s.kind == OfferSlot::Kind::Data) {
      sections.push_back(data_media(s.mid, s.existing ? &s.section : nullptr));
    } else {
      sections.push_back(s.section);
    }
    sections.back().index = i;
  }
  auto msg = write_offer(sections, opts.ice_restart || ice_restart_wanted_);
  last_offer_ = sdp::copy(msg.get());
  return msg;
}

// Transports and BUNDLE of an offer (RFC 8843 §7.2, RFC 9429 §4.1.1): a negotiated group keeps
// its transport and takes new m-lines in; a first offer follows the bundle policy.
sdp::Message Negotiator::write_offer(const std::vector<sdp::MediaSection> &sections,
                                     bool ice_restart) {
  std::vector<std::string> negotiated_group;
  if (have_negotiated_bundle()) {
    auto answer = read_description(last_offer_side_ == Side::Local ? current_remote_.get()
                                                                   : current_local_.get());
    if (answer && !answer->transport.bundle_groups.empty())
      negotiated_group = answer->transport.bundle_groups[0];
  }
  std::string tag;
  for (const auto &mid : negotiated_group)
    for (const auto &s : sections)
      if (tag.empty() && s.mid == mid && !s.rejected)
        tag = mid;
  auto policy = config_.bundle_policy;
  std::vector<std::string> group;
  std::vector<std::string> owner(sections.size());
  std::vector<bool> bundle_only(sections.size(), false);
  std::vector<sdp::MediaKind> kinds_seen;
  for (const auto &s : sections) {
    if (s.rejected)
      continue;
    group.push_back(s.mid);
    bool in_negotiated = std::find(negotiated_group.begin(), negotiated_group.end(), s.mid) !=
                         negotiated_group.end();
    bool existing = s.index < negotiated_count();
    if (!tag.empty() && (in_negotiated || !existing)) {
      owner[s.index] = tag;
    } else if (existing || policy == BundlePolicy::MaxCompat) {
      owner[s.index] = s.mid;
    } else if (policy == BundlePolicy::MaxBundle) {
      owner[s.index] = group.front();
      bundle_only[s.index] = group.size() > 1;
    } else { // balanced: the first m-line of each kind has a transport (§4.1.1)
      bool first = std::find(kinds_seen.begin(), kinds_seen.end(), s.kind) == kinds_seen.end();
      kinds_seen.push_back(s.kind);
      owner[s.index] = first ? s.mid : group.front();
      bundle_only[s.index] = !first;
    }
  }
  sdp::Message msg = sdp::new_message();
  write_session(msg.get(), session_id_, ++session_version_,
                group.empty() ? std::vector<std::vector<std::string>>{}
                              : std::vector<std::vector<std::string>>{group});
  last_offer_owner_keys_ = owner;
  if (ice_restart)
    new_ice_generation();
  for (const auto &s : sections) {
    if (s.rejected) {
      write_section(msg.get(), s, nullptr);
      continue;
    }
    TransportState &ts = transport_for(owner[s.index]);
    if (ice_restart && !ts.proposed)
      ts.proposed = new_credentials();
    TransportAttributes attrs;
    attrs.ice = ts.proposed ? *ts.proposed : ts.local;
    attrs.fingerprints = config_.fingerprints;
    attrs.setup = sdp::Setup::ActPass; // RFC 8842 §5.2 (aiortc 1.4 accepts nothing else)
    attrs.bundle_only = bundle_only[s.index];
    if (!ts.proposed)
      attrs.candidates = ts.local_candidates;
    attrs.end_of_candidates = !ts.proposed && ts.local_done;
    write_section(msg.get(), s, &attrs);
  }
  return msg;
}

unsigned Negotiator::negotiated_count() const {
  return current_local_ ? gst_sdp_message_medias_len(current_local_.get()) : 0;
}

} // namespace gstrtc::jsep
