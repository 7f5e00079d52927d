// Owning handle for GstSDPMessage, and text <-> message through gst-plugins-base's parser.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"

#include <gst/sdp/gstsdpmessage.h>

#include <memory>
#include <string>
#include <string_view>

namespace gstrtc::sdp {

struct MessageFree {
  void operator()(GstSDPMessage *m) const { gst_sdp_message_free(m); }
};
using Message = std::unique_ptr<GstSDPMessage, MessageFree>;

GSTRTC_INTERNAL Message new_message();
GSTRTC_INTERNAL Message copy(const GstSDPMessage *m);
// Errors say what is missing (no v= line, no m= line content, ...).
GSTRTC_INTERNAL Result<Message> parse(std::string_view text);
GSTRTC_INTERNAL std::string to_text(const GstSDPMessage *m);

} // namespace gstrtc::sdp
