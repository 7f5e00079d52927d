// rtcbin's data channels: one GstRtcSCTPTransport per peer connection, made when the
// application first asks for a channel or a description brings an m=application. Its
// association runs over the transport the data m-line was negotiated on (rtcsctpenc and
// rtcsctpdec added to that TransportStack) from the first answer that has one; the SCTP ports
// and the peer's max-message-size come from the descriptions (RFC 8841).
#include "peerconnection.hpp"
#include "rtcerror-private.hpp"

namespace gstrtc::rtcbin {

GstRtcSCTPTransport *PeerConnection::sctp_locked() {
  if (!sctp_) {
    sctp_ = adopt(gst_rtc_sctp_transport_new());
    g_signal_connect(sctp_.get(), "on-data-channel", G_CALLBACK(on_sctp_data_channel), this);
  }
  return sctp_.get();
}

void PeerConnection::on_sctp_data_channel(GstRtcSCTPTransport *, GstRtcDataChannel *dc,
                                          PeerConnection *self) {
  self->data_pads_.channel_opened(dc); // before its first message
  if (self->cb_.data_channel)
    self->cb_.data_channel(dc);
}

GstRtcDataChannel *PeerConnection::create_data_channel(const char *label,
                                                       const GstStructure *options,
                                                       GError **error) {
  Ref<GstRtcSCTPTransport> t;
  {
    std::lock_guard lk(lock_);
    if (closed_) {
      set_gerror(invalid_state("the peer connection is closed"), error);
      return nullptr;
    }
    t = Ref<GstRtcSCTPTransport>(sctp_locked());
  }
  GstRtcDataChannel *dc =
      gst_rtc_sctp_transport_create_data_channel(t.get(), label, options, error);
  if (!dc)
    return nullptr;
  gboolean negotiated = FALSE;
  g_object_get(dc, "negotiated", &negotiated, nullptr);
  if (negotiated) // both ends made it: it is the peer's too, for data_src pads
    data_pads_.channel_opened(dc);
  want_data();
  return dc;
}

void PeerConnection::want_data() {
  {
    std::lock_guard lk(lock_);
    engine().want_data_channel(); // the first one needs an m=application (W3C §6.2 step 17)
  }
  chain([this] { op_check_negotiation(); }, nullptr);
}

GstPad *PeerConnection::request_data_pad(const char *name, GstPadTemplate *templ) {
  GstPad *pad = templ->direction == GST_PAD_SINK ? data_pads_.new_sink_pad(name, templ)
                                                 : data_pads_.new_src_pad(name, templ);
  if (pad)
    want_data();
  return pad;
}

GstRtcSCTPTransport *PeerConnection::sctp_transport() {
  std::lock_guard lk(lock_);
  if (!sctp_ || !data_transport_)
    return nullptr;
  return GST_RTC_SCTP_TRANSPORT(gst_object_ref(sctp_.get()));
}

void PeerConnection::apply_data(const jsep::Plan &plan) {
  if (!plan.final || !plan.data || data_transport_)
    return;
  const auto &dp = *plan.data;
  auto it = transports_.find(dp.transport);
  if (it == transports_.end())
    return;
  GstRtcSCTPTransport *t = sctp_locked();
  g_object_set(t, "local-port", dp.local_port, "remote-port", dp.remote_port,
               "remote-max-message-size", (guint64)dp.remote_max_message_size, "transport",
               it->second->dtls(), nullptr);
  it->second->attach_sctp(t);
  data_transport_ = dp.transport;
}

Ref<GstRtcSCTPTransport> PeerConnection::take_sctp() {
  data_transport_.reset();
  if (sctp_)
    g_signal_handlers_disconnect_by_data(sctp_.get(), this);
  return std::move(sctp_);
}

} // namespace gstrtc::rtcbin
