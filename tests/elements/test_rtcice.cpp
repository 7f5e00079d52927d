// rtcicesrc/rtcicesink over two GstRtcICETransports on 127.0.0.1.
#include "icepair.hpp"

#include <gio/gio.h>
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace test;

namespace {

GstStructure *pair_of(GstRtcICETransport *t) {
  GstStructure *s = nullptr;
  g_object_get(t, "selected-pair", &s, nullptr);
  return s;
}

std::string field(const GstStructure *s, const char *name) {
  const gchar *v = s ? gst_structure_get_string(s, name) : nullptr;
  return v ? v : "";
}

guint64 stat(GstRtcICETransport *t, const char *name) {
  GstStructure *s = gst_rtc_ice_transport_get_stats(t);
  guint64 v = 0;
  gst_structure_get_uint64(s, name, &v);
  gst_structure_free(s);
  return v;
}

} // namespace

TEST(RtcIce, ConnectsOnLoopbackAndPasses100kPacketsEachWay) {
  IcePair pair;
  pair.start();
  ASSERT_TRUE(pair.wait_connected()) << "state a=" << pair.wa->state() << " b=" << pair.wb->state();
  EXPECT_TRUE(pair.candidate_errors.empty()) << pair.candidate_errors[0];

  GstStructure *sp = pair_of(pair.a.get());
  ASSERT_NE(sp, nullptr);
  EXPECT_EQ(field(sp, "local-address"), "127.0.0.1");
  EXPECT_EQ(field(sp, "remote-address"), "127.0.0.1");
  EXPECT_EQ(field(sp, "local-candidate-type"), "host");
  EXPECT_EQ(field(sp, "protocol"), "udp");
  gst_structure_free(sp);

  Link ab(pair.a.get(), pair.b.get()), ba(pair.b.get(), pair.a.get());
  EXPECT_EQ(exchange(ab, ba, 100000), "");
  EXPECT_EQ(stat(pair.a.get(), "packets-sent"), 100000u);
  EXPECT_EQ(stat(pair.b.get(), "packets-sent"), 100000u);
  EXPECT_EQ(stat(pair.a.get(), "packets-received"), 100000u);
  EXPECT_EQ(stat(pair.b.get(), "packets-received"), 100000u);
}

namespace {
// Records the name of the thread that pushes out of an rtcicesrc.
GstPadProbeReturn note_thread(GstPad *, GstPadProbeInfo *, gpointer data) {
  char name[16] = {};
  pthread_getname_np(pthread_self(), name, sizeof name);
  *static_cast<std::string *>(data) = name;
  return GST_PAD_PROBE_OK;
}
} // namespace

TEST(RtcIce, SharedThreadPushesFromTheIceThreadInOrderAcrossPause) {
  IcePair pair;
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  Link ab(pair.a.get(), pair.b.get(), true), ba(pair.b.get(), pair.a.get(), true);
  std::string pusher;
  GstPad *src = gst_element_get_static_pad(ab.src_h->element, "src");
  gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_BUFFER, note_thread, &pusher, nullptr);
  gst_object_unref(src);
  EXPECT_EQ(exchange(ab, ba, 20000), "");
  EXPECT_EQ(pusher, "rtc-ice") << "no streaming thread of the element's own";

  // Paused: datagrams wait (and STUN is still answered); resumed: they come out first, in order.
  ASSERT_EQ(gst_element_set_state(ab.src_h->element, GST_STATE_PAUSED),
            GST_STATE_CHANGE_NO_PREROLL);
  for (uint32_t s = 0; s < 200; s++)
    ab.push(s, 0xC);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(gst_harness_try_pull(ab.src_h), nullptr) << "nothing pushed while paused";
  ASSERT_EQ(gst_element_set_state(ab.src_h->element, GST_STATE_PLAYING), GST_STATE_CHANGE_SUCCESS);
  for (uint32_t s = 200; s < 400; s++)
    ab.push(s, 0xC);
  for (uint32_t s = 0; s < 400; s++) {
    GstBuffer *buf = ab.pull(5000);
    ASSERT_NE(buf, nullptr) << "packet " << s << " never arrived";
    std::string err = check_packet(buf, s, 0xC);
    gst_buffer_unref(buf);
    ASSERT_EQ(err, "");
  }
  EXPECT_GE(pair.wa->state(), GST_RTC_ICE_CONNECTION_STATE_CONNECTED);
  EXPECT_LE(pair.wa->state(), GST_RTC_ICE_CONNECTION_STATE_COMPLETED);
}

namespace {
// A datagram of `size` bytes: its index, then bytes derived from it.
GstBuffer *sized_packet(uint32_t idx, size_t size, bool two_pieces) {
  std::vector<guint8> d(size);
  for (size_t i = 0; i < size; i++)
    d[i] = i < 4 ? guint8(idx >> (24 - 8 * i)) : guint8(idx * 31 + i);
  if (!two_pieces)
    return gst_buffer_new_memdup(d.data(), size);
  size_t half = size / 2;
  GstBuffer *b = gst_buffer_new_memdup(d.data(), half);
  gsize rest = size - half;
  gst_buffer_append_memory(b, gst_memory_new_wrapped(GstMemoryFlags(0),
                                                     g_memdup2(d.data() + half, rest), rest, 0,
                                                     rest, nullptr, g_free));
  return b;
}
} // namespace

// rtcicesink sends a list's runs of equal-size datagrams as one UDP GSO send: every datagram
// must still arrive whole, with its own size, in order — runs with a short last one, lone
// sizes, datagrams in two pieces, runs longer than one send takes.
TEST(RtcIce, BatchedSendsKeepEveryDatagramsBoundaries) {
  IcePair pair;
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  Link ab(pair.a.get(), pair.b.get());
  std::vector<size_t> sizes;
  for (int i = 0; i < 100; i++) // longer than one send (64 segments, 65000 bytes)
    sizes.push_back(1200);
  sizes.push_back(700); // a short last one ends the run
  for (int i = 0; i < 10; i++)
    sizes.push_back(i % 2 ? 300 : 1100); // no two alike in a row
  for (int i = 0; i < 5; i++)
    sizes.push_back(1200);
  sizes.push_back(1300); // bigger than the run's: its own send
  sizes.push_back(1);
  GstBufferList *list = gst_buffer_list_new();
  for (uint32_t i = 0; i < sizes.size(); i++)
    gst_buffer_list_add(list, sized_packet(i, sizes[i], i % 7 == 3));
  guint64 before = stat(pair.a.get(), "packets-sent");
  ASSERT_EQ(gst_pad_push_list(ab.sink_h->srcpad, list), GST_FLOW_OK);
  for (uint32_t i = 0; i < sizes.size(); i++) {
    GstBuffer *buf = ab.pull(5000);
    ASSERT_NE(buf, nullptr) << "datagram " << i << " never arrived";
    GstBuffer *want = sized_packet(i, sizes[i], false);
    bool same_size, same_bytes;
    {
      gstrtc::BufferMap got(buf, GST_MAP_READ), exp(want, GST_MAP_READ);
      same_size = got.size() == exp.size();
      same_bytes = same_size && memcmp(got.data(), exp.data(), exp.size()) == 0;
    }
    EXPECT_EQ(gst_buffer_get_size(buf), sizes[i]) << "datagram " << i;
    gst_buffer_unref(want);
    gst_buffer_unref(buf);
    ASSERT_TRUE(same_size && same_bytes) << "datagram " << i;
  }
  EXPECT_EQ(stat(pair.a.get(), "packets-sent") - before, sizes.size());
}

TEST(RtcIce, GatheringReportsCandidatesAndCompletes) {
  IcePair pair;
  std::vector<std::string> cands;
  bool done = false;
  gstrtc::SignalGuard g1(
      pair.a.get(),
      g_signal_connect(pair.a.get(), "on-local-candidate",
                       G_CALLBACK(+[](GstRtcICETransport *, const gchar *c, gpointer v) {
                         static_cast<std::vector<std::string> *>(v)->push_back(c);
                       }),
                       &cands));
  gstrtc::SignalGuard g2(pair.a.get(),
                         g_signal_connect(pair.a.get(), "on-gathering-done",
                                          G_CALLBACK(+[](GstRtcICETransport *, gpointer d) {
                                            *static_cast<bool *>(d) = true;
                                          }),
                                          &done));
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  EXPECT_TRUE(done);
  ASSERT_FALSE(cands.empty());
  for (const auto &c : cands) {
    EXPECT_EQ(c.rfind("candidate:", 0), 0u) << c;
    EXPECT_NE(c.find(" 127.0.0.1 "), std::string::npos) << c;
    EXPECT_NE(c.find(" typ host"), std::string::npos) << c;
  }
  GstRtcICEGatheringState gs;
  g_object_get(pair.a.get(), "gathering-state", &gs, nullptr);
  EXPECT_EQ(gs, GST_RTC_ICE_GATHERING_STATE_COMPLETE);
  // Both ends signalled end-of-candidates and nominated: completed.
  EXPECT_TRUE(
      pair.wa->wait([](auto s) { return s == GST_RTC_ICE_CONNECTION_STATE_COMPLETED; }, 5000));
  auto h = pair.wa->history();
  EXPECT_NE(std::find(h.begin(), h.end(), GST_RTC_ICE_CONNECTION_STATE_CHECKING), h.end());
}

TEST(RtcIce, RoleConflictBothControllingResolves) {
  IcePairOptions o;
  o.a_controlling = o.b_controlling = true;
  IcePair pair(o);
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  GstRtcICERole ra, rb;
  g_object_get(pair.a.get(), "role", &ra, nullptr);
  g_object_get(pair.b.get(), "role", &rb, nullptr);
  Link ab(pair.a.get(), pair.b.get()), ba(pair.b.get(), pair.a.get());
  EXPECT_EQ(exchange(ab, ba, 2000), "");
}

// Finds a free UDP port on 127.0.0.1 (the kernel picks; we release it right away).
static guint16 free_udp_port() {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof(sa));
  socklen_t len = sizeof(sa);
  getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &len);
  close(fd);
  return ntohs(sa.sin_port);
}

static bool udp_port_taken(guint16 port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sa.sin_port = htons(port);
  bool taken = bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof(sa)) != 0;
  close(fd);
  return taken;
}

class Coturn {
public:
  Coturn() {
    port = free_udp_port();
    guint16 relay = free_udp_port();
    std::string p = std::to_string(port), rmin = std::to_string(relay),
                rmax = std::to_string(relay + 50 > 65000 ? relay : relay + 50);
    GError *err = nullptr;
    proc = g_subprocess_new(
        G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &err, TURNSERVER, "-n", "--listening-ip=127.0.0.1",
        "--relay-ip=127.0.0.1", ("--listening-port=" + p).c_str(), ("--min-port=" + rmin).c_str(),
        ("--max-port=" + rmax).c_str(), "--lt-cred-mech", "--user=gst:rtcsecret",
        "--realm=gst-rtc.test", "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers",
        "--no-software-attribute", "--log-file=stdout", nullptr);
    if (!proc) {
      error = err->message;
      g_error_free(err);
      return;
    }
    for (int i = 0; i < 200 && !udp_port_taken(port); i++)
      g_usleep(10000); // coturn startup; bounded to 2 s
  }
  ~Coturn() {
    if (proc) {
      g_subprocess_send_signal(proc, SIGTERM);
      g_subprocess_wait(proc, nullptr, nullptr);
      g_object_unref(proc);
    }
  }
  GSubprocess *proc = nullptr;
  guint16 port = 0;
  std::string error;
};

// Relay-only through a coturn started on 127.0.0.1, over UDP and over TCP to the server.
class RtcIceTurn : public ::testing::TestWithParam<const char *> {};

TEST_P(RtcIceTurn, RelayOnlySelectsRelayPair) {
  ASSERT_STRNE(TURNSERVER, "") << "coturn (turnserver) is not installed: run make test";
  Coturn turn;
  ASSERT_NE(turn.proc, nullptr) << turn.error;
  ASSERT_TRUE(udp_port_taken(turn.port)) << "coturn did not open its port";
  IcePairOptions o;
  o.turn_uri = "turn://gst:rtcsecret@127.0.0.1:" + std::to_string(turn.port) + GetParam();
  o.relay_only = true;
  IcePair pair(o);
  std::vector<std::string> cands;
  gstrtc::SignalGuard g(
      pair.a.get(),
      g_signal_connect(pair.a.get(), "on-local-candidate",
                       G_CALLBACK(+[](GstRtcICETransport *, const gchar *c, gpointer v) {
                         static_cast<std::vector<std::string> *>(v)->push_back(c);
                       }),
                       &cands));
  pair.start();
  ASSERT_TRUE(pair.wait_connected(15000)) << "a=" << pair.wa->state() << " b=" << pair.wb->state();
  ASSERT_FALSE(cands.empty());
  for (const auto &c : cands)
    EXPECT_NE(c.find(" typ relay"), std::string::npos) << "relay policy leaked " << c;
  for (auto *t : {pair.a.get(), pair.b.get()}) {
    GstStructure *sp = pair_of(t);
    ASSERT_NE(sp, nullptr);
    EXPECT_EQ(field(sp, "local-candidate-type"), "relay");
    gst_structure_free(sp);
  }
  Link ab(pair.a.get(), pair.b.get()), ba(pair.b.get(), pair.a.get());
  EXPECT_EQ(exchange(ab, ba, 2000, 32), "");
}

INSTANTIATE_TEST_SUITE_P(Transports, RtcIceTurn, ::testing::Values("", "?transport=tcp"),
                         [](const auto &info) {
                           return std::string(info.param[0] ? "Tcp" : "Udp");
                         });

TEST(RtcIce, PeerVanishesDisconnectedThenFailedAndSendingStops) {
  IcePairOptions o;
  o.disconnected_ms = 300;
  o.failed_ms = 1500;
  IcePair pair(o);
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  auto link = std::make_unique<Link>(pair.b.get(), pair.a.get());
  Link ab(pair.a.get(), pair.b.get());
  for (uint32_t s = 0; s < 50; s++)
    link->push(s, 0xB);
  for (uint32_t s = 0; s < 50; s++) {
    GstBuffer *buf = link->pull(2000);
    ASSERT_NE(buf, nullptr);
    gst_buffer_unref(buf);
  }
  ASSERT_TRUE(is_up(pair.wa->state()));

  // B vanishes: its elements and its agent (sockets) are gone.
  link.reset();
  gst_rtc_ice_transport_close(pair.b.get());
  EXPECT_EQ(pair.wb->state(), GST_RTC_ICE_CONNECTION_STATE_CLOSED);
  gint64 t0 = g_get_monotonic_time();
  EXPECT_TRUE(
      pair.wa->wait([](auto s) { return s == GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED; }, 2000));
  EXPECT_TRUE(pair.wa->wait([](auto s) { return s == GST_RTC_ICE_CONNECTION_STATE_FAILED; }, 4000));
  gint64 elapsed_ms = (g_get_monotonic_time() - t0) / 1000;
  EXPECT_LE(elapsed_ms, 3000) << "failed should follow the 1.5 s consent timeout";
  auto h = pair.wa->history();
  auto d = std::find(h.begin(), h.end(), GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED);
  auto f = std::find(h.begin(), h.end(), GST_RTC_ICE_CONNECTION_STATE_FAILED);
  EXPECT_LT(d, f) << "disconnected must come before failed";

  // RFC 7675 §5.1: after consent expiry nothing is sent.
  guint64 sent = stat(pair.a.get(), "packets-sent");
  for (uint32_t s = 0; s < 10; s++)
    ab.push(s, 0xA);
  EXPECT_EQ(stat(pair.a.get(), "packets-sent"), sent);
  EXPECT_GE(stat(pair.a.get(), "packets-dropped-not-writable"), 10u);
}

TEST(RtcIce, DisconnectedRecoversWhenTrafficResumes) {
  IcePairOptions o;
  o.disconnected_ms = 200;
  o.failed_ms = 10000;
  IcePair pair(o);
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  Link ba(pair.b.get(), pair.a.get());
  ASSERT_TRUE(
      pair.wa->wait([](auto s) { return s == GST_RTC_ICE_CONNECTION_STATE_DISCONNECTED; }, 2000));
  ba.push(1, 0xB);
  EXPECT_TRUE(pair.wa->wait(is_up, 2000));
  GstBuffer *buf = ba.pull(2000);
  ASSERT_NE(buf, nullptr);
  EXPECT_EQ(check_packet(buf, 1, 0xB), "");
  gst_buffer_unref(buf);
}

TEST(RtcIce, IceRestartMidStreamKeepsMediaAndUsesNewCredentials) {
  IcePair pair;
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  gchar *old_ufrag = nullptr;
  gst_rtc_ice_transport_get_local_credentials(pair.a.get(), &old_ufrag, nullptr);
  Link ab(pair.a.get(), pair.b.get());

  const uint32_t total = 6000, window = 64;
  uint32_t received = 0, next = 0;
  for (uint32_t base = 0; base < total; base += window) {
    if (base == 2048)
      pair.restart_both();
    for (uint32_t s = base; s < base + window; s++)
      ab.push(s, 0xA);
    // Tolerant receive: count what arrives, in order, within the window.
    for (uint32_t k = 0; k < window; k++) {
      GstBuffer *buf = ab.pull(500);
      if (!buf)
        break;
      uint32_t seq;
      {
        gstrtc::BufferMap m(buf, GST_MAP_READ);
        seq = GST_READ_UINT32_BE(m.data());
      }
      EXPECT_GE(seq, next) << "reordered";
      next = seq + 1;
      received++;
      gst_buffer_unref(buf);
    }
  }
  EXPECT_TRUE(pair.candidate_errors.empty()) << pair.candidate_errors[0];
  EXPECT_GE(received, total - window) << "lost more than one window across the restart";
  EXPECT_TRUE(pair.wait_connected(5000));

  gchar *new_ufrag = nullptr, *b_remote = nullptr;
  gst_rtc_ice_transport_get_local_credentials(pair.a.get(), &new_ufrag, nullptr);
  g_object_get(pair.b.get(), "remote-ufrag", &b_remote, nullptr);
  EXPECT_STRNE(old_ufrag, new_ufrag);
  EXPECT_STREQ(new_ufrag, b_remote);
  g_free(old_ufrag);
  g_free(new_ufrag);
  g_free(b_remote);
}

TEST(RtcIce, IceTcpOnlyConnectsOverTcp) {
  IcePair pair;
  for (auto *t : {pair.a.get(), pair.b.get()})
    g_object_set(t, "ice-udp", FALSE, "ice-tcp", TRUE, nullptr);
  pair.start();
  ASSERT_TRUE(pair.wait_connected()) << pair.wa->state();
  GstStructure *sp = pair_of(pair.a.get());
  ASSERT_NE(sp, nullptr);
  EXPECT_EQ(field(sp, "protocol"), "tcp");
  EXPECT_NE(field(sp, "local-candidate").find("tcptype"), std::string::npos);
  gst_structure_free(sp);
  Link ab(pair.a.get(), pair.b.get()), ba(pair.b.get(), pair.a.get());
  EXPECT_EQ(exchange(ab, ba, 5000), "");
}

TEST(RtcIce, PortRangeIsHonoured) {
  IcePair pair;
  g_object_set(pair.a.get(), "min-port", 47000, "max-port", 47100, nullptr);
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  GstStructure *sp = pair_of(pair.a.get());
  ASSERT_NE(sp, nullptr);
  guint port = 0;
  gst_structure_get_uint(sp, "local-port", &port);
  EXPECT_GE(port, 47000u);
  EXPECT_LE(port, 47100u);
  gst_structure_free(sp);
}

TEST(RtcIce, NamedTransportIsSharedAndReleased) {
  GstRtcICETransport *t1 = gst_rtc_ice_transport_get_named("shared-x");
  GstRtcICETransport *t2 = gst_rtc_ice_transport_get_named("shared-x");
  EXPECT_EQ(t1, t2);
  GstElement *src = gst_element_factory_make("rtcicesrc", nullptr);
  g_object_set(src, "transport-name", "shared-x", nullptr);
  gst_object_unref(t2);
  gst_object_unref(t1);
  gst_object_unref(src);
  // All references gone: a new one is created (the leaks tracer checks nothing stayed).
  GstRtcICETransport *t3 = gst_rtc_ice_transport_get_named("shared-x");
  EXPECT_NE(t3, nullptr);
  gst_object_unref(t3);
}
