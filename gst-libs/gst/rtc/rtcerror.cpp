#include <gst/rtc/rtcerror.h>

G_DEFINE_QUARK (gst-rtc-error-quark, gst_rtc_error)
