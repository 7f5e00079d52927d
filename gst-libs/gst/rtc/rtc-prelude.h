/* gst-rtc: export macro for libgstrtc-1.0. */
#pragma once

#include <gst/gst.h>

#ifndef GST_RTC_API
#ifdef BUILDING_GST_RTC
#define GST_RTC_API __attribute__((visibility("default"))) extern
#else
#define GST_RTC_API extern
#endif
#endif
