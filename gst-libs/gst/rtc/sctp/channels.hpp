// The data channels of one SCTP association (RFC 8831, RFC 8832), sans I/O: DCEP, stream ids,
// message framing, send queues with buffered amounts, closing by stream reset. What comes from
// the association (messages, notifications) goes in; what to send goes to a Transport; what the
// application must hear comes out as events, to deliver once the caller's lock is released.
// Not thread-safe: the owner serialises calls.
#pragma once

#include "sctp/dcep.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace gstrtc::sctp {

// How a message goes out: stream, PPID and the channel's reliability.
struct SendSpec {
  uint16_t sid = 0;
  uint32_t ppid = 0;
  bool ordered = true;
  Reliability reliability = Reliability::Reliable;
  uint32_t reliability_param = 0;
};

enum class SendResult { Sent, Full, Failed };

// The association below (usrsctp, or a test double).
class Transport {
public:
  virtual ~Transport() = default;
  // Full: no room now, try again after ChannelSet::on_writable(). A message is taken whole or
  // not at all.
  virtual SendResult send(const SendSpec &spec, std::span<const uint8_t> data) = 0;
  // RFC 6525 outgoing stream reset of these streams (closing their channels).
  virtual void reset_streams(std::span<const uint16_t> sids) = 0;
};

using ChannelId = uint64_t; // stable handle; the stream id may come later (DTLS role)

enum class ChannelState { Connecting, Open, Closing, Closed };

struct ChannelOptions {
  ChannelParams params;
  bool negotiated = false;     // pre-negotiated: no DCEP, `id` is the stream
  std::optional<uint16_t> id;  // the stream; chosen by DTLS role when empty
};

namespace ev {
struct Opened {
  ChannelId ch;
};
struct Incoming { // the peer opened a channel (DCEP); it is open already
  ChannelId ch;
  ChannelParams params;
  uint16_t sid;
};
struct Message {
  ChannelId ch;
  bool binary = false;
  std::vector<uint8_t> data;
};
struct Error { // on that channel only; ch == 0: about the association, no channel
  ChannelId ch;
  std::string message;
};
struct Closed {
  ChannelId ch;
};
struct BufferedLow {
  ChannelId ch;
};
} // namespace ev
using Event = std::variant<ev::Opened, ev::Incoming, ev::Message, ev::Error, ev::Closed,
                           ev::BufferedLow>;

class ChannelSet {
public:
  // local_max_message_size: what we advertise and accept (RFC 8841 §6).
  ChannelSet(Transport &t, uint64_t local_max_message_size);

  // --- from the negotiation and the association
  // RFC 8832 §6: the DTLS client uses even stream ids, the server odd ones.
  void set_dtls_role(bool client);
  void set_remote_max_message_size(uint64_t n); // 0: no limit (RFC 8841 §6.1)
  // The association is up with this many streams each way: channels waiting for it open.
  void on_connected(uint16_t outbound_streams, uint16_t inbound_streams);
  // The association is gone: every channel closes.
  void on_disconnected(const std::string &why);
  void on_writable();
  // A piece of a user message on a stream; `eor` ends the message (partial delivery). A whole
  // message is passed on as it is, without a copy.
  void on_data(uint16_t sid, uint32_t ppid, std::vector<uint8_t> data, bool eor);
  // RFC 6525: the peer reset these incoming streams: it closed their channels (RFC 8831 §6.7).
  void on_incoming_reset(std::span<const uint16_t> sids);

  // --- from the application
  Result<ChannelId> create(const ChannelOptions &o);
  Status send(ChannelId ch, std::span<const uint8_t> data, bool binary);
  void close(ChannelId ch);
  void set_buffered_amount_low_threshold(ChannelId ch, uint64_t n);

  // --- reading
  std::optional<ChannelState> state(ChannelId ch) const;
  std::optional<uint16_t> sid(ChannelId ch) const;
  uint64_t buffered_amount(ChannelId ch) const;
  uint64_t buffered_amount_low_threshold(ChannelId ch) const;
  const ChannelOptions *options(ChannelId ch) const; // as asked; the stream id is sid()
  bool connected() const { return connected_; }
  uint16_t max_channels() const { return max_streams_; }
  uint64_t remote_max_message_size() const { return remote_max_; }
  uint64_t local_max_message_size() const { return local_max_; }
  uint64_t messages_sent() const { return messages_sent_; }
  uint64_t messages_received() const { return messages_received_; }
  uint64_t bytes_sent() const { return bytes_sent_; }
  uint64_t bytes_received() const { return bytes_received_; }

  // Moves what happened onto the end of `out` (the set keeps its buffer for the next ones).
  void take_events(std::vector<Event> &out) {
    for (auto &e : events_)
      out.push_back(std::move(e));
    events_.clear();
  }

private:
  struct Pending {
    SendSpec spec;
    std::vector<uint8_t> data;
    size_t user_bytes; // what counts in buffered amount (0 for DCEP, 0 for an empty message)
  };
  struct Channel {
    ChannelOptions opts;
    std::optional<uint16_t> sid;
    ChannelState state = ChannelState::Connecting;
    bool acked = false;    // DCEP: ACK (or data) received for our OPEN
    bool reset_sent = false;
    uint64_t buffered = 0, low_threshold = 0;
    std::deque<Pending> queue; // not yet taken by the transport, in order
    std::vector<uint8_t> partial; // deprecated partial PPIDs (52, 54): the pieces so far
  };
  // A message delivered in pieces (SCTP partial delivery), per stream.
  struct Reassembly {
    std::vector<uint8_t> data;
    bool discarding = false; // over the size limit: dropped up to its end
  };

  Channel *find(ChannelId ch);
  const Channel *find(ChannelId ch) const;
  ChannelId by_sid(uint16_t sid) const;
  std::optional<uint16_t> allocate_sid();
  void assign_ids();           // channels waiting for their stream id
  void announce(ChannelId ch); // connected: DCEP OPEN, or open at once when negotiated
  void enqueue(ChannelId ch, SendSpec spec, std::vector<uint8_t> data, size_t user_bytes);
  void flush();
  void maybe_reset(ChannelId ch);
  void finish_close(ChannelId ch);
  void on_message(uint16_t sid, uint32_t ppid, std::vector<uint8_t> data);
  void handle_dcep(uint16_t sid, std::span<const uint8_t> m);
  void set_buffered(Channel &c, ChannelId ch, uint64_t n);
  void error(ChannelId ch, std::string msg);

  Transport &t_;
  uint64_t local_max_, remote_max_ = 65536;
  std::optional<bool> client_;
  bool connected_ = false;
  uint16_t max_streams_ = 0;
  uint32_t next_sid_ = 0; // where allocate_sid() looks first
  ChannelId next_id_ = 1;
  std::map<ChannelId, Channel> channels_;
  std::map<uint16_t, ChannelId> by_sid_;
  std::map<uint16_t, Reassembly> incoming_;
  // Channels with something queued, served round robin (one message each per turn) so that
  // a channel sending large messages does not starve the others.
  std::deque<ChannelId> ready_;
  bool blocked_ = false; // the transport said Full; wait for on_writable()
  std::vector<Event> events_;
  uint64_t messages_sent_ = 0, messages_received_ = 0, bytes_sent_ = 0, bytes_received_ = 0;
};

} // namespace gstrtc::sctp
