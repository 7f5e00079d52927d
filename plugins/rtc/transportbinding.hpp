// The "transport" (object) and "transport-name" (gst-launch) properties that rtcicesrc and
// rtcicesink share, and their resolution when the element starts.
#pragma once

#include "core/gref.hpp"

#include <gst/rtc/rtc.h>

#include <mutex>
#include <string>

namespace gstrtc {

template <> struct RefTraits<GstRtcICETransport> {
  static GstRtcICETransport *ref(GstRtcICETransport *p) {
    return static_cast<GstRtcICETransport *>(gst_object_ref_sink(p));
  }
  static void unref(GstRtcICETransport *p) { gst_object_unref(p); }
};

class TransportBinding {
public:
  static void install_properties(GObjectClass *klass, guint prop_transport, guint prop_name);
  void set_transport(GstRtcICETransport *t);
  void set_name(const gchar *name);
  GstRtcICETransport *dup_transport() const; // (transfer full, nullable)
  std::string name() const;
  // The object if set, else the transport of that name (created if needed); null if neither.
  Ref<GstRtcICETransport> resolve() const;

private:
  mutable std::mutex lock_; // protects transport_ and name_
  Ref<GstRtcICETransport> transport_;
  std::string name_;
};

} // namespace gstrtc
