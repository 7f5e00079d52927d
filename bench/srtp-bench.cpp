// SRTP path, protect + unprotect of 1200-byte RTP, side by side in one run:
//   rtc:  rtcdtlssrtpenc -> rtcdtlssrtpdec -> fakesink (keys from a real DTLS handshake)
//   gst:  srtpenc -> srtpdec -> fakesink (gst-plugins-bad, static keys: the anchor)
//   raw:  srtp_protect + srtp_unprotect on one buffer (libsrtp2 itself: the floor)
// Packets enter by gst_pad_chain() from this thread, so everything runs in one thread and no
// queue or scheduling distorts the comparison. Also: DTLS handshake time, ours vs dtlssrtpenc.
#include <gst/rtc/rtc.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

constexpr size_t kPayload = 1200 - 12;

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void write_rtp(guint8 *b, uint32_t i) {
  b[0] = 0x80;
  b[1] = 96;
  GST_WRITE_UINT16_BE(b + 2, i & 0xffff);
  GST_WRITE_UINT32_BE(b + 4, i * 3000);
  GST_WRITE_UINT32_BE(b + 8, 0x12345678);
}

GstBuffer *rtp_buffer(uint32_t i) {
  GstBuffer *buf = gst_buffer_new_allocate(nullptr, 12 + kPayload, nullptr);
  GstMapInfo m;
  gst_buffer_map(buf, &m, GST_MAP_WRITE);
  write_rtp(m.data, i);
  memset(m.data + 12, i & 0xff, kPayload);
  gst_buffer_unmap(buf, &m);
  return buf;
}

void start_stream(GstPad *sink, const char *caps) {
  gst_pad_send_event(sink, gst_event_new_stream_start("bench"));
  GstCaps *c = gst_caps_from_string(caps);
  gst_pad_send_event(sink, gst_event_new_caps(c));
  gst_caps_unref(c);
  GstSegment seg;
  gst_segment_init(&seg, GST_FORMAT_TIME);
  gst_pad_send_event(sink, gst_event_new_segment(&seg));
}

struct Run {
  double cpu_us; // per packet
  double kpps;
  guint64 delivered;
};

// Buffers the fakesink named "count" in `pipe` has rendered so far.
guint64 rendered(GstElement *pipe) {
  GstElement *count = gst_bin_get_by_name(GST_BIN(pipe), "count");
  GstStructure *st = nullptr;
  guint64 n = 0;
  g_object_get(count, "stats", &st, nullptr);
  gst_structure_get_uint64(st, "rendered", &n);
  gst_structure_free(st);
  gst_object_unref(count);
  return n;
}

// Pushes n packets into `sink` (a chain function that ends in fakesink `count`).
Run drive(GstElement *pipe, GstPad *sink, guint n, uint32_t &seq) {
  guint64 before = rendered(pipe);
  double c0 = cpu_seconds();
  gint64 w0 = g_get_monotonic_time();
  for (guint i = 0; i < n; i++)
    gst_pad_chain(sink, rtp_buffer(seq++));
  double c1 = cpu_seconds();
  gint64 w1 = g_get_monotonic_time();
  guint64 after = rendered(pipe);
  return Run{(c1 - c0) * 1e6 / n, n * 1e3 / (w1 - w0), after - before};
}

// --- ours --------------------------------------------------------------------------------
struct Ours {
  GstElement *pipe = nullptr;
  GstPad *sink = nullptr;
  GstRtcDTLSTransport *a = nullptr, *b = nullptr;
  uint32_t seq = 0;
  double handshake_ms = 0;

  explicit Ours(const char *profile) {
    pipe = gst_parse_launch("rtcdtlssrtpenc name=enc_a ! rtcdtlssrtpdec name=dec_b "
                            "dec_b.rtp_src ! fakesink name=count sync=false async=false "
                            "rtcdtlssrtpenc name=enc_b ! rtcdtlssrtpdec name=dec_a",
                            nullptr);
    a = gst_rtc_dtls_transport_new(nullptr);
    b = gst_rtc_dtls_transport_new(nullptr);
    GstRtcCertificate *ca = gst_rtc_certificate_generate(GST_RTC_KEY_TYPE_ECDSA_P256, nullptr);
    GstRtcCertificate *cb = gst_rtc_certificate_generate(GST_RTC_KEY_TYPE_ECDSA_P256, nullptr);
    g_object_set(a, "certificate", ca, "client", TRUE, "srtp-profiles", profile, nullptr);
    g_object_set(b, "certificate", cb, "srtp-profiles", profile, nullptr);
    for (auto [t, c] : {std::pair{a, cb}, std::pair{b, ca}}) {
      gchar *f = gst_rtc_certificate_get_fingerprint(c, "sha-256");
      std::string fp = std::string("sha-256 ") + f;
      gst_rtc_dtls_transport_set_remote_fingerprint(t, fp.c_str(), nullptr);
      g_free(f);
    }
    g_object_unref(ca);
    g_object_unref(cb);
    for (auto [n, t] : {std::pair{"enc_a", a}, std::pair{"dec_a", a}, std::pair{"enc_b", b},
                        std::pair{"dec_b", b}}) {
      GstElement *e = gst_bin_get_by_name(GST_BIN(pipe), n);
      g_object_set(e, "transport", t, nullptr);
      gst_object_unref(e);
    }
    gint64 t0 = g_get_monotonic_time();
    gst_element_set_state(pipe, GST_STATE_PLAYING);
    for (int i = 0; i < 5000; i++) {
      GstRtcDTLSTransportState sa, sb;
      g_object_get(a, "state", &sa, nullptr);
      g_object_get(b, "state", &sb, nullptr);
      if (sa == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED &&
          sb == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED)
        break;
      g_usleep(200);
    }
    handshake_ms = (g_get_monotonic_time() - t0) / 1000.0;
    GstElement *enc = gst_bin_get_by_name(GST_BIN(pipe), "enc_a");
    sink = gst_element_get_static_pad(enc, "rtp_sink");
    gst_object_unref(enc);
    start_stream(sink, "application/x-rtp");
  }
  ~Ours() {
    gst_object_unref(sink);
    gst_element_set_state(pipe, GST_STATE_NULL);
    gst_object_unref(pipe);
    gst_object_unref(a);
    gst_object_unref(b);
  }
};

// --- gst-plugins-bad srtpenc/srtpdec ---------------------------------------------------------
struct Theirs {
  GstElement *pipe = nullptr;
  GstPad *sink = nullptr;
  GstCaps *key_caps = nullptr;
  uint32_t seq = 0;

  explicit Theirs(bool gcm) {
    // 16-byte key + 14-byte salt (AES-CM) or 16 + 12 (GCM), as hex.
    std::string key = gcm ? std::string(56, '1') : std::string(60, '2');
    std::string cipher = gcm ? "aes-128-gcm" : "aes-128-icm";
    std::string auth = gcm ? "null" : "hmac-sha1-80";
    std::string desc = "srtpenc name=enc key=" + key + " rtp-cipher=" + cipher +
                       " rtp-auth=" + auth + " rtcp-cipher=" + cipher + " rtcp-auth=" + auth +
                       " ! srtpdec name=dec ! fakesink name=count sync=false async=false";
    GError *err = nullptr;
    pipe = gst_parse_launch(desc.c_str(), &err);
    if (!pipe) {
      fprintf(stderr, "srtpenc pipeline: %s\n", err->message);
      exit(1);
    }
    // srtpdec asks for the key of each new SSRC.
    std::string caps = "application/x-srtp, srtp-key=(buffer)" + key + ", srtp-cipher=(string)" +
                       cipher + ", srtp-auth=(string)" + auth + ", srtcp-cipher=(string)" + cipher +
                       ", srtcp-auth=(string)" + auth;
    key_caps = gst_caps_from_string(caps.c_str());
    GstElement *dec = gst_bin_get_by_name(GST_BIN(pipe), "dec");
    g_signal_connect(dec, "request-key",
                     G_CALLBACK(+[](GstElement *, guint, gpointer c) -> GstCaps * {
                       return gst_caps_ref(static_cast<GstCaps *>(c));
                     }),
                     key_caps);
    gst_object_unref(dec);
    gst_element_set_state(pipe, GST_STATE_PLAYING);
    GstElement *enc = gst_bin_get_by_name(GST_BIN(pipe), "enc");
    sink = gst_element_request_pad_simple(enc, "rtp_sink_%u");
    gst_object_unref(enc);
    start_stream(sink, "application/x-rtp");
  }
  ~Theirs() {
    GstElement *enc = gst_bin_get_by_name(GST_BIN(pipe), "enc");
    gst_element_release_request_pad(enc, sink);
    gst_object_unref(enc);
    gst_object_unref(sink);
    gst_element_set_state(pipe, GST_STATE_NULL);
    gst_object_unref(pipe);
    gst_caps_unref(key_caps);
  }
};

// --- raw libsrtp2 ----------------------------------------------------------------------------
// An outbound and an inbound libsrtp2 session on the same key (any SSRC, replay window 1024).
void make_srtp_pair(bool gcm, guint8 key_byte, srtp_t *stx, srtp_t *srx) {
  static guint8 key[46];
  memset(key, key_byte, sizeof key);
  srtp_policy_t tx{}, rx{};
  for (srtp_policy_t *p : {&tx, &rx}) {
    if (gcm) {
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
    } else {
      srtp_crypto_policy_set_rtp_default(&p->rtp);
      srtp_crypto_policy_set_rtcp_default(&p->rtcp);
    }
    p->key = key;
    p->window_size = 1024;
  }
  tx.ssrc.type = ssrc_any_outbound;
  rx.ssrc.type = ssrc_any_inbound;
  srtp_create(stx, &tx);
  srtp_create(srx, &rx);
}

Run raw(bool gcm, guint n, uint32_t &seq) {
  srtp_t stx, srx;
  make_srtp_pair(gcm, 7, &stx, &srx);
  std::vector<guint8> buf(12 + kPayload + SRTP_MAX_TRAILER_LEN);
  double c0 = cpu_seconds();
  gint64 w0 = g_get_monotonic_time();
  guint64 ok = 0;
  for (guint i = 0; i < n; i++) {
    write_rtp(buf.data(), seq++);
    memset(buf.data() + 12, i & 0xff, kPayload);
    int len = static_cast<int>(12 + kPayload);
    srtp_protect(stx, buf.data(), &len);
    ok += srtp_unprotect(srx, buf.data(), &len) == srtp_err_status_ok;
  }
  double c1 = cpu_seconds();
  gint64 w1 = g_get_monotonic_time();
  srtp_dealloc(stx);
  srtp_dealloc(srx);
  return Run{(c1 - c0) * 1e6 / n, n * 1e3 / (w1 - w0), ok};
}

// The floor: raw libsrtp2 on the generator's buffer, plus one push into fakesink.
Run raw_push(bool gcm, guint n, uint32_t &seq, GstPad *fakesink_pad, GstElement *pipe) {
  srtp_t stx, srx;
  make_srtp_pair(gcm, 9, &stx, &srx);
  guint64 before = rendered(pipe);
  double c0 = cpu_seconds();
  gint64 w0 = g_get_monotonic_time();
  for (guint i = 0; i < n; i++) {
    // Same generator as the element variants, with room for the trailer.
    GstBuffer *buf =
        gst_buffer_new_allocate(nullptr, 12 + kPayload + SRTP_MAX_TRAILER_LEN, nullptr);
    GstMapInfo m;
    gst_buffer_map(buf, &m, GST_MAP_WRITE);
    write_rtp(m.data, seq++);
    memset(m.data + 12, i & 0xff, kPayload);
    int len = static_cast<int>(12 + kPayload);
    srtp_protect(stx, m.data, &len);
    srtp_unprotect(srx, m.data, &len);
    gst_buffer_unmap(buf, &m);
    gst_buffer_set_size(buf, len);
    gst_pad_chain(fakesink_pad, buf);
  }
  double c1 = cpu_seconds();
  gint64 w1 = g_get_monotonic_time();
  guint64 after = rendered(pipe);
  srtp_dealloc(stx);
  srtp_dealloc(srx);
  return Run{(c1 - c0) * 1e6 / n, n * 1e3 / (w1 - w0), after - before};
}

// gst-plugins-bad's DTLS pair: time from PLAYING to both connected.
double their_handshake_ms() {
  std::string id = "bench-" + std::to_string(g_random_int());
  std::string desc = "dtlssrtpenc name=ea connection-id=" + id +
                     "a is-client=true ! "
                     "dtlssrtpdec connection-id=" +
                     id +
                     "b "
                     "dtlssrtpenc name=eb connection-id=" +
                     id + "b ! dtlssrtpdec connection-id=" + id + "a";
  GstElement *pipe = gst_parse_launch(desc.c_str(), nullptr);
  GstElement *ea = gst_bin_get_by_name(GST_BIN(pipe), "ea");
  GstElement *eb = gst_bin_get_by_name(GST_BIN(pipe), "eb");
  gint64 t0 = g_get_monotonic_time();
  gst_element_set_state(pipe, GST_STATE_PLAYING);
  for (int i = 0; i < 25000; i++) {
    gint sa, sb;
    g_object_get(ea, "connection-state", &sa, nullptr);
    g_object_get(eb, "connection-state", &sb, nullptr);
    if (sa == 4 && sb == 4) // GST_DTLS_CONNECTION_STATE_CONNECTED
      break;
    g_usleep(200);
  }
  double ms = (g_get_monotonic_time() - t0) / 1000.0;
  gst_object_unref(ea);
  gst_object_unref(eb);
  gst_element_set_state(pipe, GST_STATE_NULL);
  gst_object_unref(pipe);
  return ms;
}

} // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  srtp_init();
  int runs = 5;
  guint packets = 100000;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--packets") && i + 1 < argc)
      packets = static_cast<guint>(atoi(argv[++i]));
  }
  printf("SRTP protect + unprotect of 1200-byte RTP, one thread; %d interleaved runs of %u "
         "packets (medians)\n\n",
         runs, packets);
  double our_handshake = 0;
  for (bool gcm : {false, true}) {
    printf("| profile | variant | CPU/packet (us) | packets/s (k) | vs srtpenc/dec | vs raw "
           "libsrtp2 | vs raw + one push |\n|---|---|---|---|---|---|---|\n");
    GstElement *floor_pipe = gst_pipeline_new(nullptr);
    GstElement *floor_fakesink = gst_element_factory_make("fakesink", "count");
    g_object_set(floor_fakesink, "sync", FALSE, "async", FALSE, nullptr);
    gst_bin_add(GST_BIN(floor_pipe), floor_fakesink);
    gst_element_set_state(floor_pipe, GST_STATE_PLAYING);
    GstElement *floor_sink = gst_bin_get_by_name(GST_BIN(floor_pipe), "count");
    GstPad *floor_pad = gst_element_get_static_pad(floor_sink, "sink");
    gst_object_unref(floor_sink);
    start_stream(floor_pad, "application/x-rtp");
    Ours ours(gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80");
    Theirs theirs(gcm);
    uint32_t raw_seq = 0;
    std::vector<double> cpu[4], pps[4];
    guint64 lost[4] = {0, 0, 0, 0};
    uint32_t floor_seq = 0;
    drive(ours.pipe, ours.sink, 1000, ours.seq); // warm up
    drive(theirs.pipe, theirs.sink, 1000, theirs.seq);
    for (int r = 0; r < runs; r++) {
      Run o = drive(ours.pipe, ours.sink, packets, ours.seq);
      Run t = drive(theirs.pipe, theirs.sink, packets, theirs.seq);
      Run w = raw(gcm, packets, raw_seq);
      Run f = raw_push(gcm, packets, floor_seq, floor_pad, floor_pipe);
      for (auto [k, run] : {std::pair{0, o}, std::pair{1, t}, std::pair{2, w}, std::pair{3, f}}) {
        cpu[k].push_back(run.cpu_us);
        pps[k].push_back(run.kpps);
        lost[k] += packets - run.delivered;
      }
    }
    const char *names[] = {"rtc (rtcdtlssrtpenc/dec)", "gst (srtpenc/srtpdec)", "raw libsrtp2",
                           "raw libsrtp2 + one push"};
    double c[4];
    for (int k = 0; k < 4; k++)
      c[k] = median(cpu[k]);
    gst_object_unref(floor_pad);
    gst_element_set_state(floor_pipe, GST_STATE_NULL);
    gst_object_unref(floor_pipe);
    for (int k = 0; k < 4; k++) {
      std::string note = lost[k] ? " " + std::to_string(lost[k]) + " not delivered" : "";
      printf("| %s | %s | %.2f | %.0f | %.2fx | %.2fx | %.2fx |%s\n",
             gcm ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80", names[k], c[k], median(pps[k]),
             c[k] / c[1], c[k] / c[2], c[k] / c[3], note.c_str());
    }
    if (!gcm)
      our_handshake = ours.handshake_ms;
    printf("\n");
    fflush(stdout);
  }
  // The first handshake of the process also pays one-time initialisation; compare warm ones.
  std::vector<double> ours_hs, theirs_hs;
  for (int i = 0; i < 3; i++) {
    ours_hs.push_back(Ours("SRTP_AES128_CM_SHA1_80").handshake_ms);
    theirs_hs.push_back(their_handshake_ms());
  }
  printf("DTLS handshake (in-process, PLAYING to connected, median of 3 after the first): "
         "ours (EC P-256) %.1f ms, gst-plugins-bad dtlssrtpenc/dec %.1f ms; our first one "
         "(process start-up included) %.1f ms\n",
         median(ours_hs), median(theirs_hs), our_handshake);
  return 0;
}
