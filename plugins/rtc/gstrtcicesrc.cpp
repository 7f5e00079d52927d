/**
 * SECTION:element-rtcicesrc
 * @title: rtcicesrc
 *
 * Pushes each datagram received on an ICE transport (#GstRtcICETransport) as one buffer,
 * timestamped with the running time of its arrival. While the element is pulling, the socket is
 * read in its own streaming thread (libnice's batched reads go straight to a bounded queue, no
 * thread hop per packet); whenever it is not (paused, flushing, stopped), the transport's thread
 * reads instead, so STUN keeps being answered. When the queue ("max-queue") is full the newest
 * datagrams are dropped and counted in "stats", as a socket would.
 *
 * ## Example pipeline
 * |[
 * gst-launch-1.0 rtcicesrc transport-name=call0 ! application/x-rtp,... ! rtpopusdepay ! ...
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcicesrc.h"
#include "gstrtcelements.h"
#include "transportbinding.hpp"

#include "rtcicetransport-private.hpp"

#include <atomic>
#include <thread>
#include <vector>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_ice_src_debug);
#define GST_CAT_DEFAULT gst_rtc_ice_src_debug

namespace {
constexpr guint kDefaultMaxQueue = 4096;
} // namespace

struct GstRtcIceSrcPrivate final : gstrtc::ice::Receiver {
  void on_packet(const guint8 *data, gsize size) noexcept override;

  gstrtc::TransportBinding<GstRtcICETransport> binding;

  // Set in start(), cleared in stop() (after the receiver is detached).
  gstrtc::Ref<GstRtcICETransport> active;
  gstrtc::ice::Agent *agent = nullptr;

  struct Slot {
    GstBuffer *buf;
    GstClockTime arrival; // gst_util_get_timestamp () at reception
  };
  // Iterated by the streaming thread inside create(); libnice reads there while attached.
  GMainContext *ctx = nullptr;
  bool reading_here = false; // streaming thread only
  // The thread that reads when reading_here (to tell if a delivery needs a wakeup).
  std::atomic<std::thread::id> reader{};

  std::mutex qlock;       // protects the fields below; a leaf lock
  std::vector<Slot> ring; // capacity max_queue; head + count
  size_t head = 0, count = 0;
  guint max_queue = kDefaultMaxQueue;
  bool flushing = false;
  guint64 pushed = 0, dropped_full = 0;
};

struct _GstRtcIceSrc {
  GstPushSrc parent;
  GstRtcIceSrcPrivate *priv;
};

enum { PROP_MAX_QUEUE = gstrtc::TransportBinding<GstRtcICETransport>::N_PROPS, PROP_STATS };

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE_WITH_CODE(GstRtcIceSrc, gst_rtc_ice_src, GST_TYPE_PUSH_SRC,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_ice_src_debug, "rtcicesrc", 0,
                                                "ICE transport source"));
GST_ELEMENT_REGISTER_DEFINE(rtcicesrc, "rtcicesrc", GST_RANK_NONE, GST_TYPE_RTC_ICE_SRC);

// Streaming thread (inside create) or ICE thread. Copies the datagram once (libnice owns its
// receive buffer) into a buffer whose struct and data are one allocation. Measured here
// (bench/ice-bench, 1200 bytes): recycling through a GstBufferPool cost 0.8 us more per packet
// than this, its acquire/release taking a GstPoll mutex and resizing on reset.
void GstRtcIceSrcPrivate::on_packet(const guint8 *data, gsize size) noexcept {
  GstBuffer *buf = gst_buffer_new_allocate(nullptr, size, nullptr);
  gst_buffer_fill(buf, 0, data, size);
  GstClockTime arrival = gst_util_get_timestamp();
  {
    std::lock_guard lk(qlock);
    if (!flushing && count < ring.size()) {
      ring[(head + count) % ring.size()] = Slot{buf, arrival};
      count++;
      buf = nullptr;
    } else {
      dropped_full++;
    }
  }
  if (buf) {
    gst_buffer_unref(buf);
    return;
  }
  // Delivered by the ICE thread while create() may be blocked on its own context.
  if (std::this_thread::get_id() != reader.load(std::memory_order_relaxed))
    g_main_context_wakeup(ctx);
}

namespace {
enum class Pop { Packet, Empty, Flushing };

Pop pop_packet(GstRtcIceSrcPrivate *priv, GstRtcIceSrcPrivate::Slot &slot) {
  std::lock_guard lk(priv->qlock);
  if (priv->flushing)
    return Pop::Flushing;
  if (!priv->count)
    return Pop::Empty;
  slot = priv->ring[priv->head];
  priv->head = (priv->head + 1) % priv->ring.size();
  priv->count--;
  priv->pushed++;
  return Pop::Packet;
}
} // namespace

static GstFlowReturn gst_rtc_ice_src_create(GstPushSrc *psrc, GstBuffer **outbuf) {
  auto *self = GST_RTC_ICE_SRC(psrc);
  auto *priv = self->priv;
  GstRtcIceSrcPrivate::Slot slot;
  Pop r;
  while ((r = pop_packet(priv, slot)) == Pop::Empty) {
    if (!priv->reading_here) {
      priv->reader.store(std::this_thread::get_id());
      priv->agent->set_receive_context(priv->ctx);
      priv->reading_here = true;
      continue; // the ICE thread may have queued something meanwhile
    }
    // Reads (in batches) and answers STUN; unlock () wakes it.
    g_main_context_iteration(priv->ctx, TRUE);
  }
  if (r == Pop::Flushing) {
    // Hand reading back to the transport's thread while we are not pulling.
    if (priv->reading_here) {
      priv->agent->set_receive_context(nullptr);
      priv->reading_here = false;
    }
    return GST_FLOW_FLUSHING;
  }

  // Running time of the arrival: the element clock now, minus the time spent queued.
  if (GstClock *clock = GST_ELEMENT_CLOCK(self)) {
    GstClockTime now = gst_clock_get_time(clock);
    GstClockTime queued = gst_util_get_timestamp() - slot.arrival;
    GstClockTime base = GST_ELEMENT_CAST(self)->base_time;
    GstClockTime ts = now > base + queued ? now - base - queued : 0;
    GST_BUFFER_PTS(slot.buf) = GST_BUFFER_DTS(slot.buf) = ts;
  }
  *outbuf = slot.buf;
  return GST_FLOW_OK;
}

static gboolean gst_rtc_ice_src_start(GstBaseSrc *bsrc) {
  auto *self = GST_RTC_ICE_SRC(bsrc);
  auto *priv = self->priv;
  auto t = priv->binding.resolve_or_error(GST_ELEMENT(self));
  if (!t)
    return FALSE;
  {
    std::lock_guard lk(priv->qlock);
    priv->ring.assign(priv->max_queue, {});
    priv->head = priv->count = 0;
    priv->flushing = false;
  }
  priv->agent = &gstrtc::ice_transport_agent(t.get());
  if (!priv->agent->attach_receiver(priv)) {
    priv->agent = nullptr;
    GST_ELEMENT_ERROR(self, RESOURCE, BUSY, ("ICE transport already has a reader"),
                      ("another rtcicesrc reads transport %s", GST_OBJECT_NAME(t.get())));
    return FALSE;
  }
  priv->active = std::move(t);
  return TRUE;
}

static gboolean gst_rtc_ice_src_stop(GstBaseSrc *bsrc) {
  auto *self = GST_RTC_ICE_SRC(bsrc);
  auto *priv = self->priv;
  if (priv->agent) {
    // The streaming thread has stopped; make sure the ICE thread reads again.
    if (priv->reading_here)
      priv->agent->set_receive_context(nullptr);
    priv->reading_here = false;
    priv->agent->detach_receiver(priv); // returns after a running on_packet ends
  }
  priv->agent = nullptr;
  {
    std::lock_guard lk(priv->qlock);
    for (; priv->count; priv->count--, priv->head = (priv->head + 1) % priv->ring.size())
      gst_buffer_unref(priv->ring[priv->head].buf);
  }
  priv->active.reset();
  return TRUE;
}

static gboolean gst_rtc_ice_src_unlock(GstBaseSrc *bsrc) {
  auto *priv = GST_RTC_ICE_SRC(bsrc)->priv;
  {
    std::lock_guard lk(priv->qlock);
    priv->flushing = true;
  }
  g_main_context_wakeup(priv->ctx);
  return TRUE;
}

static gboolean gst_rtc_ice_src_unlock_stop(GstBaseSrc *bsrc) {
  auto *priv = GST_RTC_ICE_SRC(bsrc)->priv;
  std::lock_guard lk(priv->qlock);
  priv->flushing = false;
  return TRUE;
}

static void gst_rtc_ice_src_set_property(GObject *object, guint prop_id, const GValue *value,
                                         GParamSpec *pspec) {
  auto *self = GST_RTC_ICE_SRC(object);
  if (self->priv->binding.set_property(prop_id, value))
    return;
  switch (prop_id) {
  case PROP_MAX_QUEUE: {
    std::lock_guard lk(self->priv->qlock);
    self->priv->max_queue = g_value_get_uint(value);
    break;
  }
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void gst_rtc_ice_src_get_property(GObject *object, guint prop_id, GValue *value,
                                         GParamSpec *pspec) {
  auto *self = GST_RTC_ICE_SRC(object);
  auto *priv = self->priv;
  if (priv->binding.get_property(prop_id, value))
    return;
  switch (prop_id) {
  case PROP_MAX_QUEUE: {
    std::lock_guard lk(priv->qlock);
    g_value_set_uint(value, priv->max_queue);
    break;
  }
  case PROP_STATS: {
    std::lock_guard lk(priv->qlock);
    g_value_take_boxed(value, gst_structure_new("rtcicesrc-stats", "packets-pushed", G_TYPE_UINT64,
                                                priv->pushed, "packets-dropped-queue-full",
                                                G_TYPE_UINT64, priv->dropped_full, "queued",
                                                G_TYPE_UINT64, (guint64)priv->count, NULL));
    break;
  }
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void gst_rtc_ice_src_init(GstRtcIceSrc *self) {
  self->priv = new GstRtcIceSrcPrivate();
  self->priv->ctx = g_main_context_new();
  gst_base_src_set_live(GST_BASE_SRC(self), TRUE);
  gst_base_src_set_format(GST_BASE_SRC(self), GST_FORMAT_TIME);
}

static void gst_rtc_ice_src_finalize(GObject *object) {
  g_main_context_unref(GST_RTC_ICE_SRC(object)->priv->ctx);
  delete GST_RTC_ICE_SRC(object)->priv;
  G_OBJECT_CLASS(gst_rtc_ice_src_parent_class)->finalize(object);
}

static void gst_rtc_ice_src_class_init(GstRtcIceSrcClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);
  auto *bsrc_class = GST_BASE_SRC_CLASS(klass);
  auto *psrc_class = GST_PUSH_SRC_CLASS(klass);

  gobject_class->set_property = gst_rtc_ice_src_set_property;
  gobject_class->get_property = gst_rtc_ice_src_get_property;
  gobject_class->finalize = gst_rtc_ice_src_finalize;
  gstrtc::TransportBinding<GstRtcICETransport>::install_properties(gobject_class);
  g_object_class_install_property(
      gobject_class, PROP_MAX_QUEUE,
      g_param_spec_uint(
          "max-queue", "Max queue", "Datagrams held between reception and this element's thread", 1,
          1 << 20, kDefaultMaxQueue,
          (GParamFlags)(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)));
  g_object_class_install_property(
      gobject_class, PROP_STATS,
      g_param_spec_boxed("stats", "Stats", "packets-pushed, packets-dropped-queue-full, queued",
                         gst_structure_get_type(),
                         (GParamFlags)(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)));

  bsrc_class->start = gst_rtc_ice_src_start;
  bsrc_class->stop = gst_rtc_ice_src_stop;
  bsrc_class->unlock = gst_rtc_ice_src_unlock;
  bsrc_class->unlock_stop = gst_rtc_ice_src_unlock_stop;
  psrc_class->create = gst_rtc_ice_src_create;

  gst_element_class_add_static_pad_template(element_class, &src_template);
  gst_element_class_set_static_metadata(element_class, "ICE transport source", "Source/Network",
                                        "Receives datagrams from an ICE transport (libnice)",
                                        "gst-rtc developers");
}
