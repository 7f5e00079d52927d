// make demo: the most complete session gst-rtc can run today. Two pipelines in this process
// find each other with ICE over 127.0.0.1 (this program plays signalling): A sends VP8 video to
// B, B sends Opus audio to A, both decode. It prints the connection timeline, the selected pair
// and once-a-second rates, then ends by itself with a summary (exit 1 if nothing decoded).
#include <gst/rtc/rtc.h>

#include <atomic>
#include <cstdio>
#include <string>

namespace {

constexpr int kSeconds = 6;

gint64 g_t0;
double since_start_ms() {
  return (g_get_monotonic_time() - g_t0) / 1000.0;
}

const char *state_name(GstRtcICEConnectionState s) {
  static const char *names[] = {"new",    "checking",     "connected", "completed",
                                "failed", "disconnected", "closed"};
  return names[s];
}

struct Side {
  const char *name;
  GstRtcICETransport *t;
  GstElement *pipeline = nullptr;
  std::atomic<guint64> frames{0};
};

void on_state(GstRtcICETransport *t, GParamSpec *, Side *side) {
  GstRtcICEConnectionState s;
  g_object_get(t, "state", &s, nullptr);
  printf("[%8.1f ms] %s: ICE %s\n", since_start_ms(), side->name, state_name(s));
}

void on_pair(GstRtcICETransport *t, Side *side) {
  GstStructure *p = gst_rtc_ice_transport_get_selected_pair(t);
  if (!p)
    return;
  printf("[%8.1f ms] %s: selected pair %s:%u (%s) -> %s:%u (%s) over %s\n", since_start_ms(),
         side->name, gst_structure_get_string(p, "local-address"),
         g_value_get_uint(gst_structure_get_value(p, "local-port")),
         gst_structure_get_string(p, "local-candidate-type"),
         gst_structure_get_string(p, "remote-address"),
         g_value_get_uint(gst_structure_get_value(p, "remote-port")),
         gst_structure_get_string(p, "remote-candidate-type"),
         gst_structure_get_string(p, "protocol"));
  gst_structure_free(p);
}

void wire(GstRtcICETransport *from, GstRtcICETransport *to) {
  g_signal_connect(from, "on-local-candidate",
                   G_CALLBACK(+[](GstRtcICETransport *, const gchar *c, gpointer to) {
                     GError *err = nullptr;
                     if (!gst_rtc_ice_transport_add_remote_candidate(
                             static_cast<GstRtcICETransport *>(to), c, &err)) {
                       fprintf(stderr, "candidate rejected: %s\n", err->message);
                       g_error_free(err);
                     }
                   }),
                   to);
  g_signal_connect(from, "on-gathering-done", G_CALLBACK(+[](GstRtcICETransport *, gpointer to) {
                     gst_rtc_ice_transport_end_of_remote_candidates(
                         static_cast<GstRtcICETransport *>(to));
                   }),
                   to);
  gchar *u, *p;
  gst_rtc_ice_transport_get_local_credentials(from, &u, &p);
  gst_rtc_ice_transport_set_remote_credentials(to, u, p, nullptr);
  g_free(u);
  g_free(p);
}

GstElement *launch(const char *desc, Side *side, GstRtcICETransport *t) {
  GError *err = nullptr;
  GstElement *p = gst_parse_launch(desc, &err);
  if (!p) {
    fprintf(stderr, "pipeline: %s\n", err->message);
    exit(2);
  }
  GstElement *sink = gst_bin_get_by_name(GST_BIN(p), "net_out");
  GstElement *src = gst_bin_get_by_name(GST_BIN(p), "net_in");
  g_object_set(sink, "transport", t, nullptr);
  g_object_set(src, "transport", t, nullptr);
  GstElement *counter = gst_bin_get_by_name(GST_BIN(p), "decoded");
  g_signal_connect(counter, "handoff",
                   G_CALLBACK(+[](GstElement *, GstBuffer *, GstPad *, gpointer s) {
                     static_cast<Side *>(s)->frames++;
                   }),
                   side);
  gst_object_unref(sink);
  gst_object_unref(src);
  gst_object_unref(counter);
  return p;
}

// Prints errors and warnings the pipelines posted; true if any error.
bool drain_bus(Side &side) {
  bool error = false;
  GstBus *bus = gst_element_get_bus(side.pipeline);
  while (GstMessage *m = gst_bus_pop_filtered(
             bus, static_cast<GstMessageType>(GST_MESSAGE_ERROR | GST_MESSAGE_WARNING))) {
    GError *err = nullptr;
    gchar *dbg = nullptr;
    if (GST_MESSAGE_TYPE(m) == GST_MESSAGE_ERROR) {
      gst_message_parse_error(m, &err, &dbg);
      error = true;
    } else {
      gst_message_parse_warning(m, &err, &dbg);
    }
    fprintf(stderr, "%s: %s: %s (%s)\n", side.name, GST_MESSAGE_SRC_NAME(m), err->message,
            dbg ? dbg : "");
    g_error_free(err);
    g_free(dbg);
    gst_message_unref(m);
  }
  gst_object_unref(bus);
  return error;
}

guint64 stat(GstRtcICETransport *t, const char *field) {
  GstStructure *s = gst_rtc_ice_transport_get_stats(t);
  guint64 v = 0;
  gst_structure_get_uint64(s, field, &v);
  gst_structure_free(s);
  return v;
}

} // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  g_t0 = g_get_monotonic_time();
  printf("gst-rtc demo: two ICE transports on 127.0.0.1, VP8 video A->B, Opus audio B->A\n");

  GstRtcICETransport *ta = gst_rtc_ice_transport_new("A");
  GstRtcICETransport *tb = gst_rtc_ice_transport_new("B");
  Side a{"A", ta}, b{"B", tb};
  for (Side *s : {&a, &b}) {
    g_object_set(s->t, "ice-addresses", "127.0.0.1", "ice-tcp", FALSE, nullptr);
    g_signal_connect(s->t, "notify::state", G_CALLBACK(on_state), s);
    g_signal_connect(s->t, "on-selected-candidate-pair-change", G_CALLBACK(on_pair), s);
  }
  g_object_set(tb, "role", GST_RTC_ICE_ROLE_CONTROLLED, nullptr);
  wire(ta, tb);
  wire(tb, ta);

  a.pipeline = launch(
      "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1 "
      "! vp8enc deadline=1 cpu-used=8 target-bitrate=1500000 keyframe-max-dist=30 ! rtpvp8pay "
      "pt=96 mtu=1200 "
      "! rtcicesink name=net_out "
      "rtcicesrc name=net_in ! application/x-rtp,media=audio,encoding-name=OPUS,"
      "clock-rate=48000,payload=111 ! rtpjitterbuffer latency=50 ! rtpopusdepay ! opusdec "
      "! fakesink name=decoded signal-handoffs=true sync=false async=false",
      &a, ta);
  b.pipeline =
      launch("audiotestsrc is-live=true wave=ticks ! audio/x-raw,rate=48000,channels=2 ! opusenc "
             "! rtpopuspay pt=111 ! rtcicesink name=net_out "
             "rtcicesrc name=net_in ! application/x-rtp,media=video,encoding-name=VP8,"
             "clock-rate=90000,payload=96 ! rtpjitterbuffer latency=50 ! rtpvp8depay ! vp8dec "
             "! fakesink name=decoded signal-handoffs=true sync=false async=false",
             &b, tb);
  gst_element_set_state(a.pipeline, GST_STATE_PLAYING);
  gst_element_set_state(b.pipeline, GST_STATE_PLAYING);

  printf("[%8.1f ms] gathering\n", since_start_ms());
  gst_rtc_ice_transport_gather_candidates(ta, nullptr);
  gst_rtc_ice_transport_gather_candidates(tb, nullptr);

  guint64 last_ab = 0, last_ba = 0, last_bytes_ab = 0, last_bytes_ba = 0;
  for (int sec = 1; sec <= kSeconds; sec++) {
    g_usleep(G_USEC_PER_SEC);
    if (drain_bus(a) | drain_bus(b))
      break;
    guint64 ab = stat(tb, "packets-received"), ba = stat(ta, "packets-received");
    guint64 bab = stat(tb, "bytes-received"), bba = stat(ta, "bytes-received");
    printf("[%8.1f ms] A->B video %5llu pkt/s %6.0f kbit/s, %4llu frames decoded | "
           "B->A audio %4llu pkt/s %4.0f kbit/s, %4llu buffers decoded\n",
           since_start_ms(), (unsigned long long)(ab - last_ab), (bab - last_bytes_ab) * 8 / 1000.0,
           (unsigned long long)b.frames.load(), (unsigned long long)(ba - last_ba),
           (bba - last_bytes_ba) * 8 / 1000.0, (unsigned long long)a.frames.load());
    last_ab = ab;
    last_ba = ba;
    last_bytes_ab = bab;
    last_bytes_ba = bba;
  }

  gst_element_set_state(a.pipeline, GST_STATE_NULL);
  gst_element_set_state(b.pipeline, GST_STATE_NULL);
  printf("\nsummary: A->B %llu packets, %llu video frames decoded; B->A %llu packets, %llu "
         "audio buffers decoded; dropped before connection: %llu\n",
         (unsigned long long)stat(tb, "packets-received"), (unsigned long long)b.frames.load(),
         (unsigned long long)stat(ta, "packets-received"), (unsigned long long)a.frames.load(),
         (unsigned long long)(stat(ta, "packets-dropped-not-writable") +
                              stat(tb, "packets-dropped-not-writable")));
  bool ok = b.frames > 0 && a.frames > 0;
  gst_object_unref(a.pipeline);
  gst_object_unref(b.pipeline);
  gst_object_unref(ta);
  gst_object_unref(tb);
  printf("%s\n", ok ? "demo: OK" : "demo: FAILED (nothing decoded)");
  return ok ? 0 : 1;
}
