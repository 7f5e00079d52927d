// Negotiator state: transceivers, applying descriptions (RFC 9429 §5.7-5.8, W3C §4.4.1.5),
// rollback, candidates and negotiation-needed. Offers, answers and plans are built in
// offer.cpp, answer.cpp and planner.cpp.
#include "jsep/negotiator.hpp"

#include "jsep/description.hpp"
#include "jsep/extensions.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

namespace gstrtc::jsep {

namespace {

const char kIceChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
const char kAlnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

GstSDPMedia *mutable_media(GstSDPMessage *msg, unsigned i) {
  return &g_array_index(msg->medias, GstSDPMedia, i);
}

} // namespace

Negotiator::Negotiator(NegotiatorConfig config) : config_(std::move(config)) {
  if (!config_.random)
    config_.random = [](uint8_t *p, size_t n) {
      if (RAND_bytes(p, static_cast<int>(n)) != 1)
        for (size_t i = 0; i < n; i++) // never reached with a working OpenSSL
          p[i] = static_cast<uint8_t>(g_random_int());
    };
  cname_ = random_chars(16, kAlnum);
  config_.random(reinterpret_cast<uint8_t *>(&session_id_), sizeof(session_id_));
  session_id_ &= 0x3fffffffffffffffULL; // Chromium keeps it below 2^62; some parsers need it
}

std::string Negotiator::random_chars(size_t n, const char *alphabet) {
  std::vector<uint8_t> bytes(n);
  config_.random(bytes.data(), n);
  size_t len = strlen(alphabet);
  std::string out;
  for (auto b : bytes)
    out += alphabet[b % len];
  return out;
}

// One set of credentials per ICE generation, shared by every transport it creates, as
// browsers do: webrtcbin refuses a BUNDLE group whose m-lines have different ufrags, even
// when they are separate transports (balanced, max-compat) with their own candidates.
IceCredentials Negotiator::new_credentials() {
  if (!generation_)
    // RFC 8445 §5.3: at least 24 bits in the ufrag and 128 in the password.
    generation_ = IceCredentials{random_chars(8, kIceChars), random_chars(24, kIceChars)};
  return *generation_;
}

uint32_t Negotiator::new_ssrc() {
  for (;;) {
    uint32_t s = 0;
    config_.random(reinterpret_cast<uint8_t *>(&s), sizeof(s));
    if (s != 0 && std::find(used_ssrcs_.begin(), used_ssrcs_.end(), s) == used_ssrcs_.end()) {
      used_ssrcs_.push_back(s);
      return s;
    }
  }
}

bool Negotiator::mid_used(const std::string &mid) const {
  if (std::find(used_mids_.begin(), used_mids_.end(), mid) != used_mids_.end())
    return true;
  for (const auto &t : transceivers_)
    if (t.mid == mid)
      return true;
  return mid == data_mid_;
}

Negotiator::TransportState &Negotiator::transport_for(const std::string &key) {
  for (auto &t : transports_)
    if (t.owner_mid == key)
      return t;
  TransportState t;
  t.id = next_transport_id_++;
  t.owner_mid = key;
  t.local = new_credentials();
  transports_.push_back(std::move(t));
  return transports_.back();
}

Negotiator::TransportState *Negotiator::transport_by_id(unsigned id) {
  for (auto &t : transports_)
    if (t.id == id)
      return &t;
  return nullptr;
}

const Negotiator::TransportState *Negotiator::transport_by_id(unsigned id) const {
  for (const auto &t : transports_)
    if (t.id == id)
      return &t;
  return nullptr;
}

const Transceiver *Negotiator::transceiver(unsigned id) const {
  for (const auto &t : transceivers_)
    if (t.id == id)
      return &t;
  return nullptr;
}

Transceiver *Negotiator::find_transceiver(unsigned id) {
  for (auto &t : transceivers_)
    if (t.id == id)
      return &t;
  return nullptr;
}

Result<unsigned> Negotiator::add_transceiver(const TransceiverInit &init) {
  if (machine_.state() == SignalingState::Closed)
    return invalid_state("the session is closed");
  if (init.kind != sdp::MediaKind::Audio && init.kind != sdp::MediaKind::Video)
    return type_error("a transceiver is audio or video");
  if (init.direction == sdp::Direction::None)
    return type_error("a transceiver's direction cannot be none");
  for (const auto &rid : init.send_rids)
    if (rid.empty() || !std::all_of(rid.begin(), rid.end(), [](char c) {
          return g_ascii_isalnum(c) || c == '-' || c == '_';
        }))
      return type_error("send rid '" + rid + "' is not alphanumeric, '-' or '_' (RFC 8851)");
  Transceiver t;
  t.id = transceivers_.empty() ? 0 : transceivers_.back().id + 1;
  t.kind = init.kind;
  t.direction = init.direction;
  t.codecs = init.codecs ? *init.codecs : default_capabilities(init.kind);
  t.extensions = init.extensions.empty() ? ext::default_extensions(init.kind) : init.extensions;
  t.stream_ids = init.stream_ids;
  t.send_rids = init.send_rids;
  t.receive_simulcast = init.receive_simulcast;
  t.track_id = random_chars(8, kAlnum) + "-" + random_chars(4, kAlnum) + "-" +
               random_chars(4, kAlnum) + "-" + random_chars(12, kAlnum);
  transceivers_.push_back(std::move(t));
  return transceivers_.back().id;
}

Status Negotiator::set_direction(unsigned id, sdp::Direction d) {
  Transceiver *t = find_transceiver(id);
  if (!t)
    return type_error("no transceiver " + std::to_string(id));
  if (t->stopping || t->stopped)
    return invalid_state("transceiver " + std::to_string(id) + " is stopped");
  if (d == sdp::Direction::None)
    return type_error("a transceiver's direction cannot be none");
  t->direction = d;
  return Ok{};
}

Status Negotiator::set_codec_preferences(unsigned id, Capabilities caps) {
  Transceiver *t = find_transceiver(id);
  if (!t)
    return type_error("no transceiver " + std::to_string(id));
  if (caps.codecs.empty())
    return type_error("codec preferences list no codec");
  caps.preferred = true;
  t->codecs = std::move(caps);
  return Ok{};
}

Status Negotiator::stop_transceiver(unsigned id) {
  Transceiver *t = find_transceiver(id);
  if (!t)
    return type_error("no transceiver " + std::to_string(id));
  if (!t->mid) { // never negotiated: nothing to tell the peer
    t->stopped = true;
  }
  t->stopping = true;
  t->direction = sdp::Direction::Inactive;
  return Ok{};
}

const GstSDPMessage *Negotiator::local_description() const {
  return pending_local_ ? pending_local_.get() : current_local_.get();
}

const GstSDPMessage *Negotiator::remote_description() const {
  return pending_remote_ ? pending_remote_.get() : current_remote_.get();
}

bool Negotiator::have_negotiated_bundle() const {
  return current_local_ && current_remote_ &&
         gst_sdp_message_get_attribute_val(last_offer_side_ == Side::Local ? current_remote_.get()
                                                                           : current_local_.get(),
                                           "group") != nullptr;
}

std::string Negotiator::owner_key(const Description &d, unsigned index) {
  return d.media[index].mid.empty() ? "#" + std::to_string(index) : d.media[index].mid;
}

// ---- applying descriptions ----

Result<Plan> Negotiator::set_local_description(SdpType type, const GstSDPMessage *sdp) {
  return apply(Side::Local, type, sdp);
}

Result<Plan> Negotiator::set_remote_description(SdpType type, const GstSDPMessage *sdp) {
  return apply(Side::Remote, type, sdp);
}

Result<Plan> Negotiator::rollback(Side side) {
  auto t = machine_.apply(side, SdpType::Rollback);
  if (!t)
    return t.error();
  undo_pending();
  return build_plan(SdpType::Rollback, side, false);
}

void Negotiator::undo_pending() {
  // W3C §4.4.1.5 rollback: the pending descriptions go, transceivers as they were.
  pending_local_.reset();
  pending_remote_.reset();
  for (auto &t : transports_)
    t.proposed.reset();
  if (snapshot_) {
    transceivers_ = std::move(snapshot_->transceivers);
    data_mid_ = snapshot_->data_mid;
    snapshot_.reset();
  }
}

Result<Plan> Negotiator::apply(Side side, SdpType type, const GstSDPMessage *sdp) {
  const char *what = side == Side::Local ? "local" : "remote";
  if (type == SdpType::Rollback)
    return rollback(side);
  if (!sdp)
    return type_error(std::string("no ") + what + " description given");
  auto desc = read_description(sdp);
  if (!desc)
    return Error{desc.error().code,
                 std::string(what) + " " + to_string(type) + ": " + desc.error().message};
  auto next = next_state(machine_.state(), side, type);
  if (!next)
    return next.error();
  if (next->implicit_rollback)
    undo_pending();
  Status checked = type == SdpType::Offer
                       ? (side == Side::Local ? check_local_offer(*desc) : Status(Ok{}))
                       : check_answer(side, *desc);
  if (!checked)
    return Error{checked.error().code,
                 std::string(what) + " " + to_string(type) + ": " + checked.error().message};
  machine_.apply(side, type);
  if (side == Side::Local)
    for (auto &t : transports_)
      if (t.proposed) { // an ICE restart of ours starts now: the candidates start over
        t.local_candidates.clear();
        t.local_done = false;
      }
  if (type == SdpType::Offer) {
    snapshot_ = Snapshot{transceivers_, data_mid_};
    last_offer_side_ = side;
    if (side == Side::Local) {
      associate_local_offer(*desc);
      pending_local_ = sdp::copy(sdp);
    } else {
      pending_remote_ = sdp::copy(sdp);
      associate_remote_offer(*desc);
    }
    return build_plan(type, side, false);
  }
  (side == Side::Local ? pending_local_ : pending_remote_) = sdp::copy(sdp);
  if (type == SdpType::Pranswer)
    return build_plan(type, side, false);
  current_local_ = std::move(pending_local_);
  current_remote_ = std::move(pending_remote_);
  snapshot_.reset();
  Plan plan = build_plan(type, side, true);
  finish_negotiation(plan);
  return plan;
}

// The local offer must be the one create-offer made: the same m-lines in the same order
// (attributes may be edited, RFC 9429 §5.4).
Status Negotiator::check_local_offer(const Description &d) const {
  if (!last_offer_)
    return invalid_state("set-local-description(offer) before create-offer");
  auto made = read_description(last_offer_.get());
  if (!made || made->media.size() != d.media.size())
    return type_error("it is not the offer create-offer made (" + std::to_string(d.media.size()) +
                      " m-lines instead of " + std::to_string(made ? made->media.size() : 0) + ")");
  for (size_t i = 0; i < d.media.size(); i++)
    if (made->media[i].mid != d.media[i].mid || made->media[i].kind != d.media[i].kind)
      return type_error(sdp::mline_name(i, d.media[i].mid) +
                        " differs from the offer create-offer made (mid or kind changed)");
  return Ok{};
}

// An answer answers the pending offer: same m-lines, same mids and kinds, BUNDLE only over
// offered groups, a usable DTLS role on every live m-line.
Status Negotiator::check_answer(Side side, const Description &answer) const {
  const GstSDPMessage *offer_msg =
      side == Side::Local ? pending_remote_.get() : pending_local_.get();
  if (!offer_msg)
    return invalid_state("no pending offer to answer");
  auto offer = read_description(offer_msg);
  if (!offer)
    return offer.error();
  if (offer->media.size() != answer.media.size())
    return type_error("the answer has " + std::to_string(answer.media.size()) +
                      " m-lines, the offer " + std::to_string(offer->media.size()) +
                      " (RFC 3264 §6)");
  for (size_t i = 0; i < answer.media.size(); i++) {
    const auto &o = offer->media[i], &a = answer.media[i];
    if (a.kind != o.kind || (!a.mid.empty() && a.mid != o.mid))
      return type_error(sdp::mline_name(i, a.mid) + " does not answer the offer's " +
                        sdp::mline_name(i, o.mid) + " (" + sdp::to_string(o.kind) + ")");
    if (a.rejected || o.rejected)
      continue;
    auto ours = side == Side::Local ? answer.transport.media[i] : offer->transport.media[i];
    auto theirs = side == Side::Local ? offer->transport.media[i] : answer.transport.media[i];
    if (!ours.setup || !theirs.setup)
      continue; // RFC 8842 §5.2: a missing a=setup means active in an answer, actpass in offers
    if (auto r = sdp::we_are_dtls_client(*ours.setup, *theirs.setup, side == Side::Remote); !r)
      return type_error(sdp::mline_name(i, a.mid) + ": " + r.error().message);
    if (a.is_rtp() && o.is_rtp() && negotiated_codecs(o.codecs, a.codecs).empty())
      return type_error(sdp::mline_name(i, a.mid) +
                        " has no payload type the offer had (RFC 3264 §6.1)");
  }
  for (const auto &g : answer.transport.bundle_groups)
    for (const auto &mid : g)
      if (!offer->transport.bundle_group(mid))
        return type_error("a=group:BUNDLE of the answer has mid '" + mid +
                          "', which the offer did not bundle (RFC 8843 §7.3)");
  return Ok{};
}

void Negotiator::associate_local_offer(const Description &d) {
  for (const auto &[mline, id] : last_offer_transceivers_)
    if (Transceiver *t = find_transceiver(id); t && mline < d.media.size()) {
      t->mid = d.media[mline].mid;
      t->mline = mline;
    }
  for (const auto &m : d.media)
    if (m.sctp && !m.rejected && data_mid_.empty())
      data_mid_ = m.mid;
}

// W3C §4.4.1.5 step "process remote tracks": each m-line to a transceiver by mid, else to
// an unassociated one of the same kind, else a new recvonly one.
void Negotiator::associate_remote_offer(const Description &d) {
  created_by_offer_.clear();
  for (const auto &m : d.media) {
    if (m.sctp) {
      if (!m.rejected && data_mid_.empty())
        data_mid_ = m.mid.empty() ? "#" + std::to_string(m.index) : m.mid;
      continue;
    }
    if (m.kind != sdp::MediaKind::Audio && m.kind != sdp::MediaKind::Video)
      continue;
    Transceiver *t = nullptr;
    for (auto &x : transceivers_)
      if (x.mid && *x.mid == m.mid && !m.mid.empty())
        t = &x;
    if (!t && m.rejected)
      continue;
    for (auto &x : transceivers_)
      if (!t && !x.mid && !x.stopped && !x.stopping && x.kind == m.kind)
        t = &x;
    if (!t) {
      TransceiverInit init;
      init.kind = m.kind;
      init.direction = sdp::Direction::RecvOnly;
      auto id = add_transceiver(init);
      t = find_transceiver(*id);
      t->from_remote = true;
      created_by_offer_.push_back(*id);
    }
    t->mid = m.mid.empty() ? "#" + std::to_string(m.index) : m.mid;
    t->mline = m.index;
  }
}

// An answer was applied: current directions, codecs, stopped transceivers, DTLS and ICE
// roles settle; transports nobody uses any more are dropped.
void Negotiator::finish_negotiation(const Plan &plan) {
  for (const auto &tp : plan.transceivers) {
    Transceiver *t = find_transceiver(tp.transceiver);
    if (!t)
      continue;
    if (tp.stopped) {
      t->stopped = t->stopping = true;
      t->current_direction.reset();
      continue;
    }
    t->current_direction = tp.direction;
    t->negotiated_codecs = tp.codecs;
    t->negotiated_extensions = tp.extensions;
  }
  std::vector<TransportState> kept;
  for (const auto &p : plan.transports)
    if (TransportState *ts = transport_by_id(p.id)) {
      ts->dtls_client = p.dtls_client;
      ts->ice_controlling = p.ice_controlling;
      ts->local = p.local;
      ts->proposed.reset();
      kept.push_back(*ts);
    }
  transports_ = std::move(kept);
  for (const auto &t : transceivers_)
    if (t.mid && std::find(used_mids_.begin(), used_mids_.end(), *t.mid) == used_mids_.end())
      used_mids_.push_back(*t.mid);
  if (!data_mid_.empty() && !plan.data)
    data_mid_.clear();
  ice_restart_wanted_ = false;
}

// ---- candidates ----

Result<unsigned> Negotiator::add_remote_candidate(std::optional<unsigned> mline,
                                                  const std::string &mid,
                                                  const std::string &candidate) {
  GstSDPMessage *remote = pending_remote_ ? pending_remote_.get() : current_remote_.get();
  if (!remote)
    return invalid_state("add-ice-candidate before a remote description");
  auto d = read_description(remote);
  if (!d)
    return d.error();
  std::optional<unsigned> index = mid.empty() ? mline : d->index_of(mid);
  if (!index || *index >= d->media.size())
    return type_error("the remote description has no m-line " +
                      (mid.empty() ? std::to_string(mline.value_or(0)) : "with mid '" + mid + "'"));
  // The transport of the m-line that owns this one's (its BUNDLE tag, or itself).
  PlanContext cx;
  const TransportState *ts = nullptr;
  if (fill_context(cx) && *index < cx.owners.size() && cx.owners[*index])
    for (const auto &t : transports_)
      if (t.owner_mid == owner_key(*cx.authority, *cx.owners[*index]))
        ts = &t;
  if (!ts)
    return type_error(sdp::mline_name(*index, mid) + " is rejected: it takes no candidates");
  unsigned transport = ts->id;
  GstSDPMedia *media = mutable_media(remote, *index);
  if (candidate.empty()) { // RFC 8838 §4.4: end of candidates
    gst_sdp_media_add_attribute(media, "end-of-candidates", nullptr);
    return transport;
  }
  auto c = ice::parse_candidate(candidate);
  if (!c)
    return c.error();
  const auto &ufrag = d->transport.media[*index].ice_ufrag;
  if (!c->ufrag.empty() && c->ufrag != ufrag)
    return type_error("candidate ufrag '" + c->ufrag + "' is not the m-line's '" + ufrag +
                      "' (an old ICE generation?)");
  gst_sdp_media_add_attribute(media, "candidate", c->to_string().substr(10).c_str());
  return transport;
}

Status Negotiator::add_local_candidate(unsigned transport, const ice::Candidate &c) {
  TransportState *ts = transport_by_id(transport);
  if (!ts)
    return type_error("no transport " + std::to_string(transport));
  ts->local_candidates.push_back(c);
  write_local_candidates(*ts, &c, false);
  return Ok{};
}

Status Negotiator::local_candidates_done(unsigned transport) {
  TransportState *ts = transport_by_id(transport);
  if (!ts)
    return type_error("no transport " + std::to_string(transport));
  ts->local_done = true;
  write_local_candidates(*ts, nullptr, true);
  return Ok{};
}

// The transport's m-lines by ownership (the BUNDLE tag, or the m-line itself), not by ufrag:
// one ICE generation's credentials are shared by every transport.
std::vector<unsigned> Negotiator::candidate_mlines(const TransportState &ts) const {
  std::vector<unsigned> out;
  PlanContext cx;
  if (!fill_context(cx) || !cx.local)
    return out;
  const Description &a = *cx.authority;
  for (unsigned i = 0; i < cx.owners.size() && i < cx.local->media.size(); i++) {
    const auto &m = cx.local->transport.media[i];
    if (cx.owners[i] && owner_key(a, *cx.owners[i]) == ts.owner_mid && !m.rejected &&
        !m.bundle_only)
      out.push_back(i);
  }
  return out;
}

// JSEP §5.2.1: the local description carries the candidates gathered so far, on the m-lines
// of the transport (not on bundle-only ones).
void Negotiator::write_local_candidates(const TransportState &ts, const ice::Candidate *c,
                                        bool done) {
  GstSDPMessage *local = pending_local_ ? pending_local_.get() : current_local_.get();
  if (!local)
    return;
  for (unsigned i : candidate_mlines(ts)) {
    GstSDPMedia *media = mutable_media(local, i);
    if (c)
      gst_sdp_media_add_attribute(media, "candidate", c->to_string().substr(10).c_str());
    if (done)
      gst_sdp_media_add_attribute(media, "end-of-candidates", nullptr);
  }
}

std::optional<std::pair<unsigned, std::string>> Negotiator::transport_mline(unsigned id) const {
  const TransportState *ts = transport_by_id(id);
  if (!ts)
    return std::nullopt;
  auto lines = candidate_mlines(*ts);
  auto d = read_description(local_description());
  if (lines.empty() || !d)
    return std::nullopt;
  return std::make_pair(lines.front(), d->media[lines.front()].mid);
}

// ---- negotiation-needed (W3C §4.7.3) ----

bool Negotiator::negotiation_needed() const {
  if (machine_.state() != SignalingState::Stable)
    return false;
  if (ice_restart_wanted_)
    return true;
  auto local =
      current_local_ ? read_description(current_local_.get()) : Result<Description>(type_error(""));
  auto remote = current_remote_ ? read_description(current_remote_.get())
                                : Result<Description>(type_error(""));
  if (want_data_ && data_mid_.empty())
    return true;
  for (const auto &t : transceivers_) {
    if (t.stopped)
      continue;
    if (!t.mid || !t.mline || !local || !remote || *t.mline >= local->media.size())
      return true; // not yet in a negotiated m-line
    const auto &l = local->media[*t.mline];
    if (t.stopping)
      return !l.rejected;
    if (sdp::has_send(t.direction) && l.msids.empty() &&
        std::none_of(l.ssrcs.begin(), l.ssrcs.end(), [](const sdp::Ssrc &s) { return s.msid; }) &&
        !t.stream_ids.empty())
      return true;
    if (last_offer_side_ == Side::Local) {
      auto r = sdp::reverse(remote->media[*t.mline].direction);
      if (l.direction != t.direction && r != t.direction)
        return true;
    } else if (l.direction !=
               sdp::answer_direction(remote->media[*t.mline].direction, t.direction)) {
      return true;
    }
  }
  return false;
}

} // namespace gstrtc::jsep
