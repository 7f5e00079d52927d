// Liveness and consent timing for one selected pair (RFC 7675 §5.1), with no I/O and no clock
// of its own: the owner passes monotonic time in microseconds and reports inbound traffic.
//
//   connected --(no inbound for disconnected_timeout)--> disconnected
//   disconnected --(inbound)--> connected
//   any --(no inbound for failed_timeout)--> expired (terminal until reset(): an ICE restart)
//
// Once expired the owner must stop sending (RFC 7675 §5.1: "cease transmission").
// A timeout of 0 disables that step.
//
// Why inbound datagrams and not STUN: libnice 0.1.21 consumes every STUN message itself (even
// responses to requests it did not send) and its own RFC 7675 timers are fixed (measured here:
// a vanished peer is still "completed" after 45 s). WebRTC peers always send something back
// (RTCP receiver reports, DTLS/SCTP acknowledgements), so silence means the peer is gone.
#pragma once

#include <cstdint>

namespace gstrtc::ice {

struct ConsentConfig {
  int64_t disconnected_timeout_us = 5'000'000;
  int64_t failed_timeout_us = 30'000'000; // RFC 7675 §5.1: 30 s
};

enum class Liveness { Idle, Alive, Disconnected, Expired };

class ConsentMonitor {
public:
  explicit ConsentMonitor(ConsentConfig cfg = {}) : cfg_(cfg) {}

  void set_config(ConsentConfig cfg) { cfg_ = cfg; }
  const ConsentConfig &config() const { return cfg_; }

  // The pair became usable: start watching.
  void start(int64_t now);
  // Stop watching (not connected, or restarted).
  void reset() { state_ = Liveness::Idle; }
  // Any traffic from the peer on the selected pair. True if it revived a disconnected pair.
  bool on_inbound(int64_t now);
  // Re-evaluates at `now`; returns the (possibly new) state.
  Liveness poll(int64_t now);
  // When poll() should be called next (absolute time), or -1 if never.
  int64_t next_deadline() const;

  Liveness state() const { return state_; }
  int64_t last_inbound() const { return last_inbound_; }

private:
  ConsentConfig cfg_;
  Liveness state_ = Liveness::Idle;
  int64_t last_inbound_ = 0;
};

} // namespace gstrtc::ice
