#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcelements.h"

static gboolean plugin_init(GstPlugin *plugin) {
  gboolean ret = FALSE;
  ret |= GST_ELEMENT_REGISTER(rtcicesrc, plugin);
  ret |= GST_ELEMENT_REGISTER(rtcicesink, plugin);
  ret |= GST_ELEMENT_REGISTER(rtcdtlssrtpenc, plugin);
  ret |= GST_ELEMENT_REGISTER(rtcdtlssrtpdec, plugin);
  ret |= GST_ELEMENT_REGISTER(rtcbin, plugin);
  ret |= GST_ELEMENT_REGISTER(rtcrtxsend, plugin);
  ret |= GST_ELEMENT_REGISTER(rtcsctpenc, plugin);
  ret |= GST_ELEMENT_REGISTER(rtcsctpdec, plugin);
  return ret;
}

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, rtc,
                  "WebRTC elements: ICE, DTLS-SRTP, SCTP and a peer connection bin", plugin_init,
                  VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
