/* gst-rtc: GstRtcDataChannel (RTCDataChannel), webrtcbin's GstWebRTCDataChannel renamed. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_DATA_CHANNEL (gst_rtc_data_channel_get_type ())
GST_RTC_API
G_DECLARE_FINAL_TYPE (GstRtcDataChannel, gst_rtc_data_channel, GST_RTC, DATA_CHANNEL, GstObject)

GST_RTC_API
gboolean gst_rtc_data_channel_send_data_full (GstRtcDataChannel * channel, GBytes * data,
    GError ** error);

GST_RTC_API
gboolean gst_rtc_data_channel_send_string_full (GstRtcDataChannel * channel, const gchar * str,
    GError ** error);

GST_RTC_API
void gst_rtc_data_channel_send_data (GstRtcDataChannel * channel, GBytes * data);

GST_RTC_API
void gst_rtc_data_channel_send_string (GstRtcDataChannel * channel, const gchar * str);

GST_RTC_API
void gst_rtc_data_channel_close (GstRtcDataChannel * channel);

G_END_DECLS
