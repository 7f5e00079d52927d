// Time for the sans-I/O cores: the element's clock when it has one (so GstTestClock drives
// tests), else the monotonic clock, in microseconds.
#pragma once

#include <gst/gst.h>

#include <cstdint>

namespace gstrtc {

inline int64_t element_now_us(GstElement *e) {
  GstClock *clock = gst_element_get_clock(e);
  if (!clock)
    return g_get_monotonic_time();
  int64_t t = static_cast<int64_t>(gst_clock_get_time(clock) / 1000);
  gst_object_unref(clock);
  return t;
}

} // namespace gstrtc
