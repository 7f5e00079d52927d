// a=fingerprint values (RFC 8122 §5): "sha-256 AB:CD:...", parsed and checked.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"
#include "dtls/session.hpp"

#include <string_view>
#include <vector>

namespace gstrtc::dtls {

// One "hash-func fingerprint" value.
GSTRTC_INTERNAL Result<Fingerprint> parse_fingerprint(std::string_view value);
// Several, separated by ',' (the transport's property form).
GSTRTC_INTERNAL Result<std::vector<Fingerprint>> parse_fingerprints(std::string_view list);

} // namespace gstrtc::dtls
