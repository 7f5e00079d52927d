/* gst-rtc: GstRtcSessionDescription (RTCSessionDescription): an SDP type and message. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>
#include <gst/sdp/gstsdpmessage.h>

G_BEGIN_DECLS

/**
 * GstRtcSessionDescription:
 * @type: offer, pranswer, answer or rollback
 * @sdp: the description (owned)
 *
 * Same layout and meaning as GstWebRTCSessionDescription, so code written for webrtcbin
 * ports by renaming.
 */
typedef struct _GstRtcSessionDescription {
  GstRtcSDPType type;
  GstSDPMessage *sdp;
} GstRtcSessionDescription;

#define GST_TYPE_RTC_SESSION_DESCRIPTION (gst_rtc_session_description_get_type ())
GST_RTC_API
GType gst_rtc_session_description_get_type (void);

GST_RTC_API
GstRtcSessionDescription *gst_rtc_session_description_new (GstRtcSDPType type,
    GstSDPMessage * sdp);

GST_RTC_API
GstRtcSessionDescription *gst_rtc_session_description_new_from_text (GstRtcSDPType type,
    const gchar * text, GError ** error);

GST_RTC_API
GstRtcSessionDescription *gst_rtc_session_description_copy (const GstRtcSessionDescription * src);

GST_RTC_API
void gst_rtc_session_description_free (GstRtcSessionDescription * desc);

GST_RTC_API
gchar *gst_rtc_session_description_to_text (const GstRtcSessionDescription * desc);

GST_RTC_API
const gchar *gst_rtc_sdp_type_to_string (GstRtcSDPType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRtcSessionDescription, gst_rtc_session_description_free)

G_END_DECLS
