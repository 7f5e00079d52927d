/**
 * SECTION:element-rtcsctpenc
 * @title: rtcsctpenc
 *
 * The sending half of an SCTP association over DTLS (RFC 8261): every packet the
 * association produces (data channel messages, acknowledgements, retransmissions) comes out
 * of "src" as one buffer, for rtcdtlssrtpenc's "data_sink". Its "transport"
 * (#GstRtcSCTPTransport) is shared with the rtcsctpdec that receives, and holds the data
 * channels. The association starts in PAUSED once the transport's DTLS transport is connected,
 * and is aborted when the element goes back to READY: every channel closes.
 *
 * rtcbin makes and links this element itself; an application that builds its own stack sets
 * the same transport object on both halves.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcsctpenc.h"
#include "gstrtcelements.h"
#include "mappedbatch.hpp"

#include "rtcsctp-private.hpp"
#include "sctpbinding.hpp"

#include <mutex>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_sctp_enc_debug);
#define GST_CAT_DEFAULT gst_rtc_sctp_enc_debug

struct GstRtcSctpEncPrivate {
  gstrtc::SctpBinding binding;
  gstrtc::Ref<GstRtcSCTPTransport> active; // from PAUSED to READY (state change thread)
};

struct _GstRtcSctpEnc {
  GstElement parent;
  GstPad *srcpad;
  GstRtcSctpEncPrivate *priv;
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE(
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS("application/x-sctp"));

G_DEFINE_TYPE_WITH_CODE(GstRtcSctpEnc, gst_rtc_sctp_enc, GST_TYPE_ELEMENT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_sctp_enc_debug, "rtcsctpenc", 0,
                                                "SCTP association, sending half"));
GST_ELEMENT_REGISTER_DEFINE(rtcsctpenc, "rtcsctpenc", GST_RANK_NONE, GST_TYPE_RTC_SCTP_ENC);

// The sticky events before the first packet.
static void start_stream(GstRtcSctpEnc *self) {
  gchar *id = gst_pad_create_stream_id(self->srcpad, GST_ELEMENT(self), "sctp");
  gst_pad_push_event(self->srcpad, gst_event_new_stream_start(id));
  g_free(id);
  gst_pad_push_event(self->srcpad,
                     gst_event_new_caps(gst_static_pad_template_get_caps(&src_template)));
  GstSegment seg;
  gst_segment_init(&seg, GST_FORMAT_TIME);
  gst_pad_push_event(self->srcpad, gst_event_new_segment(&seg));
}

static bool start(GstRtcSctpEnc *self) {
  gstrtc::Ref<GstRtcSCTPTransport> t = self->priv->binding.get();
  if (!t) {
    GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS, ("No SCTP transport"),
                      ("set the \"transport\" property (a GstRtcSCTPTransport)"));
    return false;
  }
  start_stream(self);
  self->priv->active = t;
  GstPad *pad = self->srcpad;
  // Serialised by the transport; a packet per buffer (one copy: usrsctp keeps its own), the
  // packets of one batch pushed as one list.
  gstrtc::sctp_transport_attach_output(t.get(), [pad](gstrtc::SctpPackets pkts) {
    GstFlowReturn r = gstrtc::push_copies(pad, pkts);
    if (r != GST_FLOW_OK && r != GST_FLOW_FLUSHING)
      GST_LOG_OBJECT(pad, "packets not sent: %s", gst_flow_get_name(r));
  });
  return true;
}

static void stop(GstRtcSctpEnc *self) {
  if (auto t = std::move(self->priv->active))
    gstrtc::sctp_transport_detach_output(t.get());
}

static GstStateChangeReturn change_state(GstElement *element, GstStateChange transition) {
  auto *self = GST_RTC_SCTP_ENC(element);
  GstStateChangeReturn ret =
      GST_ELEMENT_CLASS(gst_rtc_sctp_enc_parent_class)->change_state(element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start(self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    stop(self);
  return ret;
}

static void set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
  if (!GST_RTC_SCTP_ENC(object)->priv->binding.set_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
  if (!GST_RTC_SCTP_ENC(object)->priv->binding.get_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void gst_rtc_sctp_enc_init(GstRtcSctpEnc *self) {
  self->priv = new GstRtcSctpEncPrivate();
  self->srcpad = gst_pad_new_from_static_template(&src_template, "src");
  gst_pad_use_fixed_caps(self->srcpad);
  gst_element_add_pad(GST_ELEMENT(self), self->srcpad);
}

static void finalize(GObject *object) {
  delete GST_RTC_SCTP_ENC(object)->priv;
  G_OBJECT_CLASS(gst_rtc_sctp_enc_parent_class)->finalize(object);
}

static void gst_rtc_sctp_enc_class_init(GstRtcSctpEncClass *klass) {
  auto *oc = G_OBJECT_CLASS(klass);
  auto *ec = GST_ELEMENT_CLASS(klass);
  oc->set_property = set_property;
  oc->get_property = get_property;
  oc->finalize = finalize;
  ec->change_state = change_state;
  gstrtc::SctpBinding::install_property(
      oc, "The SCTP transport (shared with the rtcsctpdec of the same association)");
  gst_element_class_add_static_pad_template(ec, &src_template);
  gst_element_class_set_static_metadata(
      ec, "SCTP encoder", "Codec/Muxer/Network/WebRTC",
      "Sends an SCTP association's packets (data channels) for DTLS", "gst-rtc");
}
