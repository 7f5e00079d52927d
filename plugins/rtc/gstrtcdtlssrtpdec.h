#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_DTLS_SRTP_DEC (gst_rtc_dtls_srtp_dec_get_type())
G_DECLARE_FINAL_TYPE(GstRtcDtlsSrtpDec, gst_rtc_dtls_srtp_dec, GST, RTC_DTLS_SRTP_DEC, GstElement)

G_END_DECLS
