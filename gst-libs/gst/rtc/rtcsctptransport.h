/* gst-rtc: GstRtcSCTPTransport (RTCSctpTransport), shared by rtcsctpenc/rtcsctpdec. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>
#include <gst/rtc/rtcdatachannel.h>
#include <gst/rtc/rtcdtlstransport.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_SCTP_TRANSPORT (gst_rtc_sctp_transport_get_type ())
GST_RTC_API
G_DECLARE_FINAL_TYPE (GstRtcSCTPTransport, gst_rtc_sctp_transport, GST_RTC, SCTP_TRANSPORT, GstObject)

GST_RTC_API
GstRtcSCTPTransport *gst_rtc_sctp_transport_new (void);

GST_RTC_API
GstRtcDataChannel *gst_rtc_sctp_transport_create_data_channel (GstRtcSCTPTransport * transport,
    const gchar * label, const GstStructure * options, GError ** error);

GST_RTC_API
void gst_rtc_sctp_transport_close (GstRtcSCTPTransport * transport);

G_END_DECLS
