// What rtcbin sets on a transceiver (mid, m-line, current direction, kind) and how it hears
// about the application's changes (direction, codec-preferences), which go to the JSEP engine.
#pragma once

#include "core/export.hpp"

#include <gst/rtc/rtcrtptransceiver.h>

#include <functional>
#include <optional>
#include <string>

namespace gstrtc {

enum class TransceiverChange { Direction, CodecPreferences };

// The engine's id for the transceiver, and the callback for application changes (called
// with no lock held, from the thread that set the property).
GSTRTC_INTERNAL GstRtcRTPTransceiver *
transceiver_new(unsigned id, GstRtcKind kind, GstRtcRTPTransceiverDirection direction,
                std::function<void(GstRtcRTPTransceiver *, TransceiverChange)> on_change);
GSTRTC_INTERNAL unsigned transceiver_id(GstRtcRTPTransceiver *t);
// Detaches the callback (the bin is going away).
GSTRTC_INTERNAL void transceiver_detach(GstRtcRTPTransceiver *t);

struct TransceiverUpdate {
  std::optional<std::string> mid;
  std::optional<guint> mline;
  std::optional<GstRtcRTPTransceiverDirection> current_direction;
  std::optional<GstRtcKind> kind;
  std::optional<bool> stopped;
};
// Applies and notifies what changed.
GSTRTC_INTERNAL void transceiver_update(GstRtcRTPTransceiver *t, const TransceiverUpdate &u);
GSTRTC_INTERNAL GstRtcRTPTransceiverDirection transceiver_direction(GstRtcRTPTransceiver *t);
// Returns a new reference, or null.
GSTRTC_INTERNAL GstCaps *transceiver_codec_preferences(GstRtcRTPTransceiver *t);
GSTRTC_INTERNAL bool transceiver_do_nack(GstRtcRTPTransceiver *t);
GSTRTC_INTERNAL GstRtcFECType transceiver_fec_type(GstRtcRTPTransceiver *t);

} // namespace gstrtc
