// Internal API between libgstrtc and the rtc plugin (not installed, not in the GIR):
// the elements reach the transport's C++ agent for the per-packet path.
#pragma once

#include <gst/rtc/rtcicetransport.h>

#include "core/export.hpp"
#include "ice/agent.hpp"

namespace gstrtc {

GSTRTC_INTERNAL ice::Agent &ice_transport_agent(GstRtcICETransport *t);

} // namespace gstrtc
