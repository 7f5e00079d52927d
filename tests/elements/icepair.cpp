#include "icepair.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace test {

StateWatch::StateWatch(GstRtcICETransport *t) : t_(t) {
  history_.push_back(state());
  handler_ =
      g_signal_connect(t, "notify::state", G_CALLBACK(+[](GObject *, GParamSpec *, gpointer self) {
                         auto *w = static_cast<StateWatch *>(self);
                         GstRtcICEConnectionState s = w->state();
                         std::lock_guard lk(w->m_);
                         w->history_.push_back(s);
                         w->cv_.notify_all();
                       }),
                       this);
}

StateWatch::~StateWatch() {
  g_signal_handler_disconnect(t_, handler_);
}

GstRtcICEConnectionState StateWatch::state() const {
  GstRtcICEConnectionState s;
  g_object_get(t_, "state", &s, nullptr);
  return s;
}

bool StateWatch::wait(const std::function<bool(GstRtcICEConnectionState)> &pred, int timeout_ms) {
  std::unique_lock lk(m_);
  return cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), [&] { return pred(state()); });
}

std::vector<GstRtcICEConnectionState> StateWatch::history() const {
  std::lock_guard lk(m_);
  return history_;
}

bool is_up(GstRtcICEConnectionState s) {
  return s == GST_RTC_ICE_CONNECTION_STATE_CONNECTED || s == GST_RTC_ICE_CONNECTION_STATE_COMPLETED;
}

IcePair::IcePair(IcePairOptions o) {
  a = gstrtc::adopt(gst_rtc_ice_transport_new("a"));
  b = gstrtc::adopt(gst_rtc_ice_transport_new("b"));
  for (auto *t : {a.get(), b.get()}) {
    g_object_set(t, "ice-addresses", "127.0.0.1", "ice-tcp", FALSE, nullptr);
    if (!o.turn_uri.empty())
      g_object_set(t, "turn-server", o.turn_uri.c_str(), nullptr);
    if (o.relay_only)
      g_object_set(t, "ice-transport-policy", GST_RTC_ICE_TRANSPORT_POLICY_RELAY, nullptr);
    if (o.disconnected_ms)
      g_object_set(t, "disconnected-timeout", o.disconnected_ms, nullptr);
    if (o.failed_ms)
      g_object_set(t, "failed-timeout", o.failed_ms, nullptr);
  }
  g_object_set(a.get(), "role",
               o.a_controlling ? GST_RTC_ICE_ROLE_CONTROLLING : GST_RTC_ICE_ROLE_CONTROLLED,
               nullptr);
  g_object_set(b.get(), "role",
               o.b_controlling ? GST_RTC_ICE_ROLE_CONTROLLING : GST_RTC_ICE_ROLE_CONTROLLED,
               nullptr);
  wa = new StateWatch(a.get());
  wb = new StateWatch(b.get());
  wire(a.get(), b.get());
  wire(b.get(), a.get());
}

IcePair::~IcePair() {
  guards_.clear();
  delete wa;
  delete wb;
}

void IcePair::wire(GstRtcICETransport *from, GstRtcICETransport *to) {
  struct Ctx {
    IcePair *self;
    GstRtcICETransport *to;
  };
  auto *ctx = new Ctx{this, to};
  auto closure_free = +[](gpointer p, GClosure *) { delete static_cast<Ctx *>(p); };
  gulong h1 =
      g_signal_connect_data(from, "on-local-candidate",
                            G_CALLBACK(+[](GstRtcICETransport *, const gchar *cand, gpointer p) {
                              auto *c = static_cast<Ctx *>(p);
                              {
                                std::lock_guard lk(c->self->m_);
                                if (c->self->hold_) {
                                  c->self->held_.emplace_back(c->to, cand);
                                  return;
                                }
                              }
                              GError *err = nullptr;
                              if (!gst_rtc_ice_transport_add_remote_candidate(c->to, cand, &err)) {
                                std::lock_guard lk(c->self->m_);
                                c->self->candidate_errors.push_back(err->message);
                                g_error_free(err);
                              }
                            }),
                            ctx, closure_free, GConnectFlags(0));
  guards_.emplace_back(from, h1);
  gulong h2 = g_signal_connect(
      from, "on-gathering-done", G_CALLBACK(+[](GstRtcICETransport *, gpointer to) {
        gst_rtc_ice_transport_end_of_remote_candidates(static_cast<GstRtcICETransport *>(to));
      }),
      to);
  guards_.emplace_back(from, h2);
}

static void exchange_credentials(GstRtcICETransport *from, GstRtcICETransport *to) {
  gchar *u = nullptr, *p = nullptr;
  gst_rtc_ice_transport_get_local_credentials(from, &u, &p);
  GError *err = nullptr;
  EXPECT_TRUE(gst_rtc_ice_transport_set_remote_credentials(to, u, p, &err))
      << (err ? err->message : "");
  g_clear_error(&err);
  g_free(u);
  g_free(p);
}

void IcePair::start() {
  exchange_credentials(a.get(), b.get());
  exchange_credentials(b.get(), a.get());
  for (auto *t : {a.get(), b.get()}) {
    GError *err = nullptr;
    EXPECT_TRUE(gst_rtc_ice_transport_gather_candidates(t, &err)) << (err ? err->message : "");
    g_clear_error(&err);
  }
}

bool IcePair::wait_connected(int timeout_ms) {
  return wa->wait(is_up, timeout_ms) && wb->wait(is_up, timeout_ms);
}

void IcePair::flush_held() {
  std::vector<std::pair<GstRtcICETransport *, std::string>> held;
  {
    std::lock_guard lk(m_);
    hold_ = false;
    held.swap(held_);
  }
  for (auto &[to, cand] : held) {
    GError *err = nullptr;
    if (!gst_rtc_ice_transport_add_remote_candidate(to, cand.c_str(), &err)) {
      std::lock_guard lk(m_);
      candidate_errors.push_back(err->message);
      g_error_free(err);
    }
  }
}

void IcePair::restart_both() {
  {
    std::lock_guard lk(m_);
    hold_ = true;
  }
  EXPECT_TRUE(gst_rtc_ice_transport_restart(a.get(), nullptr));
  EXPECT_TRUE(gst_rtc_ice_transport_restart(b.get(), nullptr));
  exchange_credentials(a.get(), b.get());
  exchange_credentials(b.get(), a.get());
  flush_held();
}

Link::Link(GstRtcICETransport *from, GstRtcICETransport *to, bool shared_thread) {
  GstElement *sink = gst_element_factory_make("rtcicesink", nullptr);
  GstElement *src = gst_element_factory_make("rtcicesrc", nullptr);
  g_assert(sink && src);
  g_object_set(sink, "transport", from, nullptr);
  g_object_set(src, "transport", to, "shared-thread", shared_thread, nullptr);
  sink_h = gst_harness_new_with_element(sink, "sink", nullptr);
  src_h = gst_harness_new_with_element(src, nullptr, "src");
  gst_object_unref(sink);
  gst_object_unref(src);
  gst_harness_set_src_caps_str(sink_h, "application/octet-stream");
  gst_harness_play(src_h);
}

Link::~Link() {
  gst_harness_teardown(sink_h);
  gst_harness_teardown(src_h);
}

void Link::push(uint32_t seq, uint32_t tag) {
  EXPECT_EQ(gst_harness_push(sink_h, make_packet(seq, tag)), GST_FLOW_OK);
}

GstBuffer *Link::pull(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (GstBuffer *b = gst_harness_try_pull(src_h))
      return b;
    if (std::chrono::steady_clock::now() > deadline)
      return nullptr;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

static size_t packet_size(uint32_t seq) {
  return 20 + (seq * 7919u) % 1181u;
}

static guint8 pattern(uint32_t seq, uint32_t tag, size_t i) {
  return static_cast<guint8>((seq * 31u + tag * 17u + i * 13u) & 0xff);
}

GstBuffer *make_packet(uint32_t seq, uint32_t tag) {
  size_t n = packet_size(seq);
  GstBuffer *buf = gst_buffer_new_allocate(nullptr, n, nullptr);
  GstMapInfo m;
  gst_buffer_map(buf, &m, GST_MAP_WRITE);
  GST_WRITE_UINT32_BE(m.data, seq);
  GST_WRITE_UINT32_BE(m.data + 4, tag);
  for (size_t i = 8; i < n; i++)
    m.data[i] = pattern(seq, tag, i);
  gst_buffer_unmap(buf, &m);
  return buf;
}

std::string check_packet(GstBuffer *buf, uint32_t seq, uint32_t tag) {
  gstrtc::BufferMap m(buf, GST_MAP_READ);
  if (m.size() < 8)
    return "packet of " + std::to_string(m.size()) + " bytes";
  uint32_t got_seq = GST_READ_UINT32_BE(m.data()), got_tag = GST_READ_UINT32_BE(m.data() + 4);
  if (got_tag != tag)
    return "tag " + std::to_string(got_tag) + ", expected " + std::to_string(tag);
  if (got_seq != seq)
    return "seq " + std::to_string(got_seq) + ", expected " + std::to_string(seq);
  if (m.size() != packet_size(seq))
    return "size " + std::to_string(m.size()) + " for seq " + std::to_string(seq);
  for (size_t i = 8; i < m.size(); i++)
    if (m.data()[i] != pattern(seq, tag, i))
      return "byte " + std::to_string(i) + " differs in seq " + std::to_string(seq);
  if (!GST_BUFFER_PTS_IS_VALID(buf))
    return "no timestamp on seq " + std::to_string(seq);
  return {};
}

std::string exchange(Link &ab, Link &ba, uint32_t n, uint32_t window) {
  for (uint32_t base = 0; base < n; base += window) {
    uint32_t end = std::min(n, base + window);
    for (uint32_t s = base; s < end; s++) {
      ab.push(s, 0xA);
      ba.push(s, 0xB);
    }
    for (uint32_t s = base; s < end; s++) {
      for (auto [link, tag] : {std::pair{&ab, 0xAu}, std::pair{&ba, 0xBu}}) {
        GstBuffer *buf = link->pull(5000);
        if (!buf)
          return "packet " + std::to_string(s) + " with tag " + std::to_string(tag) +
                 " never arrived";
        std::string err = check_packet(buf, s, tag);
        gst_buffer_unref(buf);
        if (!err.empty())
          return err;
      }
    }
  }
  return {};
}

} // namespace test
