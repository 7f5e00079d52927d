/**
 * SECTION:element-rtcsctpdec
 * @title: rtcsctpdec
 *
 * The receiving half of an SCTP association over DTLS (RFC 8261): each buffer on "sink" (from
 * rtcdtlssrtpdec's "data_src") is one SCTP packet for the association of its "transport"
 * (#GstRtcSCTPTransport, shared with the rtcsctpenc that sends). Messages come out as the
 * signals of the transport's data channels, from this element's streaming thread. Problems
 * that concern no channel (the association failing, data on a stream with no channel) are
 * posted as element warnings naming what was wrong.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcsctpdec.h"
#include "gstrtcelements.h"
#include "mappedbatch.hpp"

#include "rtcsctp-private.hpp"
#include "sctpbinding.hpp"

#include <mutex>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_sctp_dec_debug);
#define GST_CAT_DEFAULT gst_rtc_sctp_dec_debug

struct GstRtcSctpDecPrivate {
  gstrtc::SctpBinding binding;
  std::mutex lock;                         // protects active
  gstrtc::Ref<GstRtcSCTPTransport> active; // from PAUSED to READY
};

struct _GstRtcSctpDec {
  GstElement parent;
  GstPad *sinkpad;
  GstRtcSctpDecPrivate *priv;
};

static GstStaticPadTemplate sink_template =
    GST_STATIC_PAD_TEMPLATE("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE_WITH_CODE(GstRtcSctpDec, gst_rtc_sctp_dec, GST_TYPE_ELEMENT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_sctp_dec_debug, "rtcsctpdec", 0,
                                                "SCTP association, receiving half"));
GST_ELEMENT_REGISTER_DEFINE(rtcsctpdec, "rtcsctpdec", GST_RANK_NONE, GST_TYPE_RTC_SCTP_DEC);

static gstrtc::Ref<GstRtcSCTPTransport> active(GstRtcSctpDec *self) {
  std::lock_guard lk(self->priv->lock);
  return self->priv->active;
}

static GstFlowReturn chain(GstPad *, GstObject *parent, GstBuffer *buf) {
  auto *self = GST_RTC_SCTP_DEC(parent);
  if (auto t = active(self)) {
    GstMapInfo map;
    if (gst_buffer_map(buf, &map, GST_MAP_READ)) {
      gstrtc::sctp_transport_handle_packet(t.get(), {map.data, map.size});
      gst_buffer_unmap(buf, &map);
    }
  }
  gst_buffer_unref(buf);
  return GST_FLOW_OK;
}

// The SCTP packets of one batch of datagrams, handled in one go (their SACKs leave together).
static GstFlowReturn chain_list(GstPad *, GstObject *parent, GstBufferList *list) {
  if (auto t = active(GST_RTC_SCTP_DEC(parent)))
    gstrtc::for_each_batch(list, [&](gstrtc::MappedBatch::Views pkts) {
      gstrtc::sctp_transport_handle_packets(t.get(), pkts);
    });
  gst_buffer_list_unref(list);
  return GST_FLOW_OK;
}

static gboolean sink_event(GstPad *pad, GstObject *parent, GstEvent *event) {
  switch (GST_EVENT_TYPE(event)) {
  case GST_EVENT_CAPS:
  case GST_EVENT_STREAM_START:
  case GST_EVENT_SEGMENT:
  case GST_EVENT_EOS: // nothing downstream: the channels end with the association
    gst_event_unref(event);
    return TRUE;
  default:
    return gst_pad_event_default(pad, parent, event);
  }
}

static bool start(GstRtcSctpDec *self) {
  auto t = self->priv->binding.get();
  if (!t) {
    GST_ELEMENT_ERROR(self, RESOURCE, SETTINGS, ("No SCTP transport"),
                      ("set the \"transport\" property (a GstRtcSCTPTransport)"));
    return false;
  }
  gstrtc::sctp_transport_set_warning_handler(t.get(), [self](const std::string &msg) {
    GST_ELEMENT_WARNING(self, STREAM, DECODE, ("%s", msg.c_str()), (nullptr));
  });
  std::lock_guard lk(self->priv->lock);
  self->priv->active = std::move(t);
  return true;
}

static void stop(GstRtcSctpDec *self) {
  gstrtc::Ref<GstRtcSCTPTransport> t;
  {
    std::lock_guard lk(self->priv->lock);
    t = std::move(self->priv->active);
  }
  if (t)
    gstrtc::sctp_transport_set_warning_handler(t.get(), nullptr);
}

static GstStateChangeReturn change_state(GstElement *element, GstStateChange transition) {
  auto *self = GST_RTC_SCTP_DEC(element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start(self))
    return GST_STATE_CHANGE_FAILURE;
  GstStateChangeReturn ret =
      GST_ELEMENT_CLASS(gst_rtc_sctp_dec_parent_class)->change_state(element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY ||
      (transition == GST_STATE_CHANGE_READY_TO_PAUSED && ret == GST_STATE_CHANGE_FAILURE))
    stop(self);
  return ret;
}

static void set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
  if (!GST_RTC_SCTP_DEC(object)->priv->binding.set_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
  if (!GST_RTC_SCTP_DEC(object)->priv->binding.get_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void gst_rtc_sctp_dec_init(GstRtcSctpDec *self) {
  self->priv = new GstRtcSctpDecPrivate();
  self->sinkpad = gst_pad_new_from_static_template(&sink_template, "sink");
  gst_pad_set_chain_function(self->sinkpad, chain);
  gst_pad_set_chain_list_function(self->sinkpad, chain_list);
  gst_pad_set_event_function(self->sinkpad, sink_event);
  gst_element_add_pad(GST_ELEMENT(self), self->sinkpad);
}

static void finalize(GObject *object) {
  delete GST_RTC_SCTP_DEC(object)->priv;
  G_OBJECT_CLASS(gst_rtc_sctp_dec_parent_class)->finalize(object);
}

static void gst_rtc_sctp_dec_class_init(GstRtcSctpDecClass *klass) {
  auto *oc = G_OBJECT_CLASS(klass);
  auto *ec = GST_ELEMENT_CLASS(klass);
  oc->set_property = set_property;
  oc->get_property = get_property;
  oc->finalize = finalize;
  ec->change_state = change_state;
  gstrtc::SctpBinding::install_property(
      oc, "The SCTP transport (shared with the rtcsctpenc of the same association)");
  gst_element_class_add_static_pad_template(ec, &sink_template);
  gst_element_class_set_static_metadata(
      ec, "SCTP decoder", "Codec/Demuxer/Network/WebRTC",
      "Receives an SCTP association's packets (data channels) from DTLS", "gst-rtc");
}
