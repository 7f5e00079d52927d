// Association: one SCTP association over usrsctp's AF_CONN (no kernel SCTP, no UDP socket):
// packets from the peer go in through handle_packets(), packets for the peer come out through
// the Output callback, and what usrsctp reports (user message pieces, association and stream
// reset notifications, room to send) waits in an inbox the owner drains with take().
//
// usrsctp is initialised once per process while any Association exists (refcounted), without
// its timer thread: one thread of ours ticks its timers every 10 ms.
//
// Threads: Output must not call back into this Association. It is called on the thread of the
// call that made the packets, once that call is done (or, over 64 packets, with usrsctp's
// association lock held), and on the timer thread with that lock held. Inbox items arrive on
// the thread that called handle_packets()/send() (drain after the call returns) or on the
// timer thread, which calls Wakeup (schedule a drain; do not drain from inside it).
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"
#include "sctp/channels.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <variant>
#include <vector>

struct socket;

namespace gstrtc::sctp {

struct AssociationConfig {
  uint16_t local_port = 5000, remote_port = 5000; // a=sctp-port
  uint16_t streams = 1024;                        // each way: max-channels
  size_t mtu = 1200;                              // the largest SCTP packet (before DTLS)
};

namespace item {
struct Data {
  uint16_t sid;
  uint32_t ppid;
  std::vector<uint8_t> bytes;
  bool eor;
};
struct Up {
  uint16_t outbound, inbound;
  bool interleaving; // RFC 8260 I-DATA negotiated
};
struct Down {
  std::string why; // empty: closed cleanly
};
struct IncomingReset {
  std::vector<uint16_t> sids;
};
struct Writable {};
} // namespace item
using Item = std::variant<item::Data, item::Up, item::Down, item::IncomingReset, item::Writable>;

struct Conn; // what usrsctp's callbacks point at; outlives the Association (see the .cpp)

class GSTRTC_INTERNAL Association : public Transport {
public:
  // Packets for the peer, in order (valid during the call). Those made during one call of
  // ours (a packet handled, a message sent) come out together when it returns, so that the
  // layers below can push and send them as one batch; timer-driven ones come one at a time.
  using Packets = std::span<const std::span<const uint8_t>>;
  using Output = std::function<void(Packets)>;
  using Wakeup = std::function<void()>;

  static Result<std::unique_ptr<Association>> create(const AssociationConfig &cfg, Output out,
                                                     Wakeup wakeup);
  // Aborts the association: the ABORT goes out through Output from here, so whatever Output
  // writes to must outlive the Association. No callback comes after it returns.
  ~Association() override;

  // Both sides connect (RFC 8841 §9.3 relies on SCTP's handling of simultaneous opens).
  Status connect();
  // Packets with a wrong checksum are dropped here and counted in bad_checksums().
  void handle_packet(std::span<const uint8_t> packet);
  void handle_packets(Packets packets); // in one call: what they cause leaves as one batch
  uint64_t bad_checksums() const { return bad_checksums_.load(std::memory_order_relaxed); }
  void take(std::vector<Item> &out); // replaces out's contents

  // Transport: a message bigger than the socket's room is taken in pieces (explicit EOR); the
  // rest goes out as room appears, and until then every send answers Full.
  SendResult send(const SendSpec &spec, std::span<const uint8_t> data) override;
  void reset_streams(std::span<const uint16_t> sids) override;

private:
  Association(const AssociationConfig &cfg, Output out, Wakeup wakeup);
  Status setup();
  // usrsctp callbacks, through Conn.
  friend struct Conn;
  class Driving; // marks this thread as in a call of ours; flushes the batch at the end
  void on_output(std::span<const uint8_t> packet);
  void flush_output();
  void on_receive(void *data, size_t len, uint16_t sid, uint32_t ppid, int flags);
  void on_writable();
  void on_notification(const uint8_t *n, size_t len);
  void push(Item it);
  bool send_pieces(const SendSpec &spec, std::span<const uint8_t> data, size_t *off,
                   bool *failed);
  bool send_rest(); // the remainder of a message taken in pieces; true when all out
  void retry_resets();

  AssociationConfig cfg_;
  Output out_;
  Wakeup wakeup_;
  std::shared_ptr<Conn> conn_;
  struct socket *sock_ = nullptr;

  std::mutex inbox_lock_; // leaf lock: taken inside usrsctp callbacks
  std::vector<Item> inbox_;
  std::vector<uint16_t> failed_resets_; // refused by the peer: asked again from take()

  // The message being taken in pieces, and resets waiting (the owner's lock: send(),
  // reset_streams() and take() are serialised by it).
  SendSpec rest_spec_{};
  std::vector<uint8_t> rest_;
  size_t rest_off_ = 0;
  std::vector<uint16_t> pending_resets_; // waiting for the outstanding request (RFC 6525)
  std::atomic<bool> want_writable_{false};
  std::atomic<uint64_t> bad_checksums_{0};

  // Packets made during the current call (only the thread in it touches them): their bytes
  // back to back, and where each ends. Capacity is kept from call to call.
  std::vector<uint8_t> batch_bytes_;
  std::vector<size_t> batch_ends_;
  std::vector<std::span<const uint8_t>> batch_spans_;
};

} // namespace gstrtc::sctp
