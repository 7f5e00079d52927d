// The Plan after each applied description, read from the descriptions themselves (so an
// application's edits between create and set count): transports per BUNDLE group with ICE
// credentials, candidates, roles and fingerprints; transceivers with direction, codecs,
// extensions and SSRCs; the SCTP association.
#include "jsep/description.hpp"
#include "jsep/negotiator.hpp"

#include <algorithm>

namespace gstrtc::jsep {

namespace {

std::optional<Description> parsed(const GstSDPMessage *m) {
  if (!m)
    return std::nullopt;
  auto d = read_description(m);
  if (!d)
    return std::nullopt;
  return std::move(*d);
}

const sdp::MediaSection *section(const std::optional<Description> &d, unsigned i) {
  return d && i < d->media.size() ? &d->media[i] : nullptr;
}

const sdp::MediaTransport *transport(const std::optional<Description> &d, unsigned i) {
  return d && i < d->transport.media.size() ? &d->transport.media[i] : nullptr;
}

void fill_send(const sdp::MediaSection &l, TransceiverPlan &p) {
  for (const auto &s : l.ssrcs) {
    bool repair = std::any_of(l.ssrc_groups.begin(), l.ssrc_groups.end(), [&](const auto &g) {
      return g.ssrcs.size() == 2 && g.ssrcs[1] == s.ssrc;
    });
    if (repair)
      continue;
    SendStream st;
    st.ssrc = s.ssrc;
    for (const auto &g : l.ssrc_groups)
      if (g.semantics == "FID" && g.ssrcs.size() == 2 && g.ssrcs[0] == s.ssrc)
        st.rtx_ssrc = g.ssrcs[1];
    p.send.push_back(st);
    if (p.cname.empty())
      p.cname = s.cname;
  }
  for (const auto &r : l.rids)
    if (r.send)
      p.send.push_back(SendStream{0, std::nullopt, r.id});
}

void fill_remote(const sdp::MediaSection &r, TransceiverPlan &p) {
  p.remote_ssrcs = r.ssrcs;
  p.remote_ssrc_groups = r.ssrc_groups;
  for (const auto &rid : r.rids)
    if (rid.send)
      p.remote_rids.push_back(rid);
  if (!r.msids.empty())
    p.remote_msid = r.msids.front();
  for (const auto &s : r.ssrcs)
    if (!p.remote_msid && s.msid)
      p.remote_msid = s.msid;
}

} // namespace

// Which descriptions count and which m-line owns each transport; false before any offer.
bool Negotiator::fill_context(PlanContext &cx) const {
  cx.local = parsed(local_description());
  cx.remote = parsed(remote_description());
  cx.we_offered = last_offer_side_ == Side::Local;
  auto st = machine_.state();
  bool offer_pending =
      st == SignalingState::HaveLocalOffer || st == SignalingState::HaveRemoteOffer;
  cx.answered = cx.local && cx.remote && !offer_pending;
  const auto &offer = cx.we_offered ? cx.local : cx.remote;
  const auto &answer = cx.we_offered ? cx.remote : cx.local;
  if (!offer)
    return false;
  OwnerRule rule = cx.answered     ? OwnerRule::Answer
                   : cx.we_offered ? OwnerRule::OwnOffer
                                   : OwnerRule::RemoteOffer;
  cx.authority = cx.answered ? &*answer : &*offer;
  cx.owners = transport_owners(*cx.authority, rule);
  // Our own offer: the transports it was written for (all its m-lines share one set of ICE
  // credentials, so they cannot tell).
  if (rule == OwnerRule::OwnOffer && last_offer_owner_keys_.size() == cx.owners.size()) {
    const auto &keys = last_offer_owner_keys_;
    for (unsigned i = 0; i < cx.owners.size(); i++)
      if (cx.owners[i])
        cx.owners[i] = static_cast<unsigned>(std::find(keys.begin(), keys.end(), keys[i]) -
                                             keys.begin());
  }
  return true;
}

Plan Negotiator::build_plan(SdpType type, Side side, bool final) {
  Plan plan;
  plan.type = type;
  plan.side = side;
  plan.final = final;
  PlanContext cx;
  if (!fill_context(cx))
    return plan;
  plan_transports(cx, plan);
  plan_transceivers(cx, plan);
  plan_data(cx, plan);
  plan.new_transceivers = created_by_offer_;
  if (type != SdpType::Offer || side != Side::Remote)
    plan.new_transceivers.clear();
  return plan;
}

void Negotiator::plan_transports(PlanContext &cx, Plan &plan) {
  const Description &a = *cx.authority;
  for (unsigned i = 0; i < cx.owners.size(); i++) {
    if (!cx.owners[i] || *cx.owners[i] != i)
      continue;
    TransportState &ts = transport_for(owner_key(a, i));
    cx.transport_of_owner[i] = ts.id;
    TransportPlan tp;
    tp.id = ts.id;
    for (unsigned j = 0; j < cx.owners.size(); j++)
      if (cx.owners[j] == i)
        tp.mids.push_back(a.media[j].mid);
    const auto *lt = transport(cx.local, i);
    const auto *rt = transport(cx.remote, i);
    if (lt && !lt->ice_ufrag.empty())
      tp.local = IceCredentials{lt->ice_ufrag, lt->ice_pwd};
    else
      tp.local = ts.proposed ? *ts.proposed : ts.local;
    bool remote_live = rt && !rt->ice_ufrag.empty() && (!rt->rejected || rt->bundle_only);
    if (remote_live) {
      tp.remote = IceCredentials{rt->ice_ufrag, rt->ice_pwd};
      tp.remote_candidates = rt->candidates;
      tp.remote_end_of_candidates = rt->end_of_candidates;
      tp.remote_fingerprints = rt->fingerprints;
      tp.remote_ice_lite = cx.remote->transport.ice_lite;
    }
    // RFC 8445 §6.1.1: the offerer controls unless exactly one side is lite; roles stay
    // until an ICE restart (RFC 8839 §4.4.1.1).
    bool restart = !(tp.local == ts.local);
    if (ts.ice_controlling && !restart)
      tp.ice_controlling = *ts.ice_controlling;
    else
      tp.ice_controlling = tp.remote_ice_lite || cx.we_offered;
    if (cx.answered && lt && rt && remote_live) {
      bool local_is_offer = cx.we_offered;
      auto ours = lt->setup.value_or(local_is_offer ? sdp::Setup::ActPass : sdp::Setup::Active);
      auto theirs = rt->setup.value_or(local_is_offer ? sdp::Setup::Active : sdp::Setup::ActPass);
      if (auto client = sdp::we_are_dtls_client(ours, theirs, cx.we_offered))
        tp.dtls_client = *client;
    }
    plan.transports.push_back(std::move(tp));
  }
}

void Negotiator::plan_transceivers(PlanContext &cx, Plan &plan) {
  for (const auto &t : transceivers_) {
    if (!t.mline || *t.mline >= cx.authority->media.size())
      continue;
    unsigned i = *t.mline;
    TransceiverPlan p;
    p.transceiver = t.id;
    p.mid = cx.authority->media[i].mid;
    p.mline = i;
    p.kind = t.kind;
    p.stream_ids = t.stream_ids;
    p.track_id = t.track_id;
    const auto *l = section(cx.local, i);
    const auto *r = section(cx.remote, i);
    const auto &offer = cx.we_offered ? l : r;
    const auto &answer = cx.we_offered ? r : l;
    p.stopped =
        (offer && offer->rejected) || (cx.answered && answer && answer->rejected) || !cx.owners[i];
    if (!p.stopped)
      p.transport = cx.transport_of_owner[*cx.owners[i]];
    if (cx.answered && l && r) {
      p.direction = cx.we_offered ? sdp::reverse(r->direction) : l->direction;
      p.codecs = negotiated_codecs(offer->codecs, answer->codecs);
      p.extensions = answer->extmaps;
    } else if (l) {
      p.direction = l->direction;
      p.codecs = l->codecs;
      p.extensions = l->extmaps;
    } else if (r) {
      p.direction = sdp::answer_direction(r->direction, t.direction);
      p.codecs = answer_codecs(r->codecs, t.codecs);
      p.extensions = r->extmaps;
    }
    if (p.stopped)
      p.direction = sdp::Direction::Inactive;
    if (l)
      fill_send(*l, p);
    if (p.cname.empty())
      p.cname = cname_;
    if (r)
      fill_remote(*r, p);
    const auto *lt = transport(cx.local, i);
    const auto *rt = transport(cx.remote, i);
    p.rtcp_rsize = (!lt || lt->rtcp_rsize) && (!rt || rt->rtcp_rsize);
    plan.transceivers.push_back(std::move(p));
  }
}

void Negotiator::plan_data(PlanContext &cx, Plan &plan) {
  if (data_mid_.empty())
    return;
  const Description &a = *cx.authority;
  for (unsigned i = 0; i < a.media.size(); i++) {
    if (owner_key(a, i) != data_mid_ || !a.media[i].sctp || !cx.owners[i])
      continue;
    const auto *l = section(cx.local, i);
    const auto *r = section(cx.remote, i);
    if ((l && l->rejected) || (r && r->rejected))
      return;
    DataPlan d;
    d.mid = a.media[i].mid;
    d.mline = i;
    d.transport = cx.transport_of_owner[*cx.owners[i]];
    d.legacy = a.media[i].sctp->legacy;
    if (l && l->sctp) {
      d.local_port = l->sctp->port;
      d.local_max_message_size = l->sctp->max_message_size.value_or(65536);
    }
    if (r && r->sctp) {
      d.remote_port = r->sctp->port;
      d.remote_max_message_size = r->sctp->max_message_size.value_or(65536);
    }
    plan.data = d;
    return;
  }
}

} // namespace gstrtc::jsep
