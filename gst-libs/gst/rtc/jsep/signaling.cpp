#include "jsep/signaling.hpp"

#include <initializer_list>
#include <string>

namespace gstrtc::jsep {

using S = SignalingState;

const char *to_string(SignalingState s) {
  switch (s) {
  case S::Stable:
    return "stable";
  case S::Closed:
    return "closed";
  case S::HaveLocalOffer:
    return "have-local-offer";
  case S::HaveRemoteOffer:
    return "have-remote-offer";
  case S::HaveLocalPranswer:
    return "have-local-pranswer";
  case S::HaveRemotePranswer:
    return "have-remote-pranswer";
  }
  return "unknown";
}

const char *to_string(SdpType t) {
  switch (t) {
  case SdpType::Offer:
    return "offer";
  case SdpType::Pranswer:
    return "pranswer";
  case SdpType::Answer:
    return "answer";
  case SdpType::Rollback:
    return "rollback";
  }
  return "unknown";
}

namespace {

Error not_allowed(const std::string &what, S s, std::initializer_list<S> allowed) {
  std::string list;
  for (S a : allowed)
    list += (list.empty() ? "" : " or ") + std::string(to_string(a));
  return invalid_state("cannot " + what + " in signaling state " + to_string(s) + " (expected " +
                       list + ")");
}

bool in(S s, std::initializer_list<S> set) {
  for (S a : set)
    if (a == s)
      return true;
  return false;
}

} // namespace

Result<Transition> next_state(S s, Side side, SdpType type) {
  bool local = side == Side::Local;
  std::string what = std::string("set a ") + (local ? "local " : "remote ") + to_string(type);
  if (s == S::Closed)
    return invalid_state("cannot " + what + ": the peer connection is closed");
  switch (type) {
  case SdpType::Offer: {
    S mine = local ? S::HaveLocalOffer : S::HaveRemoteOffer;
    if (in(s, {S::Stable, mine}))
      return Transition{mine};
    if (!local && s == S::HaveLocalOffer)
      return Transition{S::HaveRemoteOffer, true};
    return not_allowed(what, s, {S::Stable, mine});
  }
  case SdpType::Answer:
  case SdpType::Pranswer: {
    // An answer responds to the other side's offer (or our/their earlier pranswer).
    S offer = local ? S::HaveRemoteOffer : S::HaveLocalOffer;
    S pranswer = local ? S::HaveLocalPranswer : S::HaveRemotePranswer;
    if (!in(s, {offer, pranswer}))
      return not_allowed(what, s, {offer, pranswer});
    return Transition{type == SdpType::Answer ? S::Stable : pranswer};
  }
  case SdpType::Rollback: {
    S offer = local ? S::HaveLocalOffer : S::HaveRemoteOffer;
    if (s != offer)
      return not_allowed(what, s, {offer});
    return Transition{S::Stable};
  }
  }
  return type_error("unknown description type");
}

Status can_create(S s, SdpType type) {
  if (s == S::Closed)
    return invalid_state("cannot create an " + std::string(to_string(type)) +
                         ": the peer connection is closed");
  if (type == SdpType::Offer) {
    if (in(s, {S::Stable, S::HaveLocalOffer}))
      return Ok{};
    return not_allowed("create an offer", s, {S::Stable, S::HaveLocalOffer});
  }
  if (in(s, {S::HaveRemoteOffer, S::HaveLocalPranswer}))
    return Ok{};
  return not_allowed("create an answer", s, {S::HaveRemoteOffer, S::HaveLocalPranswer});
}

Result<Transition> SignalingMachine::apply(Side side, SdpType type) {
  auto t = next_state(state_, side, type);
  if (t)
    state_ = t->next;
  return t;
}

} // namespace gstrtc::jsep
