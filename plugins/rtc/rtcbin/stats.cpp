// get-stats: W3C webrtc-stats types and fields (hyphenated, as webrtcbin writes them), from
// the transports (ICE/DTLS counters, selected pair, certificate) and rtpbin's sessions (per
// SSRC counters and RTCP report blocks).
#include "peerconnection.hpp"

#include "rtcrtptransceiver-private.hpp"

#include <gst/rtc/rtc-enumtypes.h>

#include <map>

namespace gstrtc::rtcbin {

namespace {

GstStructure *new_stats(const std::string &id, GstRtcStatsType type, double ts) {
  return gst_structure_new(id.c_str(), "type", GST_TYPE_RTC_STATS_TYPE, type, "timestamp",
                           G_TYPE_DOUBLE, ts, "id", G_TYPE_STRING, id.c_str(), nullptr);
}

void put(GstStructure *reply, GstStructure *s) {
  gst_structure_set(reply, gst_structure_get_name(s), GST_TYPE_STRUCTURE, s, nullptr);
  gst_structure_free(s);
}

guint64 u64(const GstStructure *s, const char *f) {
  guint64 v = 0;
  if (!gst_structure_get_uint64(s, f, &v)) {
    guint u = 0;
    if (gst_structure_get_uint(s, f, &u))
      v = u;
  }
  return v;
}

guint u32(const GstStructure *s, const char *f) {
  guint v = 0;
  gst_structure_get_uint(s, f, &v);
  return v;
}

void candidate_stats(GstStructure *reply, const GstStructure *pair, const char *side,
                     const std::string &id, double ts) {
  bool local = g_str_equal(side, "local");
  GstStructure *c =
      new_stats(id, local ? GST_RTC_STATS_LOCAL_CANDIDATE : GST_RTC_STATS_REMOTE_CANDIDATE, ts);
  std::string p = side;
  guint port = 0;
  gst_structure_get_uint(pair, (p + "-port").c_str(), &port);
  gst_structure_set(c, "address", G_TYPE_STRING,
                    gst_structure_get_string(pair, (p + "-address").c_str()), "port", G_TYPE_UINT,
                    port, "candidate-type", G_TYPE_STRING,
                    gst_structure_get_string(pair, (p + "-candidate-type").c_str()), "protocol",
                    G_TYPE_STRING, gst_structure_get_string(pair, "protocol"), nullptr);
  put(reply, c);
}

} // namespace

void PeerConnection::get_stats(GstPad *pad, GstPromise *promise) {
  Ref<GstPad> only(pad);
  chain([this, only, promise] { op_get_stats(only.get(), promise); }, promise);
}

void PeerConnection::op_get_stats(GstPad *pad, GstPromise *promise) {
  double ts = g_get_real_time() / 1000.0;
  GstStructure *reply = gst_structure_new_empty("application/x-gst-promise");
  std::lock_guard lk(lock_);
  GstStructure *pcs = new_stats("peer-connection", GST_RTC_STATS_PEER_CONNECTION, ts);
  gst_structure_set(pcs, "transceivers", G_TYPE_UINT, (guint)entries_.size(), nullptr);
  put(reply, pcs);
  if (config_.certificate) {
    gchar *fp = gst_rtc_certificate_get_fingerprint(config_.certificate.get(), "sha-256");
    GstStructure *c = new_stats("certificate-local", GST_RTC_STATS_CERTIFICATE, ts);
    gst_structure_set(c, "fingerprint", G_TYPE_STRING, fp, "fingerprint-algorithm", G_TYPE_STRING,
                      "sha-256", nullptr);
    g_free(fp);
    put(reply, c);
  }
  for (auto &[id, t] : transports_)
    transport_stats(reply, id, *t, ts);
  for (auto &e : entries_) {
    if (!e.transport)
      continue;
    if (pad) {
      GstRtcRTPTransceiver *pt = nullptr;
      if (GST_IS_OBJECT(pad) &&
          g_object_class_find_property(G_OBJECT_GET_CLASS(pad), "transceiver"))
        g_object_get(pad, "transceiver", &pt, nullptr);
      bool match = pt == e.obj.get();
      if (pt)
        gst_object_unref(pt);
      if (!match)
        continue;
    }
    rtp_stats(reply, e, ts);
  }
  gst_promise_reply(promise, reply);
}

void PeerConnection::transport_stats(GstStructure *reply, unsigned id, TransportStack &t,
                                     double ts) {
  std::string tid = "transport-" + std::to_string(id);
  GstStructure *ice = gst_rtc_ice_transport_get_stats(t.ice());
  GstStructure *dtls = gst_rtc_dtls_transport_get_stats(t.dtls());
  GstRtcICEConnectionState ice_state;
  GstRtcDTLSTransportState dtls_state;
  gchar *profile = nullptr, *cipher = nullptr;
  g_object_get(t.ice(), "state", &ice_state, nullptr);
  g_object_get(t.dtls(), "state", &dtls_state, "srtp-profile", &profile, "cipher", &cipher,
               nullptr);
  GstStructure *s = new_stats(tid, GST_RTC_STATS_TRANSPORT, ts);
  gst_structure_set(s, "bytes-sent", G_TYPE_UINT64, u64(ice, "bytes-sent"), "bytes-received",
                    G_TYPE_UINT64, u64(ice, "bytes-received"), "packets-sent", G_TYPE_UINT64,
                    u64(ice, "packets-sent"), "packets-received", G_TYPE_UINT64,
                    u64(ice, "packets-received"), "ice-state", GST_TYPE_RTC_ICE_CONNECTION_STATE,
                    ice_state, "dtls-state", GST_TYPE_RTC_DTLS_TRANSPORT_STATE, dtls_state,
                    "local-certificate-id", G_TYPE_STRING, "certificate-local", nullptr);
  guint64 twcc = 0;
  {
    std::lock_guard ml(media_lock_);
    if (auto it = media_.find(id); it != media_.end())
      twcc = it->second.twcc_feedback;
  }
  // Not in W3C stats: how many transport-cc feedback packets the peer sent about our packets.
  gst_structure_set(s, "transport-cc-feedback-received", G_TYPE_UINT64, twcc, nullptr);
  if (profile)
    gst_structure_set(s, "srtp-cipher", G_TYPE_STRING, profile, nullptr);
  if (cipher)
    gst_structure_set(s, "dtls-cipher", G_TYPE_STRING, cipher, nullptr);
  g_free(profile);
  g_free(cipher);
  if (GstStructure *pair = gst_rtc_ice_transport_get_selected_pair(t.ice())) {
    std::string pid = "candidate-pair-" + std::to_string(id);
    std::string lid = "local-candidate-" + std::to_string(id);
    std::string rid = "remote-candidate-" + std::to_string(id);
    gst_structure_set(s, "selected-candidate-pair-id", G_TYPE_STRING, pid.c_str(), nullptr);
    GstStructure *p = new_stats(pid, GST_RTC_STATS_CANDIDATE_PAIR, ts);
    gst_structure_set(p, "transport-id", G_TYPE_STRING, tid.c_str(), "local-candidate-id",
                      G_TYPE_STRING, lid.c_str(), "remote-candidate-id", G_TYPE_STRING, rid.c_str(),
                      "nominated", G_TYPE_BOOLEAN, TRUE, "bytes-sent", G_TYPE_UINT64,
                      u64(ice, "bytes-sent"), "bytes-received", G_TYPE_UINT64,
                      u64(ice, "bytes-received"), nullptr);
    put(reply, p);
    candidate_stats(reply, pair, "local", lid, ts);
    candidate_stats(reply, pair, "remote", rid, ts);
    gst_structure_free(pair);
  }
  put(reply, s);
  gst_structure_free(ice);
  gst_structure_free(dtls);
}

// One transceiver's codecs and streams, from rtpbin's session of its transport.
void PeerConnection::rtp_stats(GstStructure *reply, const TransceiverEntry &e, double ts) {
  std::string tid = "transport-" + std::to_string(*e.transport);
  const char *kind = e.kind == sdp::MediaKind::Audio ? "audio" : "video";
  std::string codec_id;
  for (const auto &c : e.codecs) {
    std::string id = "codec-" + std::to_string(*e.transport) + "-" + std::to_string(c.pt);
    if (codec_id.empty())
      codec_id = id;
    GstStructure *s = new_stats(id, GST_RTC_STATS_CODEC, ts);
    gst_structure_set(s, "payload-type", G_TYPE_UINT, (guint)c.pt, "clock-rate", G_TYPE_UINT,
                      c.clock_rate, "mime-type", G_TYPE_STRING,
                      (std::string(kind) + "/" + c.name).c_str(), "transport-id", G_TYPE_STRING,
                      tid.c_str(), nullptr);
    if (c.channels)
      gst_structure_set(s, "channels", G_TYPE_UINT, c.channels, nullptr);
    put(reply, s);
  }
  GObject *session = nullptr;
  g_signal_emit_by_name(rtpbin_, "get-internal-session", *e.transport, &session);
  if (!session)
    return;
  GstStructure *ss = nullptr;
  g_object_get(session, "stats", &ss, nullptr);
  g_object_unref(session);
  if (!ss)
    return;
  // rtpsession's "source-stats" is a GValueArray (deprecated, but what rtpsession gives).
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  const GValue *v = gst_structure_get_value(ss, "source-stats");
  GValueArray *arr = v && G_VALUE_HOLDS(v, g_value_array_get_type())
                         ? static_cast<GValueArray *>(g_value_get_boxed(v))
                         : nullptr;
  const auto *t = e.engine_id ? engine().transceiver(*e.engine_id) : nullptr;
  std::map<uint32_t, SessionMedia::Report> reports;
  std::map<uint32_t, std::shared_ptr<std::atomic<guint64>>> frames_received;
  {
    std::lock_guard ml(media_lock_);
    if (auto it = media_.find(*e.transport); it != media_.end()) {
      reports = it->second.reports;
      frames_received = it->second.frames_received;
    }
  }
  for (guint i = 0; arr && i < arr->n_values; i++) {
    const GstStructure *src = gst_value_get_structure(g_value_array_get_nth(arr, i));
    guint ssrc = u32(src, "ssrc");
    gboolean internal = FALSE;
    gst_structure_get_boolean(src, "internal", &internal);
    bool ours = internal && t && ssrc == t->ssrc;
    bool theirs = false;
    for (const auto &r : e.remote_ssrcs)
      theirs |= r.ssrc == ssrc;
    if (!ours && !theirs)
      continue;
    std::string sid = std::to_string(ssrc);
    if (ours) {
      std::string id = "outbound-rtp-" + sid, rid = "remote-inbound-rtp-" + sid;
      GstStructure *s = new_stats(id, GST_RTC_STATS_OUTBOUND_RTP, ts);
      gst_structure_set(
          s, "ssrc", G_TYPE_UINT, ssrc, "kind", G_TYPE_STRING, kind, "mid", G_TYPE_STRING,
          e.mid.c_str(), "transport-id", G_TYPE_STRING, tid.c_str(), "codec-id", G_TYPE_STRING,
          codec_id.c_str(), "packets-sent", G_TYPE_UINT64, u64(src, "packets-sent"), "bytes-sent",
          G_TYPE_UINT64, u64(src, "octets-sent"), "nack-count", G_TYPE_UINT,
          u32(src, "recv-nack-count"), "pli-count", G_TYPE_UINT, u32(src, "recv-pli-count"),
          "fir-count", G_TYPE_UINT, u32(src, "recv-fir-count"), "remote-id", G_TYPE_STRING,
          rid.c_str(), nullptr);
      // W3C media-source: what the sink pad brought (frames for video), per sending SSRC.
      std::string msid = "media-source-" + sid;
      gst_structure_set(s, "media-source-id", G_TYPE_STRING, msid.c_str(), nullptr);
      GstStructure *ms = new_stats(msid, GST_RTC_STATS_MEDIA_SOURCE, ts);
      gst_structure_set(ms, "kind", G_TYPE_STRING, kind, "track-identifier", G_TYPE_STRING,
                        e.mid.c_str(), nullptr);
      if (e.kind == sdp::MediaKind::Video && e.sender) {
        gst_structure_set(s, "frames-sent", G_TYPE_UINT64, e.sender->frames(), nullptr);
        gst_structure_set(ms, "frames", G_TYPE_UINT64, e.sender->frames(), nullptr);
      }
      put(reply, ms);
      put(reply, s);
      if (auto rb = reports.find(ssrc); rb != reports.end()) {
        const auto &rep = rb->second;
        int rate = 0;
        gst_structure_get_int(src, "clock-rate", &rate);
        GstStructure *r = new_stats(rid, GST_RTC_STATS_REMOTE_INBOUND_RTP, ts);
        gst_structure_set(r, "ssrc", G_TYPE_UINT, ssrc, "kind", G_TYPE_STRING, kind, "local-id",
                          G_TYPE_STRING, id.c_str(), "packets-lost", G_TYPE_INT64, rep.packets_lost,
                          "jitter", G_TYPE_DOUBLE, rate > 0 ? rep.jitter_units / rate : 0.0,
                          "fraction-lost", G_TYPE_DOUBLE, rep.fraction_lost, nullptr);
        if (rep.rtt_s >= 0)
          gst_structure_set(r, "round-trip-time", G_TYPE_DOUBLE, rep.rtt_s, nullptr);
        put(reply, r);
      }
    } else {
      std::string id = "inbound-rtp-" + sid, rid = "remote-outbound-rtp-" + sid;
      int rate = 0;
      gst_structure_get_int(src, "clock-rate", &rate);
      gint lost = 0;
      gst_structure_get_int(src, "packets-lost", &lost);
      GstStructure *s = new_stats(id, GST_RTC_STATS_INBOUND_RTP, ts);
      gst_structure_set(
          s, "ssrc", G_TYPE_UINT, ssrc, "kind", G_TYPE_STRING, kind, "mid", G_TYPE_STRING,
          e.mid.c_str(), "transport-id", G_TYPE_STRING, tid.c_str(), "codec-id", G_TYPE_STRING,
          codec_id.c_str(), "packets-received", G_TYPE_UINT64, u64(src, "packets-received"),
          "bytes-received", G_TYPE_UINT64, u64(src, "octets-received"), "packets-lost",
          G_TYPE_INT64, (gint64)lost, "jitter", G_TYPE_DOUBLE,
          rate > 0 ? u32(src, "jitter") / double(rate) : 0.0, "nack-count", G_TYPE_UINT,
          u32(src, "sent-nack-count"), "pli-count", G_TYPE_UINT, u32(src, "sent-pli-count"),
          "fir-count", G_TYPE_UINT, u32(src, "sent-fir-count"), "remote-id", G_TYPE_STRING,
          rid.c_str(), nullptr);
      if (e.kind == sdp::MediaKind::Video) {
        auto f = frames_received.find(ssrc);
        gst_structure_set(s, "frames-received", G_TYPE_UINT64,
                          f != frames_received.end() ? f->second->load() : (guint64)0, nullptr);
      }
      put(reply, s);
      gboolean have_sr = FALSE;
      gst_structure_get_boolean(src, "have-sr", &have_sr);
      if (have_sr) {
        GstStructure *r = new_stats(rid, GST_RTC_STATS_REMOTE_OUTBOUND_RTP, ts);
        gst_structure_set(r, "ssrc", G_TYPE_UINT, ssrc, "kind", G_TYPE_STRING, kind, "local-id",
                          G_TYPE_STRING, id.c_str(), "packets-sent", G_TYPE_UINT64,
                          u64(src, "sr-packet-count"), "bytes-sent", G_TYPE_UINT64,
                          u64(src, "sr-octet-count"), nullptr);
        put(reply, r);
      }
    }
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
  gst_structure_free(ss);
}

} // namespace gstrtc::rtcbin
