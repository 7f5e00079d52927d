#include "sdp/media.hpp"

#include "core/strings.hpp"
#include "sdp/transport.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace gstrtc::sdp {

namespace {

std::string where(const MediaSection &s) {
  return mline_name(s.index, s.mid);
}

Error bad(const MediaSection &s, const char *key, std::string_view value, std::string why) {
  return type_error(where(s) + ": a=" + key + ":" + std::string(value) + ": " + why);
}

template <typename T> std::optional<T> to_number(std::string_view v) {
  T out{};
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty())
    return std::nullopt;
  return out;
}

std::optional<int> to_pt(std::string_view v) {
  auto n = to_number<int>(v);
  if (!n || *n < 0 || *n > 127)
    return std::nullopt;
  return n;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
    v.remove_suffix(1);
  return v;
}

// "<first> <rest>" at the first space.
std::pair<std::string_view, std::string_view> split_first(std::string_view v) {
  auto sp = v.find(' ');
  if (sp == std::string_view::npos)
    return {v, {}};
  return {v.substr(0, sp), trim(v.substr(sp + 1))};
}

bool token_ok(std::string_view v) {
  // RFC 8851 rid-syntax, RFC 8830 msid-id: visible, no separators that would break lines.
  return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return g_ascii_isgraph(c) && c != ';' && c != ',';
  });
}

// Static payload types of RFC 3551 §6 that WebRTC peers send without a=rtpmap.
void static_codec(Codec &c) {
  struct Static {
    int pt;
    const char *name;
    unsigned rate;
  };
  static const Static table[] = {{0, "PCMU", 8000}, {8, "PCMA", 8000}, {9, "G722", 8000},
                                 {13, "CN", 8000},  {3, "GSM", 8000},  {18, "G729", 8000}};
  for (const auto &s : table)
    if (s.pt == c.pt) {
      c.name = s.name;
      c.clock_rate = s.rate;
    }
}

Status read_rtpmap(MediaSection &s, std::string_view value) {
  auto [pt_s, rest] = split_first(value);
  auto pt = to_pt(pt_s);
  if (!pt)
    return bad(s, "rtpmap", value, "payload type is not 0-127");
  auto parts = split_fields(rest, "/");
  if (parts.size() < 2 || parts.size() > 3)
    return bad(s, "rtpmap", value, "expected <encoding>/<clock rate>[/<channels>]");
  auto rate = to_number<unsigned>(parts[1]);
  std::optional<unsigned> channels = parts.size() == 3 ? to_number<unsigned>(parts[2]) : 0u;
  if (!rate || *rate == 0 || !channels || !token_ok(parts[0]))
    return bad(s, "rtpmap", value, "bad encoding name, clock rate or channel count");
  for (auto &c : s.codecs)
    if (c.pt == *pt) {
      bool same = iequals(c.name, parts[0]) && c.clock_rate == *rate;
      if (!c.name.empty() && !same)
        return bad(s, "rtpmap", value, "payload type already means " + c.name);
      c.name = std::string(parts[0]);
      c.clock_rate = *rate;
      c.channels = *channels;
    }
  return Ok{};
}

Codec *find_codec(MediaSection &s, int pt) {
  for (auto &c : s.codecs)
    if (c.pt == pt)
      return &c;
  return nullptr;
}

Status read_fmtp(MediaSection &s, std::string_view value) {
  auto [pt_s, rest] = split_first(value);
  auto pt = to_pt(pt_s);
  if (!pt)
    return bad(s, "fmtp", value, "payload type is not 0-127");
  Codec *c = find_codec(s, *pt);
  if (!c)
    return Ok{}; // not in the m= line: nothing refers to it (RFC 4566 §6)
  c->fmtp_raw = std::string(rest);
  c->params = parse_fmtp_params(rest);
  return Ok{};
}

Status read_rtcp_fb(MediaSection &s, std::string_view value) {
  auto [pt_s, rest] = split_first(value);
  if (rest.empty())
    return bad(s, "rtcp-fb", value, "no feedback type");
  auto fb = std::string(rest);
  if (pt_s == "*") { // RFC 4585 §4.2: every payload type
    for (auto &c : s.codecs)
      if (!c.has_feedback(fb))
        c.feedback.push_back(fb);
    return Ok{};
  }
  auto pt = to_pt(pt_s);
  if (!pt)
    return bad(s, "rtcp-fb", value, "payload type is not 0-127 or *");
  if (Codec *c = find_codec(s, *pt); c && !c->has_feedback(fb))
    c->feedback.push_back(fb);
  return Ok{};
}

std::optional<Direction> parse_direction(std::string_view v) {
  if (v == "sendrecv")
    return Direction::SendRecv;
  if (v == "sendonly")
    return Direction::SendOnly;
  if (v == "recvonly")
    return Direction::RecvOnly;
  if (v == "inactive")
    return Direction::Inactive;
  return std::nullopt;
}

// RFC 8285 §5: a=extmap:<id>[/<direction>] <uri> [<attributes>]
Status read_extmap(MediaSection &s, std::string_view value) {
  auto [id_dir, rest] = split_first(value);
  auto [uri, attrs] = split_first(rest);
  Extmap e;
  auto slash = id_dir.find('/');
  auto id = to_number<int>(id_dir.substr(0, slash));
  if (!id || *id < 1 || *id > 255 || *id == 15)
    return bad(s, "extmap", value, "id is not 1-14 or 16-255 (RFC 8285 §5)");
  e.id = *id;
  if (slash != std::string_view::npos) {
    auto d = parse_direction(id_dir.substr(slash + 1));
    if (!d)
      return bad(s, "extmap", value, "unknown direction");
    e.direction = *d;
  }
  if (uri.empty() || !token_ok(uri))
    return bad(s, "extmap", value, "no URI");
  e.uri = std::string(uri);
  e.attributes = std::string(attrs);
  for (const auto &o : s.extmaps) {
    if (o.id == e.id && o.uri != e.uri)
      return bad(s, "extmap", value, "id " + std::to_string(e.id) + " is also " + o.uri);
    if (o.uri == e.uri)
      return Ok{}; // a repeated URI keeps its first id
  }
  s.extmaps.push_back(std::move(e));
  return Ok{};
}

Result<Msid> parse_msid(const MediaSection &s, const char *key, std::string_view value) {
  auto f = split_fields(value);
  if (f.empty() || f.size() > 2 || !token_ok(f[0]))
    return bad(s, key, value, "expected <stream id> [<track id>] (RFC 8830 §2)");
  return Msid{std::string(f[0]), f.size() == 2 ? std::string(f[1]) : std::string()};
}

Ssrc &ssrc_entry(MediaSection &s, uint32_t ssrc) {
  for (auto &e : s.ssrcs)
    if (e.ssrc == ssrc)
      return e;
  s.ssrcs.push_back(Ssrc{ssrc, {}, {}});
  return s.ssrcs.back();
}

// RFC 5576 §4.1: a=ssrc:<ssrc> <attribute>[:<value>]
Status read_ssrc(MediaSection &s, std::string_view value) {
  auto [id_s, rest] = split_first(value);
  auto id = to_number<uint32_t>(id_s);
  if (!id)
    return bad(s, "ssrc", value, "SSRC is not a 32-bit number");
  Ssrc &e = ssrc_entry(s, *id);
  auto colon = rest.find(':');
  auto attr = rest.substr(0, colon);
  auto v = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  if (attr == "cname") {
    e.cname = std::string(v);
  } else if (attr == "msid") {
    auto m = parse_msid(s, "ssrc", v);
    if (!m)
      return m.error();
    e.msid = *m;
  }
  return Ok{};
}

Status read_ssrc_group(MediaSection &s, std::string_view value) {
  auto f = split_fields(value);
  if (f.size() < 2 || !token_ok(f[0]))
    return bad(s, "ssrc-group", value, "expected <semantics> <ssrc>... (RFC 5576 §4.2)");
  SsrcGroup g{std::string(f[0]), {}};
  for (size_t i = 1; i < f.size(); i++) {
    auto id = to_number<uint32_t>(f[i]);
    if (!id)
      return bad(s, "ssrc-group", value, "SSRC is not a 32-bit number");
    g.ssrcs.push_back(*id);
  }
  s.ssrc_groups.push_back(std::move(g));
  return Ok{};
}

// RFC 8851 §4: a=rid:<id> <send|recv> [pt=<fmt>,<fmt>;<restriction>=<v>;...]
Status read_rid(MediaSection &s, std::string_view value) {
  auto f = split_fields(value);
  if (f.size() < 2 || f.size() > 3)
    return bad(s, "rid", value, "expected <rid> send|recv [<restrictions>] (RFC 8851 §4)");
  Rid r;
  bool id_ok = std::all_of(f[0].begin(), f[0].end(),
                           [](char c) { return g_ascii_isalnum(c) || c == '-' || c == '_'; });
  if (!id_ok || f[0].empty() || f[0].size() > 255)
    return bad(s, "rid", value, "rid id is not alphanumeric, '-' or '_'");
  r.id = std::string(f[0]);
  if (f[1] != "send" && f[1] != "recv")
    return bad(s, "rid", value, "direction is not send or recv");
  r.send = f[1] == "send";
  if (f.size() == 3) {
    std::string restrictions;
    for (auto item : split_fields(f[2], ";")) {
      if (item.substr(0, 3) != "pt=") {
        restrictions += (restrictions.empty() ? "" : ";") + std::string(item);
        continue;
      }
      for (auto p : split_fields(item.substr(3), ",")) {
        auto pt = to_pt(p);
        if (!pt)
          return bad(s, "rid", value, "pt= lists a payload type that is not 0-127");
        r.pts.push_back(*pt);
      }
    }
    r.restrictions = restrictions;
  }
  for (const auto &o : s.rids)
    if (o.id == r.id)
      return bad(s, "rid", value, "rid id given twice");
  s.rids.push_back(std::move(r));
  return Ok{};
}

Result<std::vector<std::vector<SimulcastStream>>>
parse_simulcast_list(const MediaSection &s, std::string_view value, std::string_view list) {
  std::vector<std::vector<SimulcastStream>> out;
  for (auto alt : split_fields(list, ";")) {
    std::vector<SimulcastStream> streams;
    for (auto r : split_fields(alt, ",")) {
      SimulcastStream st;
      if (r.front() == '~') {
        st.paused = true;
        r.remove_prefix(1);
      }
      st.rid = std::string(r);
      bool known =
          std::any_of(s.rids.begin(), s.rids.end(), [&](const Rid &x) { return x.id == st.rid; });
      if (!known)
        return bad(s, "simulcast", value, "rid '" + st.rid + "' has no a=rid line (RFC 8853 §5.1)");
      streams.push_back(std::move(st));
    }
    out.push_back(std::move(streams));
  }
  return out;
}

// RFC 8853 §5.1: a=simulcast:send <list> [recv <list>] (either order).
Status read_simulcast(MediaSection &s, std::string_view value) {
  auto f = split_fields(value);
  if (f.size() != 2 && f.size() != 4)
    return bad(s, "simulcast", value, "expected send|recv <rid list> [recv|send <rid list>]");
  Simulcast sim;
  for (size_t i = 0; i < f.size(); i += 2) {
    if (f[i] != "send" && f[i] != "recv")
      return bad(s, "simulcast", value, "direction is not send or recv");
    auto list = parse_simulcast_list(s, value, f[i + 1]);
    if (!list)
      return list.error();
    (f[i] == "send" ? sim.send : sim.recv) = std::move(*list);
  }
  s.simulcast = std::move(sim);
  return Ok{};
}

Status read_sctp(MediaSection &s, const char *key, std::string_view value) {
  Sctp &sctp = *s.sctp;
  if (strcmp(key, "sctp-port") == 0) {
    auto port = to_number<unsigned>(value);
    if (!port || *port == 0 || *port > 65535)
      return bad(s, key, value, "not a port number");
    sctp.port = *port;
  } else if (strcmp(key, "max-message-size") == 0) {
    auto n = to_number<uint64_t>(value);
    if (!n)
      return bad(s, key, value, "not a number (RFC 8841 §6)");
    sctp.max_message_size = *n;
  } else if (strcmp(key, "sctpmap") == 0) {
    auto f = split_fields(value);
    auto port = f.empty() ? std::nullopt : to_number<unsigned>(f[0]);
    if (f.size() < 2 || !port || *port == 0 || *port > 65535)
      return bad(s, key, value, "expected <port> webrtc-datachannel [<streams>]");
    sctp.port = *port;
    if (f.size() > 2)
      sctp.streams = to_number<unsigned>(f[2]).value_or(0);
  }
  return Ok{};
}

Status read_attribute(MediaSection &s, const char *key, std::string_view v) {
  if (strcmp(key, "rtpmap") == 0)
    return read_rtpmap(s, v);
  if (strcmp(key, "fmtp") == 0)
    return read_fmtp(s, v);
  if (strcmp(key, "rtcp-fb") == 0)
    return read_rtcp_fb(s, v);
  if (strcmp(key, "extmap") == 0)
    return read_extmap(s, v);
  if (strcmp(key, "extmap-allow-mixed") == 0)
    s.extmap_allow_mixed = true;
  else if (auto d = parse_direction(key))
    s.direction = *d;
  else if (strcmp(key, "msid") == 0) {
    auto m = parse_msid(s, key, v);
    if (!m)
      return m.error();
    s.msids.push_back(*m);
  } else if (strcmp(key, "ssrc") == 0)
    return read_ssrc(s, v);
  else if (strcmp(key, "ssrc-group") == 0)
    return read_ssrc_group(s, v);
  else if (strcmp(key, "rid") == 0)
    return read_rid(s, v);
  else if (s.sctp)
    return read_sctp(s, key, v);
  return Ok{};
}

void read_mline(const GstSDPMedia *media, MediaSection &s) {
  s.media = gst_sdp_media_get_media(media) ? gst_sdp_media_get_media(media) : "";
  s.kind = parse_kind(s.media);
  s.protocol = gst_sdp_media_get_proto(media) ? gst_sdp_media_get_proto(media) : "";
  s.rejected = gst_sdp_media_get_port(media) == 0 && !has_flag(media, "bundle-only");
  for (guint i = 0; i < gst_sdp_media_formats_len(media); i++)
    s.formats.emplace_back(gst_sdp_media_get_format(media, i));
  if (const gchar *mid = gst_sdp_media_get_attribute_val(media, "mid"))
    s.mid = mid;
}

Status read_formats(MediaSection &s) {
  if (s.kind == MediaKind::Application && s.protocol.find("SCTP") != std::string::npos) {
    s.sctp = Sctp{};
    s.sctp->legacy = s.protocol == "DTLS/SCTP";
    if (s.sctp->legacy && !s.formats.empty())
      s.sctp->port = to_number<unsigned>(s.formats[0]).value_or(5000);
    return Ok{};
  }
  if (!s.is_rtp())
    return Ok{};
  for (const auto &f : s.formats) {
    auto pt = to_pt(f);
    if (!pt)
      return type_error(where(s) + ": m= format '" + f + "' is not an RTP payload type 0-127");
    Codec c;
    c.pt = *pt;
    static_codec(c);
    s.codecs.push_back(std::move(c));
  }
  return Ok{};
}

} // namespace

const char *to_string(MediaKind k) {
  switch (k) {
  case MediaKind::Audio:
    return "audio";
  case MediaKind::Video:
    return "video";
  case MediaKind::Application:
    return "application";
  case MediaKind::Other:
    break;
  }
  return "other";
}

MediaKind parse_kind(std::string_view m) {
  if (m == "audio")
    return MediaKind::Audio;
  if (m == "video")
    return MediaKind::Video;
  if (m == "application")
    return MediaKind::Application;
  return MediaKind::Other;
}

const char *to_string(Direction d) {
  switch (d) {
  case Direction::SendRecv:
    return "sendrecv";
  case Direction::SendOnly:
    return "sendonly";
  case Direction::RecvOnly:
    return "recvonly";
  case Direction::Inactive:
    return "inactive";
  case Direction::None:
    break;
  }
  return "none";
}

bool has_send(Direction d) {
  return d == Direction::SendRecv || d == Direction::SendOnly;
}
bool has_recv(Direction d) {
  return d == Direction::SendRecv || d == Direction::RecvOnly;
}
Direction make_direction(bool send, bool recv) {
  if (send && recv)
    return Direction::SendRecv;
  if (send)
    return Direction::SendOnly;
  return recv ? Direction::RecvOnly : Direction::Inactive;
}
Direction reverse(Direction d) {
  return d == Direction::None ? d : make_direction(has_recv(d), has_send(d));
}
Direction answer_direction(Direction offered, Direction wanted) {
  // We may send only what the offerer receives, and receive only what it sends.
  return make_direction(has_send(wanted) && has_recv(offered),
                        has_recv(wanted) && has_send(offered));
}

const std::string *Codec::param(std::string_view key) const {
  for (const auto &[k, v] : params)
    if (iequals(k, key))
      return &v;
  return nullptr;
}

void Codec::set_param(std::string key, std::string value) {
  for (auto &[k, v] : params)
    if (k == key) {
      v = std::move(value);
      return;
    }
  params.emplace_back(std::move(key), std::move(value));
}

bool Codec::has_feedback(std::string_view fb) const {
  return std::find(feedback.begin(), feedback.end(), fb) != feedback.end();
}

bool MediaSection::is_rtp() const {
  return protocol.find("RTP/") != std::string::npos;
}

const Codec *MediaSection::codec(int pt) const {
  for (const auto &c : codecs)
    if (c.pt == pt)
      return &c;
  return nullptr;
}

const Extmap *MediaSection::extmap(std::string_view uri) const {
  for (const auto &e : extmaps)
    if (e.uri == uri)
      return &e;
  return nullptr;
}

Params parse_fmtp_params(std::string_view text) {
  Params out;
  for (auto item : split_fields(text, ";")) {
    item = trim(item);
    auto eq = item.find('=');
    if (eq == 0 || item.empty())
      continue;
    if (eq == std::string_view::npos) // a flag, or red's "111/111" (RFC 2198 §5)
      out.emplace_back(std::string(item), std::string());
    else
      out.emplace_back(std::string(trim(item.substr(0, eq))),
                       std::string(trim(item.substr(eq + 1))));
  }
  return out;
}

std::string fmtp_string(const Codec &c) {
  if (c.params.empty())
    return c.fmtp_raw;
  std::string out;
  for (const auto &[k, v] : c.params)
    out += (out.empty() ? "" : ";") + k + (v.empty() ? "" : "=" + v);
  return out;
}

Result<MediaSection> read_media(const GstSDPMessage *msg, unsigned index) {
  const GstSDPMedia *media = gst_sdp_message_get_media(msg, index);
  MediaSection s;
  s.index = index;
  read_mline(media, s);
  if (auto st = read_formats(s); !st)
    return st.error();
  // RFC 4566 §6: a session-level direction applies to m-lines that have none.
  for (guint i = 0; i < gst_sdp_message_attributes_len(msg); i++) {
    const GstSDPAttribute *a = gst_sdp_message_get_attribute(msg, i);
    if (auto d = parse_direction(a->key ? a->key : ""))
      s.direction = *d;
    else if (g_strcmp0(a->key, "extmap-allow-mixed") == 0)
      s.extmap_allow_mixed = true;
  }
  if (s.rejected)
    return s;
  // a=simulcast refers to a=rid lines that may come after it: read it last.
  std::optional<std::string> simulcast;
  for (guint i = 0; i < gst_sdp_media_attributes_len(media); i++) {
    const GstSDPAttribute *a = gst_sdp_media_get_attribute(media, i);
    std::string_view v = a->value ? a->value : "";
    if (g_strcmp0(a->key, "simulcast") == 0) {
      simulcast = std::string(v);
      continue;
    }
    if (auto st = read_attribute(s, a->key ? a->key : "", v); !st)
      return st.error();
  }
  if (simulcast)
    if (auto st = read_simulcast(s, *simulcast); !st)
      return st.error();
  return s;
}

Result<std::vector<MediaSection>> read_all_media(const GstSDPMessage *msg) {
  std::vector<MediaSection> out;
  for (guint i = 0; i < gst_sdp_message_medias_len(msg); i++) {
    auto s = read_media(msg, i);
    if (!s)
      return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

namespace {

void add_attr(GstSDPMedia *media, const char *key, const std::string &value = "") {
  gst_sdp_media_add_attribute(media, key, value.empty() ? nullptr : value.c_str());
}

std::string simulcast_list(const std::vector<std::vector<SimulcastStream>> &alts) {
  std::string out;
  for (const auto &alt : alts) {
    out += out.empty() ? "" : ";";
    for (size_t i = 0; i < alt.size(); i++)
      out += (i ? "," : "") + std::string(alt[i].paused ? "~" : "") + alt[i].rid;
  }
  return out;
}

void write_codecs(const MediaSection &s, GstSDPMedia *media) {
  for (const auto &c : s.codecs) {
    auto pt = std::to_string(c.pt);
    std::string map = pt + " " + c.name + "/" + std::to_string(c.clock_rate);
    if (c.channels > 1)
      map += "/" + std::to_string(c.channels);
    add_attr(media, "rtpmap", map);
    for (const auto &fb : c.feedback)
      add_attr(media, "rtcp-fb", pt + " " + fb);
    if (auto f = fmtp_string(c); !f.empty())
      add_attr(media, "fmtp", pt + " " + f);
  }
}

void write_ssrcs(const MediaSection &s, GstSDPMedia *media) {
  for (const auto &g : s.ssrc_groups) {
    std::string v = g.semantics;
    for (auto id : g.ssrcs)
      v += " " + std::to_string(id);
    add_attr(media, "ssrc-group", v);
  }
  for (const auto &e : s.ssrcs) {
    auto id = std::to_string(e.ssrc);
    if (!e.cname.empty())
      add_attr(media, "ssrc", id + " cname:" + e.cname);
    if (e.msid)
      add_attr(media, "ssrc",
               id + " msid:" + e.msid->stream + (e.msid->track.empty() ? "" : " " + e.msid->track));
  }
}

void write_rids(const MediaSection &s, GstSDPMedia *media) {
  for (const auto &r : s.rids) {
    std::string v = r.id + (r.send ? " send" : " recv");
    std::string restr;
    if (!r.pts.empty()) {
      restr = "pt=";
      for (size_t i = 0; i < r.pts.size(); i++)
        restr += (i ? "," : "") + std::to_string(r.pts[i]);
    }
    if (!r.restrictions.empty())
      restr += (restr.empty() ? "" : ";") + r.restrictions;
    add_attr(media, "rid", restr.empty() ? v : v + " " + restr);
  }
  if (s.simulcast) {
    std::string v;
    if (!s.simulcast->send.empty())
      v = "send " + simulcast_list(s.simulcast->send);
    if (!s.simulcast->recv.empty())
      v += (v.empty() ? "" : " ") + std::string("recv ") + simulcast_list(s.simulcast->recv);
    if (!v.empty())
      add_attr(media, "simulcast", v);
  }
}

void write_sctp(const Sctp &sctp, GstSDPMedia *media) {
  auto port = std::to_string(sctp.port);
  if (sctp.legacy)
    add_attr(media, "sctpmap",
             port + " webrtc-datachannel " + std::to_string(sctp.streams ? sctp.streams : 65535));
  else
    add_attr(media, "sctp-port", port);
  if (sctp.max_message_size)
    add_attr(media, "max-message-size", std::to_string(*sctp.max_message_size));
}

} // namespace

void write_mline(const MediaSection &s, GstSDPMedia *media) {
  gst_sdp_media_set_media(media, s.media.empty() ? to_string(s.kind) : s.media.c_str());
  gst_sdp_media_set_port_info(media, s.rejected ? 0 : 9, 1);
  gst_sdp_media_set_proto(media, s.protocol.c_str());
  std::vector<std::string> formats;
  if (s.sctp && !s.sctp->legacy)
    formats.push_back("webrtc-datachannel");
  else if (s.sctp)
    formats.push_back(std::to_string(s.sctp->port));
  else if (!s.codecs.empty())
    for (const auto &c : s.codecs)
      formats.push_back(std::to_string(c.pt));
  else
    formats = s.formats;
  if (formats.empty()) // RFC 4566 §5.14: at least one format, even when rejected
    formats.push_back(s.is_rtp() ? "0" : "webrtc-datachannel");
  if (s.rejected)
    formats.resize(1);
  for (const auto &f : formats)
    gst_sdp_media_add_format(media, f.c_str());
  gst_sdp_media_add_connection(media, "IN", "IP4", "0.0.0.0", 0, 0);
}

void write_media_attributes(const MediaSection &s, GstSDPMedia *media) {
  if (s.rejected)
    return;
  for (const auto &e : s.extmaps) {
    std::string id = std::to_string(e.id);
    if (e.direction != Direction::None)
      id += std::string("/") + to_string(e.direction);
    add_attr(media, "extmap", id + " " + e.uri + (e.attributes.empty() ? "" : " " + e.attributes));
  }
  if (s.sctp) {
    write_sctp(*s.sctp, media);
    return;
  }
  add_attr(media, to_string(s.direction == Direction::None ? Direction::Inactive : s.direction));
  for (const auto &m : s.msids)
    add_attr(media, "msid", m.stream + (m.track.empty() ? "" : " " + m.track));
  write_codecs(s, media);
  write_ssrcs(s, media);
  write_rids(s, media);
}

} // namespace gstrtc::sdp
