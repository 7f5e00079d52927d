/**
 * SECTION:gstrtcsctptransport
 * @title: GstRtcSCTPTransport
 * @short_description: one SCTP association and its data channels (RTCSctpTransport)
 *
 * Shared by an rtcsctpenc (which sends the association's packets to rtcdtlssrtpenc's
 * "data_sink") and an rtcsctpdec (which feeds it what rtcdtlssrtpdec's "data_src" gives).
 * With a DTLS "transport" set, the association starts when DTLS is connected and the stream
 * ids of the channels follow its role (RFC 8832 §6); "local-port", "remote-port" and
 * "remote-max-message-size" come from SDP (RFC 8841). Channels are made with
 * gst_rtc_sctp_transport_create_data_channel(); the peer's arrive with "on-data-channel".
 *
 * Signals of the transport and of its channels are emitted with no lock held, in the order
 * things happened, from the thread that received the packet (or another thread of ours).
 */
#include "core/workers.hpp"
#include "rtc-gref.hpp"
#include "rtcdtls-private.hpp"
#include "rtcerror-private.hpp"
#include "rtcsctp-private.hpp"
#include "sctp/association.hpp"

#include <gst/rtc/rtc-enumtypes.h>

#include <atomic>
#include <map>
#include <mutex>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_sctp_transport_debug);
#define GST_CAT_DEFAULT gst_rtc_sctp_transport_debug

namespace sctp = gstrtc::sctp;
using gstrtc::Ref;

namespace {

// What we accept (a=max-message-size, RFC 8841 §6): far over the 256 KiB browsers send, and
// a bound on what one stream's reassembly may hold.
constexpr uint64_t kLocalMaxMessageSize = 4 * 1024 * 1024;

// The channel layer's view of the association: none until it starts.
struct Forward : sctp::Transport {
  sctp::Association *a = nullptr;
  sctp::SendResult send(const sctp::SendSpec &spec, std::span<const uint8_t> d) override {
    return a ? a->send(spec, d) : sctp::SendResult::Full;
  }
  void reset_streams(std::span<const uint16_t> sids) override {
    if (a)
      a->reset_streams(sids);
  }
};

gstrtc::WorkerPool &pool() {
  static auto *p = new gstrtc::WorkerPool("rtc-sctp-work");
  return *p;
}

enum Notify : unsigned { N_STATE = 1, N_LIMITS = 2 };

// One event ready to emit, with the channel object it is about (none: the association's).
struct Work {
  Ref<GstRtcDataChannel> dc;
  sctp::Event ev;
};

} // namespace

struct GstRtcSCTPTransportPrivate {
  // Lock order: lock → usrsctp's locks → out_lock. No lock is held while signals are emitted.
  std::mutex lock;
  Forward fwd;
  sctp::ChannelSet chans{fwd, kLocalMaxMessageSize};
  std::unique_ptr<sctp::Association> assoc;
  // The channels not closed yet (a reference each, so their signals reach the application
  // even when it kept none).
  std::map<sctp::ChannelId, GstRtcDataChannel *> objects;
  // Reused from packet to packet (no allocation once they have grown): what the association
  // reported, and the events to deliver, in order.
  std::vector<sctp::Item> items;
  std::vector<sctp::Event> pending;
  unsigned notify = 0;     // Notify bits to deliver
  bool delivering = false; // a thread is delivering `pending`
  // The batch being emitted: touched only by the thread that set `delivering`.
  std::vector<Work> delivery;
  GstRtcSCTPTransportState state = GST_RTC_SCTP_TRANSPORT_STATE_NEW;
  guint local_port = 5000, remote_port = 5000;
  guint64 remote_max = 65536; // RFC 8841 §6.1: absent means 64 KiB
  bool client = false;        // the DTLS role when there is no DTLS transport
  bool have_output = false;
  GstRtcDTLSTransport *dtls = nullptr;
  gulong dtls_handler = 0;
  gstrtc::SctpWarning warn;

  std::mutex out_lock; // leaf: taken inside usrsctp's callbacks
  gstrtc::SctpOutput output;

  std::atomic<bool> scheduled{false}; // a drain is queued on the pool
  std::atomic<bool> alive{true};      // false once finalizing: no more drains
};

struct _GstRtcSCTPTransport {
  GstObject parent;
  GstRtcSCTPTransportPrivate *priv;
};

G_DEFINE_TYPE_WITH_CODE(GstRtcSCTPTransport, gst_rtc_sctp_transport, GST_TYPE_OBJECT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_sctp_transport_debug, "rtcsctptransport", 0,
                                                "gst-rtc SCTP transport"));

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_STATE,
  PROP_MAX_MESSAGE_SIZE,
  PROP_MAX_CHANNELS,
  PROP_LOCAL_PORT,
  PROP_REMOTE_PORT,
  PROP_REMOTE_MAX_MESSAGE_SIZE,
  PROP_LOCAL_MAX_MESSAGE_SIZE,
  PROP_CLIENT,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum { SIGNAL_ON_DATA_CHANNEL, N_SIGNALS };
static guint signals[N_SIGNALS];

using Lock = std::unique_lock<std::mutex>;

static void pump(GstRtcSCTPTransport *self, Lock &lk);
static void maybe_start(GstRtcSCTPTransport *self);

// Runs a drain on the pool (from usrsctp's timer thread, or a DTLS state change): never
// inside their locks.
static void schedule(GstRtcSCTPTransport *self) {
  auto &p = *self->priv;
  if (!p.alive || p.scheduled.exchange(true))
    return;
  gst_object_ref(self);
  pool().submit([self] {
    self->priv->scheduled = false;
    {
      Lock lk(self->priv->lock);
      maybe_start(self);
      pump(self, lk);
    }
    gst_object_unref(self);
  });
}

static bool dtls_connected(GstRtcDTLSTransport *dtls) {
  GstRtcDTLSTransportState st = GST_RTC_DTLS_TRANSPORT_STATE_NEW;
  g_object_get(dtls, "state", &st, nullptr);
  return st == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED;
}

static void set_state(GstRtcSCTPTransportPrivate &p, GstRtcSCTPTransportState st) {
  if (p.state == st)
    return;
  p.state = st;
  p.notify |= N_STATE;
}

// With the lock held: start the association once it has somewhere to send and DTLS is up.
static void maybe_start(GstRtcSCTPTransport *self) {
  auto &p = *self->priv;
  if (p.assoc || !p.have_output || p.state != GST_RTC_SCTP_TRANSPORT_STATE_NEW)
    return;
  bool client = p.client;
  if (p.dtls) {
    if (!dtls_connected(p.dtls))
      return;
    gboolean c = FALSE;
    g_object_get(p.dtls, "client", &c, nullptr);
    client = c;
  }
  p.chans.set_dtls_role(client);
  p.chans.set_remote_max_message_size(p.remote_max);
  sctp::AssociationConfig cfg;
  if (p.dtls) { // RFC 8261 §5: an SCTP packet must fit one DTLS record
    size_t mtu = gstrtc::dtls_transport_core(p.dtls).data_mtu();
    if (mtu > 0 && mtu < cfg.mtu)
      cfg.mtu = mtu;
  }
  cfg.local_port = uint16_t(p.local_port);
  cfg.remote_port = uint16_t(p.remote_port);
  auto *priv = &p;
  auto a = sctp::Association::create(
      cfg,
      [priv](sctp::Association::Packets pkts) {
        std::lock_guard ol(priv->out_lock);
        if (priv->output)
          priv->output(pkts);
      },
      [self] { schedule(self); });
  if (!a) {
    GST_WARNING_OBJECT(self, "%s", a.error().message.c_str());
    p.pending.push_back(sctp::ev::Error{0, "SCTP: " + a.error().message});
    set_state(p, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
    p.chans.on_disconnected(a.error().message);
    return;
  }
  p.assoc = std::move(*a);
  p.fwd.a = p.assoc.get();
  set_state(p, GST_RTC_SCTP_TRANSPORT_STATE_CONNECTING);
  GST_DEBUG_OBJECT(self, "connecting %u -> %u as DTLS %s, MTU %zu", p.local_port, p.remote_port,
                   client ? "client" : "server", cfg.mtu);
  if (auto s = p.assoc->connect(); !s) {
    GST_WARNING_OBJECT(self, "%s", s.error().message.c_str());
    p.pending.push_back(sctp::ev::Error{0, "SCTP: " + s.error().message});
  }
}

// With the lock held: what the association reported goes to the channel layer.
static void feed(GstRtcSCTPTransport *self, sctp::Item &it) {
  auto &p = *self->priv;
  if (auto *d = std::get_if<sctp::item::Data>(&it)) {
    p.chans.on_data(d->sid, d->ppid, std::move(d->bytes), d->eor);
  } else if (auto *u = std::get_if<sctp::item::Up>(&it)) {
    GST_INFO_OBJECT(self, "connected: %u streams out, %u in, I-DATA %s", u->outbound, u->inbound,
                    u->interleaving ? "yes" : "no");
    p.chans.on_connected(u->outbound, u->inbound);
    set_state(p, GST_RTC_SCTP_TRANSPORT_STATE_CONNECTED);
    p.notify |= N_LIMITS;
  } else if (auto *dn = std::get_if<sctp::item::Down>(&it)) {
    GST_INFO_OBJECT(self, "association down: %s", dn->why.empty() ? "closed" : dn->why.c_str());
    if (!dn->why.empty())
      p.pending.push_back(sctp::ev::Error{0, "SCTP association failed: " + dn->why});
    p.chans.on_disconnected(dn->why);
    set_state(p, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
  } else if (auto *r = std::get_if<sctp::item::IncomingReset>(&it)) {
    p.chans.on_incoming_reset(r->sids);
  } else if (std::holds_alternative<sctp::item::Writable>(it)) {
    p.chans.on_writable();
  }
}

// With the lock held, by the delivering thread: `pending` becomes `delivery`, with the objects
// the events are about (new ones for incoming channels).
static void resolve(GstRtcSCTPTransport *self) {
  auto &p = *self->priv;
  for (auto &e : p.pending) {
    Work w{{}, std::move(e)};
    if (auto *in = std::get_if<sctp::ev::Incoming>(&w.ev)) {
      sctp::ChannelOptions o;
      o.params = in->params;
      o.id = in->sid;
      auto *dc = gstrtc::data_channel_new(self, in->ch, o);
      gst_object_ref_sink(dc);
      p.objects[in->ch] = dc;
      w.dc = Ref<GstRtcDataChannel>(dc);
    } else {
      sctp::ChannelId ch = std::visit([](auto &x) { return x.ch; }, w.ev);
      auto o = p.objects.find(ch);
      if (ch != 0 && o == p.objects.end())
        continue; // closed and gone already
      if (ch != 0)
        w.dc = Ref<GstRtcDataChannel>(o->second);
      if (std::holds_alternative<sctp::ev::Closed>(w.ev)) {
        gst_object_unref(o->second); // w.dc holds it to the end of the delivery
        p.objects.erase(o);
      }
    }
    p.delivery.push_back(std::move(w));
  }
  p.pending.clear();
}

static void emit(GstRtcSCTPTransport *self, Work &w) {
  std::visit(
      [&](auto &e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, sctp::ev::Incoming>) {
          g_signal_emit(self, signals[SIGNAL_ON_DATA_CHANNEL], 0, w.dc.get());
          gstrtc::data_channel_emit_open(w.dc.get()); // W3C: "open" follows "datachannel"
        } else if constexpr (std::is_same_v<E, sctp::ev::Opened>) {
          gstrtc::data_channel_emit_open(w.dc.get());
        } else if constexpr (std::is_same_v<E, sctp::ev::Message>) {
          gstrtc::data_channel_emit_message(w.dc.get(), e.binary, std::move(e.data));
        } else if constexpr (std::is_same_v<E, sctp::ev::Error>) {
          if (w.dc) {
            gstrtc::data_channel_emit_error(w.dc.get(), e.message);
            return;
          }
          GST_WARNING_OBJECT(self, "%s", e.message.c_str());
          gstrtc::SctpWarning warn;
          {
            std::lock_guard lk(self->priv->lock);
            warn = self->priv->warn;
          }
          if (warn)
            warn(e.message);
        } else if constexpr (std::is_same_v<E, sctp::ev::Closed>) {
          gstrtc::data_channel_emit_close(w.dc.get());
        } else if constexpr (std::is_same_v<E, sctp::ev::BufferedLow>) {
          gstrtc::data_channel_emit_buffered_low(w.dc.get());
        }
      },
      w.ev);
}

// With the lock held: what the association reported goes to the channel layer, and what the
// application must hear joins `pending`.
static void collect(GstRtcSCTPTransport *self) {
  auto &p = *self->priv;
  if (p.assoc) {
    p.assoc->take(p.items);
    for (auto &it : p.items)
      feed(self, it);
    p.items.clear();
  }
  p.chans.take_events(p.pending);
}

// With the lock held (released while emitting): collects and delivers every event. One thread
// delivers at a time, so events keep their order; a thread that finds another delivering
// leaves its events to it.
static void pump(GstRtcSCTPTransport *self, Lock &lk) {
  auto &p = *self->priv;
  collect(self);
  if (p.delivering)
    return;
  p.delivering = true;
  while (!p.pending.empty() || p.notify) {
    resolve(self);
    unsigned notify = std::exchange(p.notify, 0);
    lk.unlock();
    if (notify & N_STATE)
      g_object_notify_by_pspec(G_OBJECT(self), props[PROP_STATE]);
    if (notify & N_LIMITS) {
      g_object_notify_by_pspec(G_OBJECT(self), props[PROP_MAX_CHANNELS]);
      g_object_notify_by_pspec(G_OBJECT(self), props[PROP_MAX_MESSAGE_SIZE]);
    }
    for (auto &w : p.delivery)
      emit(self, w);
    p.delivery.clear(); // the last references go with no lock held
    lk.lock();
    collect(self); // what handlers sent may have produced more
  }
  p.delivering = false;
}

// With the lock held: the association goes (with an ABORT to the peer), every channel closes.
static void stop(GstRtcSCTPTransport *self, const std::string &why) {
  auto &p = *self->priv;
  if (p.assoc) {
    p.fwd.a = nullptr;
    p.assoc.reset();
  }
  p.chans.on_disconnected(why);
  set_state(p, GST_RTC_SCTP_TRANSPORT_STATE_CLOSED);
}

// --- internal API

void gstrtc::sctp_transport_attach_output(GstRtcSCTPTransport *t, SctpOutput out) {
  {
    std::lock_guard ol(t->priv->out_lock);
    t->priv->output = std::move(out);
  }
  Lock lk(t->priv->lock);
  t->priv->have_output = true;
  maybe_start(t);
  pump(t, lk);
}

void gstrtc::sctp_transport_detach_output(GstRtcSCTPTransport *t) {
  {
    Lock lk(t->priv->lock);
    t->priv->have_output = false;
    stop(t, "");
    pump(t, lk);
  }
  std::lock_guard ol(t->priv->out_lock);
  t->priv->output = nullptr;
}

void gstrtc::sctp_transport_handle_packet(GstRtcSCTPTransport *t, std::span<const uint8_t> packet) {
  std::span<const uint8_t> one[1] = {packet};
  sctp_transport_handle_packets(t, one);
}

void gstrtc::sctp_transport_handle_packets(GstRtcSCTPTransport *t, SctpPackets packets) {
  Lock lk(t->priv->lock);
  if (!t->priv->assoc) {
    GST_LOG_OBJECT(t, "%zu packets before the association started: dropped", packets.size());
    return;
  }
  t->priv->assoc->handle_packets(packets);
  pump(t, lk);
}

void gstrtc::sctp_transport_set_warning_handler(GstRtcSCTPTransport *t, SctpWarning w) {
  std::lock_guard lk(t->priv->lock);
  t->priv->warn = std::move(w);
}

gstrtc::Status gstrtc::sctp_transport_send(GstRtcSCTPTransport *t, sctp::ChannelId ch,
                                           std::span<const uint8_t> data, bool binary) {
  Lock lk(t->priv->lock);
  auto s = t->priv->chans.send(ch, data, binary);
  pump(t, lk);
  return s;
}

void gstrtc::sctp_transport_close_channel(GstRtcSCTPTransport *t, sctp::ChannelId ch) {
  Lock lk(t->priv->lock);
  t->priv->chans.close(ch);
  pump(t, lk);
}

gstrtc::DataChannelInfo gstrtc::sctp_transport_channel_info(GstRtcSCTPTransport *t,
                                                            sctp::ChannelId ch) {
  std::lock_guard lk(t->priv->lock);
  auto &c = t->priv->chans;
  DataChannelInfo i;
  i.state = c.state(ch).value_or(sctp::ChannelState::Closed);
  i.sid = c.sid(ch);
  i.buffered = c.buffered_amount(ch);
  i.low_threshold = c.buffered_amount_low_threshold(ch);
  return i;
}

void gstrtc::sctp_transport_set_low_threshold(GstRtcSCTPTransport *t, sctp::ChannelId ch,
                                              uint64_t n) {
  Lock lk(t->priv->lock);
  t->priv->chans.set_buffered_amount_low_threshold(ch, n);
  pump(t, lk);
}

// --- options of create-data-channel (W3C webrtc §6.2 createDataChannel)

namespace {

gstrtc::Result<sctp::ChannelOptions> parse_options(const gchar *label, const GstStructure *s) {
  sctp::ChannelOptions o;
  o.params.label = label ? label : "";
  if (!s)
    return o;
  gboolean b = TRUE;
  if (gst_structure_get_boolean(s, "ordered", &b))
    o.params.ordered = b;
  if (const gchar *proto = gst_structure_get_string(s, "protocol"))
    o.params.protocol = proto;
  gint life = -1, rexmit = -1, id = -1;
  gst_structure_get_int(s, "max-packet-lifetime", &life);
  gst_structure_get_int(s, "max-retransmits", &rexmit);
  if (life >= 0 && rexmit >= 0)
    return gstrtc::type_error("max-packet-lifetime and max-retransmits cannot both be set");
  if (life >= 0) {
    o.params.reliability = sctp::Reliability::PartialTimed;
    o.params.reliability_param = uint32_t(std::min(life, 65535)); // W3C: clamped
  } else if (rexmit >= 0) {
    o.params.reliability = sctp::Reliability::PartialRexmit;
    o.params.reliability_param = uint32_t(std::min(rexmit, 65535));
  }
  if (gst_structure_get_boolean(s, "negotiated", &b))
    o.negotiated = b;
  if (gst_structure_has_field(s, "id") && !gst_structure_get_int(s, "id", &id))
    return gstrtc::type_error("data channel id must be an integer");
  if (id > 65534)
    return gstrtc::type_error("data channel id " + std::to_string(id) + " is over 65534");
  if (o.negotiated && id >= 0) // W3C §6.2 createDataChannel: the id counts when negotiated
    o.id = uint16_t(id);
  gint prio = 0;
  if (gst_structure_get_enum(s, "priority", GST_TYPE_RTC_PRIORITY_TYPE, &prio) ||
      gst_structure_get_int(s, "priority", &prio))
    o.params.priority = gstrtc::priority_value(GstRtcPriorityType(prio));
  return o;
}

} // namespace

uint16_t gstrtc::priority_value(GstRtcPriorityType p) {
  switch (p) {
  case GST_RTC_PRIORITY_TYPE_VERY_LOW:
    return 128;
  case GST_RTC_PRIORITY_TYPE_MEDIUM:
    return 512;
  case GST_RTC_PRIORITY_TYPE_HIGH:
    return 1024;
  default:
    return 256;
  }
}

GstRtcPriorityType gstrtc::priority_type(uint16_t v) {
  if (v <= 128)
    return GST_RTC_PRIORITY_TYPE_VERY_LOW;
  if (v <= 256)
    return GST_RTC_PRIORITY_TYPE_LOW;
  if (v <= 512)
    return GST_RTC_PRIORITY_TYPE_MEDIUM;
  return GST_RTC_PRIORITY_TYPE_HIGH;
}

// --- public API

/**
 * gst_rtc_sctp_transport_new:
 *
 * Returns: (transfer full): a new SCTP transport, to set on an rtcsctpenc and an rtcsctpdec.
 */
GstRtcSCTPTransport *gst_rtc_sctp_transport_new(void) {
  auto *t = static_cast<GstRtcSCTPTransport *>(g_object_new(GST_TYPE_RTC_SCTP_TRANSPORT, nullptr));
  return static_cast<GstRtcSCTPTransport *>(gst_object_ref_sink(t));
}

/**
 * gst_rtc_sctp_transport_create_data_channel:
 * @transport: the transport
 * @label: the channel's label
 * @options: (nullable): "ordered" (boolean), "max-packet-lifetime" (int, ms),
 *   "max-retransmits" (int), "protocol" (string), "negotiated" (boolean), "id" (int),
 *   "priority" (#GstRtcPriorityType)
 * @error: where a TypeError (bad options) or OperationError (id in use) goes
 *
 * A channel opens when the association is up: in-band (DCEP, RFC 8832), or at once on both
 * sides when "negotiated" with the same "id".
 *
 * Returns: (transfer full) (nullable): the channel, or %NULL with @error set
 */
GstRtcDataChannel *gst_rtc_sctp_transport_create_data_channel(GstRtcSCTPTransport *transport,
                                                              const gchar *label,
                                                              const GstStructure *options,
                                                              GError **error) {
  g_return_val_if_fail(GST_RTC_IS_SCTP_TRANSPORT(transport), nullptr);
  auto o = parse_options(label, options);
  if (!o) {
    gstrtc::set_gerror(o.error(), error);
    return nullptr;
  }
  auto &p = *transport->priv;
  Lock lk(p.lock);
  if (p.state == GST_RTC_SCTP_TRANSPORT_STATE_CLOSED) {
    gstrtc::set_gerror(gstrtc::invalid_state("the SCTP transport is closed"), error);
    return nullptr;
  }
  auto ch = p.chans.create(*o);
  if (!ch) {
    gstrtc::set_gerror(ch.error(), error);
    return nullptr;
  }
  auto *dc = gstrtc::data_channel_new(transport, *ch, *o);
  gst_object_ref_sink(dc);
  p.objects[*ch] = GST_RTC_DATA_CHANNEL(gst_object_ref(dc)); // and one for the caller
  pump(transport, lk);
  return dc;
}

/**
 * gst_rtc_sctp_transport_close:
 * @transport: the transport
 *
 * Aborts the association and closes every channel ("on-close" is emitted on each).
 */
void gst_rtc_sctp_transport_close(GstRtcSCTPTransport *transport) {
  g_return_if_fail(GST_RTC_IS_SCTP_TRANSPORT(transport));
  Lock lk(transport->priv->lock);
  stop(transport, "");
  pump(transport, lk);
}

// --- GObject

static void on_dtls_state(GObject *, GParamSpec *, gpointer user_data) {
  schedule(GST_RTC_SCTP_TRANSPORT(user_data)); // not from inside the DTLS transport's call
}

static void set_dtls(GstRtcSCTPTransport *self, GstRtcDTLSTransport *dtls) {
  auto &p = *self->priv;
  Lock lk(p.lock);
  if (p.dtls) {
    g_signal_handler_disconnect(p.dtls, p.dtls_handler);
    gst_object_unref(p.dtls);
  }
  p.dtls = dtls ? GST_RTC_DTLS_TRANSPORT(gst_object_ref(dtls)) : nullptr;
  p.dtls_handler =
      dtls ? g_signal_connect(dtls, "notify::state", G_CALLBACK(on_dtls_state), self) : 0;
  maybe_start(self);
  pump(self, lk);
}

static void gst_rtc_sctp_transport_init(GstRtcSCTPTransport *self) {
  self->priv = new GstRtcSCTPTransportPrivate();
}

static void gst_rtc_sctp_transport_dispose(GObject *object) {
  auto *self = GST_RTC_SCTP_TRANSPORT(object);
  auto &p = *self->priv;
  p.alive = false;
  std::vector<GstRtcDataChannel *> objs;
  {
    std::lock_guard lk(p.lock);
    if (p.dtls) {
      g_signal_handler_disconnect(p.dtls, p.dtls_handler);
      gst_clear_object(&p.dtls);
    }
    p.fwd.a = nullptr;
    p.assoc.reset();
    for (auto &[ch, dc] : p.objects)
      objs.push_back(dc);
    p.objects.clear();
  }
  for (auto *dc : objs)
    gst_object_unref(dc);
  G_OBJECT_CLASS(gst_rtc_sctp_transport_parent_class)->dispose(object);
}

static void gst_rtc_sctp_transport_finalize(GObject *object) {
  delete GST_RTC_SCTP_TRANSPORT(object)->priv;
  G_OBJECT_CLASS(gst_rtc_sctp_transport_parent_class)->finalize(object);
}

static void gst_rtc_sctp_transport_set_property(GObject *object, guint prop_id, const GValue *value,
                                                GParamSpec *pspec) {
  auto *self = GST_RTC_SCTP_TRANSPORT(object);
  auto &p = *self->priv;
  if (prop_id == PROP_TRANSPORT) {
    set_dtls(self, GST_RTC_DTLS_TRANSPORT(g_value_get_object(value)));
    return;
  }
  std::lock_guard lk(p.lock);
  switch (prop_id) {
  case PROP_LOCAL_PORT:
    p.local_port = g_value_get_uint(value);
    break;
  case PROP_REMOTE_PORT:
    p.remote_port = g_value_get_uint(value);
    break;
  case PROP_REMOTE_MAX_MESSAGE_SIZE:
    p.remote_max = g_value_get_uint64(value);
    p.chans.set_remote_max_message_size(p.remote_max);
    break;
  case PROP_CLIENT:
    p.client = g_value_get_boolean(value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void gst_rtc_sctp_transport_get_property(GObject *object, guint prop_id, GValue *value,
                                                GParamSpec *pspec) {
  auto *self = GST_RTC_SCTP_TRANSPORT(object);
  auto &p = *self->priv;
  std::lock_guard lk(p.lock);
  switch (prop_id) {
  case PROP_TRANSPORT:
    g_value_set_object(value, p.dtls);
    break;
  case PROP_STATE:
    g_value_set_enum(value, p.state);
    break;
  case PROP_MAX_MESSAGE_SIZE: { // W3C §6.1.1: the most that can be sent (0 from SDP: no limit)
    uint64_t m = p.chans.remote_max_message_size();
    g_value_set_uint64(value, m ? m : G_MAXUINT64);
    break;
  }
  case PROP_MAX_CHANNELS:
    g_value_set_uint(value, p.chans.connected() ? p.chans.max_channels() : 0);
    break;
  case PROP_LOCAL_PORT:
    g_value_set_uint(value, p.local_port);
    break;
  case PROP_REMOTE_PORT:
    g_value_set_uint(value, p.remote_port);
    break;
  case PROP_REMOTE_MAX_MESSAGE_SIZE:
    g_value_set_uint64(value, p.remote_max);
    break;
  case PROP_LOCAL_MAX_MESSAGE_SIZE:
    g_value_set_uint64(value, p.chans.local_max_message_size());
    break;
  case PROP_CLIENT:
    g_value_set_boolean(value, p.client);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void gst_rtc_sctp_transport_class_init(GstRtcSCTPTransportClass *klass) {
  auto *oc = G_OBJECT_CLASS(klass);
  oc->dispose = gst_rtc_sctp_transport_dispose;
  oc->finalize = gst_rtc_sctp_transport_finalize;
  oc->set_property = gst_rtc_sctp_transport_set_property;
  oc->get_property = gst_rtc_sctp_transport_get_property;
  const auto rw = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  const auto ro = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_TRANSPORT] =
      g_param_spec_object("transport", "Transport",
                          "The DTLS transport the association runs over (its role picks "
                          "the stream ids; the association starts when it is connected)",
                          GST_TYPE_RTC_DTLS_TRANSPORT, rw);
  props[PROP_STATE] =
      g_param_spec_enum("state", "State", "The association's state",
                        GST_TYPE_RTC_SCTP_TRANSPORT_STATE, GST_RTC_SCTP_TRANSPORT_STATE_NEW, ro);
  props[PROP_MAX_MESSAGE_SIZE] =
      g_param_spec_uint64("max-message-size", "Max message size",
                          "The largest message the peer accepts", 0, G_MAXUINT64, 65536, ro);
  props[PROP_MAX_CHANNELS] = g_param_spec_uint(
      "max-channels", "Max channels", "How many channels can be open at once (0 until connected)",
      0, 65535, 0, ro);
  props[PROP_LOCAL_PORT] =
      g_param_spec_uint("local-port", "Local port", "Our a=sctp-port", 1, 65535, 5000, rw);
  props[PROP_REMOTE_PORT] =
      g_param_spec_uint("remote-port", "Remote port", "The peer's a=sctp-port", 1, 65535, 5000, rw);
  props[PROP_REMOTE_MAX_MESSAGE_SIZE] =
      g_param_spec_uint64("remote-max-message-size", "Remote max message size",
                          "The peer's a=max-message-size (0: no limit)", 0, G_MAXUINT64, 65536, rw);
  props[PROP_LOCAL_MAX_MESSAGE_SIZE] =
      g_param_spec_uint64("local-max-message-size", "Local max message size",
                          "The largest message we accept (our a=max-message-size)", 0, G_MAXUINT64,
                          kLocalMaxMessageSize, ro);
  props[PROP_CLIENT] =
      g_param_spec_boolean("client", "Client",
                           "The DTLS role when no DTLS transport is set (stream ids: even for "
                           "the client)",
                           FALSE, rw);
  g_object_class_install_properties(oc, N_PROPS, props);

  /**
   * GstRtcSCTPTransport::on-data-channel:
   * @transport: the transport
   * @channel: the channel the peer opened (open already; "on-open" follows)
   */
  signals[SIGNAL_ON_DATA_CHANNEL] =
      g_signal_new("on-data-channel", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, nullptr,
                   nullptr, nullptr, G_TYPE_NONE, 1, GST_TYPE_RTC_DATA_CHANNEL);
}
