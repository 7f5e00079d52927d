/**
 * SECTION:gstrtcdatachannel
 * @title: GstRtcDataChannel
 * @short_description: one data channel (RTCDataChannel)
 *
 * webrtcbin's GstWebRTCDataChannel, renamed: the same properties, signals and action
 * signals. Made by rtcbin's "create-data-channel" (or
 * gst_rtc_sctp_transport_create_data_channel()), or given by "on-data-channel" when the peer
 * opens one. Messages are sent whole (up to the peer's max-message-size) and queued when the
 * association has no room: "buffered-amount" says how much waits, and
 * "on-buffered-amount-low" when it falls to "buffered-amount-low-threshold".
 */
#include "rtcerror-private.hpp"
#include "rtcsctp-private.hpp"

#include <gst/rtc/rtc-enumtypes.h>

#include <mutex>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_data_channel_debug);
#define GST_CAT_DEFAULT gst_rtc_data_channel_debug

namespace sctp = gstrtc::sctp;

struct _GstRtcDataChannel {
  GstObject parent;
  GstRtcSCTPTransport *transport; // a reference, for the channel's life
  sctp::ChannelId ch;
  sctp::ChannelOptions opts; // as asked (or as the peer opened it)
  std::mutex hook_lock;      // guards hook (the pointer, not the call)
  std::shared_ptr<gstrtc::DataChannelHook> hook;
};

G_DEFINE_TYPE_WITH_CODE(GstRtcDataChannel, gst_rtc_data_channel, GST_TYPE_OBJECT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_data_channel_debug, "rtcdatachannel", 0,
                                                "gst-rtc data channel"));

enum {
  PROP_0,
  PROP_LABEL,
  PROP_ORDERED,
  PROP_MAX_PACKET_LIFETIME,
  PROP_MAX_RETRANSMITS,
  PROP_PROTOCOL,
  PROP_NEGOTIATED,
  PROP_ID,
  PROP_PRIORITY,
  PROP_READY_STATE,
  PROP_BUFFERED_AMOUNT,
  PROP_BUFFERED_AMOUNT_LOW_THRESHOLD,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_ON_OPEN,
  SIGNAL_ON_CLOSE,
  SIGNAL_ON_ERROR,
  SIGNAL_ON_MESSAGE_DATA,
  SIGNAL_ON_MESSAGE_STRING,
  SIGNAL_ON_BUFFERED_AMOUNT_LOW,
  SIGNAL_SEND_DATA,
  SIGNAL_SEND_STRING,
  SIGNAL_CLOSE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static GstRtcDataChannelState public_state(sctp::ChannelState s) {
  switch (s) {
  case sctp::ChannelState::Connecting:
    return GST_RTC_DATA_CHANNEL_STATE_CONNECTING;
  case sctp::ChannelState::Open:
    return GST_RTC_DATA_CHANNEL_STATE_OPEN;
  case sctp::ChannelState::Closing:
    return GST_RTC_DATA_CHANNEL_STATE_CLOSING;
  default:
    return GST_RTC_DATA_CHANNEL_STATE_CLOSED;
  }
}

// --- internal API

GstRtcDataChannel *gstrtc::data_channel_new(GstRtcSCTPTransport *t, sctp::ChannelId ch,
                                            const sctp::ChannelOptions &o) {
  auto *dc = static_cast<GstRtcDataChannel *>(g_object_new(GST_TYPE_RTC_DATA_CHANNEL, nullptr));
  dc->transport = GST_RTC_SCTP_TRANSPORT(gst_object_ref(t));
  dc->ch = ch;
  dc->opts = o;
  return dc;
}

void gstrtc::data_channel_emit_open(GstRtcDataChannel *dc) {
  GST_DEBUG_OBJECT(dc, "open");
  g_object_notify_by_pspec(G_OBJECT(dc), props[PROP_READY_STATE]);
  g_object_notify_by_pspec(G_OBJECT(dc), props[PROP_ID]);
  g_signal_emit(dc, signals[SIGNAL_ON_OPEN], 0);
}

static GBytes *bytes_of(std::vector<uint8_t> data) {
  auto *v = new std::vector<uint8_t>(std::move(data));
  return g_bytes_new_with_free_func(
      v->data(), v->size(), [](gpointer p) { delete static_cast<std::vector<uint8_t> *>(p); }, v);
}

void gstrtc::data_channel_set_hook(GstRtcDataChannel *dc, std::shared_ptr<DataChannelHook> hook) {
  std::lock_guard lk(dc->hook_lock);
  dc->hook = std::move(hook);
}

gstrtc::Status gstrtc::data_channel_send(GstRtcDataChannel *dc, std::span<const uint8_t> data,
                                         bool binary) {
  return sctp_transport_send(dc->transport, dc->ch, data, binary);
}

void gstrtc::data_channel_emit_message(GstRtcDataChannel *dc, bool binary,
                                       std::vector<uint8_t> data) {
  guint sig = signals[binary ? SIGNAL_ON_MESSAGE_DATA : SIGNAL_ON_MESSAGE_STRING];
  bool wanted = g_signal_has_handler_pending(dc, sig, 0, TRUE);
  std::shared_ptr<DataChannelHook> hook;
  {
    std::lock_guard lk(dc->hook_lock);
    hook = dc->hook;
  }
  if (hook)
    (*hook)(binary, wanted ? std::vector<uint8_t>(data) : std::move(data));
  if (!wanted)
    return;
  if (binary) {
    GBytes *b = bytes_of(std::move(data));
    g_signal_emit(dc, sig, 0, b);
    g_bytes_unref(b);
    return;
  }
  // W3C §6.2: a string message is UTF-8; what is not valid is shown with replacements.
  const char *s = reinterpret_cast<const char *>(data.data());
  if (!g_utf8_validate_len(s, data.size(), nullptr)) {
    gchar *fixed = g_utf8_make_valid(s, gssize(data.size()));
    g_signal_emit(dc, sig, 0, fixed);
    g_free(fixed);
    return;
  }
  data.push_back(0);
  g_signal_emit(dc, sig, 0, reinterpret_cast<const char *>(data.data()));
}

void gstrtc::data_channel_emit_error(GstRtcDataChannel *dc, const std::string &message) {
  GST_WARNING_OBJECT(dc, "%s", message.c_str());
  GError *err =
      g_error_new_literal(GST_RTC_ERROR, GST_RTC_ERROR_DATA_CHANNEL_FAILURE, message.c_str());
  g_signal_emit(dc, signals[SIGNAL_ON_ERROR], 0, err);
  g_error_free(err);
}

void gstrtc::data_channel_emit_close(GstRtcDataChannel *dc) {
  GST_DEBUG_OBJECT(dc, "closed");
  g_object_notify_by_pspec(G_OBJECT(dc), props[PROP_READY_STATE]);
  g_signal_emit(dc, signals[SIGNAL_ON_CLOSE], 0);
}

void gstrtc::data_channel_emit_buffered_low(GstRtcDataChannel *dc) {
  g_signal_emit(dc, signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW], 0);
}

// --- public API

/**
 * gst_rtc_data_channel_send_data_full:
 * @channel: the channel
 * @data: (nullable): the message (%NULL or empty: an empty message)
 * @error: InvalidState when the channel is not open, TypeError when the message is over the
 *   peer's max-message-size
 *
 * Returns: %TRUE if the message was taken (sent, or queued: see "buffered-amount")
 */
gboolean gst_rtc_data_channel_send_data_full(GstRtcDataChannel *channel, GBytes *data,
                                             GError **error) {
  g_return_val_if_fail(GST_RTC_IS_DATA_CHANNEL(channel), FALSE);
  gsize n = 0;
  const auto *p = data ? static_cast<const uint8_t *>(g_bytes_get_data(data, &n)) : nullptr;
  auto s = gstrtc::sctp_transport_send(channel->transport, channel->ch, {p, n}, true);
  if (!s) {
    gstrtc::set_gerror(s.error(), error);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_rtc_data_channel_send_string_full:
 * @channel: the channel
 * @str: (nullable): the message, UTF-8 (%NULL: an empty message)
 * @error: as for gst_rtc_data_channel_send_data_full()
 *
 * Returns: %TRUE if the message was taken
 */
gboolean gst_rtc_data_channel_send_string_full(GstRtcDataChannel *channel, const gchar *str,
                                               GError **error) {
  g_return_val_if_fail(GST_RTC_IS_DATA_CHANNEL(channel), FALSE);
  size_t n = str ? strlen(str) : 0;
  auto s = gstrtc::sctp_transport_send(channel->transport, channel->ch,
                                       {reinterpret_cast<const uint8_t *>(str), n}, false);
  if (!s) {
    gstrtc::set_gerror(s.error(), error);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_rtc_data_channel_send_data:
 * @channel: the channel
 * @data: (nullable): the message
 *
 * As gst_rtc_data_channel_send_data_full(); a failure is logged.
 */
void gst_rtc_data_channel_send_data(GstRtcDataChannel *channel, GBytes *data) {
  GError *err = nullptr;
  if (!gst_rtc_data_channel_send_data_full(channel, data, &err)) {
    GST_WARNING_OBJECT(channel, "not sent: %s", err->message);
    g_error_free(err);
  }
}

/**
 * gst_rtc_data_channel_send_string:
 * @channel: the channel
 * @str: (nullable): the message
 *
 * As gst_rtc_data_channel_send_string_full(); a failure is logged.
 */
void gst_rtc_data_channel_send_string(GstRtcDataChannel *channel, const gchar *str) {
  GError *err = nullptr;
  if (!gst_rtc_data_channel_send_string_full(channel, str, &err)) {
    GST_WARNING_OBJECT(channel, "not sent: %s", err->message);
    g_error_free(err);
  }
}

/**
 * gst_rtc_data_channel_close:
 * @channel: the channel
 *
 * Closes the channel once what is queued has gone out (RFC 8831 §6.7: by resetting its
 * stream); "on-close" follows on both sides.
 */
void gst_rtc_data_channel_close(GstRtcDataChannel *channel) {
  g_return_if_fail(GST_RTC_IS_DATA_CHANNEL(channel));
  gstrtc::sctp_transport_close_channel(channel->transport, channel->ch);
}

// --- GObject

static void gst_rtc_data_channel_init(GstRtcDataChannel *self) {
  new (&self->opts) sctp::ChannelOptions();
  new (&self->hook_lock) std::mutex();
  new (&self->hook) std::shared_ptr<gstrtc::DataChannelHook>();
}

static void gst_rtc_data_channel_finalize(GObject *object) {
  auto *self = GST_RTC_DATA_CHANNEL(object);
  self->opts.~ChannelOptions();
  self->hook.~shared_ptr();
  self->hook_lock.~mutex();
  gst_clear_object(&self->transport);
  G_OBJECT_CLASS(gst_rtc_data_channel_parent_class)->finalize(object);
}

static void gst_rtc_data_channel_set_property(GObject *object, guint prop_id, const GValue *value,
                                              GParamSpec *pspec) {
  auto *self = GST_RTC_DATA_CHANNEL(object);
  if (prop_id == PROP_BUFFERED_AMOUNT_LOW_THRESHOLD && self->transport)
    gstrtc::sctp_transport_set_low_threshold(self->transport, self->ch, g_value_get_uint64(value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void gst_rtc_data_channel_get_property(GObject *object, guint prop_id, GValue *value,
                                              GParamSpec *pspec) {
  auto *self = GST_RTC_DATA_CHANNEL(object);
  const auto &p = self->opts.params;
  gstrtc::DataChannelInfo info;
  if (self->transport)
    info = gstrtc::sctp_transport_channel_info(self->transport, self->ch);
  switch (prop_id) {
  case PROP_LABEL:
    g_value_set_string(value, p.label.c_str());
    break;
  case PROP_ORDERED:
    g_value_set_boolean(value, p.ordered);
    break;
  case PROP_MAX_PACKET_LIFETIME:
    g_value_set_int(
        value, p.reliability == sctp::Reliability::PartialTimed ? gint(p.reliability_param) : -1);
    break;
  case PROP_MAX_RETRANSMITS:
    g_value_set_int(
        value, p.reliability == sctp::Reliability::PartialRexmit ? gint(p.reliability_param) : -1);
    break;
  case PROP_PROTOCOL:
    g_value_set_string(value, p.protocol.c_str());
    break;
  case PROP_NEGOTIATED:
    g_value_set_boolean(value, self->opts.negotiated);
    break;
  case PROP_ID:
    g_value_set_int(value, info.sid ? gint(*info.sid) : -1);
    break;
  case PROP_PRIORITY:
    g_value_set_enum(value, gstrtc::priority_type(p.priority));
    break;
  case PROP_READY_STATE:
    g_value_set_enum(value, public_state(info.state));
    break;
  case PROP_BUFFERED_AMOUNT:
    g_value_set_uint64(value, info.buffered);
    break;
  case PROP_BUFFERED_AMOUNT_LOW_THRESHOLD:
    g_value_set_uint64(value, info.low_threshold);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void install_properties(GObjectClass *oc) {
  const auto ro = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  const auto rw = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  props[PROP_LABEL] = g_param_spec_string("label", "Label", "The channel's label", "", ro);
  props[PROP_ORDERED] =
      g_param_spec_boolean("ordered", "Ordered", "Messages arrive in order", TRUE, ro);
  props[PROP_MAX_PACKET_LIFETIME] = g_param_spec_int(
      "max-packet-lifetime", "Max packet lifetime",
      "How long (ms) a message may be retransmitted (-1: no limit)", -1, 65535, -1, ro);
  props[PROP_MAX_RETRANSMITS] = g_param_spec_int(
      "max-retransmits", "Max retransmits",
      "How many times a message may be retransmitted (-1: no limit)", -1, 65535, -1, ro);
  props[PROP_PROTOCOL] = g_param_spec_string("protocol", "Protocol", "The subprotocol", "", ro);
  props[PROP_NEGOTIATED] = g_param_spec_boolean(
      "negotiated", "Negotiated", "Opened by the application on both sides (no DCEP)", FALSE, ro);
  props[PROP_ID] =
      g_param_spec_int("id", "ID", "The SCTP stream (-1 until chosen)", -1, 65534, -1, ro);
  props[PROP_PRIORITY] =
      g_param_spec_enum("priority", "Priority", "The channel's priority",
                        GST_TYPE_RTC_PRIORITY_TYPE, GST_RTC_PRIORITY_TYPE_LOW, ro);
  props[PROP_READY_STATE] =
      g_param_spec_enum("ready-state", "Ready state", "The channel's state",
                        GST_TYPE_RTC_DATA_CHANNEL_STATE, GST_RTC_DATA_CHANNEL_STATE_CONNECTING, ro);
  props[PROP_BUFFERED_AMOUNT] =
      g_param_spec_uint64("buffered-amount", "Buffered amount",
                          "Bytes of messages queued, not yet sent", 0, G_MAXUINT64, 0, ro);
  props[PROP_BUFFERED_AMOUNT_LOW_THRESHOLD] = g_param_spec_uint64(
      "buffered-amount-low-threshold", "Buffered amount low threshold",
      "on-buffered-amount-low when the buffered amount falls to this", 0, G_MAXUINT64, 0, rw);
  g_object_class_install_properties(oc, N_PROPS, props);
}

static void install_signals(GstRtcDataChannelClass *klass) {
  GType t = G_TYPE_FROM_CLASS(klass);
  auto plain = [t](const char *name) {
    return g_signal_new(name, t, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr, nullptr, G_TYPE_NONE, 0);
  };
  signals[SIGNAL_ON_OPEN] = plain("on-open");
  signals[SIGNAL_ON_CLOSE] = plain("on-close");
  signals[SIGNAL_ON_BUFFERED_AMOUNT_LOW] = plain("on-buffered-amount-low");
  signals[SIGNAL_ON_ERROR] = g_signal_new("on-error", t, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr,
                                          nullptr, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_ON_MESSAGE_DATA] =
      g_signal_new("on-message-data", t, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr, nullptr,
                   G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_ON_MESSAGE_STRING] =
      g_signal_new("on-message-string", t, G_SIGNAL_RUN_LAST, 0, nullptr, nullptr, nullptr,
                   G_TYPE_NONE, 1, G_TYPE_STRING);
  const auto action = static_cast<GSignalFlags>(G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION);
  signals[SIGNAL_SEND_DATA] =
      g_signal_new_class_handler("send-data", t, action, G_CALLBACK(gst_rtc_data_channel_send_data),
                                 nullptr, nullptr, nullptr, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_SEND_STRING] = g_signal_new_class_handler(
      "send-string", t, action, G_CALLBACK(gst_rtc_data_channel_send_string), nullptr, nullptr,
      nullptr, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CLOSE] =
      g_signal_new_class_handler("close", t, action, G_CALLBACK(gst_rtc_data_channel_close),
                                 nullptr, nullptr, nullptr, G_TYPE_NONE, 0);
}

static void gst_rtc_data_channel_class_init(GstRtcDataChannelClass *klass) {
  auto *oc = G_OBJECT_CLASS(klass);
  oc->finalize = gst_rtc_data_channel_finalize;
  oc->set_property = gst_rtc_data_channel_set_property;
  oc->get_property = gst_rtc_data_channel_get_property;
  install_properties(oc);
  install_signals(klass);
}
