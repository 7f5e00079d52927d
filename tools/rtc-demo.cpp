// make demo: a complete WebRTC call on this machine. The sender (test video and audio ->
// VP8/Opus encoders -> rtcbin) calls the receiver (rtcbin -> decoders -> frame counter, and the
// received streams recorded to demo-video.webm / demo-audio.ogg) over 127.0.0.1; this program
// is the signalling between them (offer, answer and trickled candidates, as a web server would
// relay them). It prints the connection timeline and once a second the stats both bins report,
// then ends by itself with a summary; exit 1 if anything failed or nothing was decoded.
//
//   rtc-demo [seconds] [output directory]
#include <glib/gstdio.h>
#include <gst/rtc/rtc.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

namespace {

gint64 g_t0;
std::mutex g_print_lock; // one line at a time from the bins' threads

void event(const char *who, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void event(const char *who, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  gchar *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  std::lock_guard lk(g_print_lock);
  printf("[%8.1f ms] %-8s %s\n", (g_get_monotonic_time() - g_t0) / 1000.0, who, msg);
  fflush(stdout);
  g_free(msg);
}

struct Peer {
  const char *name;
  GstElement *pipeline = nullptr, *pc = nullptr;
  Peer *remote = nullptr;
  std::string dir;
  std::atomic<guint64> video_frames{0}, audio_buffers{0};
  std::atomic<int> candidates{0};
  std::atomic<bool> failed{false}, first_frame{false};
};

// --- signalling (what a web server would relay) ---------------------------------------------

std::string reply_sdp(GstPromise *p, const char *field, Peer *peer) {
  const GstStructure *r = gst_promise_get_reply(p);
  if (!r || gst_structure_has_field(r, "error")) {
    GError *e = nullptr;
    if (r)
      gst_structure_get(r, "error", G_TYPE_ERROR, &e, nullptr);
    event(peer->name, "%s failed: %s", field, e ? e->message : "no reply");
    g_clear_error(&e);
    peer->failed = true;
    return {};
  }
  GstRtcSessionDescription *d = nullptr;
  gst_structure_get(r, field, GST_TYPE_RTC_SESSION_DESCRIPTION, &d, nullptr);
  gchar *text = gst_rtc_session_description_to_text(d);
  std::string s = text;
  g_free(text);
  gst_rtc_session_description_free(d);
  return s;
}

void set_description(Peer *peer, bool local, GstRtcSDPType type, const std::string &sdp) {
  GstRtcSessionDescription *d =
      gst_rtc_session_description_new_from_text(type, sdp.c_str(), nullptr);
  g_signal_emit_by_name(peer->pc, local ? "set-local-description" : "set-remote-description", d,
                        nullptr);
  gst_rtc_session_description_free(d);
}

void on_answer(GstPromise *p, gpointer data) {
  auto *b = static_cast<Peer *>(data);
  std::string answer = reply_sdp(p, "answer", b);
  gst_promise_unref(p);
  if (answer.empty())
    return;
  event(b->name, "answer created (%zu bytes): set locally, sent to %s", answer.size(),
        b->remote->name);
  set_description(b, true, GST_RTC_SDP_TYPE_ANSWER, answer);
  set_description(b->remote, false, GST_RTC_SDP_TYPE_ANSWER, answer);
}

void on_offer(GstPromise *p, gpointer data) {
  auto *a = static_cast<Peer *>(data);
  std::string offer = reply_sdp(p, "offer", a);
  gst_promise_unref(p);
  if (offer.empty())
    return;
  event(a->name, "offer created (%zu bytes): set locally, sent to %s", offer.size(),
        a->remote->name);
  set_description(a, true, GST_RTC_SDP_TYPE_OFFER, offer);
  Peer *b = a->remote;
  set_description(b, false, GST_RTC_SDP_TYPE_OFFER, offer);
  g_signal_emit_by_name(b->pc, "create-answer", nullptr,
                        gst_promise_new_with_change_func(on_answer, b, nullptr));
}

void on_negotiation_needed(GstElement *, Peer *a) {
  event(a->name, "negotiation needed: creating an offer");
  g_signal_emit_by_name(a->pc, "create-offer", nullptr,
                        gst_promise_new_with_change_func(on_offer, a, nullptr));
}

void on_ice_candidate(GstElement *, guint mline, const gchar *cand, Peer *p) {
  if (p->candidates++ == 0)
    event(p->name, "first ICE candidate: %s", cand);
  g_signal_emit_by_name(p->remote->pc, "add-ice-candidate", mline, cand);
}

void on_state(GstElement *pc, GParamSpec *pspec, Peer *p) {
  GValue v = G_VALUE_INIT;
  g_value_init(&v, pspec->value_type);
  g_object_get_property(G_OBJECT(pc), pspec->name, &v);
  GEnumValue *ev =
      g_enum_get_value(G_ENUM_CLASS(g_type_class_peek(pspec->value_type)), g_value_get_enum(&v));
  event(p->name, "%s: %s", pspec->name, ev ? ev->value_nick : "?");
  g_value_unset(&v);
}

// --- receiving: decode and count, and record ------------------------------------------------

void on_decoded(GstElement *, GstBuffer *, GstPad *, Peer *p) {
  if (!p->first_frame.exchange(true))
    event(p->name, "first video frame decoded");
  p->video_frames++;
}

void on_audio(GstElement *, GstBuffer *, GstPad *, Peer *p) {
  p->audio_buffers++;
}

void on_pad_added(GstElement *, GstPad *pad, Peer *p) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
    return;
  GstCaps *caps = gst_pad_get_current_caps(pad);
  const gchar *enc = gst_structure_get_string(gst_caps_get_structure(caps, 0), "encoding-name");
  bool video = g_strcmp0(enc, "VP8") == 0;
  event(p->name, "remote %s track: %s", video ? "video" : "audio", GST_PAD_NAME(pad));
  gst_caps_unref(caps);
  std::string desc =
      video
          ? "rtpvp8depay ! tee name=t ! queue ! vp8dec ! fakesink name=count signal-handoffs=true "
            "sync=false async=false t. ! queue ! webmmux ! filesink location=\"" +
                p->dir + "/demo-video.webm\" async=false"
          : "rtpopusdepay ! tee name=t ! queue ! opusdec ! fakesink name=count "
            "signal-handoffs=true sync=false async=false t. ! queue ! oggmux ! filesink "
            "location=\"" +
                p->dir + "/demo-audio.ogg\" async=false";
  GstElement *bin = gst_parse_bin_from_description(desc.c_str(), TRUE, nullptr);
  GstElement *count = gst_bin_get_by_name(GST_BIN(bin), "count");
  g_signal_connect(count, "handoff", video ? G_CALLBACK(on_decoded) : G_CALLBACK(on_audio), p);
  gst_object_unref(count);
  gst_bin_add(GST_BIN(p->pipeline), bin);
  gst_element_sync_state_with_parent(bin);
  GstPad *sink = gst_element_get_static_pad(bin, "sink");
  gst_pad_link(pad, sink);
  gst_object_unref(sink);
}

// --- stats ------------------------------------------------------------------------------------

using Stats = std::map<std::string, GstStructure *>; // by type nick (first of each), owned

struct Report {
  guint64 bytes_sent = 0, bytes_received = 0, packets_lost = 0, nacks = 0;
  double rtt_ms = -1;
};

Report report(Peer *p) {
  GstPromise *promise = gst_promise_new();
  g_signal_emit_by_name(p->pc, "get-stats", nullptr, promise);
  gst_promise_wait(promise);
  Report r;
  const GstStructure *reply = gst_promise_get_reply(promise);
  for (int i = 0; reply && i < gst_structure_n_fields(reply); i++) {
    const GstStructure *s = gst_value_get_structure(
        gst_structure_get_value(reply, gst_structure_nth_field_name(reply, i)));
    GstRtcStatsType type;
    if (!gst_structure_get(s, "type", GST_TYPE_RTC_STATS_TYPE, &type, nullptr))
      continue;
    guint64 u = 0;
    gint64 lost = 0;
    guint n = 0;
    double rtt = 0;
    if (type == GST_RTC_STATS_TRANSPORT) {
      gst_structure_get_uint64(s, "bytes-sent", &u);
      r.bytes_sent += u;
      gst_structure_get_uint64(s, "bytes-received", &u);
      r.bytes_received += u;
    } else if (type == GST_RTC_STATS_INBOUND_RTP) {
      if (gst_structure_get_int64(s, "packets-lost", &lost) && lost > 0)
        r.packets_lost += lost;
      if (gst_structure_get_uint(s, "nack-count", &n))
        r.nacks += n;
    } else if (type == GST_RTC_STATS_REMOTE_INBOUND_RTP) {
      if (gst_structure_get_double(s, "round-trip-time", &rtt) && rtt > 0)
        r.rtt_ms = std::max(r.rtt_ms, rtt * 1000);
    }
  }
  gst_promise_unref(promise);
  return r;
}

bool drain_bus(Peer &p) {
  bool error = false;
  GstBus *bus = gst_element_get_bus(p.pipeline);
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
    event(p.name, "%s: %s: %s (%s)", GST_MESSAGE_TYPE_NAME(m), GST_MESSAGE_SRC_NAME(m),
          err->message, dbg ? dbg : "");
    g_error_free(err);
    g_free(dbg);
    gst_message_unref(m);
  }
  gst_object_unref(bus);
  return error;
}

GstElement *make_pipeline(Peer &p, const char *sources) {
  std::string desc = std::string("rtcbin name=pc ice-addresses=127.0.0.1 ice-tcp=false ") + sources;
  GError *err = nullptr;
  GstElement *pipe = gst_parse_launch(desc.c_str(), &err);
  if (!pipe) {
    fprintf(stderr, "pipeline: %s\n", err->message);
    exit(2);
  }
  if (!GST_IS_PIPELINE(pipe)) { // a lone rtcbin: parse_launch gives the element itself
    GstElement *bin = gst_pipeline_new(p.name);
    gst_bin_add(GST_BIN(bin), pipe);
    pipe = bin;
  }
  p.pipeline = pipe;
  p.pc = gst_bin_get_by_name(GST_BIN(pipe), "pc");
  g_signal_connect(p.pc, "on-ice-candidate", G_CALLBACK(on_ice_candidate), &p);
  g_signal_connect(p.pc, "pad-added", G_CALLBACK(on_pad_added), &p);
  for (const char *prop : {"notify::signaling-state", "notify::ice-gathering-state",
                           "notify::ice-connection-state", "notify::connection-state"})
    g_signal_connect(p.pc, prop, G_CALLBACK(on_state), &p);
  return pipe;
}

} // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  int seconds = argc > 1 ? std::max(2, atoi(argv[1])) : 8;
  std::string dir = argc > 2 ? argv[2] : ".";
  g_t0 = g_get_monotonic_time();
  printf("gst-rtc demo: a WebRTC call over 127.0.0.1 between two rtcbins, %d s\n"
         "  sender:   videotestsrc ! vp8enc ! rtpvp8pay ! rtcbin, audiotestsrc ! opusenc ! "
         "rtpopuspay ! rtcbin\n"
         "  receiver: rtcbin ! decoders ! frame counter, and recording to %s/demo-video.webm, "
         "%s/demo-audio.ogg\n\n",
         seconds, dir.c_str(), dir.c_str());

  Peer sender{"sender"}, receiver{"receiver"};
  sender.remote = &receiver;
  receiver.remote = &sender;
  receiver.dir = dir;
  make_pipeline(sender, "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,"
                        "framerate=30/1 ! vp8enc deadline=1 cpu-used=8 target-bitrate=1500000 "
                        "keyframe-max-dist=60 ! rtpvp8pay pt=96 ! pc. "
                        "audiotestsrc is-live=true wave=ticks ! opusenc ! rtpopuspay pt=97 ! pc.");
  make_pipeline(receiver, "");
  g_signal_connect(sender.pc, "on-negotiation-needed", G_CALLBACK(on_negotiation_needed), &sender);
  gst_element_set_state(receiver.pipeline, GST_STATE_PLAYING);
  gst_element_set_state(sender.pipeline, GST_STATE_PLAYING);

  bool error = false;
  Report last_s, last_r;
  guint64 last_frames = 0;
  for (int sec = 1; sec <= seconds && !error; sec++) {
    g_usleep(G_USEC_PER_SEC);
    error = drain_bus(sender) | drain_bus(receiver) || sender.failed || receiver.failed;
    Report s = report(&sender), r = report(&receiver);
    guint64 frames = receiver.video_frames;
    std::lock_guard lk(g_print_lock);
    printf("[%8.1f ms] stats    sent %6.0f kbit/s | received %6.0f kbit/s, %3llu fps, lost %llu, "
           "nack %llu | RTT %s\n",
           (g_get_monotonic_time() - g_t0) / 1000.0,
           (s.bytes_sent - last_s.bytes_sent) * 8 / 1000.0,
           (r.bytes_received - last_r.bytes_received) * 8 / 1000.0,
           (unsigned long long)(frames - last_frames), (unsigned long long)r.packets_lost,
           (unsigned long long)r.nacks,
           s.rtt_ms >= 0 ? (std::to_string(s.rtt_ms).substr(0, 5) + " ms").c_str() : "n/a");
    fflush(stdout);
    last_s = s;
    last_r = r;
    last_frames = frames;
  }
  // EOS through the recorders so the files are complete, then stop.
  gst_element_send_event(receiver.pipeline, gst_event_new_eos());
  GstBus *bus = gst_element_get_bus(receiver.pipeline);
  GstMessage *eos = gst_bus_timed_pop_filtered(bus, 3 * GST_SECOND, GST_MESSAGE_EOS);
  if (eos)
    gst_message_unref(eos);
  gst_object_unref(bus);
  gst_element_set_state(sender.pipeline, GST_STATE_NULL);
  gst_element_set_state(receiver.pipeline, GST_STATE_NULL);

  auto size_of = [&](const char *f) {
    GStatBuf st;
    std::string path = dir + "/" + f;
    return g_stat(path.c_str(), &st) == 0 ? (long long)st.st_size : -1LL;
  };
  printf("\nsummary: %llu video frames and %llu audio buffers decoded in %d s; %d + %d ICE "
         "candidates; recorded demo-video.webm (%lld bytes), demo-audio.ogg (%lld bytes)\n",
         (unsigned long long)receiver.video_frames.load(),
         (unsigned long long)receiver.audio_buffers.load(), seconds, sender.candidates.load(),
         receiver.candidates.load(), size_of("demo-video.webm"), size_of("demo-audio.ogg"));
  bool ok = !error && receiver.video_frames > 0 && receiver.audio_buffers > 0;
  for (Peer *p : {&sender, &receiver}) {
    gst_object_unref(p->pc);
    gst_object_unref(p->pipeline);
  }
  printf("%s\n", ok ? "demo: OK" : "demo: FAILED");
  return ok ? 0 : 1;
}
