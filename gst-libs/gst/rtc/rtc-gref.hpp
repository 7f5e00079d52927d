// Ref<T> traits for libgstrtc's own GstObject types (internal, not installed).
#pragma once

#include "core/gref.hpp"

#include <gst/rtc/rtcdtlstransport.h>
#include <gst/rtc/rtcicetransport.h>
#include <gst/rtc/rtcsctptransport.h>

namespace gstrtc {

template <> struct RefTraits<GstRtcICETransport> {
  static GstRtcICETransport *ref(GstRtcICETransport *p) {
    return static_cast<GstRtcICETransport *>(gst_object_ref_sink(p));
  }
  static void unref(GstRtcICETransport *p) { gst_object_unref(p); }
};

template <> struct RefTraits<GstRtcDTLSTransport> {
  static GstRtcDTLSTransport *ref(GstRtcDTLSTransport *p) {
    return static_cast<GstRtcDTLSTransport *>(gst_object_ref_sink(p));
  }
  static void unref(GstRtcDTLSTransport *p) { gst_object_unref(p); }
};

template <> struct RefTraits<GstRtcSCTPTransport> {
  static GstRtcSCTPTransport *ref(GstRtcSCTPTransport *p) {
    return static_cast<GstRtcSCTPTransport *>(gst_object_ref_sink(p));
  }
  static void unref(GstRtcSCTPTransport *p) { gst_object_unref(p); }
};

template <> struct RefTraits<GstRtcDataChannel> {
  static GstRtcDataChannel *ref(GstRtcDataChannel *p) {
    return static_cast<GstRtcDataChannel *>(gst_object_ref_sink(p));
  }
  static void unref(GstRtcDataChannel *p) { gst_object_unref(p); }
};

} // namespace gstrtc
