/**
 * SECTION:element-rtcicesrc
 * @title: rtcicesrc
 *
 * Pushes each datagram received on an ICE transport (#GstRtcICETransport) as one buffer,
 * timestamped with the running time of its arrival. A live source: data flows in PLAYING.
 * What one read of the socket brought is pushed as one buffer list (up to 64 datagrams), so
 * that downstream can handle it in one go (rtcdtlssrtpdec and rtcsctpdec do).
 *
 * By default the socket is read in a streaming thread of the element's own (libnice's batched
 * reads go straight to a bounded queue, no thread hop per packet), so downstream may block.
 * With "shared-thread" the datagrams are pushed from the thread that serves every ICE transport
 * of the process instead, and the element has no thread at all: for a downstream that never
 * blocks (rtcbin's, whose jitter buffers are the thread boundary). Whenever the element is not
 * pushing (paused, flushing), datagrams wait in a queue and STUN keeps being answered. When the
 * queue ("max-queue") is full the newest datagrams are dropped and counted in "stats", as a
 * socket would.
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
  void on_burst_end() noexcept override;

  GstElement *element = nullptr;
  GstPad *srcpad = nullptr; // owned by the element
  gstrtc::TransportBinding<GstRtcICETransport> binding;
  bool shared_thread = false; // property; read when starting

  // Set in start(), cleared in stop() (after the receiver is detached).
  gstrtc::Ref<GstRtcICETransport> active;
  gstrtc::ice::Agent *agent = nullptr;
  bool shared = false; // shared_thread as of start()

  struct Slot {
    GstBuffer *buf;
    GstClockTime arrival; // gst_util_get_timestamp () at reception; NONE: pushed at once
    guint epoch;          // the playing period it is pushed in
  };
  // Own-thread mode: iterated by the streaming thread, where libnice reads while attached.
  GMainContext *ctx = nullptr;
  bool reading_here = false; // streaming thread only
  // The thread that reads when reading_here (to tell if a delivery needs a wakeup).
  std::atomic<std::thread::id> reader{};

  // Lock order: the agent's receive lock, then the src pad's stream lock, then qlock.
  std::mutex qlock;       // protects the fields below; a leaf lock
  std::vector<Slot> ring; // capacity max_queue; head + count
  size_t head = 0, count = 0;
  guint max_queue = kDefaultMaxQueue;
  bool flushing = true;
  bool playing = false;
  guint epoch = 0;       // counts the starts of PLAYING (clock and base time may change)
  guint64 pushed = 0, dropped_full = 0;

  // Under the src pad's stream lock.
  bool need_stream_start = true;
  bool flow_error_posted = false;
  // The clock and base time of the playing period `clock_epoch`, read once per period rather
  // than per packet.
  gstrtc::Ref<GstClock> clock;
  GstClockTime base_time = 0;
  guint clock_epoch = G_MAXUINT;
};

struct _GstRtcIceSrc {
  GstElement parent;
  GstRtcIceSrcPrivate *priv;
};

enum {
  PROP_MAX_QUEUE = gstrtc::TransportBinding<GstRtcICETransport>::N_PROPS,
  PROP_STATS,
  PROP_SHARED_THREAD
};

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

G_DEFINE_TYPE_WITH_CODE(GstRtcIceSrc, gst_rtc_ice_src, GST_TYPE_ELEMENT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_ice_src_debug, "rtcicesrc", 0,
                                                "ICE transport source"));
GST_ELEMENT_REGISTER_DEFINE(rtcicesrc, "rtcicesrc", GST_RANK_NONE, GST_TYPE_RTC_ICE_SRC);

namespace {

enum class Pop { Packet, Empty, Stop };
constexpr size_t kBatch = 64; // datagrams pushed as one list

// Up to kBatch datagrams, oldest first; stops on flushing or pause.
Pop pop_packets(GstRtcIceSrcPrivate *priv, GstRtcIceSrcPrivate::Slot *slots, size_t *n) {
  std::lock_guard lk(priv->qlock);
  if (priv->flushing || !priv->playing)
    return Pop::Stop;
  if (!priv->count)
    return Pop::Empty;
  *n = std::min(priv->count, kBatch);
  for (size_t i = 0; i < *n; i++) {
    slots[i] = priv->ring[priv->head];
    slots[i].epoch = priv->epoch;
    priv->head = (priv->head + 1) % priv->ring.size();
  }
  priv->count -= *n;
  priv->pushed += *n;
  return Pop::Packet;
}

// Stream lock held. Running time of each arrival: the element clock now, minus the time spent
// queued (the clocks are read once for the batch).
void stamp_locked(GstRtcIceSrcPrivate *priv, GstRtcIceSrcPrivate::Slot *slots, size_t n) {
  GstElement *self = priv->element;
  if (priv->need_stream_start) {
    gchar *id = gst_pad_create_stream_id(priv->srcpad, self, nullptr);
    gst_pad_push_event(priv->srcpad, gst_event_new_stream_start(id));
    g_free(id);
    GstSegment seg;
    gst_segment_init(&seg, GST_FORMAT_TIME);
    gst_pad_push_event(priv->srcpad, gst_event_new_segment(&seg));
    priv->need_stream_start = false;
  }
  if (G_UNLIKELY(slots[0].epoch != priv->clock_epoch)) { // one epoch per batch
    priv->clock = gstrtc::adopt(gst_element_get_clock(self));
    priv->base_time = gst_element_get_base_time(self);
    priv->clock_epoch = slots[0].epoch;
  }
  GstClockTime now = priv->clock ? gst_clock_get_time(priv->clock.get()) : 0;
  GstClockTime wall = priv->clock ? gst_util_get_timestamp() : 0;
  GstClockTime base = priv->base_time;
  for (size_t i = 0; i < n; i++) {
    GstClockTime ts = 0;
    if (priv->clock) {
      GstClockTime arrival = slots[i].arrival;
      GstClockTime queued =
          GST_CLOCK_TIME_IS_VALID(arrival) && wall > arrival ? wall - arrival : 0;
      ts = now > base + queued ? now - base - queued : 0;
    }
    GST_BUFFER_PTS(slots[i].buf) = GST_BUFFER_DTS(slots[i].buf) = ts;
  }
}

// Stream lock held. Flow errors are posted once, as a source's streaming thread would.
GstFlowReturn check_flow(GstRtcIceSrcPrivate *priv, GstFlowReturn ret) {
  if ((ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS) && !priv->flow_error_posted) {
    priv->flow_error_posted = true;
    GST_ELEMENT_FLOW_ERROR(priv->element, ret);
  }
  return ret;
}

// Stream lock held. Several datagrams go as one list: downstream (DTLS, SCTP) handles them in
// one go.
GstFlowReturn push_batch_locked(GstRtcIceSrcPrivate *priv, GstRtcIceSrcPrivate::Slot *slots,
                                size_t n) {
  stamp_locked(priv, slots, n);
  if (n == 1)
    return check_flow(priv, gst_pad_push(priv->srcpad, slots[0].buf));
  GstBufferList *list = gst_buffer_list_new_sized(guint(n));
  for (size_t i = 0; i < n; i++)
    gst_buffer_list_add(list, slots[i].buf);
  return check_flow(priv, gst_pad_push_list(priv->srcpad, list));
}

// Shared mode: pushes out what is queued (a read burst, or what waited while paused), in
// order and in batches.
void drain_shared(GstRtcIceSrcPrivate *priv) {
  GstRtcIceSrcPrivate::Slot slots[kBatch];
  size_t n = 0;
  GST_PAD_STREAM_LOCK(priv->srcpad);
  while (pop_packets(priv, slots, &n) == Pop::Packet)
    push_batch_locked(priv, slots, n);
  GST_PAD_STREAM_UNLOCK(priv->srcpad);
}

void give_back_reading(GstRtcIceSrcPrivate *priv) {
  if (priv->reading_here) {
    priv->agent->set_receive_context(nullptr);
    priv->reading_here = false;
  }
}

// Own-thread mode: the streaming task.
void own_thread_loop(gpointer data) {
  auto *priv = static_cast<GstRtcIceSrcPrivate *>(data);
  GstRtcIceSrcPrivate::Slot slots[kBatch];
  size_t n = 0;
  Pop r;
  while ((r = pop_packets(priv, slots, &n)) == Pop::Empty) {
    if (!priv->reading_here) {
      priv->reader.store(std::this_thread::get_id());
      priv->agent->set_receive_context(priv->ctx);
      priv->reading_here = true;
      continue; // the ICE thread may have queued something meanwhile
    }
    // Reads (in batches) and answers STUN; pausing or flushing wakes it.
    g_main_context_iteration(priv->ctx, TRUE);
  }
  if (r == Pop::Packet) {
    GstFlowReturn ret = push_batch_locked(priv, slots, n);
    if (ret == GST_FLOW_OK)
      return;
    GST_DEBUG_OBJECT(priv->element, "pausing: %s", gst_flow_get_name(ret));
    give_back_reading(priv);
    gst_pad_pause_task(priv->srcpad);
    return;
  }
  // Paused or flushing: hand reading back to the transport's thread while we are not pushing.
  // Pausing is decided under qlock, where set_playing() restarts the task, so a resume that
  // came meanwhile is not lost.
  give_back_reading(priv);
  std::lock_guard lk(priv->qlock);
  if (priv->flushing || !priv->playing)
    gst_pad_pause_task(priv->srcpad); // from the task itself: does not wait
}

} // namespace

// Reading thread, under the agent's receive lock. Copies the datagram once (libnice owns its
// receive buffer) into a buffer whose struct and data are one allocation. Measured here
// (bench/ice-bench, 1200 bytes): recycling through a GstBufferPool cost 0.8 us more per packet
// than this, its acquire/release taking a GstPoll mutex and resizing on reset. Queued either
// way: the streaming thread, or in shared mode the end of the read burst, pushes a batch.
void GstRtcIceSrcPrivate::on_packet(const guint8 *data, gsize size) noexcept {
  GstBuffer *buf = gst_buffer_new_allocate(nullptr, size, nullptr);
  gst_buffer_fill(buf, 0, data, size);
  {
    std::lock_guard lk(qlock);
    if (!flushing && count < ring.size()) {
      ring[(head + count) % ring.size()] = Slot{buf, gst_util_get_timestamp(), 0};
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
  // Delivered by the ICE thread while the streaming thread may be blocked on its own context.
  if (!shared && std::this_thread::get_id() != reader.load(std::memory_order_relaxed))
    g_main_context_wakeup(ctx);
}

// ICE thread. Shared mode pushes what the burst queued (own-thread mode pops it itself).
void GstRtcIceSrcPrivate::on_burst_end() noexcept {
  if (shared)
    drain_shared(this);
}

static bool gst_rtc_ice_src_start(GstRtcIceSrc *self) {
  auto *priv = self->priv;
  auto t = priv->binding.resolve_or_error(GST_ELEMENT(self));
  if (!t)
    return false;
  {
    std::lock_guard lk(priv->qlock);
    priv->ring.assign(priv->max_queue, {});
    priv->head = priv->count = 0;
    priv->flushing = false;
    priv->playing = false;
  }
  priv->shared = priv->shared_thread;
  priv->need_stream_start = true;
  priv->flow_error_posted = false;
  priv->agent = &gstrtc::ice_transport_agent(t.get());
  if (!priv->agent->attach_receiver(priv)) {
    priv->agent = nullptr;
    GST_ELEMENT_ERROR(self, RESOURCE, BUSY, ("ICE transport already has a reader"),
                      ("another rtcicesrc reads transport %s", GST_OBJECT_NAME(t.get())));
    return false;
  }
  priv->active = std::move(t);
  return true;
}

// Stops delivery: after this no on_packet runs and no task is running.
static void gst_rtc_ice_src_stop(GstRtcIceSrc *self) {
  auto *priv = self->priv;
  {
    std::lock_guard lk(priv->qlock);
    priv->flushing = true;
    priv->playing = false;
  }
  if (priv->agent)
    priv->agent->detach_receiver(priv); // returns after a running on_packet ends
  g_main_context_wakeup(priv->ctx);
  gst_pad_stop_task(priv->srcpad);
  if (priv->agent)
    give_back_reading(priv);
  priv->agent = nullptr;
  priv->clock.reset(); // no push runs any more
  {
    std::lock_guard lk(priv->qlock);
    for (; priv->count; priv->count--, priv->head = (priv->head + 1) % priv->ring.size())
      gst_buffer_unref(priv->ring[priv->head].buf);
  }
  priv->active.reset();
}

// Never waits for the streaming thread (it may be blocked downstream, in a sink's preroll).
static void set_playing(GstRtcIceSrc *self, bool playing) {
  auto *priv = self->priv;
  bool drain = false;
  {
    std::lock_guard lk(priv->qlock);
    priv->playing = playing;
    if (playing)
      priv->epoch++;
    if (playing && priv->shared)
      drain = true;
    else if (playing)
      gst_pad_start_task(priv->srcpad, own_thread_loop, priv, nullptr);
  }
  if (drain)
    drain_shared(priv);
  else if (!playing)
    g_main_context_wakeup(priv->ctx); // the task sees it and pauses itself
}

static GstStateChangeReturn gst_rtc_ice_src_change_state(GstElement *element,
                                                         GstStateChange transition) {
  auto *self = GST_RTC_ICE_SRC(element);
  switch (transition) {
  case GST_STATE_CHANGE_READY_TO_PAUSED:
    if (!gst_rtc_ice_src_start(self))
      return GST_STATE_CHANGE_FAILURE;
    break;
  case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
    set_playing(self, false);
    break;
  case GST_STATE_CHANGE_PAUSED_TO_READY:
    gst_rtc_ice_src_stop(self);
    break;
  default:
    break;
  }
  GstStateChangeReturn ret =
      GST_ELEMENT_CLASS(gst_rtc_ice_src_parent_class)->change_state(element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
      gst_rtc_ice_src_stop(self);
    return ret;
  }
  switch (transition) {
  case GST_STATE_CHANGE_READY_TO_PAUSED:
  case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
    return GST_STATE_CHANGE_NO_PREROLL; // live
  case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
    set_playing(self, true);
    break;
  default:
    break;
  }
  return ret;
}

static gboolean gst_rtc_ice_src_query(GstPad *pad, GstObject *parent, GstQuery *query) {
  if (GST_QUERY_TYPE(query) == GST_QUERY_LATENCY) {
    // Live, no latency of its own, and no limit to what downstream may add.
    gst_query_set_latency(query, TRUE, 0, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return gst_pad_query_default(pad, parent, query);
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
  case PROP_SHARED_THREAD: {
    GST_OBJECT_LOCK(self);
    self->priv->shared_thread = g_value_get_boolean(value);
    GST_OBJECT_UNLOCK(self);
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
  case PROP_SHARED_THREAD: {
    GST_OBJECT_LOCK(self);
    g_value_set_boolean(value, priv->shared_thread);
    GST_OBJECT_UNLOCK(self);
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
  auto *priv = self->priv = new GstRtcIceSrcPrivate();
  priv->element = GST_ELEMENT(self);
  priv->ctx = g_main_context_new();
  priv->srcpad = gst_pad_new_from_static_template(&src_template, "src");
  gst_pad_set_query_function(priv->srcpad, gst_rtc_ice_src_query);
  gst_pad_use_fixed_caps(priv->srcpad);
  gst_element_add_pad(GST_ELEMENT(self), priv->srcpad);
  GST_OBJECT_FLAG_SET(self, GST_ELEMENT_FLAG_SOURCE);
}

static void gst_rtc_ice_src_finalize(GObject *object) {
  g_main_context_unref(GST_RTC_ICE_SRC(object)->priv->ctx);
  delete GST_RTC_ICE_SRC(object)->priv;
  G_OBJECT_CLASS(gst_rtc_ice_src_parent_class)->finalize(object);
}

static void gst_rtc_ice_src_class_init(GstRtcIceSrcClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);

  gobject_class->set_property = gst_rtc_ice_src_set_property;
  gobject_class->get_property = gst_rtc_ice_src_get_property;
  gobject_class->finalize = gst_rtc_ice_src_finalize;
  gstrtc::TransportBinding<GstRtcICETransport>::install_properties(gobject_class);
  g_object_class_install_property(
      gobject_class, PROP_MAX_QUEUE,
      g_param_spec_uint(
          "max-queue", "Max queue",
          "Datagrams held while the element is not pushing (or, with its own thread, between "
          "reception and that thread)",
          1, 1 << 20, kDefaultMaxQueue,
          (GParamFlags)(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)));
  g_object_class_install_property(
      gobject_class, PROP_STATS,
      g_param_spec_boxed("stats", "Stats", "packets-pushed, packets-dropped-queue-full, queued",
                         gst_structure_get_type(),
                         (GParamFlags)(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)));
  g_object_class_install_property(
      gobject_class, PROP_SHARED_THREAD,
      g_param_spec_boolean(
          "shared-thread", "Shared thread",
          "Push from the thread shared by every ICE transport of the process instead of a "
          "streaming thread of this element's own (only for a downstream that never blocks)",
          FALSE,
          (GParamFlags)(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY)));

  element_class->change_state = gst_rtc_ice_src_change_state;
  gst_element_class_add_static_pad_template(element_class, &src_template);
  gst_element_class_set_static_metadata(element_class, "ICE transport source", "Source/Network",
                                        "Receives datagrams from an ICE transport (libnice)",
                                        "gst-rtc developers");
}
