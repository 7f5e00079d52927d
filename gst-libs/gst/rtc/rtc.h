/* gst-rtc: umbrella header of libgstrtc-1.0. */
#pragma once

#include <gst/rtc/rtc-prelude.h>
#include <gst/rtc/rtc-enums.h>
#include <gst/rtc/rtc-enumtypes.h>
#include <gst/rtc/rtcerror.h>
#include <gst/rtc/rtcicetransport.h>
#include <gst/rtc/rtccertificate.h>
#include <gst/rtc/rtcdtlstransport.h>
#include <gst/rtc/rtcsessiondescription.h>
#include <gst/rtc/rtcrtptransceiver.h>
#include <gst/rtc/rtcdatachannel.h>
#include <gst/rtc/rtcsctptransport.h>
