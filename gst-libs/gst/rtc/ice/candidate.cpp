#include "ice/candidate.hpp"

#include "core/strings.hpp"

#include <gio/gio.h>

#include <charconv>
#include <limits>
#include <cstring>

namespace gstrtc::ice {

namespace {

template <typename T> bool parse_uint(std::string_view s, T &out, size_t max_digits) {
  if (s.empty() || s.size() > max_digits)
    return false;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > std::numeric_limits<T>::max())
    return false;
  out = static_cast<T>(v);
  return true;
}

bool is_ip(std::string_view s) {
  std::string tmp(s);
  return g_hostname_is_ip_address(tmp.c_str());
}

// A connection-address is an IP literal or an FQDN (RFC 8839 §5.1).
bool is_valid_address(std::string_view s) {
  if (s.empty() || s.size() > 253)
    return false;
  if (is_ip(s))
    return true;
  for (char c : s)
    if (!(g_ascii_isalnum(c) || c == '-' || c == '.'))
      return false;
  if (s.front() == '.' || s.front() == '-')
    return false;
  // A name whose last label is all digits is a malformed IP, not a host (RFC 3696 §2).
  std::string_view last = s.substr(s.rfind('.') == std::string_view::npos ? 0 : s.rfind('.') + 1);
  for (char c : last)
    if (!g_ascii_isdigit(c))
      return true;
  return false;
}

// RFC 4566 token (extension-att-name) and VCHAR runs (extension-att-value), RFC 8839 §5.1.
bool is_token(std::string_view s) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`{|}~";
  for (char c : s)
    if (!g_ascii_isalnum(c) && extra.find(c) == std::string_view::npos)
      return false;
  return !s.empty();
}

bool is_vchars(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e)
      return false;
  return !s.empty();
}

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[5];
      g_snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

Error field_error(std::string_view field, std::string_view value, std::string_view line) {
  return type_error("invalid ICE candidate: bad " + std::string(field) + " '" + printable(value) +
                    "' in '" + printable(line) + "'");
}

std::string_view trim_line(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' '))
    s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  return s;
}

} // namespace

bool is_ice_chars(std::string_view s) {
  for (char c : s)
    if (!(g_ascii_isalnum(c) || c == '+' || c == '/'))
      return false;
  return true;
}

Status validate_ufrag(std::string_view ufrag) {
  if (ufrag.size() < 4 || ufrag.size() > 256 || !is_ice_chars(ufrag))
    return type_error("invalid ICE ufrag '" + std::string(ufrag) +
                      "': need 4 to 256 characters of [A-Za-z0-9+/] (RFC 8839 §5.4)");
  return Ok{};
}

Status validate_pwd(std::string_view pwd) {
  if (pwd.size() < 22 || pwd.size() > 256 || !is_ice_chars(pwd))
    return type_error("invalid ICE password: need 22 to 256 characters of [A-Za-z0-9+/] "
                      "(RFC 8839 §5.4), got " +
                      std::to_string(pwd.size()) + " characters");
  return Ok{};
}

const char *to_string(CandidateType t) {
  switch (t) {
  case CandidateType::Host:
    return "host";
  case CandidateType::Srflx:
    return "srflx";
  case CandidateType::Prflx:
    return "prflx";
  case CandidateType::Relay:
    return "relay";
  }
  return "host";
}

const char *to_string(Protocol p) {
  return p == Protocol::Udp ? "udp" : "tcp";
}

const char *to_string(TcpType t) {
  switch (t) {
  case TcpType::Active:
    return "active";
  case TcpType::Passive:
    return "passive";
  case TcpType::So:
    return "so";
  case TcpType::None:
    break;
  }
  return "";
}

bool Candidate::address_is_ip() const {
  return is_ip(address);
}

std::string Candidate::to_string() const {
  std::string s = "candidate:" + foundation + " " + std::to_string(component) + " " +
                  (protocol == Protocol::Udp ? "UDP" : "TCP") + " " + std::to_string(priority) +
                  " " + address + " " + std::to_string(port) + " typ " + ice::to_string(type);
  if (!related_address.empty())
    s += " raddr " + related_address + " rport " + std::to_string(related_port);
  if (tcp_type != TcpType::None)
    s += std::string(" tcptype ") + ice::to_string(tcp_type);
  for (const auto &[k, v] : extensions)
    s += " " + k + " " + v;
  if (!ufrag.empty())
    s += " ufrag " + ufrag;
  return s;
}

Result<Candidate> parse_candidate(std::string_view raw) {
  std::string_view line = trim_line(raw);
  if (line.starts_with("a="))
    line.remove_prefix(2);
  constexpr std::string_view kPrefix = "candidate:";
  if (line.size() < kPrefix.size() || !iequals(line.substr(0, kPrefix.size()), kPrefix))
    return type_error("invalid ICE candidate: '" + printable(raw) +
                      "' does not start with 'candidate:'");
  auto f = split_fields(line.substr(kPrefix.size()));
  if (f.size() < 8)
    return type_error("invalid ICE candidate: '" + printable(line) + "' has " +
                      std::to_string(f.size()) + " fields, need at least 8");

  Candidate c;
  if (f[0].size() > 32 || !is_ice_chars(f[0]))
    return field_error("foundation", f[0], line);
  c.foundation = f[0];
  if (!parse_uint(f[1], c.component, 3) || c.component < 1 || c.component > 256)
    return field_error("component-id", f[1], line);
  if (iequals(f[2], "udp"))
    c.protocol = Protocol::Udp;
  else if (iequals(f[2], "tcp"))
    c.protocol = Protocol::Tcp;
  else
    return field_error("transport", f[2], line);
  if (!parse_uint(f[3], c.priority, 10))
    return field_error("priority", f[3], line);
  if (!is_valid_address(f[4]))
    return field_error("connection-address", f[4], line);
  c.address = f[4];
  // Port 0 is allowed only for active TCP candidates (RFC 6544 §4.5); checked below.
  if (!parse_uint(f[5], c.port, 5))
    return field_error("port", f[5], line);
  if (f[6] != "typ")
    return field_error("'typ' keyword", f[6], line);
  if (f[7] == "host")
    c.type = CandidateType::Host;
  else if (f[7] == "srflx")
    c.type = CandidateType::Srflx;
  else if (f[7] == "prflx")
    c.type = CandidateType::Prflx;
  else if (f[7] == "relay")
    c.type = CandidateType::Relay;
  else
    return field_error("candidate type", f[7], line);

  size_t i = 8;
  for (; i + 1 < f.size(); i += 2) {
    std::string_view k = f[i], v = f[i + 1];
    if (k == "raddr") {
      if (!is_valid_address(v))
        return field_error("raddr", v, line);
      c.related_address = v;
    } else if (k == "rport") {
      if (!parse_uint(v, c.related_port, 5))
        return field_error("rport", v, line);
    } else if (k == "tcptype") {
      if (v == "active")
        c.tcp_type = TcpType::Active;
      else if (v == "passive")
        c.tcp_type = TcpType::Passive;
      else if (v == "so")
        c.tcp_type = TcpType::So;
      else
        return field_error("tcptype", v, line);
    } else if (k == "ufrag") {
      if (!is_ice_chars(v))
        return field_error("ufrag", v, line);
      c.ufrag = v;
    } else {
      // Anything else would corrupt the SDP this candidate is written into (CRLF injection).
      if (!is_token(k))
        return field_error("extension name", k, line);
      if (!is_vchars(v))
        return field_error("extension value", v, line);
      c.extensions.emplace_back(k, v);
    }
  }
  if (i != f.size())
    return field_error("extension (name without value)", f[i], line);
  if (c.protocol == Protocol::Tcp && c.tcp_type == TcpType::None)
    return type_error("invalid ICE candidate: TCP candidate without tcptype in '" +
                      printable(line) + "'");
  if (c.port == 0 && c.tcp_type != TcpType::Active)
    return field_error("port", f[5], line);
  return c;
}

} // namespace gstrtc::ice
