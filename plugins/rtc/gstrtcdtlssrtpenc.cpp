/**
 * SECTION:element-rtcdtlssrtpenc
 * @title: rtcdtlssrtpenc
 *
 * The sending half of a DTLS-SRTP transport (#GstRtcDTLSTransport, shared with an
 * rtcdtlssrtpdec): protects RTP ("rtp_sink") and RTCP ("rtcp_sink") with the SRTP keys from the
 * DTLS handshake, encrypts application data ("data_sink", one buffer per datagram, for SCTP) as
 * DTLS records, and sends the handshake itself, all on "src" towards the network (rtcicesink).
 * It starts the handshake when it goes to PLAYING (or when the application calls
 * gst_rtc_dtls_transport_start()) and runs the retransmission timer on the element's clock.
 *
 * Nothing is ever sent in clear: RTP and RTCP that arrive before the keys exist are dropped
 * and counted ("rtp-dropped-no-keys" in the transport's stats); media is real-time, and holding
 * it would only deliver it late.
 *
 * ## Example pipeline
 * |[
 * gst-launch-1.0 videotestsrc ! vp8enc ! rtpvp8pay ! rtcdtlssrtpenc transport-name=d0 \
 *     ! rtcicesink transport-name=i0
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcdtlssrtpenc.h"
#include "gstrtcelements.h"
#include "elementclock.hpp"
#include "mappedbatch.hpp"
#include "transportbinding.hpp"

#include "rtcdtls-private.hpp"

GST_DEBUG_CATEGORY_STATIC(gst_rtc_dtls_srtp_enc_debug);
#define GST_CAT_DEFAULT gst_rtc_dtls_srtp_enc_debug

namespace {
constexpr GstClockTime kTimerPoll = 20 * GST_MSECOND; // while the handshake runs
} // namespace

struct GstRtcDtlsSrtpEncPrivate final : gstrtc::dtls::NetworkSink {
  void send_datagrams(gstrtc::dtls::Datagrams ds) noexcept override;

  GstRtcDtlsSrtpEnc *self = nullptr;
  gstrtc::TransportBinding<GstRtcDTLSTransport> binding;
  // Set in READY->PAUSED, cleared in PAUSED->READY. The streaming threads read them without a
  // lock (pads are inactive before they change); the clock thread's timer takes core_lock and a
  // reference of its own, since unscheduling does not wait for a callback already running.
  std::mutex core_lock;
  // Keys never change once the handshake produced them: each pad's streaming thread keeps the
  // context it got instead of asking the transport (a lock and a refcount) for every packet.
  std::shared_ptr<gstrtc::srtp::Context> rtp_ctx, rtcp_ctx;
  gstrtc::Ref<GstRtcDTLSTransport> active;
  gstrtc::dtls::DtlsSrtpTransport *core = nullptr;

  // Serialises pushes on srcpad from the three sinks and the timer. Recursive: wired back to
  // back without a thread boundary, a push can come back here through the peer's elements.
  std::recursive_mutex push_lock;
  bool started_stream = false;
  // Under state_lock: start the handshake at PLAYING, or only when asked ("start" signal).
  std::mutex state_lock;
  bool auto_start = true, start_wanted = false, playing = false, handshake_started = false;

  std::mutex timer_lock; // protects timer
  GstClockID timer = nullptr;
};

struct _GstRtcDtlsSrtpEnc {
  GstElement parent;
  GstPad *rtp_sink, *rtcp_sink, *data_sink, *srcpad;
  GstRtcDtlsSrtpEncPrivate *priv;
};

static GstStaticPadTemplate rtp_sink_template = GST_STATIC_PAD_TEMPLATE(
    "rtp_sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS("application/x-rtp"));
static GstStaticPadTemplate rtcp_sink_template = GST_STATIC_PAD_TEMPLATE(
    "rtcp_sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS("application/x-rtcp"));
static GstStaticPadTemplate data_sink_template =
    GST_STATIC_PAD_TEMPLATE("data_sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE_WITH_CODE(GstRtcDtlsSrtpEnc, gst_rtc_dtls_srtp_enc, GST_TYPE_ELEMENT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_dtls_srtp_enc_debug, "rtcdtlssrtpenc", 0,
                                                "DTLS-SRTP encoder"));
GST_ELEMENT_REGISTER_DEFINE(rtcdtlssrtpenc, "rtcdtlssrtpenc", GST_RANK_NONE,
                            GST_TYPE_RTC_DTLS_SRTP_ENC);

// The network side needs stream-start, caps and a segment before the first buffer.
static void ensure_stream_started(GstRtcDtlsSrtpEnc *self) {
  auto *priv = self->priv;
  if (priv->started_stream)
    return;
  priv->started_stream = true;
  // gst_pad_create_stream_id() wants at most one sink pad; we have three.
  gchar *id = g_strdup_printf("%08x%08x/dtls", g_random_int(), g_random_int());
  gst_pad_push_event(self->srcpad, gst_event_new_stream_start(id));
  g_free(id);
  GstCaps *caps = gst_caps_new_empty_simple("application/x-dtls-srtp");
  gst_pad_push_event(self->srcpad, gst_event_new_caps(caps));
  gst_caps_unref(caps);
  GstSegment seg;
  gst_segment_init(&seg, GST_FORMAT_TIME);
  gst_pad_push_event(self->srcpad, gst_event_new_segment(&seg));
}

static GstFlowReturn push_locked(GstRtcDtlsSrtpEnc *self, GstBuffer *buf) {
  ensure_stream_started(self);
  GstFlowReturn r = gst_pad_push(self->srcpad, buf);
  return r == GST_FLOW_NOT_LINKED ? GST_FLOW_OK : r;
}

// Any thread (decoder, timer, data sink): DTLS datagrams for the network, a buffer each; a
// batch goes as one list.
void GstRtcDtlsSrtpEncPrivate::send_datagrams(gstrtc::dtls::Datagrams ds) noexcept {
  std::lock_guard lk(push_lock);
  ensure_stream_started(self);
  gstrtc::push_copies(self->srcpad, ds);
}

static int64_t now_us(GstRtcDtlsSrtpEnc *self) {
  return gstrtc::element_now_us(GST_ELEMENT(self));
}

static void schedule_timer(GstRtcDtlsSrtpEnc *self, gstrtc::dtls::DtlsSrtpTransport *core);

static gboolean timer_fired(GstClock *, GstClockTime, GstClockID, gpointer user_data) {
  auto *self = GST_RTC_DTLS_SRTP_ENC(user_data);
  gstrtc::Ref<GstRtcDTLSTransport> keep;
  gstrtc::dtls::DtlsSrtpTransport *core;
  {
    std::lock_guard lk(self->priv->core_lock);
    keep = self->priv->active;
    core = self->priv->core;
  }
  if (core) {
    core->handle_timeout(now_us(self));
    if (core->state() == gstrtc::dtls::State::Connecting)
      schedule_timer(self, core);
  }
  return TRUE;
}

// Polls while the handshake runs: the decoder's activity moves OpenSSL's deadline too.
static void schedule_timer(GstRtcDtlsSrtpEnc *self, gstrtc::dtls::DtlsSrtpTransport *core) {
  auto *priv = self->priv;
  GstClock *clock = gst_element_get_clock(GST_ELEMENT(self));
  if (!clock)
    clock = gst_system_clock_obtain();
  GstClockTime now = gst_clock_get_time(clock);
  int64_t due = core->next_timeout();
  GstClockTime at = now + kTimerPoll;
  if (due >= 0 && static_cast<GstClockTime>(due) * 1000 < at)
    at = std::max(now, static_cast<GstClockTime>(due) * 1000);
  std::lock_guard lk(priv->timer_lock);
  if (priv->timer) {
    gst_clock_id_unschedule(priv->timer);
    gst_clock_id_unref(priv->timer);
  }
  priv->timer = gst_clock_new_single_shot_id(clock, at);
  gst_clock_id_wait_async(priv->timer, timer_fired, gst_object_ref(self),
                          reinterpret_cast<GDestroyNotify>(gst_object_unref));
  gst_object_unref(clock);
}

static void stop_timer(GstRtcDtlsSrtpEnc *self) {
  std::lock_guard lk(self->priv->timer_lock);
  if (self->priv->timer) {
    gst_clock_id_unschedule(self->priv->timer);
    gst_clock_id_unref(self->priv->timer);
    self->priv->timer = nullptr;
  }
}

// One copy into a buffer with room for the SRTP trailer; protected in place there.
static GstFlowReturn protect_and_push(GstRtcDtlsSrtpEnc *self, GstBuffer *in, bool rtcp) {
  auto *priv = self->priv;
  auto &ctx = rtcp ? priv->rtcp_ctx : priv->rtp_ctx;
  if (!ctx && priv->core)
    ctx = priv->core->outbound();
  if (!ctx) {
    if (priv->core)
      priv->core->counters().rtp_dropped_no_keys++;
    gst_buffer_unref(in);
    return GST_FLOW_OK;
  }
  gsize size = gst_buffer_get_size(in);
  GstBuffer *out = gst_buffer_new_allocate(nullptr, size + gstrtc::srtp::kMaxTrailer, nullptr);
  gst_buffer_copy_into(out, in, GST_BUFFER_COPY_METADATA, 0, -1);
  GstMapInfo map;
  gst_buffer_map(out, &map, GST_MAP_WRITE);
  gst_buffer_extract(in, 0, map.data, size);
  size_t len = size;
  auto s = rtcp ? ctx->protect_rtcp(map.data, &len, map.size)
                : ctx->protect_rtp(map.data, &len, map.size);
  gst_buffer_unmap(out, &map);
  gst_buffer_unref(in);
  if (!s) {
    GST_WARNING_OBJECT(self, "dropping a packet: %s", s.error().message.c_str());
    gst_buffer_unref(out);
    return GST_FLOW_OK;
  }
  gst_buffer_set_size(out, len);
  (rtcp ? priv->core->counters().rtcp_protected : priv->core->counters().rtp_protected)++;
  std::lock_guard lk(priv->push_lock);
  return push_locked(self, out);
}

static GstFlowReturn rtp_chain(GstPad *, GstObject *parent, GstBuffer *buf) {
  return protect_and_push(GST_RTC_DTLS_SRTP_ENC(parent), buf, false);
}

static GstFlowReturn rtcp_chain(GstPad *, GstObject *parent, GstBuffer *buf) {
  return protect_and_push(GST_RTC_DTLS_SRTP_ENC(parent), buf, true);
}

static GstFlowReturn data_chain(GstPad *, GstObject *parent, GstBuffer *buf) {
  auto *self = GST_RTC_DTLS_SRTP_ENC(parent);
  auto *core = self->priv->core;
  GstMapInfo map;
  gst_buffer_map(buf, &map, GST_MAP_READ);
  auto s = core ? core->send_app_data({map.data, map.size})
                : gstrtc::Status(gstrtc::invalid_state("not started"));
  gst_buffer_unmap(buf, &map);
  gst_buffer_unref(buf);
  if (!s)
    GST_ELEMENT_WARNING(self, STREAM, FAILED, ("Application data not sent"),
                        ("%s", s.error().message.c_str()));
  return GST_FLOW_OK;
}

// The SCTP packets of one batch (rtcsctpenc pushes them as a list) go out as one batch too.
static GstFlowReturn data_chain_list(GstPad *, GstObject *parent, GstBufferList *list) {
  auto *self = GST_RTC_DTLS_SRTP_ENC(parent);
  auto *core = self->priv->core;
  gstrtc::Status s = gstrtc::Ok{};
  gstrtc::for_each_batch(list, [&](gstrtc::MappedBatch::Views msgs) {
    auto r = core ? core->send_app_data(msgs)
                  : gstrtc::Status(gstrtc::invalid_state("not started"));
    if (!r && s)
      s = std::move(r);
  });
  gst_buffer_list_unref(list);
  if (!s)
    GST_ELEMENT_WARNING(self, STREAM, FAILED, ("Application data not sent"),
                        ("%s", s.error().message.c_str()));
  return GST_FLOW_OK;
}

// The network side has its own stream events (ensure_stream_started); the sinks' stream-start,
// caps and segment stay here. EOS on rtp_sink means the media ended: DTLS says goodbye with
// close_notify (RFC 5246 §7.2.1) and the EOS goes on to the network sink, which posts it.
static gboolean sink_event(GstPad *pad, GstObject *parent, GstEvent *event) {
  auto *self = GST_RTC_DTLS_SRTP_ENC(parent);
  switch (GST_EVENT_TYPE(event)) {
  case GST_EVENT_CAPS:
  case GST_EVENT_STREAM_START:
  case GST_EVENT_SEGMENT:
    gst_event_unref(event);
    return TRUE;
  case GST_EVENT_EOS: {
    if (pad != self->rtp_sink) {
      gst_event_unref(event); // RTCP or data ending alone does not end the transport
      return TRUE;
    }
    if (auto *core = self->priv->core)
      core->close();
    std::lock_guard lk(self->priv->push_lock);
    ensure_stream_started(self);
    return gst_pad_push_event(self->srcpad, event);
  }
  default:
    break;
  }
  return gst_pad_event_default(pad, parent, event);
}

// READY->PAUSED: find the transport and become its network output.
static gboolean prepare(GstRtcDtlsSrtpEnc *self) {
  auto *priv = self->priv;
  auto t = priv->binding.resolve_or_error(GST_ELEMENT(self));
  if (!t)
    return FALSE;
  {
    std::lock_guard lk(priv->core_lock);
    priv->core = &gstrtc::dtls_transport_core(t.get());
    priv->active = std::move(t);
  }
  priv->core->set_network_sink(priv);
  return TRUE;
}

// PAUSED->PLAYING: start the handshake. Not earlier: a network sink downstream that prerolls
// in PAUSED would block the first flight, and this thread with it. With auto-start off, it
// waits for the "start" signal too (rtcbin knows the DTLS role only once the answer is applied).
static gboolean start(GstRtcDtlsSrtpEnc *self) {
  auto *priv = self->priv;
  auto s = priv->core->start(now_us(self));
  if (!s) {
    GST_ELEMENT_ERROR(self, LIBRARY, INIT, ("DTLS could not start"),
                      ("%s", s.error().message.c_str()));
    return FALSE;
  }
  if (priv->core->state() == gstrtc::dtls::State::Connecting)
    schedule_timer(self, priv->core);
  return TRUE;
}

// Starts once both conditions hold: PLAYING, and auto-start or a "start" request.
static gboolean maybe_start(GstRtcDtlsSrtpEnc *self, bool playing, bool requested) {
  auto *priv = self->priv;
  {
    std::lock_guard lk(priv->state_lock);
    priv->playing |= playing;
    priv->start_wanted |= requested;
    if (!priv->playing || priv->handshake_started || !(priv->auto_start || priv->start_wanted))
      return TRUE;
    priv->handshake_started = true;
  }
  return start(self);
}

static void start_signal(GstRtcDtlsSrtpEnc *self) {
  maybe_start(self, false, true);
}

static void stop(GstRtcDtlsSrtpEnc *self) {
  auto *priv = self->priv;
  stop_timer(self);
  gstrtc::Ref<GstRtcDTLSTransport> active;
  gstrtc::dtls::DtlsSrtpTransport *core;
  {
    std::lock_guard lk(priv->core_lock);
    core = std::exchange(priv->core, nullptr);
    active = std::move(priv->active);
  }
  if (core)
    core->set_network_sink(nullptr); // waits for a send in progress
  priv->rtp_ctx.reset();             // the pads are inactive: no streaming thread holds them
  priv->rtcp_ctx.reset();
  priv->started_stream = false;
  std::lock_guard lk(priv->state_lock);
  priv->playing = priv->handshake_started = priv->start_wanted = false;
}

static GstStateChangeReturn change_state(GstElement *element, GstStateChange transition) {
  auto *self = GST_RTC_DTLS_SRTP_ENC(element);
  // Pads are active once the parent class has run: only then can DTLS send anything.
  auto ret =
      GST_ELEMENT_CLASS(gst_rtc_dtls_srtp_enc_parent_class)->change_state(element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && !prepare(self))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING && !maybe_start(self, true, false))
    return GST_STATE_CHANGE_FAILURE;
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    stop(self);
  return ret;
}

enum { PROP_AUTO_START = gstrtc::TransportBinding<GstRtcDTLSTransport>::N_PROPS };

static void set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
  auto *priv = GST_RTC_DTLS_SRTP_ENC(object)->priv;
  if (prop_id == PROP_AUTO_START) {
    std::lock_guard lk(priv->state_lock);
    priv->auto_start = g_value_get_boolean(value);
  } else if (!priv->binding.set_property(prop_id, value)) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
  auto *priv = GST_RTC_DTLS_SRTP_ENC(object)->priv;
  if (prop_id == PROP_AUTO_START) {
    std::lock_guard lk(priv->state_lock);
    g_value_set_boolean(value, priv->auto_start);
  } else if (!priv->binding.get_property(prop_id, value)) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void gst_rtc_dtls_srtp_enc_init(GstRtcDtlsSrtpEnc *self) {
  self->priv = new GstRtcDtlsSrtpEncPrivate();
  self->priv->self = self;
  auto add = [self](GstStaticPadTemplate *tmpl, GstPadChainFunction chain) {
    GstPad *pad = gst_pad_new_from_static_template(tmpl, tmpl->name_template);
    if (chain) {
      gst_pad_set_chain_function(pad, chain);
      gst_pad_set_event_function(pad, sink_event);
    }
    gst_element_add_pad(GST_ELEMENT(self), pad);
    return pad;
  };
  self->rtp_sink = add(&rtp_sink_template, rtp_chain);
  self->rtcp_sink = add(&rtcp_sink_template, rtcp_chain);
  self->data_sink = add(&data_sink_template, data_chain);
  gst_pad_set_chain_list_function(self->data_sink, data_chain_list);
  self->srcpad = add(&src_template, nullptr);
}

static void gst_rtc_dtls_srtp_enc_finalize(GObject *object) {
  delete GST_RTC_DTLS_SRTP_ENC(object)->priv;
  G_OBJECT_CLASS(gst_rtc_dtls_srtp_enc_parent_class)->finalize(object);
}

static void gst_rtc_dtls_srtp_enc_class_init(GstRtcDtlsSrtpEncClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->finalize = gst_rtc_dtls_srtp_enc_finalize;
  gstrtc::TransportBinding<GstRtcDTLSTransport>::install_properties(gobject_class);
  g_object_class_install_property(
      gobject_class, PROP_AUTO_START,
      g_param_spec_boolean("auto-start", "Auto start",
                           "Start the handshake at PLAYING; if FALSE, when \"start\" is emitted",
                           TRUE,
                           static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS)));
  /**
   * GstRtcDtlsSrtpEnc::start:
   *
   * Starts the handshake (at once if PLAYING, else on reaching it). For auto-start=FALSE.
   */
  g_signal_new_class_handler("start", G_TYPE_FROM_CLASS(klass),
                             static_cast<GSignalFlags>(G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION),
                             G_CALLBACK(start_signal), nullptr, nullptr, nullptr, G_TYPE_NONE, 0);
  element_class->change_state = change_state;
  for (auto *t : {&rtp_sink_template, &rtcp_sink_template, &data_sink_template, &src_template})
    gst_element_class_add_static_pad_template(element_class, t);
  gst_element_class_set_static_metadata(
      element_class, "DTLS-SRTP encoder", "Encoder/Network/DTLS/SRTP",
      "Protects RTP/RTCP with SRTP keyed by DTLS (RFC 5764)", "gst-rtc developers");
}
