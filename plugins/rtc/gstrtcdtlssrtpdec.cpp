/**
 * SECTION:element-rtcdtlssrtpdec
 * @title: rtcdtlssrtpdec
 *
 * The receiving half of a DTLS-SRTP transport (#GstRtcDTLSTransport, shared with an
 * rtcdtlssrtpenc). Each datagram from the network (rtcicesrc) is demultiplexed by its first
 * byte (RFC 7983 §7): DTLS records go to the handshake, and their application data comes out on
 * "data_src" (one buffer per datagram, for SCTP); SRTP and SRTCP (RFC 5761 §4 tells them apart)
 * are authenticated, checked against replay and decrypted in place to "rtp_src" and
 * "rtcp_src"; STUN and anything else is dropped. Every rejected packet is counted in the
 * transport's "stats" (srtp-auth-failed, srtp-replayed, srtp-malformed, dtls-rejected,
 * unknown-dropped, ...); nothing unauthenticated goes downstream.
 *
 * A failed handshake (for instance a certificate that does not match the signalled
 * fingerprint) posts an error naming the reason.
 *
 * ## Example pipeline
 * |[
 * gst-launch-1.0 rtcicesrc transport-name=i0 ! rtcdtlssrtpdec name=d transport-name=d0 \
 *     d.rtp_src ! application/x-rtp,encoding-name=VP8,clock-rate=90000,payload=96 \
 *     ! rtpvp8depay ! vp8dec ! autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcdtlssrtpdec.h"
#include "gstrtcelements.h"
#include "elementclock.hpp"
#include "mappedbatch.hpp"
#include "transportbinding.hpp"

#include "rtcdtls-private.hpp"

GST_DEBUG_CATEGORY_STATIC(gst_rtc_dtls_srtp_dec_debug);
#define GST_CAT_DEFAULT gst_rtc_dtls_srtp_dec_debug

struct GstRtcDtlsSrtpDecPrivate {
  gstrtc::TransportBinding<GstRtcDTLSTransport> binding;
  gstrtc::Ref<GstRtcDTLSTransport> active; // READY->PAUSED until PAUSED->READY
  gstrtc::dtls::DtlsSrtpTransport *core = nullptr;
  gulong state_handler = 0;
  bool streams_started = false; // streaming thread only
  // Keys never change once set: the streaming thread keeps the context it got.
  std::shared_ptr<gstrtc::srtp::Context> ctx;
};

struct _GstRtcDtlsSrtpDec {
  GstElement parent;
  GstPad *sinkpad, *rtp_src, *rtcp_src, *data_src;
  GstRtcDtlsSrtpDecPrivate *priv;
};

static GstStaticPadTemplate sink_template =
    GST_STATIC_PAD_TEMPLATE("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate rtp_src_template = GST_STATIC_PAD_TEMPLATE(
    "rtp_src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS("application/x-rtp"));
static GstStaticPadTemplate rtcp_src_template = GST_STATIC_PAD_TEMPLATE(
    "rtcp_src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS("application/x-rtcp"));
static GstStaticPadTemplate data_src_template =
    GST_STATIC_PAD_TEMPLATE("data_src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE_WITH_CODE(GstRtcDtlsSrtpDec, gst_rtc_dtls_srtp_dec, GST_TYPE_ELEMENT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_dtls_srtp_dec_debug, "rtcdtlssrtpdec", 0,
                                                "DTLS-SRTP decoder"));
GST_ELEMENT_REGISTER_DEFINE(rtcdtlssrtpdec, "rtcdtlssrtpdec", GST_RANK_NONE,
                            GST_TYPE_RTC_DTLS_SRTP_DEC);

static void start_streams(GstRtcDtlsSrtpDec *self) {
  if (self->priv->streams_started)
    return;
  self->priv->streams_started = true;
  const char *caps[] = {"application/x-rtp", "application/x-rtcp", "application/x-dtls-data"};
  GstPad *pads[] = {self->rtp_src, self->rtcp_src, self->data_src};
  for (int i = 0; i < 3; i++) {
    gchar *id = gst_pad_create_stream_id(pads[i], GST_ELEMENT(self), GST_PAD_NAME(pads[i]));
    gst_pad_push_event(pads[i], gst_event_new_stream_start(id));
    g_free(id);
    GstCaps *c = gst_caps_new_empty_simple(caps[i]);
    gst_pad_push_event(pads[i], gst_event_new_caps(c));
    gst_caps_unref(c);
    GstSegment seg;
    gst_segment_init(&seg, GST_FORMAT_TIME);
    gst_pad_push_event(pads[i], gst_event_new_segment(&seg));
  }
}

// An output nobody linked (no RTCP consumer, no data channels) is not an error.
static GstFlowReturn push(GstRtcDtlsSrtpDec *self, GstPad *pad, GstBuffer *buf) {
  start_streams(self);
  GstFlowReturn r = gst_pad_push(pad, buf);
  return r == GST_FLOW_NOT_LINKED ? GST_FLOW_OK : r;
}

static int64_t now_us(GstRtcDtlsSrtpDec *self) {
  return gstrtc::element_now_us(GST_ELEMENT(self));
}

static GstFlowReturn unprotect(GstRtcDtlsSrtpDec *self, GstBuffer *buf, bool rtcp) {
  auto *core = self->priv->core;
  auto &ctx = self->priv->ctx;
  if (!ctx)
    ctx = core->inbound();
  auto &c = core->counters();
  if (!ctx) {
    c.rtp_dropped_no_keys++; // SRTP before the handshake finished: cannot be authenticated
    gst_buffer_unref(buf);
    return GST_FLOW_OK;
  }
  buf = gst_buffer_make_writable(buf); // rtcicesrc hands over sole ownership: no copy
  GstMapInfo map;
  if (!gst_buffer_map(buf, &map, GST_MAP_READWRITE)) {
    gst_buffer_unref(buf);
    return GST_FLOW_OK;
  }
  size_t len = map.size;
  auto r = rtcp ? ctx->unprotect_rtcp(map.data, &len) : ctx->unprotect_rtp(map.data, &len);
  gst_buffer_unmap(buf, &map);
  if (r != gstrtc::srtp::Reject::None) {
    (r == gstrtc::srtp::Reject::Replayed     ? c.srtp_replayed
     : r == gstrtc::srtp::Reject::AuthFailed ? c.srtp_auth_failed
                                             : c.srtp_malformed)++;
    GST_LOG_OBJECT(self, "dropped an %s packet: %s", rtcp ? "SRTCP" : "SRTP",
                   gstrtc::srtp::to_string(r));
    gst_buffer_unref(buf);
    return GST_FLOW_OK;
  }
  gst_buffer_set_size(buf, len);
  (rtcp ? c.rtcp_unprotected : c.rtp_unprotected)++;
  return push(self, rtcp ? self->rtcp_src : self->rtp_src, buf);
}

namespace {

// DTLS datagrams of one list, mapped until they are handled together.
void handle_dtls(GstRtcDtlsSrtpDec *self, gstrtc::MappedBatch &dtls) {
  if (!dtls.empty() && self->priv->core)
    self->priv->core->handle_dtls(dtls.views(), now_us(self));
  dtls.clear();
}

// RFC 7983 §7 first-byte demultiplexing. DTLS datagrams go to `dtls` when given (a list's,
// handled together), else are handled at once. Takes `buf`.
GstFlowReturn demux(GstRtcDtlsSrtpDec *self, GstBuffer *buf, gstrtc::MappedBatch *dtls) {
  auto *core = self->priv->core;
  guint8 head[2] = {0, 0};
  gsize n = gst_buffer_extract(buf, 0, head, 2);
  if (n == 0 || !core) {
    gst_buffer_unref(buf);
    return GST_FLOW_OK;
  }
  guint8 b = head[0];
  if (b >= 128 && b <= 191) {
    // RFC 5761 §4: payload types 64..95 (with the marker bit: 192..223) are RTCP.
    bool rtcp = n == 2 && (head[1] & 0x7f) >= 64 && (head[1] & 0x7f) <= 95;
    return unprotect(self, buf, rtcp);
  }
  if (b >= 20 && b <= 63) {
    if (dtls && dtls->full())
      handle_dtls(self, *dtls);
    gstrtc::MappedBatch one;
    (dtls ? dtls : &one)->add(buf);
    handle_dtls(self, one);
    return GST_FLOW_OK;
  }
  if (b <= 3)
    core->counters().stun_dropped++; // answered by the ICE agent, not us
  else
    core->counters().unknown_dropped++; // ZRTP, TURN channels, garbage
  gst_buffer_unref(buf);
  return GST_FLOW_OK;
}

} // namespace

static GstFlowReturn chain(GstPad *, GstObject *parent, GstBuffer *buf) {
  return demux(GST_RTC_DTLS_SRTP_DEC(parent), buf, nullptr);
}

// A batch of datagrams (rtcicesrc's): the DTLS ones are handled in one go, so the SCTP packets
// they carry reach the association as one batch too.
static GstFlowReturn chain_list(GstPad *, GstObject *parent, GstBufferList *list) {
  auto *self = GST_RTC_DTLS_SRTP_DEC(parent);
  gstrtc::MappedBatch dtls;
  GstFlowReturn ret = GST_FLOW_OK;
  // Taken out of the list, so that SRTP is decrypted in place (as with single buffers).
  list = gst_buffer_list_make_writable(list);
  while (guint len = gst_buffer_list_length(list)) {
    GstBuffer *bufs[gstrtc::MappedBatch::kMax];
    guint k = std::min(len, gstrtc::MappedBatch::kMax);
    for (guint i = 0; i < k; i++)
      bufs[i] = gst_buffer_ref(gst_buffer_list_get(list, i));
    gst_buffer_list_remove(list, 0, k);
    for (guint i = 0; i < k; i++)
      if (GstFlowReturn r = demux(self, bufs[i], &dtls); r != GST_FLOW_OK)
        ret = r;
  }
  handle_dtls(self, dtls);
  gst_buffer_list_unref(list);
  return ret;
}

static gboolean sink_event(GstPad *pad, GstObject *parent, GstEvent *event) {
  auto *self = GST_RTC_DTLS_SRTP_DEC(parent);
  switch (GST_EVENT_TYPE(event)) {
  case GST_EVENT_CAPS:
  case GST_EVENT_STREAM_START:
  case GST_EVENT_SEGMENT:
    gst_event_unref(event); // our outputs announce their own
    return TRUE;
  case GST_EVENT_FLUSH_STOP:
    self->priv->streams_started = false;
    break;
  default:
    break;
  }
  return gst_pad_event_default(pad, parent, event);
}

static void on_transport_state(GstRtcDTLSTransport *t, GParamSpec *, GstRtcDtlsSrtpDec *self) {
  GstRtcDTLSTransportState st;
  gchar *error = nullptr;
  g_object_get(t, "state", &st, "error", &error, nullptr);
  GST_INFO_OBJECT(self, "DTLS state %d", st);
  if (st == GST_RTC_DTLS_TRANSPORT_STATE_FAILED) {
    bool fingerprint = error && strstr(error, "fingerprint");
    if (fingerprint)
      GST_ELEMENT_ERROR(self, RESOURCE, NOT_AUTHORIZED,
                        ("DTLS failed: the peer's certificate does not match its fingerprint"),
                        ("%s", error));
    else
      GST_ELEMENT_ERROR(self, RESOURCE, FAILED, ("DTLS failed"), ("%s", error ? error : ""));
  }
  g_free(error);
}

static gboolean start(GstRtcDtlsSrtpDec *self) {
  auto *priv = self->priv;
  auto t = priv->binding.resolve_or_error(GST_ELEMENT(self));
  if (!t)
    return FALSE;
  priv->core = &gstrtc::dtls_transport_core(t.get());
  priv->state_handler =
      g_signal_connect(t.get(), "notify::state", G_CALLBACK(on_transport_state), self);
  // A buffer per record; the records of one batch as one list (SCTP handles them in one go).
  gstrtc::dtls_transport_set_app_data_handler(t.get(), [self](gstrtc::dtls::Datagrams ds) {
    start_streams(self);
    gstrtc::push_copies(self->data_src, ds);
  });
  priv->active = std::move(t);
  return TRUE;
}

static void stop(GstRtcDtlsSrtpDec *self) {
  auto *priv = self->priv;
  if (priv->active) {
    g_signal_handler_disconnect(priv->active.get(), priv->state_handler);
    gstrtc::dtls_transport_set_app_data_handler(priv->active.get(), nullptr);
  }
  priv->core = nullptr;
  priv->ctx.reset();
  priv->active.reset();
  priv->streams_started = false;
}

static GstStateChangeReturn change_state(GstElement *element, GstStateChange transition) {
  auto *self = GST_RTC_DTLS_SRTP_DEC(element);
  // Pads are active once the parent class has run: only then can DTLS send anything.
  auto ret =
      GST_ELEMENT_CLASS(gst_rtc_dtls_srtp_dec_parent_class)->change_state(element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !start(self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    stop(self);
  return ret;
}

static void set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
  if (!GST_RTC_DTLS_SRTP_DEC(object)->priv->binding.set_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
  if (!GST_RTC_DTLS_SRTP_DEC(object)->priv->binding.get_property(prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void gst_rtc_dtls_srtp_dec_init(GstRtcDtlsSrtpDec *self) {
  self->priv = new GstRtcDtlsSrtpDecPrivate();
  self->sinkpad = gst_pad_new_from_static_template(&sink_template, "sink");
  gst_pad_set_chain_function(self->sinkpad, chain);
  gst_pad_set_chain_list_function(self->sinkpad, chain_list);
  gst_pad_set_event_function(self->sinkpad, sink_event);
  gst_element_add_pad(GST_ELEMENT(self), self->sinkpad);
  GstPad **srcs[] = {&self->rtp_src, &self->rtcp_src, &self->data_src};
  GstStaticPadTemplate *tmpls[] = {&rtp_src_template, &rtcp_src_template, &data_src_template};
  for (int i = 0; i < 3; i++) {
    *srcs[i] = gst_pad_new_from_static_template(tmpls[i], tmpls[i]->name_template);
    gst_pad_use_fixed_caps(*srcs[i]);
    gst_element_add_pad(GST_ELEMENT(self), *srcs[i]);
  }
}

static void gst_rtc_dtls_srtp_dec_finalize(GObject *object) {
  delete GST_RTC_DTLS_SRTP_DEC(object)->priv;
  G_OBJECT_CLASS(gst_rtc_dtls_srtp_dec_parent_class)->finalize(object);
}

static void gst_rtc_dtls_srtp_dec_class_init(GstRtcDtlsSrtpDecClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->finalize = gst_rtc_dtls_srtp_dec_finalize;
  gstrtc::TransportBinding<GstRtcDTLSTransport>::install_properties(gobject_class);
  element_class->change_state = change_state;
  for (auto *t : {&sink_template, &rtp_src_template, &rtcp_src_template, &data_src_template})
    gst_element_class_add_static_pad_template(element_class, t);
  gst_element_class_set_static_metadata(element_class, "DTLS-SRTP decoder",
                                        "Decoder/Network/DTLS/SRTP",
                                        "Demultiplexes DTLS, SRTP and SRTCP (RFC 7983) and "
                                        "unprotects SRTP keyed by DTLS (RFC 5764)",
                                        "gst-rtc developers");
}
