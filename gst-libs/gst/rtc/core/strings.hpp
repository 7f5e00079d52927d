// Small string helpers shared by the parsers.
#pragma once

#include <glib.h>

#include <string_view>
#include <vector>

namespace gstrtc {

// Fields of `s` separated by any character of `seps`; empty fields are skipped.
inline std::vector<std::string_view> split_fields(std::string_view s, std::string_view seps = " ") {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && seps.find(s[i]) != std::string_view::npos)
      i++;
    size_t j = i;
    while (j < s.size() && seps.find(s[j]) == std::string_view::npos)
      j++;
    if (j > i)
      out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// ASCII case-insensitive equality (SDP tokens, encoding names, hex fingerprints).
inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && g_ascii_strncasecmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace gstrtc
