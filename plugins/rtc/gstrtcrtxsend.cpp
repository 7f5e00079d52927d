/**
 * SECTION:element-rtcrtxsend
 * @title: rtcrtxsend
 *
 * RTX sender (RFC 4588, SSRC-multiplexed): keeps the RTP packets it passes for "max-size-time"
 * (at most "max-size-packets" per SSRC) and answers the GstRTPRetransmissionRequest events
 * that rtpsession sends upstream on a NACK with a retransmission on the RTX payload type
 * ("payload-type-map", original PT -> RTX PT) and SSRC ("ssrc-map", or a random one).
 *
 * The properties are rtprtxsend's. Unlike rtprtxsend, it has no thread: media packets go
 * straight through (kept by reference, nothing copied), and a retransmission is pushed from the
 * thread that asked for it, serialized with the media by the sink pad's stream lock.
 *
 * ## Example pipeline
 * |[
 * rtpbin's "request-aux-sender" returning a bin with rtcrtxsend (as rtcbin does)
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcrtxsend.h"
#include "gstrtcelements.h"

#include "core/gref.hpp"
#include "rtp/rtx.hpp"

#include <array>
#include <mutex>
#include <vector>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_rtx_send_debug);
#define GST_CAT_DEFAULT gst_rtc_rtx_send_debug

using gstrtc::Ref;
using gstrtc::rtp::SentHistory;

namespace {
constexpr guint kDefaultMaxSizeTime = 1000; // ms; a NACK after that is too late anyway
constexpr guint kDefaultMaxSizePackets = 600;

struct SsrcState {
  guint32 ssrc = 0, rtx_ssrc = 0;
  guint16 rtx_seq = 0;
  SentHistory<Ref<GstBuffer>> history;
  Ref<GstCaps> rtx_caps; // the media caps with the RTX payload and SSRC
  guint8 rtx_caps_pt = 0;
  SsrcState(guint32 s, guint32 r, size_t cap, int64_t age)
      : ssrc(s), rtx_ssrc(r), rtx_seq(static_cast<guint16>(g_random_int())), history(cap, age) {}
};
} // namespace

struct GstRtcRtxSendPrivate {
  GstPad *sinkpad = nullptr, *srcpad = nullptr; // owned by the element

  std::mutex lock;                                   // protects everything below; a leaf lock
  std::array<gint16, 128> rtx_pt{};                  // original PT -> RTX PT, -1 for none
  std::vector<std::pair<guint32, guint32>> ssrc_map; // original SSRC -> RTX SSRC
  std::vector<SsrcState> ssrcs;
  guint max_size_time = kDefaultMaxSizeTime, max_size_packets = kDefaultMaxSizePackets;
  guint num_requests = 0, num_packets = 0;
  GstStructure *pt_map_structure = nullptr, *ssrc_map_structure = nullptr; // as set
  Ref<GstCaps> media_caps;

  // Under the sink pad's stream lock: the RTX caps last pushed, while they are the src pad's.
  Ref<GstCaps> src_rtx_caps;
};

struct _GstRtcRtxSend {
  GstElement parent;
  GstRtcRtxSendPrivate *priv;
};

enum {
  PROP_0,
  PROP_PAYLOAD_TYPE_MAP,
  PROP_SSRC_MAP,
  PROP_MAX_SIZE_TIME,
  PROP_MAX_SIZE_PACKETS,
  PROP_NUM_RTX_REQUESTS,
  PROP_NUM_RTX_PACKETS
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE(
    "sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS("application/x-rtp"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE(
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS("application/x-rtp"));

G_DEFINE_TYPE_WITH_CODE(GstRtcRtxSend, gst_rtc_rtx_send, GST_TYPE_ELEMENT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_rtx_send_debug, "rtcrtxsend", 0,
                                                "RTX sender"));
GST_ELEMENT_REGISTER_DEFINE(rtcrtxsend, "rtcrtxsend", GST_RANK_NONE, GST_TYPE_RTC_RTX_SEND);

namespace {

// With the lock held. The state of an SSRC whose packets are kept (created on its first one).
SsrcState &state_for(GstRtcRtxSendPrivate *priv, guint32 ssrc) {
  for (auto &s : priv->ssrcs)
    if (s.ssrc == ssrc)
      return s;
  guint32 rtx = 0;
  for (auto [orig, r] : priv->ssrc_map)
    if (orig == ssrc)
      rtx = r;
  while (!rtx || rtx == ssrc)
    rtx = g_random_int();
  priv->ssrcs.emplace_back(ssrc, rtx, priv->max_size_packets,
                           static_cast<int64_t>(priv->max_size_time) * 1000);
  return priv->ssrcs.back();
}

// Keeps a reference to a packet whose PT has an RTX PT. Reads 12 bytes, copies nothing.
void keep(GstRtcRtxSendPrivate *priv, GstBuffer *buf, int64_t now) {
  guint8 h[12];
  if (gst_buffer_extract(buf, 0, h, sizeof h) != sizeof h || (h[0] >> 6) != 2)
    return;
  std::lock_guard lk(priv->lock);
  if (priv->rtx_pt[h[1] & 0x7f] < 0)
    return;
  guint32 ssrc = GST_READ_UINT32_BE(h + 8);
  state_for(priv, ssrc).history.add(GST_READ_UINT16_BE(h + 2), now, Ref<GstBuffer>(buf));
}

// Stream lock held. After a retransmission the src pad carries RTX caps: media caps go back
// before the next media packet.
void restore_media_caps(GstRtcRtxSendPrivate *priv) {
  if (G_LIKELY(!priv->src_rtx_caps))
    return;
  priv->src_rtx_caps.reset();
  Ref<GstCaps> caps;
  {
    std::lock_guard lk(priv->lock);
    caps = priv->media_caps;
  }
  if (caps)
    gst_pad_push_event(priv->srcpad, gst_event_new_caps(caps.get()));
}

GstFlowReturn sink_chain(GstPad *, GstObject *parent, GstBuffer *buf) {
  auto *priv = GST_RTC_RTX_SEND(parent)->priv;
  keep(priv, buf, g_get_monotonic_time());
  restore_media_caps(priv);
  return gst_pad_push(priv->srcpad, buf);
}

GstFlowReturn sink_chain_list(GstPad *, GstObject *parent, GstBufferList *list) {
  auto *priv = GST_RTC_RTX_SEND(parent)->priv;
  int64_t now = g_get_monotonic_time();
  guint n = gst_buffer_list_length(list);
  for (guint i = 0; i < n; i++)
    keep(priv, gst_buffer_list_get(list, i), now);
  restore_media_caps(priv);
  return gst_pad_push_list(priv->srcpad, list);
}

gboolean sink_event(GstPad *pad, GstObject *parent, GstEvent *event) {
  auto *priv = GST_RTC_RTX_SEND(parent)->priv;
  if (GST_EVENT_TYPE(event) == GST_EVENT_CAPS) {
    GstCaps *caps;
    gst_event_parse_caps(event, &caps);
    std::lock_guard lk(priv->lock);
    priv->media_caps = Ref<GstCaps>(caps);
    for (auto &s : priv->ssrcs)
      s.rtx_caps.reset(); // rebuilt from the new media caps
  }
  return gst_pad_event_default(pad, parent, event);
}

// With the lock held. The media caps with the RTX payload type and SSRC (so rtpsession knows
// the RTX source's clock rate for its sender reports).
Ref<GstCaps> rtx_caps_for(GstRtcRtxSendPrivate *priv, SsrcState &s, guint8 pt) {
  if (!s.rtx_caps || s.rtx_caps_pt != pt) {
    GstCaps *caps = priv->media_caps ? gst_caps_copy(priv->media_caps.get())
                                     : gst_caps_new_empty_simple("application/x-rtp");
    gst_caps_set_simple(caps, "payload", G_TYPE_INT, (gint)pt, "ssrc", G_TYPE_UINT, s.rtx_ssrc,
                        nullptr);
    gst_structure_remove_fields(gst_caps_get_structure(caps, 0), "seqnum-offset",
                                "timestamp-offset", nullptr);
    s.rtx_caps = gstrtc::adopt(caps);
    s.rtx_caps_pt = pt;
  }
  return s.rtx_caps;
}

// With the lock held. The RTX packet for (ssrc, seq), or null when not kept.
GstBuffer *build_rtx(GstRtcRtxSendPrivate *priv, guint32 ssrc, guint seq, Ref<GstCaps> &caps) {
  SsrcState *s = nullptr;
  for (auto &st : priv->ssrcs)
    if (st.ssrc == ssrc)
      s = &st;
  if (!s)
    return nullptr;
  const Ref<GstBuffer> *kept = s->history.find(static_cast<guint16>(seq), g_get_monotonic_time());
  if (!kept)
    return nullptr;
  GstMapInfo in;
  if (!gst_buffer_map(kept->get(), &in, GST_MAP_READ))
    return nullptr;
  std::span<const guint8> bytes(in.data, in.size);
  auto h = gstrtc::rtp::parse_rtp_header(bytes);
  GstBuffer *out = nullptr;
  if (h && priv->rtx_pt[h->pt] >= 0) {
    guint8 pt = static_cast<guint8>(priv->rtx_pt[h->pt]);
    out = gst_buffer_new_allocate(nullptr, gstrtc::rtp::rtx_packet_size(*h), nullptr);
    GstMapInfo o;
    gst_buffer_map(out, &o, GST_MAP_WRITE);
    gstrtc::rtp::write_rtx_packet(bytes, *h, pt, s->rtx_seq++, s->rtx_ssrc,
                                  std::span<guint8>(o.data, o.size));
    gst_buffer_unmap(out, &o);
    GST_BUFFER_PTS(out) = GST_BUFFER_PTS(kept->get());
    GST_BUFFER_DTS(out) = GST_BUFFER_DTS(kept->get());
    caps = rtx_caps_for(priv, *s, pt);
  }
  gst_buffer_unmap(kept->get(), &in);
  return out;
}

// rtpsession asks (RTCP NACK, RFC 4585 §6.2.1) from its RTCP-receiving thread.
void retransmit(GstRtcRtxSendPrivate *priv, const GstStructure *req) {
  guint seq = 0, ssrc = 0;
  if (!gst_structure_get_uint(req, "seqnum", &seq) || !gst_structure_get_uint(req, "ssrc", &ssrc))
    return;
  Ref<GstCaps> caps;
  GstBuffer *rtx;
  {
    std::lock_guard lk(priv->lock);
    priv->num_requests++;
    rtx = build_rtx(priv, ssrc, seq, caps);
    if (rtx)
      priv->num_packets++;
  }
  if (!rtx) {
    GST_LOG("packet %u of SSRC %08x no longer kept", seq, ssrc);
    return;
  }
  // Serialized with the media: the stream lock is what the sink pad's chain holds.
  GST_PAD_STREAM_LOCK(priv->sinkpad);
  if (priv->src_rtx_caps.get() != caps.get()) { // not for each of a burst of retransmissions
    gst_pad_push_event(priv->srcpad, gst_event_new_caps(caps.get()));
    priv->src_rtx_caps = caps;
  }
  gst_pad_push(priv->srcpad, rtx);
  GST_PAD_STREAM_UNLOCK(priv->sinkpad);
}

gboolean src_event(GstPad *pad, GstObject *parent, GstEvent *event) {
  auto *priv = GST_RTC_RTX_SEND(parent)->priv;
  if (GST_EVENT_TYPE(event) == GST_EVENT_CUSTOM_UPSTREAM &&
      gst_event_has_name(event, "GstRTPRetransmissionRequest")) {
    retransmit(priv, gst_event_get_structure(event));
    gst_event_unref(event);
    return TRUE;
  }
  return gst_pad_event_default(pad, parent, event);
}

// "96" -> 97 fields of a structure.
template <typename F> void each_uint_field(const GstStructure *s, F f) {
  if (!s)
    return;
  for (int i = 0; i < gst_structure_n_fields(s); i++) {
    const gchar *name = gst_structure_nth_field_name(s, i);
    guint v;
    gchar *end = nullptr;
    guint64 k = g_ascii_strtoull(name, &end, 10);
    if (end && !*end && gst_structure_get_uint(s, name, &v))
      f(k, v);
  }
}

} // namespace

static void gst_rtc_rtx_send_set_property(GObject *object, guint prop_id, const GValue *value,
                                          GParamSpec *pspec) {
  auto *priv = GST_RTC_RTX_SEND(object)->priv;
  std::lock_guard lk(priv->lock);
  switch (prop_id) {
  case PROP_PAYLOAD_TYPE_MAP: {
    if (priv->pt_map_structure)
      gst_structure_free(priv->pt_map_structure);
    priv->pt_map_structure = static_cast<GstStructure *>(g_value_dup_boxed(value));
    priv->rtx_pt.fill(-1);
    each_uint_field(priv->pt_map_structure, [priv](guint64 pt, guint rtx) {
      if (pt < 128 && rtx < 128)
        priv->rtx_pt[pt] = static_cast<gint16>(rtx);
    });
    for (auto &s : priv->ssrcs)
      s.rtx_caps.reset();
    break;
  }
  case PROP_SSRC_MAP: {
    if (priv->ssrc_map_structure)
      gst_structure_free(priv->ssrc_map_structure);
    priv->ssrc_map_structure = static_cast<GstStructure *>(g_value_dup_boxed(value));
    priv->ssrc_map.clear();
    each_uint_field(priv->ssrc_map_structure, [priv](guint64 ssrc, guint rtx) {
      priv->ssrc_map.emplace_back(static_cast<guint32>(ssrc), rtx);
    });
    for (auto &s : priv->ssrcs)
      for (auto [orig, rtx] : priv->ssrc_map)
        if (orig == s.ssrc && rtx != s.rtx_ssrc) {
          s.rtx_ssrc = rtx;
          s.rtx_caps.reset();
        }
    break;
  }
  case PROP_MAX_SIZE_TIME:
    priv->max_size_time = g_value_get_uint(value);
    break;
  case PROP_MAX_SIZE_PACKETS:
    priv->max_size_packets = g_value_get_uint(value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void gst_rtc_rtx_send_get_property(GObject *object, guint prop_id, GValue *value,
                                          GParamSpec *pspec) {
  auto *priv = GST_RTC_RTX_SEND(object)->priv;
  std::lock_guard lk(priv->lock);
  switch (prop_id) {
  case PROP_PAYLOAD_TYPE_MAP:
    g_value_set_boxed(value, priv->pt_map_structure);
    break;
  case PROP_SSRC_MAP:
    g_value_set_boxed(value, priv->ssrc_map_structure);
    break;
  case PROP_MAX_SIZE_TIME:
    g_value_set_uint(value, priv->max_size_time);
    break;
  case PROP_MAX_SIZE_PACKETS:
    g_value_set_uint(value, priv->max_size_packets);
    break;
  case PROP_NUM_RTX_REQUESTS:
    g_value_set_uint(value, priv->num_requests);
    break;
  case PROP_NUM_RTX_PACKETS:
    g_value_set_uint(value, priv->num_packets);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static GstStateChangeReturn gst_rtc_rtx_send_change_state(GstElement *element,
                                                          GstStateChange transition) {
  GstStateChangeReturn ret =
      GST_ELEMENT_CLASS(gst_rtc_rtx_send_parent_class)->change_state(element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    auto *priv = GST_RTC_RTX_SEND(element)->priv;
    std::lock_guard lk(priv->lock);
    priv->ssrcs.clear(); // the kept packets go
    priv->src_rtx_caps.reset();
  }
  return ret;
}

static void gst_rtc_rtx_send_init(GstRtcRtxSend *self) {
  auto *priv = self->priv = new GstRtcRtxSendPrivate();
  priv->rtx_pt.fill(-1);
  priv->sinkpad = gst_pad_new_from_static_template(&sink_template, "sink");
  gst_pad_set_chain_function(priv->sinkpad, sink_chain);
  gst_pad_set_chain_list_function(priv->sinkpad, sink_chain_list);
  gst_pad_set_event_function(priv->sinkpad, sink_event);
  GST_PAD_SET_PROXY_CAPS(priv->sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION(priv->sinkpad);
  gst_element_add_pad(GST_ELEMENT(self), priv->sinkpad);
  priv->srcpad = gst_pad_new_from_static_template(&src_template, "src");
  gst_pad_set_event_function(priv->srcpad, src_event);
  GST_PAD_SET_PROXY_CAPS(priv->srcpad);
  gst_element_add_pad(GST_ELEMENT(self), priv->srcpad);
}

static void gst_rtc_rtx_send_finalize(GObject *object) {
  auto *priv = GST_RTC_RTX_SEND(object)->priv;
  if (priv->pt_map_structure)
    gst_structure_free(priv->pt_map_structure);
  if (priv->ssrc_map_structure)
    gst_structure_free(priv->ssrc_map_structure);
  delete priv;
  G_OBJECT_CLASS(gst_rtc_rtx_send_parent_class)->finalize(object);
}

static void gst_rtc_rtx_send_class_init(GstRtcRtxSendClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);
  gobject_class->set_property = gst_rtc_rtx_send_set_property;
  gobject_class->get_property = gst_rtc_rtx_send_get_property;
  gobject_class->finalize = gst_rtc_rtx_send_finalize;
  const auto rw = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  const auto ro = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property(
      gobject_class, PROP_PAYLOAD_TYPE_MAP,
      g_param_spec_boxed("payload-type-map", "Payload type map",
                         "Original payload type (field name) -> RTX payload type",
                         GST_TYPE_STRUCTURE, rw));
  g_object_class_install_property(
      gobject_class, PROP_SSRC_MAP,
      g_param_spec_boxed("ssrc-map", "SSRC map",
                         "Original SSRC (field name) -> RTX SSRC; unmapped SSRCs get a random one",
                         GST_TYPE_STRUCTURE, rw));
  g_object_class_install_property(
      gobject_class, PROP_MAX_SIZE_TIME,
      g_param_spec_uint("max-size-time", "Max size time",
                        "How long sent packets are kept for retransmission (ms)", 0, G_MAXUINT,
                        kDefaultMaxSizeTime, rw));
  g_object_class_install_property(
      gobject_class, PROP_MAX_SIZE_PACKETS,
      g_param_spec_uint("max-size-packets", "Max size packets",
                        "At most this many packets kept per SSRC (applies to new SSRCs)", 1,
                        G_MAXUINT16, kDefaultMaxSizePackets, rw));
  g_object_class_install_property(gobject_class, PROP_NUM_RTX_REQUESTS,
                                  g_param_spec_uint("num-rtx-requests", "Retransmission requests",
                                                    "Retransmission requests received", 0,
                                                    G_MAXUINT, 0, ro));
  g_object_class_install_property(gobject_class, PROP_NUM_RTX_PACKETS,
                                  g_param_spec_uint("num-rtx-packets", "Retransmitted packets",
                                                    "Retransmission packets sent", 0, G_MAXUINT, 0,
                                                    ro));
  element_class->change_state = gst_rtc_rtx_send_change_state;
  gst_element_class_add_static_pad_template(element_class, &sink_template);
  gst_element_class_add_static_pad_template(element_class, &src_template);
  gst_element_class_set_static_metadata(element_class, "RTX sender", "Codec/Network/RTP",
                                        "Retransmits RTP packets on NACK (RFC 4588), no thread",
                                        "gst-rtc developers");
}
