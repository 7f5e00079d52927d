/* gst-rtc: GstRtcRTPTransceiver (RTCRtpTransceiver): one m-line's sender and receiver. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_RTP_TRANSCEIVER (gst_rtc_rtp_transceiver_get_type ())
GST_RTC_API
G_DECLARE_FINAL_TYPE (GstRtcRTPTransceiver, gst_rtc_rtp_transceiver, GST_RTC, RTP_TRANSCEIVER,
    GstObject)

G_END_DECLS
