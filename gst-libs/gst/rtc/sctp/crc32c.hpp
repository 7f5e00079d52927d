// CRC32C (Castagnoli), the SCTP checksum (RFC 9260 §6.8 and Appendix A). usrsctp computes it
// with tables, which cost 7% of a bulk data channel transfer; with its "offload" switched on
// we compute and check it here with the CPU's CRC32 instruction where there is one.
#pragma once

#include "core/export.hpp"

#include <cstdint>
#include <span>

namespace gstrtc::sctp {

// The CRC32C of `data`, continuing from `crc` (0 to start): the final value, not inverted back.
GSTRTC_INTERNAL uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc = 0);
// The same with tables only: what runs where there is no CRC32 instruction (for tests).
GSTRTC_INTERNAL uint32_t crc32c_portable(std::span<const uint8_t> data, uint32_t crc = 0);

// An SCTP packet's checksum field is bytes 8..11 of its common header.
constexpr size_t kSctpCommonHeader = 12;

// Computes the checksum of an SCTP packet (its field taken as zero) and writes it into the
// packet, little-endian as RFC 9260 Appendix A stores it. No-op under 12 bytes.
GSTRTC_INTERNAL void sctp_seal(std::span<uint8_t> packet);
// True when an SCTP packet carries the right checksum.
GSTRTC_INTERNAL bool sctp_checksum_ok(std::span<const uint8_t> packet);

} // namespace gstrtc::sctp
