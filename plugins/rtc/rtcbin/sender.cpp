#include "sender.hpp"

#include "jsep/extensions.hpp"

#include <gst/rtp/gstrtpbuffer.h>

#include <string>
#include <utility>

namespace gstrtc::rtcbin {

Sender::Sender(GstPad *pad, std::function<void()> on_caps)
    : pad_(GST_PAD(gst_object_ref(pad))), on_caps_(std::move(on_caps)) {
  probe_ = gst_pad_add_probe(pad_,
                             static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER |
                                                          GST_PAD_PROBE_TYPE_BUFFER_LIST |
                                                          GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
                                                          GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM),
                             probe, this, nullptr);
}

Sender::~Sender() {
  set_mode(Mode::Drop);
  gst_pad_remove_probe(pad_, probe_);
  if (target_)
    gst_object_unref(target_);
  gst_object_unref(pad_);
}

GstPad *Sender::disconnect() {
  set_mode(Mode::Drop);
  gst_ghost_pad_set_target(GST_GHOST_PAD(pad_), nullptr);
  return std::exchange(target_, nullptr);
}

bool Sender::has_caps() {
  std::lock_guard lk(lock_);
  return bool(caps_);
}

Ref<GstCaps> Sender::caps() {
  std::lock_guard lk(lock_);
  return caps_;
}

void Sender::set_mode(Mode m) {
  {
    std::lock_guard lk(lock_);
    mode_ = m;
  }
  cond_.notify_all();
}

void Sender::set_stream(int pt, uint32_t ssrc, int twcc_id) {
  bool changed = pt != pt_ || ssrc != ssrc_ || twcc_id != twcc_id_;
  ssrc_ = ssrc;
  twcc_id_ = twcc_id;
  pt_ = pt;
  // The payloader asks again (caps query below) and takes the PT, SSRC and header extensions
  // itself, so the probe has nothing left to rewrite and the extensions get written.
  if (changed)
    gst_pad_push_event(pad_, gst_event_new_reconfigure());
}

// What upstream may send once negotiated: our PT and SSRC, and the transport-cc extension
// (rtpbasepayload adds the extensions named by extmap-N fields, rtpfunnel numbers them).
GstPadProbeReturn Sender::on_query(GstPadProbeInfo *info) {
  GstQuery *q = GST_PAD_PROBE_INFO_QUERY(info);
  if (GST_QUERY_TYPE(q) != GST_QUERY_CAPS || pt_ < 0)
    return GST_PAD_PROBE_OK;
  GstStructure *st = gst_structure_new("application/x-rtp", "payload", G_TYPE_INT, pt_.load(),
                                       "ssrc", G_TYPE_UINT, ssrc_.load(), nullptr);
  if (int id = twcc_id_; id > 0)
    gst_structure_set(st, ("extmap-" + std::to_string(id)).c_str(), G_TYPE_STRING,
                      jsep::ext::kTransportCc, nullptr);
  GstCaps *ours = gst_caps_new_full(st, nullptr);
  GstCaps *filter = nullptr;
  gst_query_parse_caps(q, &filter);
  GstCaps *result =
      filter ? gst_caps_intersect_full(filter, ours, GST_CAPS_INTERSECT_FIRST) : gst_caps_ref(ours);
  gst_query_set_caps_result(q, result);
  gst_caps_unref(result);
  gst_caps_unref(ours);
  return GST_PAD_PROBE_HANDLED;
}

// The caps rtpbin sees: payload and ssrc as negotiated, or none while not known.
Ref<GstCaps> Sender::stream_caps(GstCaps *in) {
  GstCaps *c = gst_caps_copy(in);
  for (guint i = 0; i < gst_caps_get_size(c); i++) {
    GstStructure *s = gst_caps_get_structure(c, i);
    if (pt_ >= 0) {
      gst_structure_set(s, "payload", G_TYPE_INT, pt_.load(), "ssrc", G_TYPE_UINT, ssrc_.load(),
                        nullptr);
      // rtpsession writes transport-wide sequence numbers into packets of a stream whose caps
      // name the extension, and answers the peer's transport-cc feedback.
      if (int id = twcc_id_; id > 0)
        gst_structure_set(s, ("extmap-" + std::to_string(id)).c_str(), G_TYPE_STRING,
                          jsep::ext::kTransportCc, nullptr);
    } else
      gst_structure_remove_fields(s, "payload", "ssrc", nullptr);
  }
  return adopt(c);
}

void Sender::connect(GstPad *target) {
  if (target_)
    gst_object_unref(target_);
  target_ = target;
  gst_ghost_pad_set_target(GST_GHOST_PAD(pad_), target);
  // The caps the proxy stored while unlinked go downstream with the next buffer: make them
  // carry the negotiated PT and SSRC (rtpfunnel routes key-unit requests by SSRC).
  if (GstCaps *cur = gst_pad_get_current_caps(pad_)) {
    auto caps = stream_caps(cur);
    gst_caps_unref(cur);
    GstPad *internal = GST_PAD(gst_proxy_pad_get_internal(GST_PROXY_PAD(pad_)));
    GstEvent *ev = gst_event_new_caps(caps.get());
    gst_pad_store_sticky_event(internal, ev);
    gst_event_unref(ev);
    gst_object_unref(internal);
  }
}

GstPadProbeReturn Sender::probe(GstPad *, GstPadProbeInfo *info, gpointer user_data) {
  auto *self = static_cast<Sender *>(user_data);
  if (info->type & GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM)
    return self->on_query(info);
  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    return self->on_event(info);
  return self->on_buffer(info);
}

GstPadProbeReturn Sender::on_event(GstPadProbeInfo *info) {
  GstEvent *ev = GST_PAD_PROBE_INFO_EVENT(info);
  switch (GST_EVENT_TYPE(ev)) {
  case GST_EVENT_FLUSH_START:
    // Wake a held buffer so the flush can take the stream lock.
    cond_.notify_all();
    return GST_PAD_PROBE_OK;
  case GST_EVENT_CAPS: {
    GstCaps *caps;
    gst_event_parse_caps(ev, &caps);
    bool first;
    {
      std::lock_guard lk(lock_);
      first = !caps_;
      caps_ = Ref<GstCaps>(caps);
    }
    auto out = stream_caps(caps);
    GST_PAD_PROBE_INFO_DATA(info) = gst_event_new_caps(out.get());
    gst_event_unref(ev);
    if (first && on_caps_)
      on_caps_();
    return GST_PAD_PROBE_OK;
  }
  default:
    return GST_PAD_PROBE_OK;
  }
}

namespace {

// Writes PT and SSRC into one packet where they differ; false if it is not RTP. Counts the
// packets that end a frame (marker bit).
bool rewrite(GstBuffer **buf, int pt, uint32_t ssrc, std::atomic<guint64> &frames) {
  guint8 hdr[12];
  if (gst_buffer_extract(*buf, 0, hdr, 12) != 12 || (hdr[0] >> 6) != 2)
    return false;
  if (hdr[1] & 0x80)
    frames++;
  uint32_t have = GST_READ_UINT32_BE(hdr + 8);
  if ((hdr[1] & 0x7f) == pt && have == ssrc)
    return true;
  *buf = gst_buffer_make_writable(*buf);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  if (!gst_rtp_buffer_map(*buf, GST_MAP_WRITE, &rtp))
    return false;
  gst_rtp_buffer_set_payload_type(&rtp, pt);
  gst_rtp_buffer_set_ssrc(&rtp, ssrc);
  gst_rtp_buffer_unmap(&rtp);
  return true;
}

} // namespace

GstPadProbeReturn Sender::on_buffer(GstPadProbeInfo *info) {
  {
    // Per packet: one atomic load; the lock only while holding before negotiation.
    Mode m = mode_.load(std::memory_order_acquire);
    if (m == Mode::Hold) {
      std::unique_lock lk(lock_);
      cond_.wait(lk, [&] { return mode_ != Mode::Hold || GST_PAD_IS_FLUSHING(pad_); });
      m = mode_;
    }
    if (m != Mode::Pass)
      return GST_PAD_PROBE_DROP;
  }
  int pt = pt_;
  uint32_t ssrc = ssrc_;
  if (pt < 0)
    return GST_PAD_PROBE_OK;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER(info);
    if (!rewrite(&buf, pt, ssrc, frames_)) {
      GST_PAD_PROBE_INFO_DATA(info) = buf;
      return GST_PAD_PROBE_DROP; // not RTP: never sent
    }
    GST_PAD_PROBE_INFO_DATA(info) = buf;
    return GST_PAD_PROBE_OK;
  }
  GstBufferList *list = gst_buffer_list_make_writable(GST_PAD_PROBE_INFO_BUFFER_LIST(info));
  for (guint i = 0; i < gst_buffer_list_length(list);) {
    GstBuffer *b = gst_buffer_list_get_writable(list, i);
    if (rewrite(&b, pt, ssrc, frames_))
      i++;
    else
      gst_buffer_list_remove(list, i, 1);
  }
  GST_PAD_PROBE_INFO_DATA(info) = list;
  return GST_PAD_PROBE_OK;
}

} // namespace gstrtc::rtcbin
