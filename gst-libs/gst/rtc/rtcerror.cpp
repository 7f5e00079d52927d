#include <gst/rtc/rtcerror.h>

// Spelled out rather than G_DEFINE_QUARK: that macro stringifies its tokens, and a formatter
// spacing out the hyphens would silently change the domain string.
GQuark gst_rtc_error_quark(void) {
  static GQuark q = 0;
  if (G_UNLIKELY(q == 0))
    q = g_quark_from_static_string("gst-rtc-error-quark");
  return q;
}
