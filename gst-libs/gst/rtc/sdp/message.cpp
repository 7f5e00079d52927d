#include "sdp/message.hpp"

#include <glib.h>

namespace gstrtc::sdp {

Message new_message() {
  GstSDPMessage *m = nullptr;
  gst_sdp_message_new(&m);
  return Message(m);
}

Message copy(const GstSDPMessage *m) {
  GstSDPMessage *out = nullptr;
  gst_sdp_message_copy(m, &out);
  return Message(out);
}

Result<Message> parse(std::string_view text) {
  if (text.find('\0') != std::string_view::npos)
    return type_error("SDP contains a NUL byte");
  Message m = new_message();
  if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8 *>(text.data()), text.size(),
                                   m.get()) != GST_SDP_OK)
    return type_error("SDP could not be parsed");
  // gst_sdp_message_parse_buffer accepts almost anything; RFC 4566 §5 requires v=0 first.
  if (g_strcmp0(gst_sdp_message_get_version(m.get()), "0") != 0)
    return type_error("SDP has no 'v=0' line (RFC 4566 §5.1)");
  if (!gst_sdp_message_get_origin(m.get())->sess_id)
    return type_error("SDP has no o= line (RFC 4566 §5.2)");
  return m;
}

std::string to_text(const GstSDPMessage *m) {
  gchar *s = gst_sdp_message_as_text(m);
  std::string out = s ? s : "";
  g_free(s);
  return out;
}

} // namespace gstrtc::sdp
