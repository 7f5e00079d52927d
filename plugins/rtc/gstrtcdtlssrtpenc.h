#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_DTLS_SRTP_ENC (gst_rtc_dtls_srtp_enc_get_type())
G_DECLARE_FINAL_TYPE(GstRtcDtlsSrtpEnc, gst_rtc_dtls_srtp_enc, GST, RTC_DTLS_SRTP_ENC, GstElement)

G_END_DECLS
