#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_ICE_SINK (gst_rtc_ice_sink_get_type())
G_DECLARE_FINAL_TYPE(GstRtcIceSink, gst_rtc_ice_sink, GST, RTC_ICE_SINK, GstElement)

G_END_DECLS
