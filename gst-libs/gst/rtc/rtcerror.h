/* gst-rtc: the GError domain of libgstrtc. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>

G_BEGIN_DECLS

/**
 * GST_RTC_ERROR:
 *
 * The #GQuark of the #GstRtcError domain.
 */
#define GST_RTC_ERROR (gst_rtc_error_quark())

GST_RTC_API
GQuark gst_rtc_error_quark(void);

G_END_DECLS
