// The send path of one rtcbin sink pad. Until the transceiver is negotiated the pad holds the
// first buffer (so a file source loses nothing); once negotiated it passes RTP with the PT and
// SSRC rtcbin announced, or drops it when the transceiver does not send. The probe rewrites
// only header bytes that differ (payloaders usually already use the caps we give).
#pragma once

#include "rtc-gref.hpp"

#include <gst/gst.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace gstrtc::rtcbin {

class Sender {
public:
  enum class Mode { Hold, Drop, Pass };
  // `pad` is the ghost sink pad; `on_caps` runs (streaming thread) when new caps arrive.
  Sender(GstPad *pad, std::function<void()> on_caps);
  ~Sender();
  Sender(const Sender &) = delete;
  Sender &operator=(const Sender &) = delete;

  GstPad *pad() const { return pad_; }
  bool has_caps();
  Ref<GstCaps> caps();
  void set_mode(Mode m);
  // What to write into each packet (pt < 0: leave it), and the transport-wide-cc extension id
  // rtpbin numbers the packets with (0: none).
  void set_stream(int pt, uint32_t ssrc, int twcc_id = 0);
  // Points the ghost pad at `target` (a funnel pad, transfer full); data waits for
  // set_mode(Pass).
  void connect(GstPad *target);
  GstPad *target() const { return target_; }
  // Packets with the marker bit set that went out: video frames (RFC 3551 §4.1).
  guint64 frames() const { return frames_; }
  // Unpoints the ghost pad; returns the target (transfer full) for its owner to release.
  GstPad *disconnect();

  static GstPadProbeReturn probe(GstPad *pad, GstPadProbeInfo *info, gpointer user_data);

private:
  GstPadProbeReturn on_buffer(GstPadProbeInfo *info);
  GstPadProbeReturn on_event(GstPadProbeInfo *info);
  GstPadProbeReturn on_query(GstPadProbeInfo *info);
  Ref<GstCaps> stream_caps(GstCaps *in);

  GstPad *pad_;
  GstPad *target_ = nullptr; // owned; op thread only
  gulong probe_ = 0;
  std::function<void()> on_caps_;
  std::atomic<int> pt_{-1};
  std::atomic<uint32_t> ssrc_{0};
  std::atomic<int> twcc_id_{0};
  std::atomic<guint64> frames_{0};
  std::mutex lock_; // protects caps_, and mode_ changes (the condition waits on it)
  std::condition_variable cond_;
  std::atomic<Mode> mode_{Mode::Hold}; // written under lock_, read without on the data path
  Ref<GstCaps> caps_;
};

} // namespace gstrtc::rtcbin
