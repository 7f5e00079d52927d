/**
 * SECTION:gstrtcsessiondescription
 * @title: GstRtcSessionDescription
 * @short_description: an offer, answer, pranswer or rollback (RTCSessionDescription)
 *
 * What rtcbin's create-offer and create-answer reply with and what set-local-description and
 * set-remote-description take. From Python:
 * `GstRtc.SessionDescription.new_from_text(GstRtc.SDPType.OFFER, text)`.
 */
#include "rtcerror-private.hpp"
#include "sdp/message.hpp"

#include <gst/rtc/rtcsessiondescription.h>

G_DEFINE_BOXED_TYPE(GstRtcSessionDescription, gst_rtc_session_description,
                    gst_rtc_session_description_copy, gst_rtc_session_description_free)

/**
 * gst_rtc_session_description_new:
 * @type: the description's type
 * @sdp: (transfer full): the SDP message
 *
 * Returns: (transfer full): a new description owning @sdp
 */
GstRtcSessionDescription *gst_rtc_session_description_new(GstRtcSDPType type, GstSDPMessage *sdp) {
  g_return_val_if_fail(sdp != nullptr, nullptr);
  auto *d = g_new0(GstRtcSessionDescription, 1);
  d->type = type;
  d->sdp = sdp;
  return d;
}

/**
 * gst_rtc_session_description_new_from_text:
 * @type: the description's type
 * @text: SDP text
 * @error: where to say why @text is not SDP
 *
 * Returns: (transfer full) (nullable): a new description, or %NULL with @error set
 */
GstRtcSessionDescription *
gst_rtc_session_description_new_from_text(GstRtcSDPType type, const gchar *text, GError **error) {
  g_return_val_if_fail(text != nullptr, nullptr);
  auto msg = gstrtc::sdp::parse(text);
  if (!msg) {
    gstrtc::set_gerror(msg.error(), error);
    return nullptr;
  }
  return gst_rtc_session_description_new(type, msg->release());
}

/**
 * gst_rtc_session_description_copy:
 * @src: a description
 *
 * Returns: (transfer full): a deep copy
 */
GstRtcSessionDescription *gst_rtc_session_description_copy(const GstRtcSessionDescription *src) {
  if (!src)
    return nullptr;
  return gst_rtc_session_description_new(src->type, gstrtc::sdp::copy(src->sdp).release());
}

/**
 * gst_rtc_session_description_free:
 * @desc: (transfer full): a description
 */
void gst_rtc_session_description_free(GstRtcSessionDescription *desc) {
  if (!desc)
    return;
  if (desc->sdp)
    gst_sdp_message_free(desc->sdp);
  g_free(desc);
}

/**
 * gst_rtc_session_description_to_text:
 * @desc: a description
 *
 * Returns: (transfer full): the SDP text, CRLF line ends
 */
gchar *gst_rtc_session_description_to_text(const GstRtcSessionDescription *desc) {
  g_return_val_if_fail(desc != nullptr && desc->sdp != nullptr, nullptr);
  return gst_sdp_message_as_text(desc->sdp);
}

/**
 * gst_rtc_sdp_type_to_string:
 * @type: an SDP type
 *
 * Returns: "offer", "pranswer", "answer" or "rollback" (W3C RTCSdpType), or %NULL
 */
const gchar *gst_rtc_sdp_type_to_string(GstRtcSDPType type) {
  switch (type) {
  case GST_RTC_SDP_TYPE_OFFER:
    return "offer";
  case GST_RTC_SDP_TYPE_PRANSWER:
    return "pranswer";
  case GST_RTC_SDP_TYPE_ANSWER:
    return "answer";
  case GST_RTC_SDP_TYPE_ROLLBACK:
    return "rollback";
  }
  return nullptr;
}
