// The "transport" property (a GstRtcSCTPTransport) that rtcsctpenc and rtcsctpdec share: set by
// the application or rtcbin, no name registry (one object, handed to both halves).
#pragma once

#include "rtc-gref.hpp"

#include <gst/rtc/rtc.h>

#include <mutex>

namespace gstrtc {

class SctpBinding {
public:
  enum : guint { PROP_TRANSPORT = 1 };

  static void install_property(GObjectClass *klass, const char *blurb) {
    g_object_class_install_property(
        klass, PROP_TRANSPORT,
        g_param_spec_object("transport", "Transport", blurb, GST_TYPE_RTC_SCTP_TRANSPORT,
                            static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                     GST_PARAM_MUTABLE_READY)));
  }
  // True if prop_id was ours.
  bool set_property(guint prop_id, const GValue *value) {
    if (prop_id != PROP_TRANSPORT)
      return false;
    std::lock_guard lk(lock_);
    transport_ = Ref<GstRtcSCTPTransport>(GST_RTC_SCTP_TRANSPORT(g_value_get_object(value)));
    return true;
  }
  bool get_property(guint prop_id, GValue *value) const {
    if (prop_id != PROP_TRANSPORT)
      return false;
    std::lock_guard lk(lock_);
    g_value_set_object(value, transport_.get());
    return true;
  }
  Ref<GstRtcSCTPTransport> get() const {
    std::lock_guard lk(lock_);
    return transport_;
  }

private:
  mutable std::mutex lock_; // protects transport_
  Ref<GstRtcSCTPTransport> transport_;
};

} // namespace gstrtc
