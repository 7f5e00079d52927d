// ICE transport datagram path, side by side in one run:
//   rtc:  fakesrc ! rtcicesink  ->  rtcicesrc ! fakesink    (gst-rtc)
//   nice: fakesrc ! nicesink    ->  nicesrc ! fakesink      (gstreamer1.0-nice, the anchor)
//   udp:  fakesrc ! udpsink     ->  udpsrc ! fakesink       (plain UDP elements, the floor)
// Two measures per packet size: the received rate under an unpaced burst ("max"), and process
// CPU time per packet at a paced rate ("paced"). Medians of --runs runs; ratios vs nice and udp.
#include <gst/rtc/rtc.h>
#include <nice/agent.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

namespace {

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double wall_seconds() {
  return g_get_monotonic_time() / 1e6;
}

struct Result {
  double pps = 0;         // received packets per second
  double cpu_us = 0;      // process CPU per received packet
  double loss = 0;        // fraction lost
  double cpu_sent_us = 0; // process CPU per packet sent (unpaced run: no clock waits)
};

// A connected sender/receiver pair of element descriptions for one variant.
struct Variant {
  std::string name;
  std::function<void()> setup, teardown;
  std::function<void(GstElement *sink, GstElement *src)> configure;
  std::string sink_factory, src_factory;
};

// --- gst-rtc -----------------------------------------------------------------------------
GstRtcICETransport *g_ta, *g_tb;

void rtc_setup() {
  g_ta = gst_rtc_ice_transport_new("bench-a");
  g_tb = gst_rtc_ice_transport_new("bench-b");
  for (auto *t : {g_ta, g_tb})
    g_object_set(t, "ice-addresses", "127.0.0.1", "ice-tcp", FALSE, "disconnected-timeout", 0,
                 "failed-timeout", 0, nullptr);
  g_object_set(g_tb, "role", GST_RTC_ICE_ROLE_CONTROLLED, nullptr);
  for (auto [from, to] : {std::pair{g_ta, g_tb}, std::pair{g_tb, g_ta}}) {
    g_signal_connect(from, "on-local-candidate",
                     G_CALLBACK(+[](GstRtcICETransport *, const gchar *c, gpointer to) {
                       gst_rtc_ice_transport_add_remote_candidate(
                           static_cast<GstRtcICETransport *>(to), c, nullptr);
                     }),
                     to);
    gchar *u, *p;
    gst_rtc_ice_transport_get_local_credentials(from, &u, &p);
    gst_rtc_ice_transport_set_remote_credentials(to, u, p, nullptr);
    g_free(u);
    g_free(p);
  }
  gst_rtc_ice_transport_gather_candidates(g_ta, nullptr);
  gst_rtc_ice_transport_gather_candidates(g_tb, nullptr);
  for (int i = 0; i < 500; i++) {
    GstRtcICEConnectionState s;
    g_object_get(g_ta, "state", &s, nullptr);
    if (s == GST_RTC_ICE_CONNECTION_STATE_CONNECTED || s == GST_RTC_ICE_CONNECTION_STATE_COMPLETED)
      return;
    g_usleep(10000);
  }
  fprintf(stderr, "rtc: ICE did not connect\n");
  exit(1);
}

void rtc_teardown() {
  gst_object_unref(g_ta);
  gst_object_unref(g_tb);
}

// --- libnice anchor ------------------------------------------------------------------------
GMainContext *g_nctx;
GMainLoop *g_nloop;
GThread *g_nthread;
NiceAgent *g_na, *g_nb;
guint g_sa, g_sb;

void nice_setup() {
  g_nctx = g_main_context_new();
  g_nloop = g_main_loop_new(g_nctx, FALSE);
  g_nthread = g_thread_new(
      "nice-bench",
      +[](gpointer l) -> gpointer {
        g_main_loop_run(static_cast<GMainLoop *>(l));
        return nullptr;
      },
      g_nloop);
  g_na = nice_agent_new(g_nctx, NICE_COMPATIBILITY_RFC5245);
  g_nb = nice_agent_new(g_nctx, NICE_COMPATIBILITY_RFC5245);
  NiceAddress lo;
  nice_address_set_from_string(&lo, "127.0.0.1");
  for (auto *a : {g_na, g_nb}) {
    g_object_set(a, "upnp", FALSE, "ice-tcp", FALSE, nullptr);
    nice_agent_add_local_address(a, &lo);
  }
  g_object_set(g_nb, "controlling-mode", FALSE, nullptr);
  g_sa = nice_agent_add_stream(g_na, 1);
  g_sb = nice_agent_add_stream(g_nb, 1);
  // libnice reads a component only once a receive callback is attached; nicesrc attaches its
  // own on start (on the receiving agent), the sender keeps this one for STUN.
  auto discard = +[](NiceAgent *, guint, guint, guint, gchar *, gpointer) {};
  nice_agent_attach_recv(g_na, g_sa, 1, g_nctx, discard, nullptr);
  nice_agent_attach_recv(g_nb, g_sb, 1, g_nctx, discard, nullptr);
  nice_agent_gather_candidates(g_na, g_sa);
  nice_agent_gather_candidates(g_nb, g_sb);
  for (auto [from, fs, to, ts] :
       {std::tuple{g_na, g_sa, g_nb, g_sb}, std::tuple{g_nb, g_sb, g_na, g_sa}}) {
    gchar *u, *p;
    nice_agent_get_local_credentials(from, fs, &u, &p);
    nice_agent_set_remote_credentials(to, ts, u, p);
    g_free(u);
    g_free(p);
  }
  // Host candidates on 127.0.0.1 are known as soon as gathering starts.
  for (auto [from, fs, to, ts] :
       {std::tuple{g_na, g_sa, g_nb, g_sb}, std::tuple{g_nb, g_sb, g_na, g_sa}}) {
    GSList *c = nice_agent_get_local_candidates(from, fs, 1);
    nice_agent_set_remote_candidates(to, ts, 1, c);
    g_slist_free_full(c, reinterpret_cast<GDestroyNotify>(nice_candidate_free));
  }
  for (int i = 0; i < 500; i++) {
    if (nice_agent_get_component_state(g_na, g_sa, 1) >= NICE_COMPONENT_STATE_CONNECTED &&
        nice_agent_get_component_state(g_nb, g_sb, 1) >= NICE_COMPONENT_STATE_CONNECTED)
      return;
    g_usleep(10000);
  }
  fprintf(stderr, "nice: ICE did not connect (%d, %d)\n",
          nice_agent_get_component_state(g_na, g_sa, 1),
          nice_agent_get_component_state(g_nb, g_sb, 1));
  exit(1);
}

void nice_teardown() {
  g_object_unref(g_na);
  g_object_unref(g_nb);
  g_main_loop_quit(g_nloop);
  g_thread_join(g_nthread);
  g_main_loop_unref(g_nloop);
  g_main_context_unref(g_nctx);
}

// --- plain UDP -----------------------------------------------------------------------------
int g_udp_port;

Result run_once(const Variant &v, guint size, guint packets, guint paced_pps) {
  std::string src_desc = "fakesrc name=gen num-buffers=" + std::to_string(packets) +
                         " sizetype=fixed sizemax=" + std::to_string(size) + " filltype=zero";
  if (paced_pps)
    src_desc += " sync=true datarate=" + std::to_string(size * paced_pps);
  GstElement *tx =
      gst_parse_launch((src_desc + " ! " + v.sink_factory + " name=net").c_str(), nullptr);
  GstElement *rx = gst_parse_launch(
      (v.src_factory + " name=net ! fakesink name=count sync=false async=false").c_str(), nullptr);
  GstElement *tsink = gst_bin_get_by_name(GST_BIN(tx), "net");
  GstElement *rsrc = gst_bin_get_by_name(GST_BIN(rx), "net");
  v.configure(tsink, rsrc);
  gst_element_set_state(rx, GST_STATE_PLAYING);
  gst_element_get_state(rx, nullptr, nullptr, GST_SECOND);
  g_usleep(50000);

  double c0 = cpu_seconds(), w0 = wall_seconds();
  gst_element_set_state(tx, GST_STATE_PLAYING);
  GstBus *bus = gst_element_get_bus(tx);
  GstMessage *m = gst_bus_timed_pop_filtered(
      bus, 120 * GST_SECOND, static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  double w1 = wall_seconds();
  if (!m || GST_MESSAGE_TYPE(m) == GST_MESSAGE_ERROR) {
    fprintf(stderr, "%s: sender failed\n", v.name.c_str());
    exit(1);
  }
  gst_message_unref(m);
  gst_object_unref(bus);
  // Let the receiver drain what is in flight (until no progress for 100 ms).
  GstElement *count = gst_bin_get_by_name(GST_BIN(rx), "count");
  guint64 rendered = 0, prev = ~0ull;
  while (rendered != prev) {
    prev = rendered;
    g_usleep(100000);
    GstStructure *st = nullptr;
    g_object_get(count, "stats", &st, nullptr);
    gst_structure_get_uint64(st, "rendered", &rendered);
    gst_structure_free(st);
  }
  double c1 = cpu_seconds();
  gst_element_set_state(tx, GST_STATE_NULL);
  gst_element_set_state(rx, GST_STATE_NULL);
  gst_object_unref(count);
  gst_object_unref(tsink);
  gst_object_unref(rsrc);
  gst_object_unref(tx);
  gst_object_unref(rx);
  Result r;
  r.pps = rendered / (w1 - w0);
  // The drain wait above is idle time: CPU is what the process used in all.
  r.cpu_us = rendered ? (c1 - c0) * 1e6 / rendered : 0;
  r.loss = 1.0 - double(rendered) / packets;
  r.cpu_sent_us = (c1 - c0) * 1e6 / packets;
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  int runs = 5;
  guint packets = 200000, paced_packets = 100000, paced_pps = 50000;
  std::vector<guint> sizes = {200, 1200};
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--size") && i + 1 < argc)
      sizes = {static_cast<guint>(atoi(argv[++i]))};
    else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--packets") && i + 1 < argc)
      packets = paced_packets = atoi(argv[++i]);
  }
  g_udp_port = 47000 + g_random_int_range(0, 1000);

  std::vector<Variant> variants = {
      {"rtc", rtc_setup, rtc_teardown,
       [](GstElement *s, GstElement *r) {
         g_object_set(s, "transport", g_ta, nullptr);
         g_object_set(r, "transport", g_tb, nullptr);
       },
       "rtcicesink", "rtcicesrc"},
      {"nice", nice_setup, nice_teardown,
       [](GstElement *s, GstElement *r) {
         g_object_set(s, "agent", g_na, "stream", g_sa, "component", 1, nullptr);
         g_object_set(r, "agent", g_nb, "stream", g_sb, "component", 1, nullptr);
       },
       "nicesink sync=false async=false", "nicesrc"},
      {"udp", [] {}, [] {},
       [](GstElement *s, GstElement *r) {
         g_object_set(s, "host", "127.0.0.1", "port", g_udp_port, nullptr);
         g_object_set(r, "address", "127.0.0.1", "port", g_udp_port, nullptr);
       },
       "udpsink sync=false async=false", "udpsrc buffer-size=212992"},
  };

  printf("ICE datagram path on loopback: %d runs per cell (medians); max: %u packets unpaced; "
         "paced: %u packets at %u packets/s\n\n",
         runs, packets, paced_packets, paced_pps);
  printf("| size | variant | max rate (kpps) | loss at max | CPU/packet at max (us) | "
         "CPU/packet paced (us) | rate vs nice | CPU at max vs nice | CPU at max vs udp | "
         "paced CPU vs nice | paced CPU vs udp |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
  // All variants stay connected for the whole run and their runs are interleaved, so that
  // slow moments of the machine spread over all of them instead of biasing one.
  for (auto &v : variants)
    v.setup();
  for (guint size : sizes) {
    size_t nv = variants.size();
    std::vector<std::vector<double>> pps(nv), loss(nv), cpu(nv), cpu_max(nv);
    for (int i = 0; i < runs; i++) {
      for (size_t k = 0; k < nv; k++) {
        Result mx = run_once(variants[k], size, packets, 0);
        pps[k].push_back(mx.pps);
        loss[k].push_back(mx.loss);
        cpu_max[k].push_back(mx.cpu_sent_us);
      }
      for (size_t k = 0; k < nv; k++)
        cpu[k].push_back(run_once(variants[k], size, paced_packets, paced_pps).cpu_us);
    }
    std::vector<std::pair<Result, Result>> med; // (max, paced)
    for (size_t k = 0; k < nv; k++) {
      Result m, p;
      m.pps = median(pps[k]);
      m.loss = median(loss[k]);
      m.cpu_sent_us = median(cpu_max[k]);
      p.cpu_us = median(cpu[k]);
      med.push_back({m, p});
    }
    for (size_t i = 0; i < variants.size(); i++) {
      auto &[m, p] = med[i];
      printf("| %u | %s | %.0f | %.1f%% | %.2f | %.2f | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx |\n",
             size, variants[i].name.c_str(), m.pps / 1000, m.loss * 100, m.cpu_sent_us, p.cpu_us,
             m.pps / med[1].first.pps, m.cpu_sent_us / med[1].first.cpu_sent_us,
             m.cpu_sent_us / med[2].first.cpu_sent_us, p.cpu_us / med[1].second.cpu_us,
             p.cpu_us / med[2].second.cpu_us);
    }
    fflush(stdout);
  }
  for (auto &v : variants)
    v.teardown();
  return 0;
}
