/* gst-rtc: GstRtcCertificate (RTCCertificate): a DTLS identity. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_CERTIFICATE (gst_rtc_certificate_get_type ())
GST_RTC_API
G_DECLARE_FINAL_TYPE (GstRtcCertificate, gst_rtc_certificate, GST_RTC, CERTIFICATE, GObject)

GST_RTC_API
GstRtcCertificate *gst_rtc_certificate_generate (GstRtcKeyType key_type, GError ** error);

GST_RTC_API
GstRtcCertificate *gst_rtc_certificate_new_from_pem (const gchar * pem, GError ** error);

GST_RTC_API
gchar *gst_rtc_certificate_to_pem (GstRtcCertificate * certificate);

GST_RTC_API
gchar *gst_rtc_certificate_get_fingerprint (GstRtcCertificate * certificate, const gchar * hash);

GST_RTC_API
gint64 gst_rtc_certificate_get_expires (GstRtcCertificate * certificate);

G_END_DECLS
