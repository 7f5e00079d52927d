#include "transportstack.hpp"

#include <atomic>

namespace gstrtc::rtcbin {

namespace {

std::string unique_name(GstBin *bin, const char *what, unsigned id) {
  static std::atomic<unsigned> counter{0};
  return std::string(GST_OBJECT_NAME(bin)) + "-" + what + std::to_string(id) + "-" +
         std::to_string(counter++);
}

bool link(GstElement *a, const char *pa, GstElement *b, const char *pb) {
  return gst_element_link_pads(a, pa, b, pb);
}

} // namespace

TransportStack::TransportStack(GstBin *bin, GstElement *rtpbin, unsigned id, const IceConfig &ice,
                               GstRtcCertificate *certificate, TransportEvents events)
    : bin_(bin), rtpbin_(rtpbin), id_(id), shared_thread_(ice.shared_thread),
      events_(std::move(events)) {
  ice_ = adopt(gst_rtc_ice_transport_new(unique_name(bin, "ice", id).c_str()));
  g_object_set(ice_.get(), "ice-tcp", ice.tcp, "ice-udp", ice.udp, "ice-transport-policy",
               ice.policy, "min-port", ice.min_port, "max-port", ice.max_port, nullptr);
  if (!ice.addresses.empty())
    g_object_set(ice_.get(), "ice-addresses", ice.addresses.c_str(), nullptr);
  if (!ice.stun_server.empty())
    gst_rtc_ice_transport_set_stun_server(ice_.get(), ice.stun_server.c_str(), nullptr);
  for (const auto &t : ice.turn_servers)
    gst_rtc_ice_transport_add_turn_server(ice_.get(), t.c_str(), nullptr);
  dtls_ = adopt(gst_rtc_dtls_transport_new(unique_name(bin, "dtls", id).c_str()));
  g_object_set(dtls_.get(), "certificate", certificate, nullptr);

  ice_handlers_.push_back(
      g_signal_connect(ice_.get(), "on-local-candidate",
                       G_CALLBACK(+[](GstRtcICETransport *, const gchar *c, TransportStack *self) {
                         self->events_.candidate(self->id_, c ? c : "");
                       }),
                       this));
  ice_handlers_.push_back(g_signal_connect(
      ice_.get(), "on-gathering-done", G_CALLBACK(+[](GstRtcICETransport *, TransportStack *self) {
        self->events_.gathering_done(self->id_);
      }),
      this));
  auto state_cb = G_CALLBACK(
      +[](GObject *, GParamSpec *, TransportStack *self) { self->events_.state_changed(); });
  ice_handlers_.push_back(g_signal_connect(ice_.get(), "notify::state", state_cb, this));
  ice_handlers_.push_back(g_signal_connect(ice_.get(), "notify::gathering-state", state_cb, this));
  dtls_handlers_.push_back(g_signal_connect(dtls_.get(), "notify::state", state_cb, this));
  build();
}

TransportStack::~TransportStack() {
  close();
}

GstElement *TransportStack::add(const char *factory, const std::string &name) {
  GstElement *e = gst_element_factory_make(factory, name.c_str());
  if (!e)
    return nullptr;
  elements_.push_back(Ref<GstElement>(e));
  gst_bin_add(bin_, e);
  return e;
}

void TransportStack::build() {
  std::string n = "t" + std::to_string(id_) + "_";
  GstElement *src = add("rtcicesrc", n + "icesrc");
  dec_ = add("rtcdtlssrtpdec", n + "dtlsdec");
  GstElement *dec = dec_;
  enc_ = add("rtcdtlssrtpenc", n + "dtlsenc");
  GstElement *sink = add("rtcicesink", n + "icesink");
  funnel_ = add("rtpfunnel", n + "funnel");
  // Nothing downstream blocks (the jitter buffers are the thread boundary, SCTP delivers and
  // returns): by default receive on the process's ICE thread, no thread per transport. The data
  // pads stay unlinked until a data channel m-line is negotiated on this transport
  // (attach_sctp).
  g_object_set(src, "transport", ice_.get(), "shared-thread", gboolean(shared_thread_), nullptr);
  g_object_set(sink, "transport", ice_.get(), nullptr);
  g_object_set(dec, "transport", dtls_.get(), nullptr);
  g_object_set(enc_, "transport", dtls_.get(), "auto-start", FALSE, nullptr);

  std::string s = std::to_string(id_);
  link(src, "src", dec, "sink");
  link(funnel_, "src", rtpbin_, ("send_rtp_sink_" + s).c_str());
  link(rtpbin_, ("send_rtp_src_" + s).c_str(), enc_, "rtp_sink");
  link(rtpbin_, ("send_rtcp_src_" + s).c_str(), enc_, "rtcp_sink");
  link(enc_, "src", sink, "sink");
  link(dec, "rtp_src", rtpbin_, ("recv_rtp_sink_" + s).c_str());
  link(dec, "rtcp_src", rtpbin_, ("recv_rtcp_sink_" + s).c_str());
  // Network side first, so nothing is pushed into an element that is not running yet.
  for (auto it = elements_.rbegin(); it != elements_.rend(); ++it)
    gst_element_sync_state_with_parent(it->get());
}

std::string TransportStack::apply(const jsep::TransportPlan &plan, bool local) {
  GError *err = nullptr;
  auto fail = [&](const char *what) {
    std::string m = std::string(what) + ": " + (err ? err->message : "failed");
    g_clear_error(&err);
    return m;
  };
  g_object_set(ice_.get(), "role",
               plan.ice_controlling ? GST_RTC_ICE_ROLE_CONTROLLING : GST_RTC_ICE_ROLE_CONTROLLED,
               nullptr);
  if (!(plan.local == local_)) {
    bool restart = !local_.ufrag.empty();
    if (restart && !gst_rtc_ice_transport_restart(ice_.get(), &err))
      return fail("ICE restart");
    if (!gst_rtc_ice_transport_set_local_credentials(ice_.get(), plan.local.ufrag.c_str(),
                                                     plan.local.pwd.c_str(), &err))
      return fail("local ICE credentials");
    local_ = plan.local;
    if (restart) {
      remote_ = {};
      remote_candidates_applied_ = 0;
      remote_eoc_ = false;
    }
  }
  if (plan.remote && !(*plan.remote == remote_)) {
    if (!gst_rtc_ice_transport_set_remote_credentials(ice_.get(), plan.remote->ufrag.c_str(),
                                                      plan.remote->pwd.c_str(), &err))
      return fail("remote ICE credentials");
    remote_ = *plan.remote;
    remote_candidates_applied_ = 0;
  }
  // Candidates from the description (trickled ones come through add_remote_candidate).
  for (size_t i = remote_candidates_applied_; i < plan.remote_candidates.size(); i++) {
    std::string c = plan.remote_candidates[i].to_string();
    if (!gst_rtc_ice_transport_add_remote_candidate(ice_.get(), c.c_str(), &err))
      g_clear_error(&err); // a candidate we cannot use (e.g. an unresolved mDNS name)
  }
  remote_candidates_applied_ = plan.remote_candidates.size();
  if (plan.remote_end_of_candidates && !remote_eoc_) {
    remote_eoc_ = true;
    gst_rtc_ice_transport_end_of_remote_candidates(ice_.get());
  }
  if (local && !gathering_) {
    gathering_ = true;
    if (!gst_rtc_ice_transport_gather_candidates(ice_.get(), &err))
      return fail("ICE gathering");
  }
  start_dtls(plan);
  return {};
}

// RFC 8842 §5: the role is known once both setup attributes are; the peer's certificate must
// match one of its fingerprints (the DTLS transport checks each one given). The client's first
// flight waits for ICE (RFC 5764 §5.1: DTLS runs over the connected ICE pair): sent earlier it
// is lost, and the retransmission timer costs the call 100 ms.
void TransportStack::start_dtls(const jsep::TransportPlan &plan) {
  if (dtls_started_ || !plan.dtls_client || plan.remote_fingerprints.empty())
    return;
  std::string fps;
  for (const auto &f : plan.remote_fingerprints)
    fps += (fps.empty() ? "" : ",") + f.hash + " " + f.value;
  GError *err = nullptr;
  if (!gst_rtc_dtls_transport_set_remote_fingerprint(dtls_.get(), fps.c_str(), &err)) {
    GST_WARNING("transport %u: %s", id_, err->message);
    g_clear_error(&err);
    return;
  }
  g_object_set(dtls_.get(), "client", *plan.dtls_client ? TRUE : FALSE, nullptr);
  dtls_client_ = *plan.dtls_client;
  dtls_ready_ = true;
  maybe_start_dtls();
}

void TransportStack::maybe_start_dtls() {
  if (dtls_started_ || !dtls_ready_)
    return;
  GstRtcICEConnectionState st;
  g_object_get(ice_.get(), "state", &st, nullptr);
  bool ice_up =
      st == GST_RTC_ICE_CONNECTION_STATE_CONNECTED || st == GST_RTC_ICE_CONNECTION_STATE_COMPLETED;
  if (dtls_client_ && !ice_up)
    return;
  dtls_started_ = true;
  g_signal_emit_by_name(enc_, "start");
}

std::string TransportStack::add_remote_candidate(const std::string &candidate) {
  GError *err = nullptr;
  if (candidate.empty()) {
    remote_eoc_ = true;
    gst_rtc_ice_transport_end_of_remote_candidates(ice_.get());
    return {};
  }
  if (!gst_rtc_ice_transport_add_remote_candidate(ice_.get(), candidate.c_str(), &err)) {
    std::string m = err->message;
    g_error_free(err);
    return m;
  }
  return {};
}

GstPad *TransportStack::request_send_pad() {
  return gst_element_request_pad_simple(funnel_, "sink_%u");
}

void TransportStack::release_send_pad(GstPad *pad) {
  if (!closed_)
    gst_element_release_request_pad(funnel_, pad);
}

void TransportStack::attach_sctp(GstRtcSCTPTransport *sctp) {
  if (sctp_attached_ || closed_)
    return;
  sctp_attached_ = true;
  std::string n = "t" + std::to_string(id_) + "_";
  GstElement *sdec = add("rtcsctpdec", n + "sctpdec");
  GstElement *senc = add("rtcsctpenc", n + "sctpenc");
  g_object_set(sdec, "transport", sctp, nullptr);
  g_object_set(senc, "transport", sctp, nullptr);
  link(dec_, "data_src", sdec, "sink");
  link(senc, "src", enc_, "data_sink");
  gst_element_sync_state_with_parent(sdec);
  gst_element_sync_state_with_parent(senc);
}

void TransportStack::close() {
  if (closed_)
    return;
  closed_ = true;
  for (gulong h : ice_handlers_)
    g_signal_handler_disconnect(ice_.get(), h);
  for (gulong h : dtls_handlers_)
    g_signal_handler_disconnect(dtls_.get(), h);
  for (auto &e : elements_) {
    gst_element_set_locked_state(e.get(), TRUE);
    gst_element_set_state(e.get(), GST_STATE_NULL);
    if (GST_OBJECT_PARENT(e.get()) == GST_OBJECT(bin_)) // not if the bin is being disposed
      gst_bin_remove(bin_, e.get());
  }
  elements_.clear();
  gst_rtc_ice_transport_close(ice_.get());
}

} // namespace gstrtc::rtcbin
