#include "ice/consent.hpp"

#include <algorithm>

namespace gstrtc::ice {

void ConsentMonitor::start(int64_t now) {
  if (state_ == Liveness::Expired)
    return;
  state_ = Liveness::Alive;
  last_inbound_ = std::max(last_inbound_, now);
}

bool ConsentMonitor::on_inbound(int64_t now) {
  last_inbound_ = std::max(last_inbound_, now);
  if (state_ != Liveness::Disconnected)
    return false;
  state_ = Liveness::Alive;
  return true;
}

Liveness ConsentMonitor::poll(int64_t now) {
  if (state_ == Liveness::Idle || state_ == Liveness::Expired)
    return state_;
  int64_t silent = now - last_inbound_;
  if (silent >= cfg_.failed_timeout_us)
    state_ = Liveness::Expired;
  else if (silent >= cfg_.disconnected_timeout_us)
    state_ = Liveness::Disconnected;
  else
    state_ = Liveness::Alive;
  return state_;
}

int64_t ConsentMonitor::next_deadline() const {
  switch (state_) {
  case Liveness::Alive:
    return last_inbound_ + std::min(cfg_.disconnected_timeout_us, cfg_.failed_timeout_us);
  case Liveness::Disconnected:
    return last_inbound_ + cfg_.failed_timeout_us;
  case Liveness::Idle:
  case Liveness::Expired:
    break;
  }
  return -1;
}

} // namespace gstrtc::ice
