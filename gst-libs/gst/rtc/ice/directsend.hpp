// DirectSend: the data path's sends on the selected pair's own UDP socket, without libnice's
// per-datagram send path: a run of datagrams of one size (the SCTP packets of a message, an RTP
// burst) goes to the kernel as one UDP GSO send (UDP_SEGMENT, Linux 4.18), which cuts the
// kernel's per-datagram cost by half or more; anything else is one sendmsg each. Only for a
// UDP pair whose local side is not a TURN relay (libnice wraps those).
//
// The socket stays libnice's: the Agent drops its DirectSend before anything that may close it
// (ICE restart, close) and whenever the selected pair changes.
#pragma once

#include "core/export.hpp"

#include <nice/agent.h>

#include <sys/socket.h>

#include <atomic>

namespace gstrtc::ice {

class GSTRTC_INTERNAL DirectSend {
public:
  // Takes a reference to `sock`.
  DirectSend(GSocket *sock, const NiceAddress &remote);
  ~DirectSend();
  DirectSend(const DirectSend &) = delete;
  DirectSend &operator=(const DirectSend &) = delete;

  // Returns the datagrams handed to the kernel (their bytes added to *bytes); the others are
  // lost, as UDP may lose them (a full socket buffer).
  unsigned send(const NiceOutputMessage *msgs, unsigned n, uint64_t *bytes);
  bool gso() const { return gso_.load(std::memory_order_relaxed); }

private:
  // The end of the run starting at `i` that one send can take.
  unsigned run_end(const NiceOutputMessage *msgs, unsigned i, unsigned n) const;
  int send_run(const NiceOutputMessage *msgs, unsigned i, unsigned end);

  GSocket *sock_;
  int fd_;
  sockaddr_storage addr_{};
  socklen_t addr_len_ = 0;
  std::atomic<bool> gso_{true}; // off for good once the kernel refused a GSO send
};

} // namespace gstrtc::ice
