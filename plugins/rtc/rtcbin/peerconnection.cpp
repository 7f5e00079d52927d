#include "peerconnection.hpp"

#include "core/strings.hpp"
#include "jsep/codeccaps.hpp"
#include "rtcerror-private.hpp"
#include "rtcrtptransceiver-private.hpp"
#include "sender.hpp"

#include <gst/rtc/rtc-enumtypes.h>

GST_DEBUG_CATEGORY_EXTERN(gst_rtc_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_bin_debug

namespace gstrtc::rtcbin {

namespace {

void reply_error(GstPromise *promise, const Error &e) {
  if (!promise)
    return;
  GError *err = nullptr;
  set_gerror(e, &err);
  gst_promise_reply(
      promise, gst_structure_new("application/x-gst-promise", "error", G_TYPE_ERROR, err, nullptr));
  g_error_free(err);
}

void reply_ok(GstPromise *promise) {
  if (promise)
    gst_promise_reply(promise, nullptr);
}

GstRtcKind to_kind(sdp::MediaKind k) {
  return k == sdp::MediaKind::Audio   ? GST_RTC_KIND_AUDIO
         : k == sdp::MediaKind::Video ? GST_RTC_KIND_VIDEO
                                      : GST_RTC_KIND_UNKNOWN;
}

bool get_bool(const GstStructure *s, const char *field) {
  gboolean v = FALSE;
  return s && gst_structure_get_boolean(s, field, &v) && v;
}

// The threads that run every rtcbin's operations: none while no operation is pending. Never
// destroyed (a worker may still be finishing when the process exits).
WorkerPool &operations_pool() {
  static auto *pool = new WorkerPool("rtcbin-ops");
  return *pool;
}

} // namespace

PeerConnection::PeerConnection(GstBin *bin, BinCallbacks callbacks)
    : bin_(bin), cb_(std::move(callbacks)),
      data_pads_([this](const char *label, const GstStructure *opts, GError **error) {
        return create_data_channel(label, opts, error);
      }),
      queue_(std::make_unique<OpQueue>(operations_pool())) {}

PeerConnection::~PeerConnection() {
  queue_.reset(); // waits for the running operation; pending ones get their replies
  close_data_channels();
  std::lock_guard lk(lock_);
  for (auto &e : entries_) {
    transceiver_detach(e.obj.get());
    if (e.fec_funnel_pad)
      gst_object_unref(e.fec_funnel_pad);
    if (e.fec)
      gst_object_unref(e.fec);
  }
}

void PeerConnection::run(Deferred &d) {
  for (auto &f : d)
    f();
  d.clear();
}

// Every operation goes through here: in order, one at a time; after close, rejected.
void PeerConnection::chain(std::function<void()> op, GstPromise *promise) {
  if (promise)
    gst_promise_ref(promise);
  auto drop = [promise] {
    reply_error(promise, invalid_state("the peer connection is closed"));
    if (promise)
      gst_promise_unref(promise);
  };
  queue_->push(
      [op = std::move(op), promise] {
        op();
        if (promise)
          gst_promise_unref(promise);
      },
      drop);
}

jsep::Negotiator &PeerConnection::engine() {
  if (!engine_) {
    if (!config_.certificate)
      config_.certificate =
          adopt(gst_rtc_certificate_generate(GST_RTC_KEY_TYPE_ECDSA_P256, nullptr));
    jsep::NegotiatorConfig nc;
    nc.bundle_policy = static_cast<jsep::BundlePolicy>(config_.bundle_policy);
    gchar *fp = gst_rtc_certificate_get_fingerprint(config_.certificate.get(), "sha-256");
    nc.fingerprints.push_back({"sha-256", fp});
    g_free(fp);
    guint64 max_message = 0; // advertise what the SCTP transport accepts
    g_object_get(sctp_locked(), "local-max-message-size", &max_message, nullptr);
    nc.max_message_size = max_message;
    engine_ = std::make_unique<jsep::Negotiator>(std::move(nc));
  }
  return *engine_;
}

bool PeerConnection::start(std::string &error) {
  std::lock_guard lk(lock_);
  if (rtpbin_)
    return true;
  rtpbin_ = gst_element_factory_make("rtpbin", "rtpbin");
  if (!rtpbin_) {
    error = "rtpbin (gst-plugins-good) is not installed";
    return false;
  }
  gst_util_set_object_arg(G_OBJECT(rtpbin_), "rtp-profile", "savpf");
  g_object_set(rtpbin_, "latency", config_.latency, "do-lost", TRUE, "autoremove", TRUE, nullptr);
  g_signal_connect(rtpbin_, "request-pt-map", G_CALLBACK(on_request_pt_map), this);
  g_signal_connect(rtpbin_, "pad-added", G_CALLBACK(on_rtpbin_pad_added), this);
  g_signal_connect(rtpbin_, "new-jitterbuffer", G_CALLBACK(on_new_jitterbuffer), this);
  g_signal_connect(rtpbin_, "request-aux-sender", G_CALLBACK(on_aux_sender), this);
  g_signal_connect(rtpbin_, "request-aux-receiver", G_CALLBACK(on_aux_receiver), this);
  g_signal_connect(rtpbin_, "request-fec-decoder-full", G_CALLBACK(on_fec_decoder), this);
  g_signal_connect(rtpbin_, "new-storage", G_CALLBACK(on_new_storage), this);
  gst_bin_add(bin_, rtpbin_);
  engine();
  chain([this] { op_check_negotiation(); }, nullptr);
  return true;
}

// Every channel closes ("on-close", no lock held) and the association is aborted while DTLS
// is still up, so the peer hears it; the transport's references to its channels go with it.
void PeerConnection::close_data_channels() {
  Ref<GstRtcSCTPTransport> sctp;
  {
    std::lock_guard lk(lock_);
    sctp = take_sctp();
  }
  if (sctp)
    gst_rtc_sctp_transport_close(sctp.get());
}

void PeerConnection::stop() {
  data_pads_.stop(); // before the channels close: sink pads stop waiting, src pads let go
  close_data_channels();
  std::unique_lock lk(lock_);
  for (auto &e : entries_)
    if (e.sender)
      e.sender->set_mode(Sender::Mode::Drop);
  auto transports = std::move(transports_);
  lk.unlock();
  for (auto &[id, t] : transports)
    t->close();
  std::lock_guard ml(media_lock_);
  media_.clear();
}

void PeerConnection::close() {
  queue_->close();
  std::lock_guard lk(lock_);
  closed_ = true;
  if (engine_)
    engine_->close();
  signaling_ = GST_RTC_SIGNALING_STATE_CLOSED;
}

// --- operations ---------------------------------------------------------------------------

void PeerConnection::create_offer(const GstStructure *options, GstPromise *promise) {
  bool restart = get_bool(options, "ice-restart");
  chain([this, restart, promise] { op_create(true, restart, promise); }, promise);
}

void PeerConnection::create_answer(const GstStructure *, GstPromise *promise) {
  chain([this, promise] { op_create(false, false, promise); }, promise);
}

void PeerConnection::op_create(bool offer, bool ice_restart, GstPromise *promise) {
  Result<sdp::Message> r = invalid_state("");
  {
    std::lock_guard lk(lock_);
    resolve_pending_pads(true);
    r = offer ? engine().create_offer({ice_restart}) : engine().create_answer();
  }
  if (!r)
    return reply_error(promise, r.error());
  auto *desc = gst_rtc_session_description_new(
      offer ? GST_RTC_SDP_TYPE_OFFER : GST_RTC_SDP_TYPE_ANSWER, r->release());
  gst_promise_reply(promise,
                    gst_structure_new("application/x-gst-promise", offer ? "offer" : "answer",
                                      GST_TYPE_RTC_SESSION_DESCRIPTION, desc, nullptr));
  gst_rtc_session_description_free(desc);
}

void PeerConnection::set_description(bool local, const GstRtcSessionDescription *desc,
                                     GstPromise *promise) {
  if (!desc) {
    reply_error(promise, type_error("no session description given"));
    return;
  }
  auto type = static_cast<jsep::SdpType>(desc->type);
  sdp::Message msg;
  if (desc->sdp)
    msg = sdp::copy(desc->sdp);
  chain([this, local, type, m = std::make_shared<sdp::Message>(std::move(msg)),
         promise] { op_set_description(local, type, std::move(*m), promise); },
        promise);
}

void PeerConnection::op_set_description(bool local, jsep::SdpType type, sdp::Message msg,
                                        GstPromise *promise) {
  Deferred out;
  Result<jsep::Plan> plan = invalid_state("");
  {
    std::lock_guard lk(lock_);
    if (!rtpbin_) { // NULL state: no bin to build the transports in yet (webrtcbin refuses too)
      plan = invalid_state("rtcbin is not started: set it to READY or above before applying "
                           "a description");
    } else {
      if (!local && type == jsep::SdpType::Offer)
        resolve_pending_pads(true);
      plan = local ? engine().set_local_description(type, msg.get())
                   : engine().set_remote_description(type, msg.get());
    }
    if (plan) {
      std::string err = apply_plan(*plan, out);
      if (!err.empty()) {
        lock_.unlock();
        run(out);
        lock_.lock();
        GST_ELEMENT_WARNING(bin_, RESOURCE, FAILED, ("Could not apply the description"),
                            ("%s", err.c_str()));
        plan = Error{ErrorCode::OperationError, err};
      }
      auto s = static_cast<GstRtcSignalingState>(engine().signaling_state());
      if (s != signaling_) {
        signaling_ = s;
        out.push_back([this] { cb_.notify("signaling-state"); });
      }
      const char *which = local ? "local-description" : "remote-description";
      out.push_back([this, which] { cb_.notify(which); });
      if (!local && !pending_candidates_.empty()) {
        auto pending = std::move(pending_candidates_);
        for (auto &[mline, c] : pending)
          chain([this, mline = mline, c = c] { op_add_candidate(mline, c, nullptr); }, nullptr);
      }
    }
  }
  run(out);
  if (!plan)
    return reply_error(promise, plan.error());
  reply_ok(promise);
  op_check_negotiation();
}

void PeerConnection::add_ice_candidate(guint mline, const std::string &candidate,
                                       GstPromise *promise) {
  chain([this, mline, candidate, promise] { op_add_candidate(mline, candidate, promise); },
        promise);
}

void PeerConnection::op_add_candidate(guint mline, std::string candidate, GstPromise *promise) {
  if (candidate.rfind("a=", 0) == 0)
    candidate.erase(0, 2);
  std::string err;
  {
    std::lock_guard lk(lock_);
    if (!engine().remote_description()) {
      // webrtcbin accepts candidates that overtake the description; so do we.
      pending_candidates_.emplace_back(mline, candidate);
      reply_ok(promise);
      return;
    }
    auto t = engine().add_remote_candidate(mline, "", candidate);
    if (!t) {
      err = t.error().message;
    } else if (auto it = transports_.find(*t); it != transports_.end()) {
      err = it->second->add_remote_candidate(candidate);
    }
  }
  if (err.empty())
    return reply_ok(promise);
  if (promise)
    reply_error(promise, type_error(err));
  else
    GST_ELEMENT_WARNING(bin_, STREAM, FAILED, ("ICE candidate refused"),
                        ("m-line %u: '%s': %s", mline, candidate.c_str(), err.c_str()));
}

void PeerConnection::op_local_candidate(unsigned transport, std::string candidate) {
  Deferred out;
  {
    std::lock_guard lk(lock_);
    auto c = ice::parse_candidate(candidate);
    auto where = engine().transport_mline(transport);
    if (!c || !where)
      return;
    engine().add_local_candidate(transport, *c);
    guint mline = where->first;
    out.push_back([this, mline, candidate] { cb_.ice_candidate(mline, candidate); });
  }
  run(out);
}

void PeerConnection::op_gathering_done(unsigned transport) {
  Deferred out;
  {
    std::lock_guard lk(lock_);
    engine().local_candidates_done(transport);
    compute_states(out);
  }
  run(out);
}

void PeerConnection::op_update_states() {
  Deferred out;
  {
    std::lock_guard lk(lock_);
    for (auto &[id, t] : transports_)
      t->maybe_start_dtls();
    for (auto &e : entries_)
      release_if_secure(e);
    compute_states(out);
  }
  run(out);
}

// W3C webrtc §4.7.3: fire negotiationneeded when stable, needed and not yet fired.
void PeerConnection::op_check_negotiation() {
  bool fire = false;
  {
    std::lock_guard lk(lock_);
    if (closed_ || !rtpbin_ || engine().signaling_state() != jsep::SignalingState::Stable)
      return;
    bool pending_pad = false;
    for (auto &e : entries_)
      pending_pad |= !e.engine_id && e.sender && !e.sender->has_caps();
    bool needed = engine().negotiation_needed() && !pending_pad;
    fire = needed && !negotiation_needed_;
    negotiation_needed_ = needed;
  }
  if (fire)
    cb_.negotiation_needed();
}

void PeerConnection::restart_ice() {
  chain(
      [this] {
        {
          std::lock_guard lk(lock_);
          engine().restart_ice();
          negotiation_needed_ = false;
        }
        op_check_negotiation();
      },
      nullptr);
}

// --- transceivers -------------------------------------------------------------------------

PeerConnection::TransceiverEntry &
PeerConnection::new_entry(std::optional<unsigned> engine_id, GstRtcKind kind,
                          GstRtcRTPTransceiverDirection direction) {
  TransceiverEntry e;
  e.engine_id = engine_id;
  e.obj = adopt(transceiver_new(
      next_object_id_++, kind, direction,
      [this](GstRtcRTPTransceiver *t, TransceiverChange) { on_transceiver_change(t); }));
  entries_.push_back(std::move(e));
  return entries_.back();
}

PeerConnection::TransceiverEntry *PeerConnection::entry_by_engine_id(unsigned id) {
  for (auto &e : entries_)
    if (e.engine_id == id)
      return &e;
  return nullptr;
}

// The application changed direction or codec-preferences: tell the engine, in order.
void PeerConnection::on_transceiver_change(GstRtcRTPTransceiver *t) {
  Ref<GstRtcRTPTransceiver> keep(t);
  chain(
      [this, keep] {
        {
          std::lock_guard lk(lock_);
          for (auto &e : entries_) {
            if (e.obj.get() != keep.get() || !e.engine_id)
              continue;
            auto d = static_cast<sdp::Direction>(transceiver_direction(keep.get()));
            engine().set_direction(*e.engine_id, d);
            if (GstCaps *caps = transceiver_codec_preferences(keep.get())) {
              auto c = codecs_for(caps, e.kind, true);
              gst_caps_unref(caps);
              if (c)
                engine().set_codec_preferences(*e.engine_id, *c);
              else
                GST_ELEMENT_WARNING(bin_, CORE, NEGOTIATION, ("Codec preferences ignored"),
                                    ("%s", c.error().message.c_str()));
            }
          }
        }
        op_check_negotiation();
      },
      nullptr);
}

// Capabilities for a transceiver from application/x-rtp caps: the codecs named there, with
// the feedback and RTX we support for them (NACK/RTX and PLI on by default, as browsers do).
// `any_variant`: the caps are what upstream could produce (a payloader's template), so every
// variant we support of the encodings named (all H.264 profiles, say) may be negotiated.
Result<jsep::Capabilities> PeerConnection::codecs_for(const GstCaps *caps, sdp::MediaKind kind,
                                                      bool preferred, bool any_variant) {
  auto c = jsep::capabilities_from_caps(caps, kind);
  if (!c)
    return c.error();
  auto defaults = jsep::default_capabilities(kind);
  std::vector<sdp::Codec> known;
  for (auto &codec : c->codecs) {
    for (const auto &d : defaults.codecs) {
      if (any_variant && iequals(codec.name, d.name)) {
        known.push_back(d);
        known.back().pt = codec.pt;
      } else if (!any_variant && jsep::same_format(codec, d)) {
        if (codec.feedback.empty())
          codec.feedback = d.feedback;
        known.push_back(codec);
        break;
      }
    }
  }
  if (known.empty()) {
    gchar *text = gst_caps_to_string(caps);
    std::string msg = std::string("no codec rtcbin can negotiate in ") + text;
    g_free(text);
    return type_error(msg);
  }
  c->codecs = std::move(known);
  c->rtx = c->rtx || defaults.rtx;
  c->preferred = preferred;
  return c;
}

GstRtcRTPTransceiver *PeerConnection::add_transceiver(GstRtcRTPTransceiverDirection direction,
                                                      const GstCaps *caps, GError **error) {
  GstRtcRTPTransceiver *out = nullptr;
  {
    std::lock_guard lk(lock_);
    std::optional<unsigned> id;
    sdp::MediaKind kind = sdp::MediaKind::Other;
    if (caps && gst_caps_get_size(caps) > 0) {
      kind = jsep::kind_of_structure(gst_caps_get_structure(caps, 0));
      auto c = codecs_for(caps, kind, true);
      if (!c || kind == sdp::MediaKind::Other) {
        set_gerror(c ? type_error("caps name no media (audio or video)") : c.error(), error);
        return nullptr;
      }
      jsep::TransceiverInit init;
      init.kind = kind;
      init.direction = static_cast<sdp::Direction>(direction);
      init.codecs = *c;
      auto r = engine().add_transceiver(init);
      if (!r) {
        set_gerror(r.error(), error);
        return nullptr;
      }
      id = *r;
    }
    auto &e = new_entry(id, to_kind(kind), direction);
    e.kind = kind;
    if (caps)
      g_object_set(e.obj.get(), "codec-preferences", caps, nullptr);
    out = GST_RTC_RTP_TRANSCEIVER(gst_object_ref(e.obj.get()));
  }
  chain([this] { op_check_negotiation(); }, nullptr);
  return out;
}

std::vector<Ref<GstRtcRTPTransceiver>> PeerConnection::transceivers() {
  std::lock_guard lk(lock_);
  std::vector<Ref<GstRtcRTPTransceiver>> out;
  for (auto &e : entries_)
    out.push_back(e.obj);
  return out;
}

// Transceivers waiting for their sink pad's caps join the engine once the caps (or the
// upstream element's fixed caps) say what they send.
void PeerConnection::resolve_pending_pads(bool now) {
  for (auto &e : entries_) {
    if (e.engine_id || !e.sender)
      continue;
    Ref<GstCaps> caps = e.sender->caps();
    bool queried = false;
    if (!caps && now) {
      // An offer or answer is wanted now and no data flowed yet: what upstream could produce
      // (a payloader's template), fixated, without the PT fixation picked from a range.
      GstCaps *q = gst_pad_peer_query_caps(e.sender->pad(), nullptr);
      if (q && !gst_caps_is_empty(q) && !gst_caps_is_any(q)) {
        GstCaps *first = gst_caps_copy_nth(q, 0);
        int pt = -1;
        gst_structure_get_int(gst_caps_get_structure(first, 0), "payload", &pt);
        first = gst_caps_fixate(first);
        if (pt < 0)
          gst_structure_remove_field(gst_caps_get_structure(first, 0), "payload");
        caps = adopt(first);
      }
      if (q)
        gst_caps_unref(q);
      queried = true;
    }
    if (!caps)
      continue;
    auto kind = jsep::kind_of_structure(gst_caps_get_structure(caps.get(), 0));
    auto c = codecs_for(caps.get(), kind, false, queried);
    if ((!c || kind == sdp::MediaKind::Other) && queried)
      continue; // the caps event will tell
    if (!c || kind == sdp::MediaKind::Other) {
      GST_ELEMENT_WARNING(bin_, CORE, NEGOTIATION, ("Sink pad caps cannot be negotiated"),
                          ("%s: %s", GST_PAD_NAME(e.sender->pad()),
                           c ? "caps name no media" : c.error().message.c_str()));
      continue;
    }
    jsep::TransceiverInit init;
    init.kind = kind;
    init.direction = static_cast<sdp::Direction>(transceiver_direction(e.obj.get()));
    init.codecs = *c;
    // RED and ULP FEC are always received (rtpbin's FEC decoder); they are sent only with
    // fec-type=ulp-red (fec_encoder), as with webrtcbin.
    if (kind == sdp::MediaKind::Video)
      for (const auto &d : jsep::default_capabilities(kind).codecs) {
        auto role = jsep::role_of(d);
        if (role == jsep::CodecRole::Red || role == jsep::CodecRole::Ulpfec)
          init.codecs->codecs.push_back(d);
      }
    if (auto r = engine().add_transceiver(init)) {
      e.engine_id = *r;
      e.kind = kind;
      transceiver_update(e.obj.get(), {.kind = to_kind(kind)});
    }
  }
}

// --- the plan -----------------------------------------------------------------------------

std::string PeerConnection::apply_plan(const jsep::Plan &plan, Deferred &out) {
  for (unsigned id : plan.new_transceivers) {
    auto *t = engine().transceiver(id);
    if (!t || entry_by_engine_id(id))
      continue;
    auto &e =
        new_entry(id, to_kind(t->kind), static_cast<GstRtcRTPTransceiverDirection>(t->direction));
    e.kind = t->kind;
    Ref<GstRtcRTPTransceiver> obj = e.obj;
    out.push_back([this, obj] { cb_.new_transceiver(obj.get()); });
  }
  bool local = plan.side == jsep::Side::Local;
  std::string error;
  for (const auto &tp : plan.transports) {
    auto it = transports_.find(tp.id);
    if (it == transports_.end()) {
      TransportEvents ev;
      ev.candidate = [this](unsigned id, std::string c) {
        chain([this, id, c = std::move(c)] { op_local_candidate(id, c); }, nullptr);
      };
      ev.gathering_done = [this](unsigned id) {
        chain([this, id] { op_gathering_done(id); }, nullptr);
      };
      ev.state_changed = [this] { chain([this] { op_update_states(); }, nullptr); };
      it = transports_
               .emplace(tp.id,
                        std::make_unique<TransportStack>(bin_, rtpbin_, tp.id, config_.ice,
                                                         config_.certificate.get(), std::move(ev)))
               .first;
      watch_rtcp(tp.id);
    }
    std::string e = it->second->apply(tp, local);
    if (!e.empty() && error.empty())
      error = "transport " + std::to_string(tp.id) + ": " + e;
  }
  for (const auto &tp : plan.transceivers)
    apply_transceiver(tp, plan.final);
  apply_data(plan);
  if (plan.final) {
    // Transports the plan no longer lists (BUNDLE took them over, or their m-lines stopped).
    for (auto it = transports_.begin(); it != transports_.end();) {
      bool listed = false;
      for (const auto &tp : plan.transports)
        listed |= tp.id == it->first;
      if (listed) {
        ++it;
        continue;
      }
      it->second->close();
      it = transports_.erase(it);
    }
    update_media_tables();
  }
  compute_states(out);
  return error;
}

void PeerConnection::apply_transceiver(const jsep::TransceiverPlan &tp, bool final) {
  auto *e = entry_by_engine_id(tp.transceiver);
  if (!e)
    return;
  TransceiverUpdate u;
  u.mid = tp.mid;
  u.mline = tp.mline;
  u.kind = to_kind(tp.kind);
  u.stopped = tp.stopped;
  if (final)
    u.current_direction = static_cast<GstRtcRTPTransceiverDirection>(tp.direction);
  transceiver_update(e->obj.get(), u);
  e->mid = tp.mid;
  e->kind = tp.kind;
  if (!final)
    return;
  e->transport = tp.transport;
  e->codecs = tp.codecs;
  e->extensions = tp.extensions;
  e->remote_ssrcs = tp.remote_ssrcs;
  if (!cname_set_ && !tp.cname.empty()) {
    cname_set_ = true;
    GstStructure *sdes = gst_structure_new("application/x-rtp-source-sdes", "cname", G_TYPE_STRING,
                                           tp.cname.c_str(), nullptr);
    g_object_set(rtpbin_, "sdes", sdes, nullptr);
    gst_structure_free(sdes);
  }
  if (e->sender)
    link_sender(*e, tp);
}

// --- states -------------------------------------------------------------------------------

// W3C webrtc §4.3.2-4.3.3: the peer connection's states from its transports'.
void PeerConnection::compute_states(Deferred &out) {
  int n = 0, ice_new = 0, checking = 0, connected = 0, completed = 0, failed = 0, disc = 0;
  int g_new = 0, g_complete = 0, dtls_new = 0, dtls_failed = 0, dtls_up = 0, ice_closed = 0;
  for (auto &[id, t] : transports_) {
    GstRtcICEConnectionState s;
    GstRtcICEGatheringState g;
    GstRtcDTLSTransportState d;
    g_object_get(t->ice(), "state", &s, "gathering-state", &g, nullptr);
    g_object_get(t->dtls(), "state", &d, nullptr);
    n++;
    ice_new += s == GST_RTC_ICE_CONNECTION_STATE_NEW;
    checking += s == GST_RTC_ICE_CONNECTION_STATE_CHECKING;
    connected += s == GST_RTC_ICE_CONNECTION_STATE_CONNECTED;
    completed += s == GST_RTC_ICE_CONNECTION_STATE_COMPLETED;
    failed += s == GST_RTC_ICE_CONNECTION_STATE_FAILED;
    disc += s == GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED;
    ice_closed += s == GST_RTC_ICE_CONNECTION_STATE_CLOSED;
    g_new += g == GST_RTC_ICE_GATHERING_STATE_NEW;
    g_complete += g == GST_RTC_ICE_GATHERING_STATE_COMPLETE;
    dtls_new += d == GST_RTC_DTLS_TRANSPORT_STATE_NEW || d == GST_RTC_DTLS_TRANSPORT_STATE_CLOSED;
    dtls_failed += d == GST_RTC_DTLS_TRANSPORT_STATE_FAILED;
    dtls_up +=
        d == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED || d == GST_RTC_DTLS_TRANSPORT_STATE_CLOSED;
  }
  auto gathering = n == 0 || g_new == n ? GST_RTC_ICE_GATHERING_STATE_NEW
                   : g_complete == n    ? GST_RTC_ICE_GATHERING_STATE_COMPLETE
                                        : GST_RTC_ICE_GATHERING_STATE_GATHERING;
  GstRtcICEConnectionState ice;
  if (closed_)
    ice = GST_RTC_ICE_CONNECTION_STATE_CLOSED;
  else if (failed)
    ice = GST_RTC_ICE_CONNECTION_STATE_FAILED;
  else if (disc)
    ice = GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED;
  else if (n == 0 || ice_new == n)
    ice = GST_RTC_ICE_CONNECTION_STATE_NEW;
  else if (ice_new || checking)
    ice = GST_RTC_ICE_CONNECTION_STATE_CHECKING;
  else if (completed == n)
    ice = GST_RTC_ICE_CONNECTION_STATE_COMPLETED;
  else
    ice = GST_RTC_ICE_CONNECTION_STATE_CONNECTED;
  GstRtcPeerConnectionState pc; // W3C webrtc §4.3.3 (closed transports count as done)
  if (closed_)
    pc = GST_RTC_PEER_CONNECTION_STATE_CLOSED;
  else if (failed || dtls_failed)
    pc = GST_RTC_PEER_CONNECTION_STATE_FAILED;
  else if (disc)
    pc = GST_RTC_PEER_CONNECTION_STATE_DISCONNECTED;
  else if (n == 0 || (ice_new + ice_closed == n && dtls_new == n))
    pc = GST_RTC_PEER_CONNECTION_STATE_NEW;
  else if (connected + completed + ice_closed == n && dtls_up == n)
    pc = GST_RTC_PEER_CONNECTION_STATE_CONNECTED;
  else
    pc = GST_RTC_PEER_CONNECTION_STATE_CONNECTING;
  auto set = [&](auto &field, auto value, const char *name) {
    if (field != value) {
      field = value;
      out.push_back([this, name] { cb_.notify(name); });
    }
  };
  set(gathering_, gathering, "ice-gathering-state");
  set(ice_state_, ice, "ice-connection-state");
  set(pc_state_, pc, "connection-state");
}

GstRtcSignalingState PeerConnection::signaling_state() {
  std::lock_guard lk(lock_);
  return signaling_;
}
GstRtcICEGatheringState PeerConnection::ice_gathering_state() {
  std::lock_guard lk(lock_);
  return gathering_;
}
GstRtcICEConnectionState PeerConnection::ice_connection_state() {
  std::lock_guard lk(lock_);
  return ice_state_;
}
GstRtcPeerConnectionState PeerConnection::connection_state() {
  std::lock_guard lk(lock_);
  return pc_state_;
}

GstRtcSessionDescription *PeerConnection::description(Which which) {
  std::lock_guard lk(lock_);
  if (!engine_)
    return nullptr;
  const GstSDPMessage *m = nullptr;
  GstRtcSDPType type = GST_RTC_SDP_TYPE_OFFER;
  auto &en = *engine_;
  bool local =
      which == Which::Local || which == Which::CurrentLocal || which == Which::PendingLocal;
  switch (which) {
  case Which::Local:
    m = en.local_description();
    break;
  case Which::CurrentLocal:
    m = en.current_local();
    break;
  case Which::PendingLocal:
    m = en.pending_local();
    break;
  case Which::Remote:
    m = en.remote_description();
    break;
  case Which::CurrentRemote:
    m = en.current_remote();
    break;
  case Which::PendingRemote:
    m = en.pending_remote();
    break;
  }
  if (!m)
    return nullptr;
  bool current = m == (local ? en.current_local() : en.current_remote());
  if (current) {
    // The current descriptions are an offer/answer pair: ours is the answer if they offered.
    bool we_answered = en.last_offer_side() == jsep::Side::Remote;
    type = (local == we_answered) ? GST_RTC_SDP_TYPE_ANSWER : GST_RTC_SDP_TYPE_OFFER;
  } else {
    auto st = en.signaling_state();
    bool pr = st == jsep::SignalingState::HaveLocalPranswer ||
              st == jsep::SignalingState::HaveRemotePranswer;
    type = pr ? GST_RTC_SDP_TYPE_PRANSWER : GST_RTC_SDP_TYPE_OFFER;
  }
  return gst_rtc_session_description_new(type, sdp::copy(m).release());
}

Config PeerConnection::config() {
  std::lock_guard lk(lock_);
  return config_;
}

void PeerConnection::set_config(const std::function<void(Config &)> &change) {
  std::lock_guard lk(lock_);
  change(config_);
  latency_ms_ = config_.latency;
  if (rtpbin_)
    g_object_set(rtpbin_, "latency", config_.latency, nullptr);
}

bool PeerConnection::add_turn_server(const std::string &uri) {
  std::lock_guard lk(lock_);
  for (auto &[id, t] : transports_)
    if (!gst_rtc_ice_transport_add_turn_server(t->ice(), uri.c_str(), nullptr))
      return false;
  config_.ice.turn_servers.push_back(uri);
  return true;
}

} // namespace gstrtc::rtcbin
