// rtcbin's media: sink pads into rtpbin's send sessions, rtpbin's receive streams out as src
// pads, and what rtpbin asks for on its streaming threads (PT caps, RTX, NACK).
#include "jsep/codeccaps.hpp"
#include "jsep/extensions.hpp"

#include <algorithm>
#include <initializer_list>
#include <vector>
#include "peerconnection.hpp"
#include "rtcrtptransceiver-private.hpp"
#include "sender.hpp"

#include <gst/rtp/gstrtcpbuffer.h>

GST_DEBUG_CATEGORY_EXTERN(gst_rtc_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_bin_debug

namespace gstrtc::rtcbin {

namespace {

bool sends(sdp::Direction d) {
  return d == sdp::Direction::SendRecv || d == sdp::Direction::SendOnly;
}
bool receives(sdp::Direction d) {
  return d == sdp::Direction::SendRecv || d == sdp::Direction::RecvOnly;
}

// The negotiated codec the pad's caps describe, else the first one (what we announced).
const sdp::Codec *send_codec(const std::vector<sdp::Codec> &codecs, GstCaps *caps) {
  const sdp::Codec *first = nullptr;
  for (const auto &c : codecs) {
    if (jsep::role_of(c) != jsep::CodecRole::Media)
      continue;
    if (!first)
      first = &c;
    if (!caps)
      break;
    auto mine = jsep::codec_from_structure(gst_caps_get_structure(caps, 0));
    if (mine && jsep::same_format(*mine, c))
      return &c;
  }
  return first;
}

void set_red_payloads(GstElement *dec, const std::vector<int> &pts) {
  GValue arr = G_VALUE_INIT, v = G_VALUE_INIT;
  gst_value_array_init(&arr, pts.size());
  g_value_init(&v, G_TYPE_INT);
  for (int pt : pts) {
    g_value_set_int(&v, pt);
    gst_value_array_append_value(&arr, &v);
  }
  g_object_set_property(G_OBJECT(dec), "payloads", &arr);
  g_value_unset(&v);
  g_value_unset(&arr);
}

std::shared_ptr<GWeakRef> weak(GstElement *e) {
  auto w = std::shared_ptr<GWeakRef>(new GWeakRef, [](GWeakRef *r) {
    g_weak_ref_clear(r);
    delete r;
  });
  g_weak_ref_init(w.get(), e);
  return w;
}

// Calls f on each element still alive, and forgets the others.
template <typename F> void each_alive(std::vector<std::shared_ptr<GWeakRef>> &v, F f) {
  for (auto it = v.begin(); it != v.end();) {
    auto *e = static_cast<GstElement *>(g_weak_ref_get(it->get()));
    if (!e) {
      it = v.erase(it);
      continue;
    }
    f(e);
    gst_object_unref(e);
    ++it;
  }
}

} // namespace

GstPad *PeerConnection::request_sink_pad(const char *name, const GstCaps *caps) {
  std::lock_guard lk(lock_);
  if (closed_)
    return nullptr;
  // webrtcbin's rule: sink_<n> takes the transceiver of m-line n if it has no pad yet.
  TransceiverEntry *e = nullptr;
  guint index;
  if (name && sscanf(name, "sink_%u", &index) == 1) {
    for (auto &x : entries_) {
      guint ml = G_MAXUINT;
      g_object_get(x.obj.get(), "mlineindex", &ml, nullptr);
      if (!x.sender && ml == index)
        e = &x;
    }
  }
  if (!e) {
    // A transceiver the application added without a pad (add-transceiver), same kind.
    sdp::MediaKind kind = caps && gst_caps_get_size(caps)
                              ? jsep::kind_of_structure(gst_caps_get_structure(caps, 0))
                              : sdp::MediaKind::Other;
    for (auto &x : entries_)
      if (!x.sender && !x.mid.size() && kind != sdp::MediaKind::Other && x.kind == kind &&
          sends(static_cast<sdp::Direction>(transceiver_direction(x.obj.get()))))
        e = &x;
  }
  if (!e)
    e = &new_entry(std::nullopt, GST_RTC_KIND_UNKNOWN, GST_RTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV);
  std::string padname =
      name && !strchr(name, '%') ? name : "sink_" + std::to_string(next_sink_pad_);
  next_sink_pad_++;
  GstPad *pad = cb_.make_sink_pad(padname, e->obj.get());
  e->sender = std::make_shared<Sender>(pad, [this] {
    chain(
        [this] {
          {
            std::lock_guard inner(lock_);
            resolve_pending_pads(false);
          }
          op_check_negotiation();
        },
        nullptr);
  });
  if (caps && !e->engine_id)
    g_object_set(e->obj.get(), "codec-preferences", caps, nullptr);
  chain([this] { op_check_negotiation(); }, nullptr);
  return pad;
}

void PeerConnection::release_pad(GstPad *pad) {
  if (GST_IS_RTC_BIN_DATA_SINK_PAD(pad) || GST_IS_RTC_BIN_DATA_SRC_PAD(pad)) {
    data_pads_.release(pad);
    return;
  }
  std::shared_ptr<Sender> sender;
  {
    std::lock_guard lk(lock_);
    for (auto &e : entries_) {
      if (!e.sender || e.sender->pad() != pad)
        continue;
      unlink_sender(e);
      sender = std::move(e.sender);
      // The transceiver stays; without a pad it sends nothing (JSEP: replaceTrack(null)).
    }
  }
}

void PeerConnection::link_sender(TransceiverEntry &e, const jsep::TransceiverPlan &tp) {
  auto &s = *e.sender;
  GST_DEBUG_OBJECT(bin_, "transceiver mid %s: transport %d direction %d, %zu send streams",
                   tp.mid.c_str(), tp.transport ? (int)*tp.transport : -1, (int)tp.direction,
                   tp.send.size());
  if (!tp.transport || !sends(tp.direction) || tp.send.empty() || tp.stopped) {
    s.set_mode(Sender::Mode::Drop);
    return;
  }
  auto it = transports_.find(*tp.transport);
  if (it == transports_.end())
    return;
  auto caps = s.caps();
  const sdp::Codec *codec = send_codec(tp.codecs, caps.get());
  if (!codec)
    return;
  GST_DEBUG_OBJECT(bin_, "%s sends mid %s as PT %d (%s) SSRC %u", GST_PAD_NAME(s.pad()),
                   tp.mid.c_str(), codec->pt, codec->name.c_str(), tp.send[0].ssrc);
  int twcc = 0;
  for (const auto &x : tp.extensions)
    if (x.uri == jsep::ext::kTransportCc)
      twcc = x.id;
  s.set_stream(codec->pt, tp.send[0].ssrc, twcc);
  if (!s.target() || e.linked_transport != tp.transport) {
    unlink_sender(e);
    e.linked_transport = tp.transport;
    GstPad *funnel_pad = it->second->request_send_pad();
    GstPad *target = funnel_pad;
    if (GstElement *fec = fec_encoder(e, tp)) {
      // RFC 5109 §9 / RFC 2198: ULP FEC packets protect the media, RED carries both.
      gst_bin_add(bin_, GST_ELEMENT(gst_object_ref(fec))); // keep it until unlinked
      GstPad *src = gst_element_get_static_pad(fec, "src");
      gst_pad_link(src, funnel_pad);
      gst_object_unref(src);
      gst_element_sync_state_with_parent(fec);
      e.fec = fec;
      e.fec_funnel_pad = funnel_pad;
      target = gst_element_get_static_pad(fec, "sink");
    }
    s.connect(target);
  }
  release_if_secure(e);
}

// Gives back what the sender was linked to: its funnel pad, and its FEC encoder if any.
void PeerConnection::unlink_sender(TransceiverEntry &e) {
  GstPad *t = e.sender && e.sender->target() ? e.sender->disconnect() : nullptr;
  if (!t)
    return;
  auto it = e.linked_transport ? transports_.find(*e.linked_transport) : transports_.end();
  if (e.fec) {
    if (it != transports_.end())
      it->second->release_send_pad(e.fec_funnel_pad);
    gst_object_unref(e.fec_funnel_pad);
    gst_element_set_locked_state(e.fec, TRUE);
    gst_element_set_state(e.fec, GST_STATE_NULL);
    if (GST_OBJECT_PARENT(e.fec) == GST_OBJECT(bin_)) // not if the bin is being disposed
      gst_bin_remove(bin_, e.fec);
    gst_object_unref(e.fec);
    e.fec = nullptr;
    e.fec_funnel_pad = nullptr;
  } else if (it != transports_.end()) {
    it->second->release_send_pad(t);
  }
  gst_object_unref(t);
  e.linked_transport.reset();
}

// With fec-type ulp-red and RED + ULP FEC negotiated: rtpulpfecenc ! rtpredenc for this
// sender only (rtpbin's per-session encoder would wrap the other m-lines of the BUNDLE too).
GstElement *PeerConnection::fec_encoder(const TransceiverEntry &e,
                                        const jsep::TransceiverPlan &tp) {
  if (transceiver_fec_type(e.obj.get()) != GST_RTC_FEC_TYPE_ULP_RED)
    return nullptr;
  int red = -1, ulpfec = -1;
  for (const auto &c : tp.codecs) {
    if (jsep::role_of(c) == jsep::CodecRole::Red && red < 0)
      red = c.pt;
    if (jsep::role_of(c) == jsep::CodecRole::Ulpfec && ulpfec < 0)
      ulpfec = c.pt;
  }
  if (red < 0 || ulpfec < 0)
    return nullptr;
  guint percentage = 0;
  g_object_get(e.obj.get(), "fec-percentage", &percentage, nullptr);
  gchar *desc = g_strdup_printf("rtpulpfecenc pt=%d percentage=%u ! rtpredenc pt=%d "
                                "allow-no-red-blocks=true",
                                ulpfec, percentage, red);
  GError *err = nullptr;
  GstElement *fec = gst_parse_bin_from_description(desc, TRUE, &err);
  g_free(desc);
  if (!fec) {
    GST_ELEMENT_WARNING(bin_, CORE, MISSING_PLUGIN, ("No FEC encoder"), ("%s", err->message));
    g_error_free(err);
  }
  return fec;
}

// Media flows once DTLS has keyed SRTP: what is sent before would be dropped, and with it
// the first key frame a decoder needs.
void PeerConnection::release_if_secure(TransceiverEntry &e) {
  if (!e.sender || !e.sender->target() || !e.linked_transport)
    return;
  auto it = transports_.find(*e.linked_transport);
  if (it == transports_.end())
    return;
  GstRtcDTLSTransportState st;
  g_object_get(it->second->dtls(), "state", &st, nullptr);
  if (st == GST_RTC_DTLS_TRANSPORT_STATE_CONNECTED)
    e.sender->set_mode(Sender::Mode::Pass);
}

// Tables for rtpbin's streaming-thread callbacks, rebuilt after each completed negotiation.
void PeerConnection::update_media_tables() {
  std::map<unsigned, SessionMedia> fresh;
  for (auto &e : entries_) {
    if (!e.transport)
      continue;
    auto &m = fresh[*e.transport];
    GstRtcRTPTransceiverDirection cur;
    g_object_get(e.obj.get(), "current-direction", &cur, nullptr);
    if (receives(static_cast<sdp::Direction>(cur)))
      m.receivers.push_back(e.obj.get());
    bool nack = false; // this m-line's media codecs asked for NACK
    for (const auto &c : e.codecs) {
      auto role = jsep::role_of(c);
      if (role == jsep::CodecRole::Rtx) {
        const std::string *apt = c.param("apt");
        if (!apt)
          continue;
        // Both rtcrtxsend and rtprtxreceive take original PT -> RTX PT.
        if (!m.rtx_send_pt)
          m.rtx_send_pt.reset(gst_structure_new_empty("application/x-rtp-pt-map"));
        gst_structure_set(m.rtx_send_pt.get(), apt->c_str(), G_TYPE_UINT, (guint)c.pt, nullptr);
        continue;
      }
      if (role == jsep::CodecRole::Red &&
          std::find(m.red_pts.begin(), m.red_pts.end(), c.pt) == m.red_pts.end())
        m.red_pts.push_back(c.pt);
      if (role == jsep::CodecRole::Ulpfec)
        m.ulpfec_pt = c.pt;
      nack |= role == jsep::CodecRole::Media && c.has_feedback("nack");
      if (!m.pt_caps.count(c.pt)) {
        m.pt_caps[c.pt] = jsep::codec_to_caps(c, e.kind, e.extensions);
        m.by_pt[c.pt] = e.obj.get();
      } else if (m.by_pt[c.pt] != e.obj.get()) {
        m.by_pt[c.pt] = nullptr; // shared by several m-lines: SSRCs decide
      }
    }
    m.nack |= nack;
    for (const auto &s : e.remote_ssrcs) {
      m.by_ssrc[s.ssrc] = e.obj.get();
      if (nack)
        m.nack_ssrcs.insert(s.ssrc);
    }
    // Our RTX SSRC, from the engine.
    const auto *t = e.engine_id ? engine().transceiver(*e.engine_id) : nullptr;
    if (t && t->rtx_ssrc) {
      if (!m.rtx_send_ssrc)
        m.rtx_send_ssrc.reset(gst_structure_new_empty("application/x-rtp-ssrc-map"));
      gst_structure_set(m.rtx_send_ssrc.get(), std::to_string(t->ssrc).c_str(), G_TYPE_UINT,
                        t->rtx_ssrc, nullptr);
    }
  }
  std::lock_guard ml(media_lock_);
  for (auto &[id, m] : fresh) {
    auto &old = media_[id];
    m.rtx_send = old.rtx_send;
    m.rtx_recv = old.rtx_recv;
    if (m.rtx_send && m.rtx_send_pt)
      g_object_set(m.rtx_send, "payload-type-map", m.rtx_send_pt.get(), nullptr);
    if (m.rtx_send && m.rtx_send_ssrc)
      g_object_set(m.rtx_send, "ssrc-map", m.rtx_send_ssrc.get(), nullptr);
    if (m.rtx_recv && m.rtx_send_pt)
      g_object_set(m.rtx_recv, "payload-type-map", m.rtx_send_pt.get(), nullptr);
    m.bound = std::move(old.bound);
    m.reports = std::move(old.reports);
    m.twcc_feedback = old.twcc_feedback;
    m.frames_received = std::move(old.frames_received);
    m.red_decoders = std::move(old.red_decoders);
    m.fec_decoders = std::move(old.fec_decoders);
    each_alive(m.red_decoders, [&](GstElement *e) { set_red_payloads(e, m.red_pts); });
    each_alive(m.fec_decoders, [&](GstElement *e) {
      g_object_set(e, "pt", (guint)std::max(m.ulpfec_pt, 0), "passthrough", m.ulpfec_pt < 0,
                   nullptr);
    });
    old = std::move(m);
  }
}

GstCaps *PeerConnection::on_request_pt_map(GstElement *, guint session, guint pt,
                                           PeerConnection *self) {
  std::lock_guard ml(self->media_lock_);
  auto it = self->media_.find(session);
  if (it == self->media_.end())
    return nullptr;
  auto c = it->second.pt_caps.find(pt);
  return c == it->second.pt_caps.end() ? nullptr : gst_caps_ref(c->second.get());
}

// recv_rtp_src_<session>_<ssrc>_<pt>: a remote stream; its transceiver by a=ssrc, then by a
// PT only one m-line uses, then the first receiving m-line of that kind still without one.
void PeerConnection::on_rtpbin_pad_added(GstElement *, GstPad *pad, PeerConnection *self) {
  guint session, ssrc, pt;
  if (sscanf(GST_PAD_NAME(pad), "recv_rtp_src_%u_%u_%u", &session, &ssrc, &pt) != 3)
    return;
  {
    // The ULP FEC packets' own stream: consumed by its FEC decoder, nothing for the app.
    std::lock_guard ml(self->media_lock_);
    auto it = self->media_.find(session);
    if (it != self->media_.end() && (int)pt == it->second.ulpfec_pt) {
      GstElement *sink = gst_element_factory_make("fakesink", nullptr);
      g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
      gst_bin_add(self->bin_, sink);
      gst_element_sync_state_with_parent(sink);
      GstPad *sp = gst_element_get_static_pad(sink, "sink");
      gst_pad_link(pad, sp);
      gst_object_unref(sp);
      return;
    }
  }
  GstRtcRTPTransceiver *t = nullptr;
  std::string name;
  {
    std::lock_guard ml(self->media_lock_);
    auto it = self->media_.find(session);
    if (it != self->media_.end()) {
      auto &m = it->second;
      if (auto s = m.by_ssrc.find(ssrc); s != m.by_ssrc.end())
        t = s->second;
      if (auto p = m.by_pt.find(pt); !t && p != m.by_pt.end())
        t = p->second;
      if (!t) {
        GstCaps *caps = gst_pad_get_current_caps(pad);
        const char *media =
            caps ? gst_structure_get_string(gst_caps_get_structure(caps, 0), "media") : nullptr;
        for (auto *r : m.receivers) {
          GstRtcKind k;
          g_object_get(r, "kind", &k, nullptr);
          bool kind_ok = !media || (k == GST_RTC_KIND_AUDIO) == (g_strcmp0(media, "audio") == 0);
          if (kind_ok && !m.bound.count(r)) {
            t = r;
            break;
          }
        }
        if (caps)
          gst_caps_unref(caps);
      }
      if (t)
        m.bound.insert(t);
    }
    name = "src_" + std::to_string(self->next_src_pad_++);
  }
  if (!t)
    GST_WARNING_OBJECT(self->bin_, "no transceiver for SSRC %u PT %u in session %u", ssrc, pt,
                       session);
  std::shared_ptr<std::atomic<guint64>> frames;
  {
    std::lock_guard ml(self->media_lock_);
    auto &slot = self->media_[session].frames_received[ssrc];
    if (!slot)
      slot = std::make_shared<std::atomic<guint64>>(0);
    frames = slot;
  }
  gst_pad_add_probe(
      pad, GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad *, GstPadProbeInfo *info, gpointer d) {
        guint8 b1;
        if (gst_buffer_extract(GST_PAD_PROBE_INFO_BUFFER(info), 1, &b1, 1) == 1 && (b1 & 0x80))
          (**static_cast<std::shared_ptr<std::atomic<guint64>> *>(d))++;
        return GST_PAD_PROBE_OK;
      },
      new std::shared_ptr<std::atomic<guint64>>(frames),
      [](gpointer d) { delete static_cast<std::shared_ptr<std::atomic<guint64>> *>(d); });
  GstPad *ghost = self->cb_.make_src_pad(pad, t, name);
  (void)ghost;
}

void PeerConnection::on_new_jitterbuffer(GstElement *, GstElement *jb, guint session, guint ssrc,
                                         PeerConnection *self) {
  // RFC 4585 NACK only for streams whose m-line negotiated it (not audio next to NACKed video).
  std::lock_guard ml(self->media_lock_);
  auto it = self->media_.find(session);
  bool nack = false;
  if (it != self->media_.end()) {
    const auto &m = it->second;
    nack = m.by_ssrc.count(ssrc) ? m.nack_ssrcs.count(ssrc) > 0 : m.nack;
  }
  g_object_set(jb, "do-retransmission", nack, nullptr);
}

namespace {

// rtpbin's AUX elements have sink_<session> and src_<session> pads.
// `factories` chained; the elements are returned in `inner`.
GstElement *aux_bin(std::initializer_list<const char *> factories, guint session,
                    std::vector<GstElement *> &inner) {
  GstElement *bin = gst_bin_new(nullptr);
  for (const char *f : factories) {
    GstElement *e = gst_element_factory_make(f, nullptr);
    if (!e) {
      gst_object_unref(bin);
      return nullptr;
    }
    gst_bin_add(GST_BIN(bin), e);
    if (!inner.empty())
      gst_element_link(inner.back(), e);
    inner.push_back(e);
  }
  std::string s = std::to_string(session);
  GstPad *sink = gst_element_get_static_pad(inner.front(), "sink");
  GstPad *src = gst_element_get_static_pad(inner.back(), "src");
  gst_element_add_pad(bin, gst_ghost_pad_new(("sink_" + s).c_str(), sink));
  gst_element_add_pad(bin, gst_ghost_pad_new(("src_" + s).c_str(), src));
  gst_object_unref(sink);
  gst_object_unref(src);
  return bin;
}

} // namespace

// RFC 4588 RTX: retransmissions go out on their own SSRC and PT (rtcrtxsend), and come back
// as the original packets (rtprtxreceive) before the jitter buffer sees them.
GstElement *PeerConnection::on_aux_sender(GstElement *, guint session, PeerConnection *self) {
  std::vector<GstElement *> inner;
  GstElement *bin = aux_bin({"rtcrtxsend"}, session, inner);
  if (!bin)
    return nullptr;
  std::lock_guard ml(self->media_lock_);
  auto &m = self->media_[session];
  m.rtx_send = inner[0];
  if (m.rtx_send_pt)
    g_object_set(inner[0], "payload-type-map", m.rtx_send_pt.get(), nullptr);
  if (m.rtx_send_ssrc)
    g_object_set(inner[0], "ssrc-map", m.rtx_send_ssrc.get(), nullptr);
  return bin;
}

// Received, before the SSRC demuxer and rtpbin's packet storage: RTX back to the original
// packets, then RED (RFC 2198) unwrapped, so the storage holds the ULP FEC packets the
// per-stream FEC decoder rebuilds losses from.
GstElement *PeerConnection::on_aux_receiver(GstElement *, guint session, PeerConnection *self) {
  std::vector<GstElement *> inner;
  GstElement *bin = aux_bin({"rtprtxreceive", "rtpreddec"}, session, inner);
  if (!bin)
    return nullptr;
  std::lock_guard ml(self->media_lock_);
  auto &m = self->media_[session];
  m.rtx_recv = inner[0];
  if (m.rtx_send_pt)
    g_object_set(inner[0], "payload-type-map", m.rtx_send_pt.get(), nullptr);
  set_red_payloads(inner[1], m.red_pts);
  m.red_decoders.push_back(weak(inner[1]));
  return bin;
}

// RFC 5109 ULP FEC: rebuilds a lost packet from the FEC packets in rtpbin's storage. rtpbin
// places one in each receive stream; its PT may be named by a negotiation the stream
// overtook (updated then).
GstElement *PeerConnection::on_fec_decoder(GstElement *rtpbin, guint session, guint, guint,
                                           PeerConnection *self) {
  GstElement *fec = gst_element_factory_make("rtpulpfecdec", nullptr);
  if (!fec)
    return nullptr;
  GObject *storage = nullptr;
  g_signal_emit_by_name(rtpbin, "get-internal-storage", session, &storage);
  g_object_set(fec, "storage", storage, nullptr);
  if (storage)
    g_object_unref(storage);
  std::lock_guard ml(self->media_lock_);
  auto &m = self->media_[session];
  g_object_set(fec, "pt", (guint)std::max(m.ulpfec_pt, 0), "passthrough", m.ulpfec_pt < 0, nullptr);
  m.fec_decoders.push_back(weak(fec));
  return fec;
}

// Keep what FEC needs to repair a loss, with a second to spare. The jitter buffer declares a
// packet lost about one latency after its neighbours arrived, so with a storage of exactly one
// latency the FEC packets are already gone by then; and rtpulpfecdec (1.22) reads a packet it
// rebuilt after handing it to the storage, which a concurrent arrival could evict and free.
void PeerConnection::on_new_storage(GstElement *, GstElement *storage, guint,
                                    PeerConnection *self) {
  constexpr guint64 kSpareMs = 1000;
  // Called while a session is created, lock_ may be held: read the copy.
  g_object_set(storage, "size-time", (self->latency_ms_.load() + kSpareMs) * GST_MSECOND, nullptr);
}

void PeerConnection::watch_rtcp(unsigned session) {
  GObject *s = nullptr;
  g_signal_emit_by_name(rtpbin_, "get-internal-session", session, &s);
  if (!s)
    return;
  g_object_set_data(s, "gstrtc-session-id", GUINT_TO_POINTER(session));
  // Reports about once a second, as browsers send them (RFC 4585 §3.4 lets AVPF sessions go
  // below RFC 3550's 5 s): RTT, loss and jitter reach get-stats quickly.
  g_object_set(s, "rtcp-min-interval", (guint64)GST_SECOND, nullptr);
  // transport-cc feedback every 100 ms, as libwebrtc sends it, rather than after every frame's
  // last packet (rtpsession's default): an RTCP wake-up per frame per stream costs more than
  // the packets themselves at low rates.
  g_object_set(s, "twcc-feedback-interval", (guint64)(100 * GST_MSECOND), nullptr);
  g_signal_connect(s, "on-receiving-rtcp", G_CALLBACK(on_receiving_rtcp), this);
  g_object_unref(s);
}

namespace {

// The middle 32 bits of the NTP time now (RFC 3550 §4), as LSR and DLSR are expressed.
guint32 ntp_middle_now() {
  gint64 us = g_get_real_time();
  guint64 secs = us / G_USEC_PER_SEC + G_GUINT64_CONSTANT(2208988800);
  guint64 frac = ((guint64)(us % G_USEC_PER_SEC) << 32) / G_USEC_PER_SEC;
  return (guint32)(((secs & 0xffff) << 16) | (frac >> 16));
}

} // namespace

// Every SR/RR block about one of our SSRCs: loss, jitter and the round trip (RFC 3550 §6.4.1:
// arrival - LSR - DLSR). rtpsession keeps only one block per peer source; we keep one per SSRC.
void PeerConnection::on_receiving_rtcp(GObject *session, GstBuffer *buf, PeerConnection *self) {
  guint id = GPOINTER_TO_UINT(g_object_get_data(session, "gstrtc-session-id"));
  guint32 arrival = ntp_middle_now();
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  if (!gst_rtcp_buffer_map(buf, GST_MAP_READ, &rtcp))
    return;
  std::lock_guard ml(self->media_lock_);
  auto &m = self->media_[id];
  GstRTCPPacket packet;
  for (gboolean more = gst_rtcp_buffer_get_first_packet(&rtcp, &packet); more;
       more = gst_rtcp_packet_move_to_next(&packet)) {
    auto type = gst_rtcp_packet_get_type(&packet);
    if (type == GST_RTCP_TYPE_RTPFB &&
        gst_rtcp_packet_fb_get_type(&packet) == GST_RTCP_RTPFB_TYPE_TWCC)
      m.twcc_feedback++;
    if (type != GST_RTCP_TYPE_SR && type != GST_RTCP_TYPE_RR)
      continue;
    for (guint i = 0; i < gst_rtcp_packet_get_rb_count(&packet); i++) {
      guint32 ssrc, exthighest, jitter, lsr, dlsr;
      guint8 fraction;
      gint32 lost;
      gst_rtcp_packet_get_rb(&packet, i, &ssrc, &fraction, &lost, &exthighest, &jitter, &lsr,
                             &dlsr);
      auto &r = m.reports[ssrc];
      r.fraction_lost = fraction / 256.0;
      r.packets_lost = lost;
      r.jitter_units = jitter;
      if (lsr != 0) {
        guint32 rtt = arrival - lsr - dlsr;
        if (rtt < (10u << 16)) // a negative or absurd value is clock skew: keep the last one
          r.rtt_s = rtt / 65536.0;
      }
    }
  }
  gst_rtcp_buffer_unmap(&rtcp);
}

} // namespace gstrtc::rtcbin
