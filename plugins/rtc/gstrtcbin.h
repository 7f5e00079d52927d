#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_BIN (gst_rtc_bin_get_type())
G_DECLARE_FINAL_TYPE(GstRtcBin, gst_rtc_bin, GST, RTC_BIN, GstBin)

#define GST_TYPE_RTC_BIN_PAD (gst_rtc_bin_pad_get_type())
G_DECLARE_FINAL_TYPE(GstRtcBinPad, gst_rtc_bin_pad, GST, RTC_BIN_PAD, GstGhostPad)

G_END_DECLS
