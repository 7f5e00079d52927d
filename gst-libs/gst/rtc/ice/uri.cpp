#include "ice/uri.hpp"

#include <glib.h>

#include <charconv>
#include <memory>
#include <optional>

namespace gstrtc::ice {

namespace {

Error uri_error(std::string_view uri, const std::string &why) {
  // Never echo credentials: strip userinfo from the quoted value.
  std::string shown(uri);
  auto at = shown.rfind('@');
  auto scheme_end = shown.find("://");
  if (at != std::string::npos && scheme_end != std::string::npos && at > scheme_end)
    shown = shown.substr(0, scheme_end + 3) + "***@" + shown.substr(at + 1);
  return type_error("invalid ICE server URI '" + shown + "': " + why);
}

std::string unescape(std::string_view s, bool &ok) {
  std::string in(s);
  std::unique_ptr<char, decltype(&g_free)> out(g_uri_unescape_string(in.c_str(), nullptr), g_free);
  ok = out != nullptr;
  return ok ? std::string(out.get()) : std::string();
}

} // namespace

std::string ServerUri::to_string() const {
  static const char *names[] = {"stun", "stuns", "turn", "turns"};
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::string s =
      std::string(names[static_cast<int>(scheme)]) + ":" + h + ":" + std::to_string(port);
  if (is_turn())
    s += transport == ServerTransport::Tcp ? "?transport=tcp" : "?transport=udp";
  return s;
}

namespace {

// Each step fills part of `out` and returns an explanation when the URI is wrong.
using Why = std::optional<std::string>;

Why parse_scheme(std::string_view scheme_in, ServerUri &out) {
  std::string scheme(scheme_in);
  for (auto &ch : scheme)
    ch = g_ascii_tolower(ch);
  if (scheme == "stun")
    out.scheme = ServerScheme::Stun;
  else if (scheme == "stuns")
    out.scheme = ServerScheme::Stuns;
  else if (scheme == "turn")
    out.scheme = ServerScheme::Turn;
  else if (scheme == "turns")
    out.scheme = ServerScheme::Turns;
  else
    return "unknown scheme '" + scheme + "'";
  bool secure = out.scheme == ServerScheme::Stuns || out.scheme == ServerScheme::Turns;
  out.port = secure ? 5349 : 3478; // RFC 7064 §3.2, RFC 7065 §3.2
  if (out.scheme == ServerScheme::Turns)
    out.transport = ServerTransport::Tcp;
  return {};
}

// userinfo (webrtcbin's form); the last '@' ends it.
Why parse_userinfo(std::string_view userinfo, ServerUri &out) {
  if (!out.is_turn())
    return "credentials are only allowed for turn: and turns:";
  auto sep = userinfo.find(':');
  if (sep == std::string_view::npos)
    return "credentials need the form user:password";
  bool ok1, ok2;
  out.username = unescape(userinfo.substr(0, sep), ok1);
  out.password = unescape(userinfo.substr(sep + 1), ok2);
  if (!ok1 || !ok2 || out.username.empty())
    return "malformed user name or password";
  return {};
}

Why parse_hostport(std::string_view hostport, ServerUri &out) {
  std::optional<std::string_view> port_str;
  bool bracketed = hostport.starts_with("[");
  if (bracketed) {
    auto close = hostport.find(']');
    if (close == std::string_view::npos)
      return "unterminated '[' in IPv6 host";
    out.host = hostport.substr(1, close - 1);
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':')
        return "unexpected text after IPv6 host";
      port_str = after.substr(1);
    }
    if (!g_hostname_is_ip_address(out.host.c_str()))
      return "'" + out.host + "' is not an IPv6 address";
  } else {
    if (auto pc = hostport.rfind(':'); pc != std::string_view::npos) {
      port_str = hostport.substr(pc + 1);
      hostport = hostport.substr(0, pc);
    }
    out.host = hostport;
  }
  if (out.host.empty())
    return "no host";
  // IPv6 literals come in brackets (RFC 3986 §3.2.2), so a bare host never has ':'.
  for (char ch : out.host)
    if (!(g_ascii_isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || (bracketed && ch == ':')))
      return std::string("invalid character '") + ch + "' in host";
  if (port_str) {
    unsigned p = 0;
    auto [ptr, ec] = std::from_chars(port_str->data(), port_str->data() + port_str->size(), p);
    if (port_str->empty() || ec != std::errc() || ptr != port_str->data() + port_str->size() ||
        p == 0 || p > 65535)
      return "invalid port '" + std::string(*port_str) + "'";
    out.port = static_cast<uint16_t>(p);
  }
  return {};
}

// RFC 7065 §3.1: the only parameter is transport=udp|tcp.
Why parse_query(std::string_view query, ServerUri &out) {
  if (!out.is_turn())
    return "query parameters are only allowed for turn: and turns:";
  if (query == "transport=udp") {
    if (out.scheme == ServerScheme::Turns)
      return "turns: runs over TLS/TCP, transport=udp is not possible";
    out.transport = ServerTransport::Udp;
  } else if (query == "transport=tcp") {
    out.transport = ServerTransport::Tcp;
  } else {
    return "unknown parameter '" + std::string(query) +
           "' (expected transport=udp or transport=tcp)";
  }
  return {};
}

} // namespace

Result<ServerUri> parse_server_uri(std::string_view uri) {
  ServerUri out;
  auto colon = uri.find(':');
  if (colon == std::string_view::npos)
    return uri_error(uri, "no scheme (expected stun:, stuns:, turn: or turns:)");
  if (Why why = parse_scheme(uri.substr(0, colon), out))
    return uri_error(uri, *why);

  std::string_view rest = uri.substr(colon + 1);
  if (rest.starts_with("//"))
    rest.remove_prefix(2);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    if (Why why = parse_userinfo(rest.substr(0, at), out))
      return uri_error(uri, *why);
    rest = rest.substr(at + 1);
  }
  if (Why why = parse_hostport(rest, out))
    return uri_error(uri, *why);
  if (!query.empty())
    if (Why why = parse_query(query, out))
      return uri_error(uri, *why);
  if (out.is_turn() && out.username.empty())
    return uri_error(uri, "TURN needs credentials (turn://user:password@host:port)");
  return out;
}

} // namespace gstrtc::ice
