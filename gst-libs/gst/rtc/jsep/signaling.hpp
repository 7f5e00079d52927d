// JSEP signalling state machine (RFC 9429 §3.2; W3C webrtc §4.4.1.5 "set the session
// description", with implicit rollback for perfect negotiation). Pure: it says whether a
// description may be applied and what state follows; the caller applies it and commits.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"

namespace gstrtc::jsep {

// Same values as GstRtcSignalingState / GstWebRTCSignalingState.
enum class SignalingState {
  Stable = 0,
  Closed = 1,
  HaveLocalOffer = 2,
  HaveRemoteOffer = 3,
  HaveLocalPranswer = 4,
  HaveRemotePranswer = 5,
};

// Same values as GstRtcSDPType / GstWebRTCSDPType.
enum class SdpType { Offer = 1, Pranswer = 2, Answer = 3, Rollback = 4 };

enum class Side { Local, Remote };

GSTRTC_INTERNAL const char *to_string(SignalingState s);
GSTRTC_INTERNAL const char *to_string(SdpType t);

struct Transition {
  SignalingState next;
  // A remote offer arrived in have-local-offer: our offer is rolled back first (W3C §4.4.1.5).
  bool implicit_rollback = false;
};

// What setting a `side` description of `type` in state `s` leads to, or InvalidState saying
// which states would have allowed it.
GSTRTC_INTERNAL Result<Transition> next_state(SignalingState s, Side side, SdpType type);
// Whether create-offer (type Offer) or create-answer (Answer/Pranswer) may run in state `s`.
GSTRTC_INTERNAL Status can_create(SignalingState s, SdpType type);

class GSTRTC_INTERNAL SignalingMachine {
public:
  SignalingState state() const { return state_; }
  // Validates and commits; the state is unchanged on error.
  Result<Transition> apply(Side side, SdpType type);
  void close() { state_ = SignalingState::Closed; }

private:
  SignalingState state_ = SignalingState::Stable;
};

} // namespace gstrtc::jsep
