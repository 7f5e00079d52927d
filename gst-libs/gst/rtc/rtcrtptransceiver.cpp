/**
 * SECTION:gstrtcrtptransceiver
 * @title: GstRtcRTPTransceiver
 * @short_description: one m-line's sender and receiver (RTCRtpTransceiver)
 *
 * rtcbin creates one for each "add-transceiver", each requested sink pad and each m-line of a
 * remote offer it had no transceiver for ("on-new-transceiver"). Setting "direction" or
 * "codec-preferences" changes what the next offer or answer says, and may fire
 * "on-negotiation-needed"; "mid", "mlineindex", "current-direction" and "stopped" follow the
 * negotiation (W3C webrtc §5.4).
 */
#include "rtcrtptransceiver-private.hpp"

#include <gst/rtc/rtc-enumtypes.h>

#include <utility>

struct _GstRtcRTPTransceiver {
  GstObject parent;
  // Fields under GST_OBJECT_LOCK.
  unsigned id;
  gchar *mid;
  guint mline;
  GstRtcKind kind;
  GstRtcRTPTransceiverDirection direction, current_direction;
  GstCaps *codec_preferences;
  gboolean stopped, do_nack;
  GstRtcFECType fec_type;
  guint fec_percentage;
  std::function<void(GstRtcRTPTransceiver *, gstrtc::TransceiverChange)> *on_change;
};

G_DEFINE_TYPE(GstRtcRTPTransceiver, gst_rtc_rtp_transceiver, GST_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MID,
  PROP_MLINEINDEX,
  PROP_DIRECTION,
  PROP_CURRENT_DIRECTION,
  PROP_KIND,
  PROP_CODEC_PREFERENCES,
  PROP_STOPPED,
  PROP_FEC_TYPE,
  PROP_FEC_PERCENTAGE,
  PROP_DO_NACK,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

static void notify_change(GstRtcRTPTransceiver *self, gstrtc::TransceiverChange what) {
  std::function<void(GstRtcRTPTransceiver *, gstrtc::TransceiverChange)> cb;
  GST_OBJECT_LOCK(self);
  if (self->on_change)
    cb = *self->on_change;
  GST_OBJECT_UNLOCK(self);
  if (cb)
    cb(self, what);
}

static void set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
  auto *self = GST_RTC_RTP_TRANSCEIVER(object);
  switch (prop_id) {
  case PROP_DIRECTION: {
    auto d = static_cast<GstRtcRTPTransceiverDirection>(g_value_get_enum(value));
    GST_OBJECT_LOCK(self);
    bool changed = d != self->direction;
    self->direction = d;
    GST_OBJECT_UNLOCK(self);
    if (changed)
      notify_change(self, gstrtc::TransceiverChange::Direction);
    break;
  }
  case PROP_CODEC_PREFERENCES: {
    auto *caps = static_cast<GstCaps *>(g_value_get_boxed(value));
    GST_OBJECT_LOCK(self);
    gst_caps_replace(&self->codec_preferences, caps);
    GST_OBJECT_UNLOCK(self);
    notify_change(self, gstrtc::TransceiverChange::CodecPreferences);
    break;
  }
  case PROP_FEC_TYPE:
    GST_OBJECT_LOCK(self);
    self->fec_type = static_cast<GstRtcFECType>(g_value_get_enum(value));
    GST_OBJECT_UNLOCK(self);
    break;
  case PROP_FEC_PERCENTAGE:
    GST_OBJECT_LOCK(self);
    self->fec_percentage = g_value_get_uint(value);
    GST_OBJECT_UNLOCK(self);
    break;
  case PROP_DO_NACK:
    GST_OBJECT_LOCK(self);
    self->do_nack = g_value_get_boolean(value);
    GST_OBJECT_UNLOCK(self);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
  auto *self = GST_RTC_RTP_TRANSCEIVER(object);
  GST_OBJECT_LOCK(self);
  switch (prop_id) {
  case PROP_MID:
    g_value_set_string(value, self->mid);
    break;
  case PROP_MLINEINDEX:
    g_value_set_uint(value, self->mline);
    break;
  case PROP_DIRECTION:
    g_value_set_enum(value, self->direction);
    break;
  case PROP_CURRENT_DIRECTION:
    g_value_set_enum(value, self->current_direction);
    break;
  case PROP_KIND:
    g_value_set_enum(value, self->kind);
    break;
  case PROP_CODEC_PREFERENCES:
    g_value_set_boxed(value, self->codec_preferences);
    break;
  case PROP_STOPPED:
    g_value_set_boolean(value, self->stopped);
    break;
  case PROP_FEC_TYPE:
    g_value_set_enum(value, self->fec_type);
    break;
  case PROP_FEC_PERCENTAGE:
    g_value_set_uint(value, self->fec_percentage);
    break;
  case PROP_DO_NACK:
    g_value_set_boolean(value, self->do_nack);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
  GST_OBJECT_UNLOCK(self);
}

static void finalize(GObject *object) {
  auto *self = GST_RTC_RTP_TRANSCEIVER(object);
  g_free(self->mid);
  gst_clear_caps(&self->codec_preferences);
  delete self->on_change;
  G_OBJECT_CLASS(gst_rtc_rtp_transceiver_parent_class)->finalize(object);
}

static void gst_rtc_rtp_transceiver_init(GstRtcRTPTransceiver *self) {
  self->mline = G_MAXUINT;
  self->direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV;
  self->current_direction = GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE;
}

static void gst_rtc_rtp_transceiver_class_init(GstRtcRTPTransceiverClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->finalize = finalize;
  const auto ro = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  const auto rw = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_MID] =
      g_param_spec_string("mid", "Mid", "The negotiated media id (a=mid), or NULL", nullptr, ro);
  props[PROP_MLINEINDEX] =
      g_param_spec_uint("mlineindex", "M-line index", "Its m-line in the SDP (G_MAXUINT: none yet)",
                        0, G_MAXUINT, G_MAXUINT, ro);
  props[PROP_DIRECTION] = g_param_spec_enum(
      "direction", "Direction", "The direction wanted (offers and answers say this)",
      GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION, GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV, rw);
  props[PROP_CURRENT_DIRECTION] = g_param_spec_enum(
      "current-direction", "Current direction", "The direction last negotiated",
      GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION, GST_RTC_RTP_TRANSCEIVER_DIRECTION_NONE, ro);
  props[PROP_KIND] = g_param_spec_enum("kind", "Kind", "Audio or video", GST_TYPE_RTC_KIND,
                                       GST_RTC_KIND_UNKNOWN, ro);
  props[PROP_CODEC_PREFERENCES] =
      g_param_spec_boxed("codec-preferences", "Codec preferences",
                         "application/x-rtp caps, in order of preference (W3C setCodecPreferences)",
                         gst_caps_get_type(), rw);
  props[PROP_STOPPED] =
      g_param_spec_boolean("stopped", "Stopped", "Stopped: the m-line is rejected", FALSE, ro);
  props[PROP_FEC_TYPE] =
      g_param_spec_enum("fec-type", "FEC type", "Offer ULP FEC in RED (RFC 5109, RFC 2198)",
                        GST_TYPE_RTC_FEC_TYPE, GST_RTC_FEC_TYPE_NONE, rw);
  props[PROP_FEC_PERCENTAGE] = g_param_spec_uint("fec-percentage", "FEC percentage",
                                                 "FEC overhead when sending", 0, 100, 100, rw);
  props[PROP_DO_NACK] = g_param_spec_boolean(
      "do-nack", "Do NACK", "Ask for retransmissions (RFC 4585 NACK, RFC 4588 RTX)", FALSE, rw);
  g_object_class_install_properties(gobject_class, N_PROPS, props);
}

namespace gstrtc {

GstRtcRTPTransceiver *
transceiver_new(unsigned id, GstRtcKind kind, GstRtcRTPTransceiverDirection direction,
                std::function<void(GstRtcRTPTransceiver *, TransceiverChange)> on_change) {
  auto *t =
      static_cast<GstRtcRTPTransceiver *>(g_object_new(GST_TYPE_RTC_RTP_TRANSCEIVER, nullptr));
  gst_object_ref_sink(t);
  t->id = id;
  t->kind = kind;
  t->direction = direction;
  t->fec_percentage = 100;
  t->on_change = new std::function(std::move(on_change));
  return t;
}

unsigned transceiver_id(GstRtcRTPTransceiver *t) {
  return t->id;
}

void transceiver_detach(GstRtcRTPTransceiver *t) {
  GST_OBJECT_LOCK(t);
  auto *cb = std::exchange(t->on_change, nullptr);
  GST_OBJECT_UNLOCK(t);
  delete cb;
}

void transceiver_update(GstRtcRTPTransceiver *t, const TransceiverUpdate &u) {
  GParamSpec *changed[N_PROPS];
  int n = 0;
  GST_OBJECT_LOCK(t);
  if (u.mid && g_strcmp0(t->mid, u.mid->c_str()) != 0) {
    g_free(t->mid);
    t->mid = g_strdup(u.mid->c_str());
    changed[n++] = props[PROP_MID];
  }
  if (u.mline && *u.mline != t->mline) {
    t->mline = *u.mline;
    changed[n++] = props[PROP_MLINEINDEX];
  }
  if (u.current_direction && *u.current_direction != t->current_direction) {
    t->current_direction = *u.current_direction;
    changed[n++] = props[PROP_CURRENT_DIRECTION];
  }
  if (u.kind && *u.kind != t->kind) {
    t->kind = *u.kind;
    changed[n++] = props[PROP_KIND];
  }
  if (u.stopped && *u.stopped != bool(t->stopped)) {
    t->stopped = *u.stopped;
    changed[n++] = props[PROP_STOPPED];
  }
  GST_OBJECT_UNLOCK(t);
  for (int i = 0; i < n; i++)
    g_object_notify_by_pspec(G_OBJECT(t), changed[i]);
}

GstRtcRTPTransceiverDirection transceiver_direction(GstRtcRTPTransceiver *t) {
  GST_OBJECT_LOCK(t);
  auto d = t->direction;
  GST_OBJECT_UNLOCK(t);
  return d;
}

GstCaps *transceiver_codec_preferences(GstRtcRTPTransceiver *t) {
  GST_OBJECT_LOCK(t);
  GstCaps *c = t->codec_preferences ? gst_caps_ref(t->codec_preferences) : nullptr;
  GST_OBJECT_UNLOCK(t);
  return c;
}

bool transceiver_do_nack(GstRtcRTPTransceiver *t) {
  GST_OBJECT_LOCK(t);
  bool v = t->do_nack;
  GST_OBJECT_UNLOCK(t);
  return v;
}

GstRtcFECType transceiver_fec_type(GstRtcRTPTransceiver *t) {
  GST_OBJECT_LOCK(t);
  auto v = t->fec_type;
  GST_OBJECT_UNLOCK(t);
  return v;
}

} // namespace gstrtc
