// rtcbin's data pads (see datapads.hpp).
#include "datapads.hpp"

#include "rtcsctp-private.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <set>

GST_DEBUG_CATEGORY_EXTERN(gst_rtc_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_bin_debug

using namespace gstrtc;
using namespace gstrtc::rtcbin;

namespace {

// What the sink pad's streaming thread and the channel's signals share.
struct SinkState {
  std::mutex lock; // guards everything below
  std::condition_variable cv;
  // Channel options (properties), read when the channel is made.
  std::string label, protocol;
  gboolean ordered = TRUE, negotiated = FALSE;
  gint max_retransmits = -1, max_packet_lifetime = -1, id = -1;
  GstRtcPriorityType priority = GST_RTC_PRIORITY_TYPE_LOW;
  guint64 max_buffered = 1 << 20; // wait for room above this
  Ref<GstRtcDataChannel> dc;
  std::vector<SignalGuard> handlers; // on dc
  bool flushing = false;             // flushing, deactivated or the bin stopping
  bool text = false;                 // caps text/*: string messages
  bool open = false, closed = false; // dc's state, from its signals
};

void wake(std::shared_ptr<SinkState> &st, bool open, bool closed) {
  std::lock_guard lk(st->lock);
  st->open = st->open || open;
  st->closed = st->closed || closed;
  st->cv.notify_all();
}

} // namespace

struct _GstRtcBinDataSinkPad {
  GstPad parent;
  std::shared_ptr<SinkState> *st; // owned
  CreateChannel *create;          // owned
};

G_DEFINE_TYPE(GstRtcBinDataSinkPad, gst_rtc_bin_data_sink_pad, GST_TYPE_PAD)

// --- the message kind meta

void gstrtc::rtcbin::register_message_meta() {
  static const GstMetaInfo *info = [] {
    static const gchar *tags[] = {nullptr};
    // No transform function: GStreamer copies the structure when a buffer is copied.
    return gst_meta_register_custom(kMessageMeta, tags, nullptr, nullptr, nullptr);
  }();
  (void)info;
}

namespace {

void tag_message(GstBuffer *buf, bool binary) {
  GstCustomMeta *m = gst_buffer_add_custom_meta(buf, kMessageMeta);
  gst_structure_set(gst_custom_meta_get_structure(m), "binary", G_TYPE_BOOLEAN, binary, nullptr);
}

// The kind a buffer's meta says: 1 binary, 0 string, -1 no meta.
int message_kind(GstBuffer *buf) {
  GstCustomMeta *m = gst_buffer_get_custom_meta(buf, kMessageMeta);
  gboolean binary;
  if (!m || !gst_structure_get_boolean(gst_custom_meta_get_structure(m), "binary", &binary))
    return -1;
  return binary ? 1 : 0;
}

} // namespace

// --- sink pads: sending

namespace {

GUnique<GstStructure> options_of(const SinkState &s) {
  GstStructure *o = gst_structure_new("options", "ordered", G_TYPE_BOOLEAN, s.ordered,
                                      "protocol", G_TYPE_STRING, s.protocol.c_str(),
                                      "negotiated", G_TYPE_BOOLEAN, s.negotiated, "priority",
                                      GST_TYPE_RTC_PRIORITY_TYPE, s.priority, nullptr);
  if (s.max_retransmits >= 0)
    gst_structure_set(o, "max-retransmits", G_TYPE_INT, s.max_retransmits, nullptr);
  if (s.max_packet_lifetime >= 0)
    gst_structure_set(o, "max-packet-lifetime", G_TYPE_INT, s.max_packet_lifetime, nullptr);
  if (s.id >= 0)
    gst_structure_set(o, "id", G_TYPE_INT, s.id, nullptr);
  return GUnique<GstStructure>(o);
}

using StPtr = std::shared_ptr<SinkState>;

void on_open(GstRtcDataChannel *, StPtr *s) {
  wake(*s, true, false);
}
void on_close(GstRtcDataChannel *, StPtr *s) {
  wake(*s, false, true);
}
void on_low(GstRtcDataChannel *, StPtr *s) {
  wake(*s, false, false);
}

// Each handler holds st while it can run (freed with its closure).
void connect_channel(const StPtr &st, GstRtcDataChannel *dc) {
  for (auto [signal, cb] : {std::pair{"on-open", G_CALLBACK(on_open)},
                            std::pair{"on-close", G_CALLBACK(on_close)},
                            std::pair{"on-buffered-amount-low", G_CALLBACK(on_low)}}) {
    gulong id = g_signal_connect_data(
        dc, signal, cb, new StPtr(st),
        [](gpointer p, GClosure *) { delete static_cast<StPtr *>(p); }, GConnectFlags(0));
    st->handlers.emplace_back(dc, id);
  }
}

// The pad's channel, made from its properties on first use. Null when flushing, or when it
// cannot be made (the error is posted).
Ref<GstRtcDataChannel> ensure_channel(GstRtcBinDataSinkPad *p, GstElement *bin) {
  StPtr st = *p->st;
  GUnique<GstStructure> opts;
  std::string label;
  {
    std::lock_guard lk(st->lock);
    if (st->dc || st->flushing)
      return st->dc;
    opts = options_of(*st);
    label = st->label;
  }
  GErrorOut err;
  Ref<GstRtcDataChannel> dc = adopt((*p->create)(label.c_str(), opts.get(), err.out()));
  if (!dc) {
    GST_ELEMENT_ERROR(bin, RESOURCE, SETTINGS, ("Cannot open data channel '%s'", label.c_str()),
                      ("%s: %s", GST_PAD_NAME(p), err.message()));
    return {};
  }
  GstRtcDataChannelState state;
  std::lock_guard lk(st->lock);
  st->dc = dc;
  st->open = st->closed = false;
  connect_channel(st, dc.get());
  g_object_set(dc.get(), "buffered-amount-low-threshold", st->max_buffered / 2, nullptr);
  g_object_get(dc.get(), "ready-state", &state, nullptr); // it may have opened already
  st->open = state == GST_RTC_DATA_CHANNEL_STATE_OPEN;
  st->closed = state >= GST_RTC_DATA_CHANNEL_STATE_CLOSING;
  GST_DEBUG_OBJECT(p, "data channel '%s' made", label.c_str());
  return dc;
}

guint64 buffered_amount(GstRtcDataChannel *dc) {
  guint64 n = 0;
  g_object_get(dc, "buffered-amount", &n, nullptr);
  return n;
}

// W3C §6.2 send(): only on an open channel; we wait for it to open, and for the queue to fall
// under max-buffered (so a file source is paced by the association, never dropped).
GstFlowReturn send_buffer(GstRtcBinDataSinkPad *p, GstElement *bin, GstBuffer *buf) {
  Ref<GstRtcDataChannel> dc = ensure_channel(p, bin);
  StPtr st = *p->st;
  std::unique_lock lk(st->lock);
  if (!dc)
    return st->flushing ? GST_FLOW_FLUSHING : GST_FLOW_ERROR;
  auto ready = [&] {
    return st->flushing || st->dc.get() != dc.get() || st->closed ||
           (st->open && buffered_amount(dc.get()) < st->max_buffered);
  };
  while (!ready())
    st->cv.wait_for(lk, std::chrono::milliseconds(100)); // events wake it; the timeout is a net
  if (st->flushing || st->dc.get() != dc.get())
    return GST_FLOW_FLUSHING;
  if (st->closed) {
    GST_ELEMENT_ERROR(bin, RESOURCE, WRITE, ("Data channel '%s' is closed", st->label.c_str()),
                      ("%s: the channel closed with data still to send", GST_PAD_NAME(p)));
    return GST_FLOW_ERROR;
  }
  bool binary = !st->text;
  lk.unlock();
  if (int kind = message_kind(buf); kind >= 0)
    binary = kind == 1;
  GST_LOG_OBJECT(p, "sending %" G_GSIZE_FORMAT " bytes", gst_buffer_get_size(buf));
  BufferMap map(buf, GST_MAP_READ);
  if (!map) {
    GST_ELEMENT_ERROR(bin, RESOURCE, WRITE, ("Cannot read a buffer"), ("%s", GST_PAD_NAME(p)));
    return GST_FLOW_ERROR;
  }
  auto sent = data_channel_send(dc.get(), {map.data(), map.size()}, binary);
  if (!sent) {
    gchar *label = nullptr;
    g_object_get(dc.get(), "label", &label, nullptr);
    GST_ELEMENT_ERROR(bin, RESOURCE, WRITE,
                      ("Cannot send on data channel '%s': %s", label,
                       sent.error().message.c_str()),
                      ("%s: a buffer of %" G_GSIZE_FORMAT " bytes", GST_PAD_NAME(p), map.size()));
    g_free(label);
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

GstFlowReturn sink_chain(GstPad *pad, GstObject *parent, GstBuffer *buf) {
  GstFlowReturn ret = send_buffer(GST_RTC_BIN_DATA_SINK_PAD(pad), GST_ELEMENT(parent), buf);
  gst_buffer_unref(buf);
  return ret;
}

void set_flushing(const StPtr &st, bool flushing) {
  std::lock_guard lk(st->lock);
  st->flushing = flushing;
  st->cv.notify_all();
}

gboolean sink_event(GstPad *pad, GstObject *parent, GstEvent *event) {
  auto *p = GST_RTC_BIN_DATA_SINK_PAD(pad);
  StPtr st = *p->st;
  switch (GST_EVENT_TYPE(event)) {
  case GST_EVENT_STREAM_START: // open the channel now rather than with the first buffer
    ensure_channel(p, GST_ELEMENT(parent));
    break;
  case GST_EVENT_CAPS: {
    GstCaps *caps;
    gst_event_parse_caps(event, &caps);
    const char *name = gst_structure_get_name(gst_caps_get_structure(caps, 0));
    std::lock_guard lk(st->lock);
    st->text = g_str_has_prefix(name, "text/");
    break;
  }
  case GST_EVENT_FLUSH_START:
    set_flushing(st, true);
    break;
  case GST_EVENT_FLUSH_STOP:
    set_flushing(st, false);
    break;
  case GST_EVENT_EOS: { // RFC 8831 §6.7: closed once what is queued has gone
    GST_DEBUG_OBJECT(pad, "EOS: closing the channel");
    Ref<GstRtcDataChannel> dc;
    {
      std::lock_guard lk(st->lock);
      dc = st->dc;
    }
    if (dc)
      gst_rtc_data_channel_close(dc.get());
    break;
  }
  default:
    break;
  }
  gst_event_unref(event);
  return TRUE;
}

gboolean sink_activate_mode(GstPad *pad, GstObject *, GstPadMode, gboolean active) {
  set_flushing(*GST_RTC_BIN_DATA_SINK_PAD(pad)->st, !active);
  return TRUE;
}

} // namespace

enum {
  SINK_PROP_0,
  SINK_PROP_LABEL,
  SINK_PROP_ORDERED,
  SINK_PROP_MAX_RETRANSMITS,
  SINK_PROP_MAX_PACKET_LIFETIME,
  SINK_PROP_PROTOCOL,
  SINK_PROP_NEGOTIATED,
  SINK_PROP_ID,
  SINK_PROP_PRIORITY,
  SINK_PROP_MAX_BUFFERED,
  SINK_PROP_CHANNEL,
};

static void sink_set_property(GObject *object, guint id, const GValue *v, GParamSpec *pspec) {
  SinkState &s = **GST_RTC_BIN_DATA_SINK_PAD(object)->st;
  std::lock_guard lk(s.lock);
  switch (id) {
  case SINK_PROP_LABEL:
    s.label = g_value_get_string(v) ? g_value_get_string(v) : "";
    break;
  case SINK_PROP_ORDERED:
    s.ordered = g_value_get_boolean(v);
    break;
  case SINK_PROP_MAX_RETRANSMITS:
    s.max_retransmits = g_value_get_int(v);
    break;
  case SINK_PROP_MAX_PACKET_LIFETIME:
    s.max_packet_lifetime = g_value_get_int(v);
    break;
  case SINK_PROP_PROTOCOL:
    s.protocol = g_value_get_string(v) ? g_value_get_string(v) : "";
    break;
  case SINK_PROP_NEGOTIATED:
    s.negotiated = g_value_get_boolean(v);
    break;
  case SINK_PROP_ID:
    s.id = g_value_get_int(v);
    break;
  case SINK_PROP_PRIORITY:
    s.priority = GstRtcPriorityType(g_value_get_enum(v));
    break;
  case SINK_PROP_MAX_BUFFERED:
    s.max_buffered = g_value_get_uint64(v);
    if (s.dc)
      g_object_set(s.dc.get(), "buffered-amount-low-threshold", s.max_buffered / 2, nullptr);
    s.cv.notify_all();
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
}

static void sink_get_property(GObject *object, guint id, GValue *v, GParamSpec *pspec) {
  SinkState &s = **GST_RTC_BIN_DATA_SINK_PAD(object)->st;
  std::lock_guard lk(s.lock);
  switch (id) {
  case SINK_PROP_LABEL:
    g_value_set_string(v, s.label.c_str());
    break;
  case SINK_PROP_ORDERED:
    g_value_set_boolean(v, s.ordered);
    break;
  case SINK_PROP_MAX_RETRANSMITS:
    g_value_set_int(v, s.max_retransmits);
    break;
  case SINK_PROP_MAX_PACKET_LIFETIME:
    g_value_set_int(v, s.max_packet_lifetime);
    break;
  case SINK_PROP_PROTOCOL:
    g_value_set_string(v, s.protocol.c_str());
    break;
  case SINK_PROP_NEGOTIATED:
    g_value_set_boolean(v, s.negotiated);
    break;
  case SINK_PROP_ID:
    g_value_set_int(v, s.id);
    break;
  case SINK_PROP_PRIORITY:
    g_value_set_enum(v, s.priority);
    break;
  case SINK_PROP_MAX_BUFFERED:
    g_value_set_uint64(v, s.max_buffered);
    break;
  case SINK_PROP_CHANNEL:
    g_value_set_object(v, s.dc.get());
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
  }
}

static void gst_rtc_bin_data_sink_pad_init(GstRtcBinDataSinkPad *p) {
  p->st = new StPtr(std::make_shared<SinkState>());
  p->create = new CreateChannel();
}

static void sink_constructed(GObject *object) { // the direction is known from here on
  G_OBJECT_CLASS(gst_rtc_bin_data_sink_pad_parent_class)->constructed(object);
  gst_pad_set_chain_function(GST_PAD(object), sink_chain);
  gst_pad_set_event_function(GST_PAD(object), sink_event);
  gst_pad_set_activatemode_function(GST_PAD(object), sink_activate_mode);
}

static void sink_finalize(GObject *object) {
  auto *p = GST_RTC_BIN_DATA_SINK_PAD(object);
  {
    std::lock_guard lk((*p->st)->lock);
    (*p->st)->handlers.clear();
    (*p->st)->dc.reset();
  }
  delete p->st;
  delete p->create;
  G_OBJECT_CLASS(gst_rtc_bin_data_sink_pad_parent_class)->finalize(object);
}

static void gst_rtc_bin_data_sink_pad_class_init(GstRtcBinDataSinkPadClass *klass) {
  auto *oc = G_OBJECT_CLASS(klass);
  oc->set_property = sink_set_property;
  oc->get_property = sink_get_property;
  oc->finalize = sink_finalize;
  oc->constructed = sink_constructed;
  auto rw = GParamFlags(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property(
      oc, SINK_PROP_LABEL,
      g_param_spec_string("label", "Label", "The channel's label (default: the pad name after "
                          "data_sink_)", "", rw));
  g_object_class_install_property(
      oc, SINK_PROP_ORDERED,
      g_param_spec_boolean("ordered", "Ordered", "Messages delivered in order", TRUE, rw));
  g_object_class_install_property(
      oc, SINK_PROP_MAX_RETRANSMITS,
      g_param_spec_int("max-retransmits", "Max retransmits",
                       "Partial reliability: retransmissions at most (-1: reliable)", -1, 65535,
                       -1, rw));
  g_object_class_install_property(
      oc, SINK_PROP_MAX_PACKET_LIFETIME,
      g_param_spec_int("max-packet-lifetime", "Max packet lifetime",
                       "Partial reliability: milliseconds at most (-1: reliable)", -1, 65535, -1,
                       rw));
  g_object_class_install_property(
      oc, SINK_PROP_PROTOCOL,
      g_param_spec_string("protocol", "Protocol", "Subprotocol name", "", rw));
  g_object_class_install_property(
      oc, SINK_PROP_NEGOTIATED,
      g_param_spec_boolean("negotiated", "Negotiated",
                           "Pre-negotiated by the application (with id): no DCEP open", FALSE,
                           rw));
  g_object_class_install_property(
      oc, SINK_PROP_ID,
      g_param_spec_int("id", "ID", "Stream id of a negotiated channel (-1: none)", -1, 65534, -1,
                       rw));
  g_object_class_install_property(
      oc, SINK_PROP_PRIORITY,
      g_param_spec_enum("priority", "Priority", "The channel's priority",
                        GST_TYPE_RTC_PRIORITY_TYPE, GST_RTC_PRIORITY_TYPE_LOW, rw));
  g_object_class_install_property(
      oc, SINK_PROP_MAX_BUFFERED,
      g_param_spec_uint64("max-buffered", "Max buffered",
                          "Bytes queued on the channel above which the pad waits", 1,
                          G_MAXUINT64, 1 << 20, rw));
  g_object_class_install_property(
      oc, SINK_PROP_CHANNEL,
      g_param_spec_object("channel", "Channel", "The data channel (null until data comes)",
                          GST_TYPE_RTC_DATA_CHANNEL,
                          GParamFlags(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)));
}

// --- src pads: receiving

namespace gstrtc::rtcbin {

// One data_src pad and the channels bound to it. Messages are queued by the transport's
// delivering thread and pushed by the pad's own task: one branch prerolling or slow does not
// hold the others' first buffers (a sink waiting in preroll would otherwise stall every
// channel of the association, and the pipeline with it).
struct SrcBinding {
  std::mutex lock; // guards everything below down to the task's fields
  std::condition_variable cv;
  GstPad *pad = nullptr; // the pad owns this; null once released
  std::string label;
  std::vector<Ref<GstRtcDataChannel>> bound;
  std::vector<SignalGuard> handlers;
  std::set<GstRtcDataChannel *> open; // bound and not closed yet
  std::deque<GstBuffer *> queue;      // owned; null: EOS
  size_t queued = 0;                  // bytes in queue
  bool flushing = true;               // the pad is not active
  // The task's own.
  bool started = false; // stream-start, caps and segment pushed since the last EOS
  unsigned streams = 0;
};

} // namespace gstrtc::rtcbin

struct _GstRtcBinDataSrcPad {
  GstPad parent;
  std::shared_ptr<SrcBinding> *binding; // owned; set once
};

G_DEFINE_TYPE(GstRtcBinDataSrcPad, gst_rtc_bin_data_src_pad, GST_TYPE_PAD)

namespace {

using SrcPtr = std::shared_ptr<SrcBinding>;
constexpr size_t kMaxQueued = 8 << 20; // then the delivering thread waits: SCTP flow control

void clear_queue(SrcBinding &b) {
  for (GstBuffer *buf : b.queue)
    if (buf)
      gst_buffer_unref(buf);
  b.queue.clear();
  b.queued = 0;
  b.cv.notify_all();
}

// stream-start, caps and segment before the first buffer (again after an EOS).
bool start_stream(SrcBinding &b, GstPad *pad) {
  GstElement *bin = gst_pad_get_parent_element(pad);
  if (!bin)
    return false; // released meanwhile
  gchar *sid =
      gst_pad_create_stream_id_printf(pad, bin, "%s/%u", b.label.c_str(), b.streams++);
  gst_object_unref(bin);
  bool ok = gst_pad_push_event(pad, gst_event_new_stream_start(sid));
  g_free(sid);
  GstCaps *caps = gst_caps_new_simple("application/x-rtc-data", "label", G_TYPE_STRING,
                                      b.label.c_str(), nullptr);
  ok = ok && gst_pad_push_event(pad, gst_event_new_caps(caps));
  gst_caps_unref(caps);
  GstSegment seg;
  gst_segment_init(&seg, GST_FORMAT_TIME);
  return ok && gst_pad_push_event(pad, gst_event_new_segment(&seg));
}

void src_loop(gpointer data) {
  auto *pad = GST_PAD(data);
  SrcBinding &b = **GST_RTC_BIN_DATA_SRC_PAD(pad)->binding;
  GstBuffer *buf;
  {
    std::unique_lock lk(b.lock);
    b.cv.wait(lk, [&] { return b.flushing || !b.queue.empty(); });
    if (b.flushing) {
      gst_pad_pause_task(pad);
      return;
    }
    buf = b.queue.front();
    b.queue.pop_front();
    b.queued -= buf ? gst_buffer_get_size(buf) : 0;
    b.cv.notify_all();
  }
  if (!buf) {
    if (std::exchange(b.started, false))
      gst_pad_push_event(pad, gst_event_new_eos());
    return;
  }
  if (!b.started)
    b.started = start_stream(b, pad);
  if (!b.started) {
    gst_buffer_unref(buf);
    return;
  }
  GstFlowReturn r = gst_pad_push(pad, buf);
  if (r != GST_FLOW_OK) // the message still went to the channel's signals
    GST_DEBUG_OBJECT(pad, "message not taken downstream: %s", gst_flow_get_name(r));
}

gboolean src_activate_mode(GstPad *pad, GstObject *, GstPadMode, gboolean active) {
  SrcBinding &b = **GST_RTC_BIN_DATA_SRC_PAD(pad)->binding;
  {
    std::lock_guard lk(b.lock);
    b.flushing = !active;
    if (!active)
      clear_queue(b);
  }
  if (active)
    return gst_pad_start_task(pad, src_loop, pad, nullptr);
  gboolean ok = gst_pad_stop_task(pad);
  b.started = false; // the task has stopped
  return ok;
}

GstBuffer *buffer_of(bool binary, std::vector<uint8_t> &&data) {
  GstBuffer *buf;
  if (data.empty()) {
    buf = gst_buffer_new();
  } else {
    auto *v = new std::vector<uint8_t>(std::move(data));
    buf = gst_buffer_new_wrapped_full(
        GST_MEMORY_FLAG_READONLY, v->data(), v->size(), 0, v->size(), v,
        [](gpointer p) { delete static_cast<std::vector<uint8_t> *>(p); });
  }
  tag_message(buf, binary);
  return buf;
}

// From the transport's delivering thread (no lock of the transport held): queued for the pad's
// task; dropped while the pad is not running (the signals still have the message).
void queue_message(const SrcPtr &b, bool binary, std::vector<uint8_t> &&data) {
  std::unique_lock lk(b->lock);
  b->cv.wait(lk, [&] { return b->flushing || !b->pad || b->queued < kMaxQueued; });
  if (b->flushing || !b->pad)
    return;
  b->queued += data.size();
  b->queue.push_back(buffer_of(binary, std::move(data)));
  b->cv.notify_all();
}

void on_bound_close(GstRtcDataChannel *dc, SrcPtr *bp) {
  SrcBinding &b = **bp;
  std::lock_guard lk(b.lock);
  GST_DEBUG_OBJECT(b.pad, "a channel of '%s' closed", b.label.c_str());
  b.open.erase(dc);
  if (b.pad && !b.flushing && b.open.empty()) {
    b.queue.push_back(nullptr); // EOS once the last bound channel has closed
    b.cv.notify_all();
  }
}

void bind_channel(const SrcPtr &b, GstRtcDataChannel *dc) {
  std::lock_guard lk(b->lock);
  if (!b->pad)
    return;
  b->bound.emplace_back(dc);
  b->open.insert(dc);
  data_channel_set_hook(dc, std::make_shared<DataChannelHook>(
                                [b](bool binary, std::vector<uint8_t> &&data) {
                                  queue_message(b, binary, std::move(data));
                                }));
  gulong id = g_signal_connect_data(
      dc, "on-close", G_CALLBACK(on_bound_close), new SrcPtr(b),
      [](gpointer p, GClosure *) { delete static_cast<SrcPtr *>(p); }, GConnectFlags(0));
  b->handlers.emplace_back(dc, id);
}

void unbind_all(SrcBinding &b) {
  b.handlers.clear();
  for (auto &dc : b.bound)
    data_channel_set_hook(dc.get(), nullptr);
  b.bound.clear();
  b.open.clear();
}

void detach(SrcBinding &b) { // with b.lock held: the pad has gone
  unbind_all(b);
  b.pad = nullptr;
  b.flushing = true;
  clear_queue(b);
}

std::string label_of(GstRtcDataChannel *dc) {
  gchar *l = nullptr;
  g_object_get(dc, "label", &l, nullptr);
  std::string s = l ? l : "";
  g_free(l);
  return s;
}

bool is_closed(GstRtcDataChannel *dc) {
  GstRtcDataChannelState s;
  g_object_get(dc, "ready-state", &s, nullptr);
  return s == GST_RTC_DATA_CHANNEL_STATE_CLOSED;
}

} // namespace

enum { SRC_PROP_0, SRC_PROP_LABEL };

static void src_get_property(GObject *object, guint id, GValue *v, GParamSpec *pspec) {
  if (id == SRC_PROP_LABEL)
    g_value_set_string(v, (*GST_RTC_BIN_DATA_SRC_PAD(object)->binding)->label.c_str());
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
}

static void gst_rtc_bin_data_src_pad_init(GstRtcBinDataSrcPad *p) {
  p->binding = new SrcPtr(std::make_shared<SrcBinding>());
}

static void src_constructed(GObject *object) {
  G_OBJECT_CLASS(gst_rtc_bin_data_src_pad_parent_class)->constructed(object);
  gst_pad_set_activatemode_function(GST_PAD(object), src_activate_mode);
}

static void src_finalize(GObject *object) {
  auto *p = GST_RTC_BIN_DATA_SRC_PAD(object);
  {
    std::lock_guard lk((*p->binding)->lock);
    detach(**p->binding);
  }
  delete p->binding;
  G_OBJECT_CLASS(gst_rtc_bin_data_src_pad_parent_class)->finalize(object);
}

static void gst_rtc_bin_data_src_pad_class_init(GstRtcBinDataSrcPadClass *klass) {
  auto *oc = G_OBJECT_CLASS(klass);
  oc->get_property = src_get_property;
  oc->constructed = src_constructed;
  oc->finalize = src_finalize;
  g_object_class_install_property(
      oc, SRC_PROP_LABEL,
      g_param_spec_string("label", "Label", "The label of the channels this pad gives", "",
                          GParamFlags(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)));
}

// --- DataPads

DataPads::~DataPads() {
  for (auto &[label, b] : srcs_) {
    std::lock_guard lk(b->lock);
    detach(*b);
  }
}

GstPad *DataPads::new_sink_pad(const char *name, GstPadTemplate *templ) {
  if (!name || !g_str_has_prefix(name, kDataSinkPrefix) || !name[strlen(kDataSinkPrefix)])
    return nullptr;
  auto *p = GST_RTC_BIN_DATA_SINK_PAD(g_object_new(GST_TYPE_RTC_BIN_DATA_SINK_PAD, "name", name,
                                                   "direction", GST_PAD_SINK, "template", templ,
                                                   "label", name + strlen(kDataSinkPrefix),
                                                   nullptr));
  *p->create = create_;
  std::lock_guard lk(lock_);
  sinks_.push_back(p);
  return GST_PAD(p);
}

GstPad *DataPads::new_src_pad(const char *name, GstPadTemplate *templ) {
  if (!name || !g_str_has_prefix(name, kDataSrcPrefix) || !name[strlen(kDataSrcPrefix)])
    return nullptr;
  std::string label = name + strlen(kDataSrcPrefix);
  auto *p = GST_RTC_BIN_DATA_SRC_PAD(g_object_new(GST_TYPE_RTC_BIN_DATA_SRC_PAD, "name", name,
                                                  "direction", GST_PAD_SRC, "template", templ,
                                                  nullptr));
  SrcPtr b = *p->binding;
  b->pad = GST_PAD(p);
  b->label = label;
  std::lock_guard lk(lock_);
  srcs_[label] = b;
  for (auto &dc : opened_)
    if (label_of(dc.get()) == label && !is_closed(dc.get()))
      bind_channel(b, dc.get());
  return GST_PAD(p);
}

void DataPads::release(GstPad *pad) {
  std::lock_guard lk(lock_);
  if (GST_IS_RTC_BIN_DATA_SINK_PAD(pad)) {
    auto *p = GST_RTC_BIN_DATA_SINK_PAD(pad);
    sinks_.erase(std::remove(sinks_.begin(), sinks_.end(), p), sinks_.end());
    Ref<GstRtcDataChannel> dc;
    {
      std::lock_guard plk((*p->st)->lock);
      (*p->st)->handlers.clear();
      dc = std::move((*p->st)->dc);
      (*p->st)->flushing = true;
      (*p->st)->cv.notify_all();
    }
    if (dc)
      gst_rtc_data_channel_close(dc.get()); // the pad's stream has gone: so has its channel
    return;
  }
  if (!GST_IS_RTC_BIN_DATA_SRC_PAD(pad))
    return;
  SrcPtr b = *GST_RTC_BIN_DATA_SRC_PAD(pad)->binding;
  std::lock_guard blk(b->lock);
  detach(*b);
  srcs_.erase(b->label);
}

void DataPads::channel_opened(GstRtcDataChannel *dc) {
  std::lock_guard lk(lock_);
  std::erase_if(opened_, [](const Ref<GstRtcDataChannel> &c) { return is_closed(c.get()); });
  opened_.emplace_back(dc);
  auto it = srcs_.find(label_of(dc));
  if (it != srcs_.end())
    bind_channel(it->second, dc);
}

void DataPads::stop() {
  std::lock_guard lk(lock_);
  for (auto *p : sinks_) {
    std::lock_guard plk((*p->st)->lock);
    (*p->st)->handlers.clear();
    (*p->st)->dc.reset();
    (*p->st)->flushing = true;
    (*p->st)->cv.notify_all();
  }
  for (auto &[label, b] : srcs_) {
    std::lock_guard blk(b->lock);
    unbind_all(*b);
  }
  opened_.clear();
}
