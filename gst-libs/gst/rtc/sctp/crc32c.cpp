#include "sctp/crc32c.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace gstrtc::sctp {

namespace {

constexpr uint32_t kPoly = 0x82f63b78; // CRC32C, reflected

constexpr std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++)
      c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto kTable = make_table();

// Raw register update (no pre/post inversion).
uint32_t update_bytes(uint32_t c, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    c = kTable[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t update_sse42(uint32_t c, const uint8_t *p, size_t n) {
  uint64_t c64 = c;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    c64 = _mm_crc32_u64(c64, w);
  }
  c = uint32_t(c64);
  for (; n; n--, p++)
    c = _mm_crc32_u8(c, *p);
  return c;
}

using UpdateFn = uint32_t (*)(uint32_t, const uint8_t *, size_t);
UpdateFn pick() {
  return __builtin_cpu_supports("sse4.2") ? update_sse42 : update_bytes;
}
const UpdateFn kUpdate = pick();
#else
constexpr auto kUpdate = update_bytes;
#endif

void store_le(uint8_t *p, uint32_t v) {
  p[0] = uint8_t(v);
  p[1] = uint8_t(v >> 8);
  p[2] = uint8_t(v >> 16);
  p[3] = uint8_t(v >> 24);
}

// The packet's CRC with its checksum field read as zero.
uint32_t packet_crc(const uint8_t *p, size_t n) {
  static constexpr uint8_t zero[4] = {};
  uint32_t c = kUpdate(0xffffffff, p, 8);
  c = kUpdate(c, zero, 4);
  c = kUpdate(c, p + kSctpCommonHeader, n - kSctpCommonHeader);
  return ~c;
}

} // namespace

uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc) {
  return ~kUpdate(~crc, data.data(), data.size());
}

uint32_t crc32c_portable(std::span<const uint8_t> data, uint32_t crc) {
  return ~update_bytes(~crc, data.data(), data.size());
}

void sctp_seal(std::span<uint8_t> packet) {
  if (packet.size() < kSctpCommonHeader)
    return;
  store_le(packet.data() + 8, packet_crc(packet.data(), packet.size()));
}

bool sctp_checksum_ok(std::span<const uint8_t> packet) {
  if (packet.size() < kSctpCommonHeader)
    return false;
  uint8_t want[4];
  store_le(want, packet_crc(packet.data(), packet.size()));
  return std::memcmp(want, packet.data() + 8, 4) == 0;
}

} // namespace gstrtc::sctp
