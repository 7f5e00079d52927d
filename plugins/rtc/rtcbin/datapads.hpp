// rtcbin's data channels as pads, for pipelines with no application code:
//   data_sink_<label> (request): opens a channel; each buffer is one message (strings when the
//     caps are text/*, binary otherwise); waits for the channel to open and for room
//     (backpressure, never drops); EOS closes the channel once what it queued is sent.
//   data_src_<label> (request): every message of the channels the peer opens with that label,
//     and of pre-negotiated channels with it, one buffer each; EOS when they have all closed.
// Channel options are the sink pad's properties, read when its first data arrives (so that
// gst-launch can set them: rtcbin implements GstChildProxy for these pads).
// The kind of each message (W3C string or binary) rides on its buffer as a custom meta,
// kMessageMeta, whose structure has one boolean, "binary": src pads add it to every buffer,
// and on a sink pad it overrides the caps, so a relay (pc1.data_src_x ! pc2.data_sink_y)
// keeps kinds.
#pragma once

#include "rtc-gref.hpp"

#include <gst/gst.h>
#include <gst/rtc/rtc.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

G_BEGIN_DECLS
#define GST_TYPE_RTC_BIN_DATA_SINK_PAD (gst_rtc_bin_data_sink_pad_get_type())
G_DECLARE_FINAL_TYPE(GstRtcBinDataSinkPad, gst_rtc_bin_data_sink_pad, GST, RTC_BIN_DATA_SINK_PAD,
                     GstPad)
#define GST_TYPE_RTC_BIN_DATA_SRC_PAD (gst_rtc_bin_data_src_pad_get_type())
G_DECLARE_FINAL_TYPE(GstRtcBinDataSrcPad, gst_rtc_bin_data_src_pad, GST, RTC_BIN_DATA_SRC_PAD,
                     GstPad)
G_END_DECLS

namespace gstrtc::rtcbin {

inline constexpr const char *kDataSinkPrefix = "data_sink_";
inline constexpr const char *kDataSrcPrefix = "data_src_";
inline constexpr const char *kMessageMeta = "GstRtcDataMessageMeta";

// Registers kMessageMeta (once per process; from rtcbin's class_init).
void register_message_meta();

// Opens a channel as rtcbin's create-data-channel does (transfer full, or null and error).
using CreateChannel =
    std::function<GstRtcDataChannel *(const char *label, const GstStructure *opts, GError **)>;

struct SrcBinding;

class DataPads {
public:
  explicit DataPads(CreateChannel create) : create_(std::move(create)) {}
  ~DataPads();

  // Pads named data_sink_<label> / data_src_<label>; null if the name has no label.
  GstPad *new_sink_pad(const char *name, GstPadTemplate *templ);
  GstPad *new_src_pad(const char *name, GstPadTemplate *templ);
  void release(GstPad *pad);
  // A channel the peer opened, or a pre-negotiated one: bound to the src pad of its label.
  void channel_opened(GstRtcDataChannel *dc);
  // The peer connection is stopping: sink pads stop waiting and forget their channels (they
  // open new ones if data comes again); src pads forget theirs.
  void stop();

private:
  CreateChannel create_;
  // Lock order: lock_ before a pad's own lock.
  std::mutex lock_;
  std::map<std::string, std::shared_ptr<SrcBinding>> srcs_; // by label
  std::vector<GstRtcBinDataSinkPad *> sinks_;                // not owned (the bin's pads)
  std::vector<Ref<GstRtcDataChannel>> opened_;               // for src pads asked later
};

} // namespace gstrtc::rtcbin
