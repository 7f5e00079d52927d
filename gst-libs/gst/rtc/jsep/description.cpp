#include "jsep/description.hpp"

#include <algorithm>
#include <cstring>

namespace gstrtc::jsep {

namespace {

void add_attr(GstSDPMedia *m, const char *key, const std::string &value = "") {
  gst_sdp_media_add_attribute(m, key, value.empty() ? nullptr : value.c_str());
}

Status check_mids(const Description &d) {
  for (size_t i = 0; i < d.media.size(); i++) {
    const auto &m = d.media[i];
    if (m.mid.empty()) {
      if (!d.transport.bundle_groups.empty() && !m.rejected)
        return type_error("m-line " + std::to_string(i) +
                          " has no a=mid, which BUNDLE needs (RFC 8843 §7.2)");
      continue;
    }
    bool token = m.mid.size() <= 255 &&
                 std::all_of(m.mid.begin(), m.mid.end(), [](char c) { return g_ascii_isgraph(c); });
    if (!token)
      return type_error("m-line " + std::to_string(i) + ": a=mid:" + m.mid + " is not a token");
    for (size_t j = 0; j < i; j++)
      if (d.media[j].mid == m.mid)
        return type_error("m-lines " + std::to_string(j) + " and " + std::to_string(i) +
                          " have the same a=mid:" + m.mid + " (RFC 5888 §4)");
  }
  return Ok{};
}

Status check_groups(const Description &d) {
  std::vector<std::string> seen;
  for (const auto &g : d.transport.bundle_groups)
    for (const auto &mid : g) {
      if (std::find(seen.begin(), seen.end(), mid) != seen.end())
        return type_error("mid '" + mid + "' is in two a=group:BUNDLE lines (RFC 8843 §7.2)");
      seen.push_back(mid);
    }
  return Ok{};
}

} // namespace

std::optional<unsigned> Description::index_of(const std::string &mid) const {
  for (const auto &m : media)
    if (!mid.empty() && m.mid == mid)
      return m.index;
  return std::nullopt;
}

Result<Description> read_description(const GstSDPMessage *msg) {
  Description d;
  auto t = sdp::read_transport(msg);
  if (!t)
    return t.error();
  d.transport = std::move(*t);
  auto media = sdp::read_all_media(msg);
  if (!media)
    return media.error();
  d.media = std::move(*media);
  if (auto s = check_mids(d); !s)
    return s.error();
  if (auto s = check_groups(d); !s)
    return s.error();
  return d;
}

std::vector<std::optional<unsigned>> transport_owners(const Description &d, OwnerRule rule) {
  std::vector<std::optional<unsigned>> out(d.media.size());
  auto live = [&](unsigned i) { return !d.media[i].rejected || d.transport.media[i].bundle_only; };
  for (unsigned i = 0; i < d.media.size(); i++) {
    if (!live(i))
      continue;
    out[i] = i;
    const auto *g = d.transport.bundle_group(d.media[i].mid);
    if (!g)
      continue;
    // The tag: the group's first live m-line (RFC 8843 §7.3.1 lists the answerer's tag first).
    std::optional<unsigned> tag;
    for (const auto &mid : *g)
      if (auto idx = d.index_of(mid); idx && live(*idx)) {
        tag = idx;
        break;
      }
    if (!tag)
      continue;
    if (rule != OwnerRule::OwnOffer || d.transport.media[i].bundle_only) {
      out[i] = tag;
      continue;
    }
    // Our offer: m-lines with the same credentials share one transport (balanced policy
    // gives each kind its own before the answer).
    for (unsigned j = 0; j < i; j++)
      if (out[j] && *out[j] == j &&
          d.transport.media[j].ice_ufrag == d.transport.media[i].ice_ufrag) {
        out[i] = j;
        break;
      }
  }
  return out;
}

sdp::MediaSection rejected_section(const sdp::MediaSection &m) {
  sdp::MediaSection r;
  r.index = m.index;
  r.kind = m.kind;
  r.media = m.media;
  r.protocol = m.protocol;
  r.formats = m.formats.empty() ? std::vector<std::string>{"0"} : m.formats;
  r.codecs = m.codecs;
  r.sctp = m.sctp;
  r.mid = m.mid;
  r.rejected = true;
  return r;
}

void write_session(GstSDPMessage *msg, uint64_t session_id, uint64_t version,
                   const std::vector<std::vector<std::string>> &bundle_groups) {
  gst_sdp_message_set_version(msg, "0");
  gst_sdp_message_set_origin(msg, "-", std::to_string(session_id).c_str(),
                             std::to_string(version).c_str(), "IN", "IP4", "0.0.0.0");
  gst_sdp_message_set_session_name(msg, "-");
  gst_sdp_message_add_time(msg, "0", "0", nullptr);
  for (const auto &g : bundle_groups) {
    std::string v = "BUNDLE";
    for (const auto &mid : g)
      v += " " + mid;
    gst_sdp_message_add_attribute(msg, "group", v.c_str());
  }
  gst_sdp_message_add_attribute(msg, "msid-semantic", "WMS *");
}

void write_section(GstSDPMessage *msg, const sdp::MediaSection &s, const TransportAttributes *t) {
  GstSDPMedia *media = nullptr;
  gst_sdp_media_new(&media);
  sdp::write_mline(s, media);
  if (t && t->bundle_only) // RFC 8843 §6: port 0 until BUNDLE is accepted
    gst_sdp_media_set_port_info(media, 0, 1);
  if (t && !s.rejected) {
    add_attr(media, "ice-ufrag", t->ice.ufrag);
    add_attr(media, "ice-pwd", t->ice.pwd);
    add_attr(media, "ice-options", "trickle");
    for (const auto &fp : t->fingerprints)
      add_attr(media, "fingerprint", fp.hash + " " + fp.value);
    add_attr(media, "setup", sdp::to_string(t->setup));
    if (t->bundle_only)
      add_attr(media, "bundle-only");
  }
  if (!s.mid.empty())
    add_attr(media, "mid", s.mid);
  if (!s.rejected) {
    if (s.is_rtp()) {
      add_attr(media, "rtcp-mux"); // RFC 8834 §5.1.1: always multiplexed
      add_attr(media, "rtcp-rsize");
    }
    sdp::write_media_attributes(s, media);
    if (t && !t->bundle_only) {
      for (const auto &c : t->candidates)
        add_attr(media, "candidate", c.to_string().substr(strlen("candidate:")));
      if (t->end_of_candidates)
        add_attr(media, "end-of-candidates");
    }
  }
  gst_sdp_message_add_media(msg, media);
  gst_sdp_media_free(media);
}

} // namespace gstrtc::jsep
