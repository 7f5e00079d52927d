// libFuzzer: candidate parsing never crashes, and whatever parses round-trips exactly.
#include "ice/candidate.hpp"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view in(reinterpret_cast<const char *>(data), size);
  auto c = gstrtc::ice::parse_candidate(in);
  if (!c) {
    if (c.error().message.empty())
      abort();
    return 0;
  }
  std::string once = c->to_string();
  auto again = gstrtc::ice::parse_candidate(once);
  if (!again || again->to_string() != once)
    abort();
  return 0;
}
