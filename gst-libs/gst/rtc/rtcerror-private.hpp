// Core Error -> GError in the GST_RTC_ERROR domain (internal).
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"

#include <gst/rtc/rtcerror.h>

namespace gstrtc {

GSTRTC_INTERNAL GstRtcError to_gst_error(ErrorCode code);
// Sets *error (if error is not null) from e.
GSTRTC_INTERNAL void set_gerror(const Error &e, GError **error);

} // namespace gstrtc
