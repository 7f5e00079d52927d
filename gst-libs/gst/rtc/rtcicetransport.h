/* gst-rtc: GstRtcICETransport, one ICE transport (RTCIceTransport) over libnice. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>

G_BEGIN_DECLS

#define GST_TYPE_RTC_ICE_TRANSPORT (gst_rtc_ice_transport_get_type())
GST_RTC_API
G_DECLARE_FINAL_TYPE(GstRtcICETransport, gst_rtc_ice_transport, GST_RTC, ICE_TRANSPORT, GstObject)

GST_RTC_API
GstRtcICETransport *gst_rtc_ice_transport_new(const gchar *name);

GST_RTC_API
GstRtcICETransport *gst_rtc_ice_transport_get_named(const gchar *name);

GST_RTC_API
gboolean gst_rtc_ice_transport_gather_candidates(GstRtcICETransport *transport, GError **error);

GST_RTC_API
gboolean gst_rtc_ice_transport_add_remote_candidate(GstRtcICETransport *transport,
                                                    const gchar *candidate, GError **error);

GST_RTC_API
void gst_rtc_ice_transport_end_of_remote_candidates(GstRtcICETransport *transport);

GST_RTC_API
gboolean gst_rtc_ice_transport_set_remote_credentials(GstRtcICETransport *transport,
                                                      const gchar *ufrag, const gchar *pwd,
                                                      GError **error);

GST_RTC_API
gboolean gst_rtc_ice_transport_set_local_credentials(GstRtcICETransport *transport,
                                                     const gchar *ufrag, const gchar *pwd,
                                                     GError **error);

GST_RTC_API
void gst_rtc_ice_transport_get_local_credentials(GstRtcICETransport *transport, gchar **ufrag,
                                                 gchar **pwd);

GST_RTC_API
gboolean gst_rtc_ice_transport_set_stun_server(GstRtcICETransport *transport, const gchar *uri,
                                               GError **error);

GST_RTC_API
gboolean gst_rtc_ice_transport_add_turn_server(GstRtcICETransport *transport, const gchar *uri,
                                               GError **error);

GST_RTC_API
gboolean gst_rtc_ice_transport_restart(GstRtcICETransport *transport, GError **error);

GST_RTC_API
GstStructure *gst_rtc_ice_transport_get_selected_pair(GstRtcICETransport *transport);

GST_RTC_API
GstStructure *gst_rtc_ice_transport_get_stats(GstRtcICETransport *transport);

GST_RTC_API
void gst_rtc_ice_transport_close(GstRtcICETransport *transport);

G_END_DECLS
