#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_ICE_SRC (gst_rtc_ice_src_get_type())
G_DECLARE_FINAL_TYPE(GstRtcIceSrc, gst_rtc_ice_src, GST, RTC_ICE_SRC, GstElement)

G_END_DECLS
