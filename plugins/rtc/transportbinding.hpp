// The "transport" (object) and "transport-name" (gst-launch) properties that an element pair
// shares (rtcicesrc/rtcicesink, rtcdtlssrtpenc/rtcdtlssrtpdec), and their resolution when the
// element starts: the object if set, else the one of that name in the process.
#pragma once

#include "rtc-gref.hpp"

#include <gst/rtc/rtc.h>

#include <mutex>
#include <string>

namespace gstrtc {

// Per transport type: its GType, what it is called in messages, and its name registry.
template <typename T> struct BindingTraits;
template <> struct BindingTraits<GstRtcICETransport> {
  static GType type() { return GST_TYPE_RTC_ICE_TRANSPORT; }
  static constexpr const char *what = "ICE transport";
  static GstRtcICETransport *get_named(const char *n) { return gst_rtc_ice_transport_get_named(n); }
};
template <> struct BindingTraits<GstRtcDTLSTransport> {
  static GType type() { return GST_TYPE_RTC_DTLS_TRANSPORT; }
  static constexpr const char *what = "DTLS transport";
  static GstRtcDTLSTransport *get_named(const char *n) {
    return gst_rtc_dtls_transport_get_named(n);
  }
};

template <typename T> class TransportBinding {
public:
  // The element's property ids for "transport" and "transport-name".
  enum : guint { PROP_TRANSPORT = 1, PROP_TRANSPORT_NAME = 2, N_PROPS = 3 };

  static void install_properties(GObjectClass *klass) {
    const auto flags = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                                GST_PARAM_MUTABLE_READY);
    std::string blurb =
        std::string("The ") + BindingTraits<T>::what + " (shared by the element pair)";
    g_object_class_install_property(klass, PROP_TRANSPORT,
                                    g_param_spec_object("transport", "Transport",
                                                        g_intern_string(blurb.c_str()),
                                                        BindingTraits<T>::type(), flags));
    g_object_class_install_property(
        klass, PROP_TRANSPORT_NAME,
        g_param_spec_string("transport-name", "Transport name",
                            "Share the transport of this name in the process (for gst-launch); "
                            "ignored when \"transport\" is set",
                            nullptr, flags));
  }
  // True if prop_id was one of ours.
  bool set_property(guint prop_id, const GValue *value) {
    std::lock_guard lk(lock_);
    if (prop_id == PROP_TRANSPORT)
      transport_ = Ref<T>(static_cast<T *>(g_value_get_object(value)));
    else if (prop_id == PROP_TRANSPORT_NAME)
      name_ = g_value_get_string(value) ? g_value_get_string(value) : "";
    else
      return false;
    return true;
  }
  bool get_property(guint prop_id, GValue *value) const {
    std::lock_guard lk(lock_);
    if (prop_id == PROP_TRANSPORT)
      g_value_set_object(value, transport_.get());
    else if (prop_id == PROP_TRANSPORT_NAME)
      g_value_set_string(value, name_.c_str());
    else
      return false;
    return true;
  }
  // The object if set, else the transport of that name (created if needed); null if neither.
  Ref<T> resolve() const {
    std::lock_guard lk(lock_);
    if (transport_)
      return transport_;
    if (name_.empty())
      return {};
    return adopt(BindingTraits<T>::get_named(name_.c_str()));
  }

  // resolve(), posting an element error on `element` when neither property is set.
  Ref<T> resolve_or_error(GstElement *element) const {
    Ref<T> t = resolve();
    if (!t) {
      gchar *what = g_strdup_printf("No %s", BindingTraits<T>::what);
      GST_ELEMENT_ERROR(element, RESOURCE, SETTINGS, ("%s", what),
                        ("set the \"transport\" or \"transport-name\" property"));
      g_free(what);
    }
    return t;
  }

private:
  mutable std::mutex lock_; // protects transport_ and name_
  Ref<T> transport_;
  std::string name_;
};

} // namespace gstrtc
