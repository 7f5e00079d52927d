// RTX (RFC 4588) on the sending side, sans I/O: the history of sent packets that a NACK can
// ask for, and the retransmission packet built from one of them. Bytes and times in, bytes out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace gstrtc::rtp {

// The fixed header fields of an RTP packet (RFC 3550 §5.1) and where its payload lies.
struct RtpHeader {
  uint8_t pt = 0;
  bool marker = false;
  uint16_t seq = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
  size_t header_len = 0;  // fixed header, CSRCs and extension
  size_t payload_len = 0; // without padding
};

// nullopt when the bytes are not a well-formed RTP packet (version, lengths, padding).
std::optional<RtpHeader> parse_rtp_header(std::span<const uint8_t> packet);

// Size of the RTX packet for an original whose header is `h`: its header, the OSN, its payload.
inline size_t rtx_packet_size(const RtpHeader &h) {
  return h.header_len + 2 + h.payload_len;
}

// RFC 4588 §4: the original's header (CSRCs, extensions, marker, timestamp kept) with the RTX
// PT, sequence number and SSRC and no padding, then the original sequence number, then the
// original payload. `out` must be rtx_packet_size(h) bytes.
void write_rtx_packet(std::span<const uint8_t> original, const RtpHeader &h, uint8_t rtx_pt,
                      uint16_t rtx_seq, uint32_t rtx_ssrc, std::span<uint8_t> out);

// The packets sent on one SSRC, in the order sent, kept for max_age_us and at most `capacity`
// of them. Item is a move-only owner of the packet (a buffer reference); storing one allocates
// nothing once the ring is full.
template <typename Item> class SentHistory {
public:
  SentHistory(size_t capacity, int64_t max_age_us)
      : ring_(capacity ? capacity : 1), max_age_us_(max_age_us) {}

  void add(uint16_t seq, int64_t now_us, Item item) {
    expire(now_us);
    if (count_ == ring_.size())
      pop_oldest();
    Entry &e = ring_[(head_ + count_) % ring_.size()];
    e.seq = seq;
    e.at_us = now_us;
    e.item = std::move(item);
    count_++;
  }

  // The packet with this sequence number, if still kept; null if not.
  const Item *find(uint16_t seq, int64_t now_us) {
    expire(now_us);
    if (!count_)
      return nullptr;
    // Sequence numbers usually follow each other: try the slot they imply, then search back.
    const Entry &newest = at(count_ - 1);
    uint16_t back = static_cast<uint16_t>(newest.seq - seq);
    if (back < count_) {
      const Entry &e = at(count_ - 1 - back);
      if (e.seq == seq)
        return &e.item;
    }
    for (size_t i = count_; i-- > 0;)
      if (at(i).seq == seq)
        return &at(i).item;
    return nullptr;
  }

  size_t size() const { return count_; }
  void clear() {
    while (count_)
      pop_oldest();
  }

private:
  struct Entry {
    uint16_t seq = 0;
    int64_t at_us = 0;
    Item item{};
  };
  Entry &at(size_t i) { return ring_[(head_ + i) % ring_.size()]; }
  void pop_oldest() {
    ring_[head_].item = Item{};
    head_ = (head_ + 1) % ring_.size();
    count_--;
  }
  void expire(int64_t now_us) {
    while (count_ && now_us - ring_[head_].at_us > max_age_us_)
      pop_oldest();
  }

  std::vector<Entry> ring_;
  size_t head_ = 0, count_ = 0;
  int64_t max_age_us_;
};

} // namespace gstrtc::rtp
