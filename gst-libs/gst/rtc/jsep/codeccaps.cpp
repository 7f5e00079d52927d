#include "jsep/codeccaps.hpp"

#include "core/strings.hpp"

#include <cstring>

namespace gstrtc::jsep {

namespace {

// rtcp-fb values whose caps field is not a plain space-to-dash rewrite.
struct FeedbackField {
  const char *sdp;
  const char *field;
};
const FeedbackField kFeedbackFields[] = {{"nack", "rtcp-fb-nack"},
                                         {"nack pli", "rtcp-fb-nack-pli"},
                                         {"ccm fir", "rtcp-fb-ccm-fir"},
                                         {"goog-remb", "rtcp-fb-goog-remb"},
                                         {"transport-cc", "rtcp-fb-transport-cc"}};

std::string feedback_field(const std::string &fb) {
  for (const auto &f : kFeedbackFields)
    if (fb == f.sdp)
      return f.field;
  std::string out = "rtcp-fb-" + fb;
  for (auto &ch : out)
    ch = ch == ' ' ? '-' : ch;
  return out;
}

std::string feedback_from_field(const char *field) {
  for (const auto &f : kFeedbackFields)
    if (strcmp(field, f.field) == 0)
      return f.sdp;
  return field + strlen("rtcp-fb-"); // unknown: kept as written
}

// Fields that describe the stream, not the codec's a=fmtp.
bool is_fmtp_field(const char *name) {
  static const char *const not_fmtp[] = {
      "media",     "encoding-name",    "clock-rate",    "payload",    "encoding-params",
      "ssrc",      "timestamp-offset", "seqnum-offset", "clock-base", "seqnum-base",
      "npt-start", "npt-stop",         "play-speed",    "play-scale", "onvif-mode"};
  for (const char *n : not_fmtp)
    if (strcmp(name, n) == 0)
      return false;
  return !g_str_has_prefix(name, "rtcp-fb-") && !g_str_has_prefix(name, "extmap-") &&
         !g_str_has_prefix(name, "a-") && !g_str_has_prefix(name, "x-gst-") &&
         !g_str_has_prefix(name, "ssrc-");
}

std::string value_string(const GValue *v) {
  if (G_VALUE_HOLDS_STRING(v))
    return g_value_get_string(v) ? g_value_get_string(v) : "";
  if (G_VALUE_HOLDS_INT(v))
    return std::to_string(g_value_get_int(v));
  if (G_VALUE_HOLDS_UINT(v))
    return std::to_string(g_value_get_uint(v));
  return {};
}

struct FieldWalk {
  Codec *codec;
};

gboolean read_field(GQuark id, const GValue *v, gpointer data) {
  Codec &c = *static_cast<FieldWalk *>(data)->codec;
  const char *name = g_quark_to_string(id);
  if (g_str_has_prefix(name, "rtcp-fb-")) {
    if (G_VALUE_HOLDS_BOOLEAN(v) && g_value_get_boolean(v))
      c.feedback.push_back(feedback_from_field(name));
  } else if (is_fmtp_field(name)) {
    auto s = value_string(v);
    if (!s.empty())
      c.params.emplace_back(name, s);
  }
  return TRUE;
}

} // namespace

// media=audio|video; without it (payloader templates often omit it), the kind whose codecs
// alone include the encoding (red, rtx and the like belong to both: Other).
MediaKind kind_of_structure(const GstStructure *s) {
  if (const gchar *media = gst_structure_get_string(s, "media"))
    return sdp::parse_kind(media);
  const gchar *name = gst_structure_get_string(s, "encoding-name");
  if (!name)
    return MediaKind::Other;
  MediaKind found = MediaKind::Other;
  for (auto k : {MediaKind::Video, MediaKind::Audio})
    for (const auto &d : default_capabilities(k).codecs)
      if (iequals(d.name, name)) {
        if (found != MediaKind::Other && found != k)
          return MediaKind::Other;
        found = k;
      }
  return found;
}

Result<Codec> codec_from_structure(const GstStructure *s) {
  if (!gst_structure_has_name(s, "application/x-rtp"))
    return type_error(std::string("caps '") + gst_structure_get_name(s) +
                      "' are not application/x-rtp");
  const gchar *name = gst_structure_get_string(s, "encoding-name");
  if (!name || !*name)
    return type_error("application/x-rtp caps without encoding-name");
  Codec c;
  c.name = canonical_name(name);
  gint rate = 0;
  if (!gst_structure_get_int(s, "clock-rate", &rate) || rate <= 0)
    return type_error("caps for " + c.name + " have no fixed clock-rate");
  c.clock_rate = rate;
  gint pt = -1;
  if (gst_structure_get_int(s, "payload", &pt) && (pt < 0 || pt > 127))
    return type_error("caps for " + c.name + ": payload " + std::to_string(pt) + " is not 0-127");
  c.pt = pt;
  if (const GValue *ep = gst_structure_get_value(s, "encoding-params")) {
    auto v = value_string(ep);
    c.channels = v.empty() ? 0 : std::atoi(v.c_str());
  }
  FieldWalk walk{&c};
  gst_structure_foreach(s, read_field, &walk);
  return c;
}

Result<Capabilities> capabilities_from_caps(const GstCaps *caps, MediaKind kind) {
  Capabilities out;
  if (!caps || gst_caps_is_any(caps) || gst_caps_is_empty(caps))
    return type_error("codec caps are empty or ANY");
  for (guint i = 0; i < gst_caps_get_size(caps); i++) {
    const GstStructure *s = gst_caps_get_structure(caps, i);
    MediaKind k = kind_of_structure(s);
    if (kind != MediaKind::Other && k != MediaKind::Other && k != kind)
      return type_error(std::string("caps structure ") + std::to_string(i) + " is " +
                        sdp::to_string(k) + ", not " + sdp::to_string(kind));
    auto c = codec_from_structure(s);
    if (!c)
      return c.error();
    if (role_of(*c) == CodecRole::Rtx)
      out.rtx = true;
    else
      out.codecs.push_back(std::move(*c));
  }
  return out;
}

Ref<GstCaps> codec_to_caps(const Codec &c, MediaKind kind,
                           const std::vector<sdp::Extmap> &extmaps) {
  gchar *upper = g_ascii_strup(c.name.c_str(), -1);
  GstStructure *s = gst_structure_new("application/x-rtp", "media", G_TYPE_STRING,
                                      sdp::to_string(kind), "encoding-name", G_TYPE_STRING, upper,
                                      "clock-rate", G_TYPE_INT, (gint)c.clock_rate, nullptr);
  g_free(upper);
  if (c.pt >= 0)
    gst_structure_set(s, "payload", G_TYPE_INT, c.pt, nullptr);
  if (c.channels > 1)
    gst_structure_set(s, "encoding-params", G_TYPE_STRING, std::to_string(c.channels).c_str(),
                      nullptr);
  for (const auto &[k, v] : c.params)
    if (!k.empty() && g_ascii_isalpha(k[0]))
      gst_structure_set(s, k.c_str(), G_TYPE_STRING, v.c_str(), nullptr);
  for (const auto &fb : c.feedback)
    gst_structure_set(s, feedback_field(fb).c_str(), G_TYPE_BOOLEAN, TRUE, nullptr);
  for (const auto &e : extmaps)
    gst_structure_set(s, ("extmap-" + std::to_string(e.id)).c_str(), G_TYPE_STRING, e.uri.c_str(),
                      nullptr);
  GstCaps *caps = gst_caps_new_empty();
  gst_caps_append_structure(caps, s);
  return adopt(caps);
}

} // namespace gstrtc::jsep
