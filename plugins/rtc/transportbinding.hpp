// The "transport" (object) and "transport-name" (gst-launch) properties that rtcicesrc and
// rtcicesink share, and their resolution when the element starts.
#pragma once

#include "rtc-gref.hpp"

#include <gst/rtc/rtc.h>

#include <mutex>
#include <string>

namespace gstrtc {

class TransportBinding {
public:
  // The element's property ids for "transport" and "transport-name".
  enum : guint { PROP_TRANSPORT = 1, PROP_TRANSPORT_NAME = 2, N_PROPS = 3 };
  static void install_properties(GObjectClass *klass);
  // True if prop_id was one of ours.
  bool set_property(guint prop_id, const GValue *value);
  bool get_property(guint prop_id, GValue *value) const;
  std::string name() const;
  // The object if set, else the transport of that name (created if needed); null if neither.
  Ref<GstRtcICETransport> resolve() const;

private:
  mutable std::mutex lock_; // protects transport_ and name_
  Ref<GstRtcICETransport> transport_;
  std::string name_;
};

} // namespace gstrtc
