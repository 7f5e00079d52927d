/* gst-rtc: GstRtcDTLSTransport (RTCDtlsTransport), shared by rtcdtlssrtpenc/rtcdtlssrtpdec. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>
#include <gst/rtc/rtccertificate.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_DTLS_TRANSPORT (gst_rtc_dtls_transport_get_type ())
GST_RTC_API
G_DECLARE_FINAL_TYPE (GstRtcDTLSTransport, gst_rtc_dtls_transport, GST_RTC, DTLS_TRANSPORT, GstObject)

GST_RTC_API
GstRtcDTLSTransport *gst_rtc_dtls_transport_new (const gchar * name);

GST_RTC_API
GstRtcDTLSTransport *gst_rtc_dtls_transport_get_named (const gchar * name);

GST_RTC_API
gboolean gst_rtc_dtls_transport_set_remote_fingerprint (GstRtcDTLSTransport * transport,
    const gchar * fingerprint, GError ** error);

GST_RTC_API
gboolean gst_rtc_dtls_transport_start (GstRtcDTLSTransport * transport, GError ** error);

GST_RTC_API
void gst_rtc_dtls_transport_close (GstRtcDTLSTransport * transport);

GST_RTC_API
GstStructure *gst_rtc_dtls_transport_get_stats (GstRtcDTLSTransport * transport);

G_END_DECLS
