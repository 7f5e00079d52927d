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
  if (cfg_.failed_timeout_us > 0 && silent >= cfg_.failed_timeout_us)
    state_ = Liveness::Expired;
  else if (cfg_.disconnected_timeout_us > 0 && silent >= cfg_.disconnected_timeout_us)
    state_ = Liveness::Disconnected;
  else
    state_ = Liveness::Alive;
  return state_;
}

int64_t ConsentMonitor::next_deadline() const {
  int64_t disc = cfg_.disconnected_timeout_us, fail = cfg_.failed_timeout_us;
  switch (state_) {
  case Liveness::Alive:
    if (disc > 0 && (fail <= 0 || disc < fail))
      return last_inbound_ + disc;
    return fail > 0 ? last_inbound_ + fail : -1;
  case Liveness::Disconnected:
    return fail > 0 ? last_inbound_ + fail : -1;
  case Liveness::Idle:
  case Liveness::Expired:
    break;
  }
  return -1;
}

} // namespace gstrtc::ice
