#include "rtcerror-private.hpp"

// Spelled out rather than G_DEFINE_QUARK: that macro stringifies its tokens, and a formatter
// spacing out the hyphens would silently change the domain string.
GQuark gst_rtc_error_quark(void) {
  static GQuark q = 0;
  if (G_UNLIKELY(q == 0))
    q = g_quark_from_static_string("gst-rtc-error-quark");
  return q;
}

namespace gstrtc {

GstRtcError to_gst_error(ErrorCode code) {
  switch (code) {
  case ErrorCode::TypeError:
    return GST_RTC_ERROR_TYPE_ERROR;
  case ErrorCode::InvalidState:
    return GST_RTC_ERROR_INVALID_STATE;
  case ErrorCode::OperationError:
    return GST_RTC_ERROR_OPERATION_ERROR;
  case ErrorCode::FingerprintFailure:
    return GST_RTC_ERROR_FINGERPRINT_FAILURE;
  case ErrorCode::DtlsFailure:
    return GST_RTC_ERROR_DTLS_FAILURE;
  case ErrorCode::InternalFailure:
    break;
  }
  return GST_RTC_ERROR_INTERNAL_FAILURE;
}

void set_gerror(const Error &e, GError **error) {
  g_set_error_literal(error, GST_RTC_ERROR, to_gst_error(e.code), e.message.c_str());
}

} // namespace gstrtc
