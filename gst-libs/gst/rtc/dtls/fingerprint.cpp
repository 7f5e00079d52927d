#include "dtls/fingerprint.hpp"

#include <glib.h>

namespace gstrtc::dtls {

namespace {

size_t digest_bytes(const std::string &hash) {
  if (hash == "sha-1")
    return 20;
  if (hash == "sha-224")
    return 28;
  if (hash == "sha-256")
    return 32;
  if (hash == "sha-384")
    return 48;
  if (hash == "sha-512")
    return 64;
  return 0;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && g_ascii_isspace(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && g_ascii_isspace(s.back()))
    s.remove_suffix(1);
  return s;
}

} // namespace

Result<Fingerprint> parse_fingerprint(std::string_view raw) {
  std::string_view item = trim(raw);
  auto sp = item.find(' ');
  if (sp == std::string_view::npos)
    return type_error("invalid fingerprint '" + std::string(item) +
                      "': expected 'sha-256 AB:CD:...'");
  std::string hash(item.substr(0, sp));
  std::string value(trim(item.substr(sp + 1)));
  for (auto &c : hash)
    c = g_ascii_tolower(c);
  size_t bytes = digest_bytes(hash);
  if (!bytes)
    return type_error("invalid fingerprint '" + std::string(item) + "': unknown hash '" + hash +
                      "'");
  bool ok = value.size() == bytes * 3 - 1;
  for (size_t i = 0; ok && i < value.size(); i++)
    ok = (i % 3 == 2) ? value[i] == ':' : g_ascii_isxdigit(value[i]);
  if (!ok)
    return type_error("invalid fingerprint '" + std::string(item) + "': need " +
                      std::to_string(bytes) + " hex bytes separated by ':'");
  return Fingerprint{hash, value};
}

Result<std::vector<Fingerprint>> parse_fingerprints(std::string_view list) {
  std::vector<Fingerprint> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto fp = parse_fingerprint(list.substr(0, comma));
    if (!fp)
      return fp.error();
    out.push_back(*fp);
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  if (out.empty())
    return type_error("empty fingerprint");
  return out;
}

} // namespace gstrtc::dtls
