#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_RTX_SEND (gst_rtc_rtx_send_get_type())
G_DECLARE_FINAL_TYPE(GstRtcRtxSend, gst_rtc_rtx_send, GST, RTC_RTX_SEND, GstElement)

G_END_DECLS
