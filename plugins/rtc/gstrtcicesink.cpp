/**
 * SECTION:element-rtcicesink
 * @title: rtcicesink
 *
 * Sends each buffer as one datagram on the selected pair of an ICE transport
 * (#GstRtcICETransport). On a UDP pair that is not relayed, the datagrams of a buffer list go
 * straight to the pair's socket, each run of equal-size ones as one UDP GSO send (the SCTP
 * packets of a data channel message, an RTP burst); otherwise through libnice. Each #GstMemory
 * is handed to the socket in place: nothing is copied per packet. Until the transport
 * is connected, or after consent expired (RFC 7675), buffers are dropped and counted in the
 * transport's "stats". It is not a GstBaseSink: a network sink has nothing to preroll, never
 * waits for the clock and never blocks a buffer in PAUSED (which would stall whoever pushes it:
 * a DTLS handshake, a close_notify). It posts EOS like any sink.
 *
 * ## Example pipeline
 * |[
 * gst-launch-1.0 audiotestsrc ! opusenc ! rtpopuspay ! rtcicesink transport-name=call0
 * ]|
 * (the transport named "call0" is configured and connected by the application or a
 * signalling element in the same process)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcicesink.h"
#include "gstrtcelements.h"
#include "transportbinding.hpp"

#include "rtcicetransport-private.hpp"

GST_DEBUG_CATEGORY_STATIC(gst_rtc_ice_sink_debug);
#define GST_CAT_DEFAULT gst_rtc_ice_sink_debug

namespace {
// Messages per sendmmsg batch, and memories per buffer mapped in place.
constexpr guint kBatch = 32;
constexpr guint kMaxMemories = 4;
} // namespace

struct GstRtcIceSinkPrivate {
  gstrtc::TransportBinding<GstRtcICETransport> binding;
  // Streaming-thread state, set in start() and cleared in stop().
  gstrtc::Ref<GstRtcICETransport> active;
  gstrtc::ice::Agent *agent = nullptr;
};

struct _GstRtcIceSink {
  GstElement parent;
  GstPad *sinkpad;
  GstRtcIceSinkPrivate *priv;
};

static GstStaticPadTemplate sink_template =
    GST_STATIC_PAD_TEMPLATE("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE_WITH_CODE(GstRtcIceSink, gst_rtc_ice_sink, GST_TYPE_ELEMENT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_ice_sink_debug, "rtcicesink", 0,
                                                "ICE transport sink"));
GST_ELEMENT_REGISTER_DEFINE(rtcicesink, "rtcicesink", GST_RANK_NONE, GST_TYPE_RTC_ICE_SINK);

namespace {

// Maps up to kBatch buffers' memories and sends them in one call.
class Batch {
public:
  explicit Batch(gstrtc::ice::Agent &agent) : agent_(agent) {}
  ~Batch() { flush(); }

  void add(GstBuffer *buf) {
    if (n_msgs_ == kBatch)
      flush();
    guint n_mem = gst_buffer_n_memory(buf);
    NiceOutputMessage &m = msgs_[n_msgs_];
    m.buffers = &vecs_[n_vecs_];
    m.n_buffers = 0;
    if (n_mem == 0) {
      n_msgs_++;
      return;
    }
    if (n_mem > kMaxMemories) {
      // Rare: more pieces than we map in place; merge them (one copy).
      map_memory(gst_buffer_get_all_memory(buf), true, m);
    } else {
      for (guint i = 0; i < n_mem; i++)
        map_memory(gst_buffer_peek_memory(buf, i), false, m);
    }
    n_msgs_++;
  }

  void flush() {
    if (n_msgs_)
      agent_.send(msgs_, n_msgs_);
    for (guint i = 0; i < n_maps_; i++) {
      gst_memory_unmap(maps_[i].memory, &maps_[i]);
      if (owned_[i])
        gst_memory_unref(maps_[i].memory);
    }
    n_msgs_ = n_vecs_ = n_maps_ = 0;
  }

private:
  void map_memory(GstMemory *mem, bool owned, NiceOutputMessage &m) {
    GstMapInfo &info = maps_[n_maps_];
    if (!gst_memory_map(mem, &info, GST_MAP_READ)) {
      if (owned)
        gst_memory_unref(mem);
      return;
    }
    owned_[n_maps_++] = owned;
    vecs_[n_vecs_].buffer = info.data;
    vecs_[n_vecs_].size = info.size;
    n_vecs_++;
    m.n_buffers++;
  }

  gstrtc::ice::Agent &agent_;
  NiceOutputMessage msgs_[kBatch];
  GOutputVector vecs_[kBatch * kMaxMemories];
  GstMapInfo maps_[kBatch * kMaxMemories];
  bool owned_[kBatch * kMaxMemories];
  guint n_msgs_ = 0, n_vecs_ = 0, n_maps_ = 0;
};

} // namespace

static GstFlowReturn chain(GstPad *, GstObject *parent, GstBuffer *buf) {
  auto *self = GST_RTC_ICE_SINK(parent);
  if (auto *agent = self->priv->agent) {
    Batch batch(*agent);
    batch.add(buf);
  }
  gst_buffer_unref(buf);
  return GST_FLOW_OK;
}

static GstFlowReturn chain_list(GstPad *, GstObject *parent, GstBufferList *list) {
  auto *self = GST_RTC_ICE_SINK(parent);
  if (auto *agent = self->priv->agent) {
    Batch batch(*agent);
    guint n = gst_buffer_list_length(list);
    for (guint i = 0; i < n; i++)
      batch.add(gst_buffer_list_get(list, i));
  }
  gst_buffer_list_unref(list);
  return GST_FLOW_OK;
}

// Nothing to negotiate or preroll; EOS is announced like any sink does.
static gboolean sink_event(GstPad *, GstObject *parent, GstEvent *event) {
  if (GST_EVENT_TYPE(event) == GST_EVENT_EOS) {
    GstMessage *eos = gst_message_new_eos(parent);
    gst_message_set_seqnum(eos, gst_event_get_seqnum(event));
    gst_element_post_message(GST_ELEMENT(parent), eos);
  }
  gst_event_unref(event);
  return TRUE;
}

static gboolean start(GstRtcIceSink *self) {
  auto t = self->priv->binding.resolve_or_error(GST_ELEMENT(self));
  if (!t)
    return FALSE;
  self->priv->agent = &gstrtc::ice_transport_agent(t.get());
  self->priv->active = std::move(t);
  return TRUE;
}

static void stop(GstRtcIceSink *self) {
  self->priv->agent = nullptr;
  self->priv->active.reset();
}

static GstStateChangeReturn change_state(GstElement *element, GstStateChange transition) {
  auto *self = GST_RTC_ICE_SINK(element);
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start(self))
    return GST_STATE_CHANGE_FAILURE;
  auto ret = GST_ELEMENT_CLASS(gst_rtc_ice_sink_parent_class)->change_state(element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    stop(self);
  return ret;
}

static void gst_rtc_ice_sink_set_property(GObject *object, guint prop_id, const GValue *value,
                                          GParamSpec *pspec) {
  if (!GST_RTC_ICE_SINK(object)->priv->binding.set_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void gst_rtc_ice_sink_get_property(GObject *object, guint prop_id, GValue *value,
                                          GParamSpec *pspec) {
  if (!GST_RTC_ICE_SINK(object)->priv->binding.get_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void gst_rtc_ice_sink_init(GstRtcIceSink *self) {
  self->priv = new GstRtcIceSinkPrivate();
  self->sinkpad = gst_pad_new_from_static_template(&sink_template, "sink");
  gst_pad_set_chain_function(self->sinkpad, chain);
  gst_pad_set_chain_list_function(self->sinkpad, chain_list);
  gst_pad_set_event_function(self->sinkpad, sink_event);
  gst_element_add_pad(GST_ELEMENT(self), self->sinkpad);
  GST_OBJECT_FLAG_SET(self, GST_ELEMENT_FLAG_SINK);
}

static void gst_rtc_ice_sink_finalize(GObject *object) {
  delete GST_RTC_ICE_SINK(object)->priv;
  G_OBJECT_CLASS(gst_rtc_ice_sink_parent_class)->finalize(object);
}

static void gst_rtc_ice_sink_class_init(GstRtcIceSinkClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);

  gobject_class->set_property = gst_rtc_ice_sink_set_property;
  gobject_class->get_property = gst_rtc_ice_sink_get_property;
  gobject_class->finalize = gst_rtc_ice_sink_finalize;
  gstrtc::TransportBinding<GstRtcICETransport>::install_properties(gobject_class);

  element_class->change_state = change_state;

  gst_element_class_add_static_pad_template(element_class, &sink_template);
  gst_element_class_set_static_metadata(element_class, "ICE transport sink", "Sink/Network",
                                        "Sends datagrams over an ICE transport (libnice)",
                                        "gst-rtc developers");
}
