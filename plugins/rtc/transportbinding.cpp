#include "transportbinding.hpp"

namespace gstrtc {

void TransportBinding::install_properties(GObjectClass *klass, guint prop_transport,
                                          guint prop_name) {
  const auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                              GST_PARAM_MUTABLE_READY);
  g_object_class_install_property(
      klass, prop_transport,
      g_param_spec_object("transport", "Transport",
                          "The ICE transport (shared by an rtcicesrc/rtcicesink pair)",
                          GST_TYPE_RTC_ICE_TRANSPORT, flags));
  g_object_class_install_property(
      klass, prop_name,
      g_param_spec_string("transport-name", "Transport name",
                          "Share the transport of this name in the process (for gst-launch); "
                          "ignored when \"transport\" is set",
                          nullptr, flags));
}

void TransportBinding::set_transport(GstRtcICETransport *t) {
  std::lock_guard lk(lock_);
  transport_ = Ref<GstRtcICETransport>(t);
}

void TransportBinding::set_name(const gchar *name) {
  std::lock_guard lk(lock_);
  name_ = name ? name : "";
}

GstRtcICETransport *TransportBinding::dup_transport() const {
  std::lock_guard lk(lock_);
  return transport_ ? static_cast<GstRtcICETransport *>(gst_object_ref(transport_.get())) : nullptr;
}

std::string TransportBinding::name() const {
  std::lock_guard lk(lock_);
  return name_;
}

Ref<GstRtcICETransport> TransportBinding::resolve() const {
  std::lock_guard lk(lock_);
  if (transport_)
    return transport_;
  if (name_.empty())
    return {};
  return adopt(gst_rtc_ice_transport_get_named(name_.c_str()));
}

} // namespace gstrtc
