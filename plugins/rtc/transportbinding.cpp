#include "transportbinding.hpp"

namespace gstrtc {

void TransportBinding::install_properties(GObjectClass *klass) {
  const auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                              GST_PARAM_MUTABLE_READY);
  g_object_class_install_property(
      klass, PROP_TRANSPORT,
      g_param_spec_object("transport", "Transport",
                          "The ICE transport (shared by an rtcicesrc/rtcicesink pair)",
                          GST_TYPE_RTC_ICE_TRANSPORT, flags));
  g_object_class_install_property(
      klass, PROP_TRANSPORT_NAME,
      g_param_spec_string("transport-name", "Transport name",
                          "Share the transport of this name in the process (for gst-launch); "
                          "ignored when \"transport\" is set",
                          nullptr, flags));
}

bool TransportBinding::set_property(guint prop_id, const GValue *value) {
  std::lock_guard lk(lock_);
  if (prop_id == PROP_TRANSPORT)
    transport_ =
        Ref<GstRtcICETransport>(static_cast<GstRtcICETransport *>(g_value_get_object(value)));
  else if (prop_id == PROP_TRANSPORT_NAME)
    name_ = g_value_get_string(value) ? g_value_get_string(value) : "";
  else
    return false;
  return true;
}

bool TransportBinding::get_property(guint prop_id, GValue *value) const {
  std::lock_guard lk(lock_);
  if (prop_id == PROP_TRANSPORT)
    g_value_set_object(value, transport_.get());
  else if (prop_id == PROP_TRANSPORT_NAME)
    g_value_set_string(value, name_.c_str());
  else
    return false;
  return true;
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
