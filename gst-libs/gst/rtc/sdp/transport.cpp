#include "sdp/transport.hpp"

#include "core/strings.hpp"
#include "dtls/fingerprint.hpp"

#include <algorithm>
#include <cstring>

namespace gstrtc::sdp {

namespace {

std::string where(const MediaTransport &m) {
  return mline_name(m.index, m.mid);
}

// Media attribute if present, else the session's.
const gchar *attr(const GstSDPMessage *msg, const GstSDPMedia *media, const char *key) {
  if (const gchar *v = gst_sdp_media_get_attribute_val(media, key))
    return v;
  return gst_sdp_message_get_attribute_val(msg, key);
}

std::vector<std::string> split_spaces(const gchar *s) {
  std::vector<std::string> out;
  for (auto f : split_fields(s ? s : ""))
    out.emplace_back(f);
  return out;
}

// Every a=fingerprint of the m-line, or of the session when the m-line has none.
Status read_fingerprints(const GstSDPMessage *msg, const GstSDPMedia *media, MediaTransport &m) {
  for (int level = 0; level < 2 && m.fingerprints.empty(); level++) {
    guint n =
        level == 0 ? gst_sdp_media_attributes_len(media) : gst_sdp_message_attributes_len(msg);
    for (guint i = 0; i < n; i++) {
      const GstSDPAttribute *a = level == 0 ? gst_sdp_media_get_attribute(media, i)
                                            : gst_sdp_message_get_attribute(msg, i);
      if (g_strcmp0(a->key, "fingerprint") != 0)
        continue;
      auto fp = dtls::parse_fingerprint(a->value ? a->value : "");
      if (!fp)
        return Error{ErrorCode::TypeError, where(m) + ": a=fingerprint: " + fp.error().message};
      m.fingerprints.push_back(*fp);
    }
  }
  return Ok{};
}

Status read_candidates(const GstSDPMedia *media, MediaTransport &m) {
  for (guint i = 0; i < gst_sdp_media_attributes_len(media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(media, i);
    if (g_strcmp0(a->key, "end-of-candidates") == 0) {
      m.end_of_candidates = true;
    } else if (g_strcmp0(a->key, "candidate") == 0) {
      auto c = ice::parse_candidate(std::string("candidate:") + (a->value ? a->value : ""));
      if (!c)
        return Error{ErrorCode::TypeError, where(m) + ": " + c.error().message};
      m.candidates.push_back(*c);
    }
  }
  return Ok{};
}

Result<MediaTransport> read_media(const GstSDPMessage *msg, guint index) {
  const GstSDPMedia *media = gst_sdp_message_get_media(msg, index);
  MediaTransport m;
  m.index = index;
  if (const gchar *mid = gst_sdp_media_get_attribute_val(media, "mid"))
    m.mid = mid;
  m.rejected = gst_sdp_media_get_port(media) == 0;
  m.bundle_only = has_flag(media, "bundle-only");
  m.rtcp_mux = has_flag(media, "rtcp-mux");
  m.rtcp_rsize = has_flag(media, "rtcp-rsize");
  if (m.rejected && !m.bundle_only)
    return m; // nothing else matters on a rejected m-line
  const gchar *ufrag = attr(msg, media, "ice-ufrag");
  const gchar *pwd = attr(msg, media, "ice-pwd");
  if (!ufrag || !pwd)
    return m; // only valid in a BUNDLE group (checked by read_transport)
  m.ice_ufrag = ufrag;
  m.ice_pwd = pwd;
  if (auto s = ice::validate_ufrag(m.ice_ufrag); !s)
    return Error{ErrorCode::TypeError, where(m) + ": " + s.error().message};
  if (auto s = ice::validate_pwd(m.ice_pwd); !s)
    return Error{ErrorCode::TypeError, where(m) + ": " + s.error().message};
  m.ice_options = split_spaces(attr(msg, media, "ice-options"));
  if (auto s = read_fingerprints(msg, media, m); !s)
    return s.error();
  if (const gchar *setup = attr(msg, media, "setup")) {
    m.setup = parse_setup(setup);
    if (!m.setup)
      return Error{ErrorCode::TypeError, where(m) + ": a=setup:" + setup +
                                             " is not actpass, active, passive or holdconn"};
  }
  if (auto s = read_candidates(media, m); !s)
    return s.error();
  return m;
}

// Every live m-line needs ICE credentials and a fingerprint (RFC 8839 §5.4, RFC 8122 §5),
// except a bundled one that is not the group's first: it shares the first one's (RFC 8843 §7).
Status check_credentials(SessionTransport &t) {
  for (auto &m : t.media) {
    if (m.rejected && !m.bundle_only)
      continue;
    if (!m.ice_ufrag.empty() && !m.fingerprints.empty())
      continue;
    // The group's first live m-line (in group order) is its tag and must have them.
    const auto *g = t.bundle_group(m.mid);
    const MediaTransport *tag = nullptr;
    for (size_t k = 0; g && !tag && k < g->size(); k++)
      for (const auto &o : t.media)
        if (o.mid == (*g)[k] && (!o.rejected || o.bundle_only) && !tag)
          tag = &o;
    if (tag == &m || (tag && (tag->ice_ufrag.empty() || tag->fingerprints.empty())))
      tag = nullptr;
    if (!tag && m.ice_ufrag.empty())
      return type_error(where(m) + ": no a=ice-ufrag/a=ice-pwd (RFC 8839 §5.4)");
    if (!tag)
      return type_error(where(m) + ": no a=fingerprint (RFC 8122 §5)");
    if (m.ice_ufrag.empty()) {
      m.ice_ufrag = tag->ice_ufrag;
      m.ice_pwd = tag->ice_pwd;
      m.ice_options = tag->ice_options;
    }
    if (m.fingerprints.empty())
      m.fingerprints = tag->fingerprints;
    if (!m.setup)
      m.setup = tag->setup;
  }
  return Ok{};
}

} // namespace

bool has_flag(const GstSDPMedia *media, const char *key) {
  for (guint i = 0; i < gst_sdp_media_attributes_len(media); i++)
    if (g_strcmp0(gst_sdp_media_get_attribute(media, i)->key, key) == 0)
      return true;
  return false;
}

bool has_flag(const GstSDPMessage *msg, const char *key) {
  for (guint i = 0; i < gst_sdp_message_attributes_len(msg); i++)
    if (g_strcmp0(gst_sdp_message_get_attribute(msg, i)->key, key) == 0)
      return true;
  return false;
}

const std::vector<std::string> *SessionTransport::bundle_group(const std::string &mid) const {
  for (const auto &g : bundle_groups)
    if (!mid.empty() && std::find(g.begin(), g.end(), mid) != g.end())
      return &g;
  return nullptr;
}

std::string mline_name(unsigned index, const std::string &mid) {
  return "m-line " + std::to_string(index) + (mid.empty() ? "" : " (mid '" + mid + "')");
}

std::optional<Setup> parse_setup(std::string_view v) {
  if (v == "actpass")
    return Setup::ActPass;
  if (v == "active")
    return Setup::Active;
  if (v == "passive")
    return Setup::Passive;
  if (v == "holdconn")
    return Setup::HoldConn;
  return std::nullopt;
}

const char *to_string(Setup s) {
  switch (s) {
  case Setup::ActPass:
    return "actpass";
  case Setup::Active:
    return "active";
  case Setup::Passive:
    return "passive";
  case Setup::HoldConn:
    return "holdconn";
  }
  return "";
}

Result<SessionTransport> read_transport(const GstSDPMessage *msg) {
  SessionTransport out;
  out.ice_lite = has_flag(msg, "ice-lite");
  for (guint i = 0; i < gst_sdp_message_attributes_len(msg); i++) {
    const GstSDPAttribute *a = gst_sdp_message_get_attribute(msg, i);
    if (g_strcmp0(a->key, "group") == 0 && a->value && g_str_has_prefix(a->value, "BUNDLE")) {
      auto mids = split_spaces(a->value + strlen("BUNDLE"));
      out.bundle_groups.push_back(mids);
    }
  }
  for (guint i = 0; i < gst_sdp_message_medias_len(msg); i++) {
    auto m = read_media(msg, i);
    if (!m)
      return m.error();
    out.media.push_back(std::move(*m));
  }
  for (const auto &group : out.bundle_groups)
    for (const auto &mid : group) {
      bool found = false;
      for (const auto &m : out.media)
        found = found || m.mid == mid;
      if (!found)
        return type_error("a=group:BUNDLE names mid '" + mid + "', which no m-line has");
    }
  if (auto s = check_credentials(out); !s)
    return s.error();
  return out;
}

Result<bool> we_are_dtls_client(Setup ours, Setup theirs, bool we_offered) {
  // The answerer picks (RFC 8842 §5.3); actpass is only for offers.
  Setup answer = we_offered ? theirs : ours;
  if (answer == Setup::ActPass)
    return type_error("an answer must not use a=setup:actpass (RFC 8842 §5.3)");
  if (ours == theirs && ours != Setup::ActPass)
    return type_error(std::string("both sides say a=setup:") + to_string(ours));
  if (answer == Setup::HoldConn)
    return type_error("a=setup:holdconn: the peer does not want a connection now");
  bool answerer_active = answer == Setup::Active;
  return we_offered ? !answerer_active : answerer_active;
}

} // namespace gstrtc::sdp
