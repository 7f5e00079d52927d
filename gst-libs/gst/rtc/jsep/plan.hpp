// What a negotiation decided, for rtcbin to build (anchors.md lesson 1: the engine decides,
// the bin does). A Plan is a complete picture after each applied description, not a diff:
// rtcbin creates what is new, updates what changed and drops transports no longer listed.
#pragma once

#include "dtls/fingerprint.hpp"
#include "ice/candidate.hpp"
#include "jsep/signaling.hpp"
#include "sdp/media.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gstrtc::jsep {

struct IceCredentials {
  std::string ufrag, pwd;
  bool operator==(const IceCredentials &) const = default;
};

struct TransportPlan {
  unsigned id = 0;               // stable for the transport's life
  std::vector<std::string> mids; // m-lines it carries (one, or a BUNDLE group)
  IceCredentials local;
  std::optional<IceCredentials> remote;
  std::vector<ice::Candidate> remote_candidates;
  bool remote_end_of_candidates = false;
  bool remote_ice_lite = false;
  bool ice_controlling = true; // RFC 8445 §6.1.1: the offerer, unless it is lite
  std::vector<dtls::Fingerprint> remote_fingerprints;
  std::optional<bool> dtls_client; // known once the setup roles are (RFC 8842 §5.3)
};

struct SendStream {
  uint32_t ssrc = 0;
  std::optional<uint32_t> rtx_ssrc;
  std::string rid; // simulcast layer, or empty
};

struct TransceiverPlan {
  unsigned transceiver = 0; // Negotiator::add_transceiver's id
  std::string mid;
  unsigned mline = 0;
  sdp::MediaKind kind = sdp::MediaKind::Audio;
  std::optional<unsigned> transport; // none when stopped/rejected
  // Negotiated (answer applied), or what the pending offer proposes.
  sdp::Direction direction = sdp::Direction::Inactive;
  bool stopped = false;
  // The codecs both sides use, with their PTs: first is what to send.
  std::vector<sdp::Codec> codecs;
  std::vector<sdp::Extmap> extensions;
  std::vector<SendStream> send;
  std::string cname;
  std::vector<std::string> stream_ids;
  std::string track_id;
  // The remote side's streams.
  std::vector<sdp::Ssrc> remote_ssrcs;
  std::vector<sdp::SsrcGroup> remote_ssrc_groups;
  std::vector<sdp::Rid> remote_rids; // simulcast layers we receive
  std::optional<sdp::Msid> remote_msid;
  bool rtcp_rsize = false;
};

struct DataPlan {
  std::string mid;
  unsigned mline = 0;
  unsigned transport = 0;
  unsigned local_port = 5000, remote_port = 5000;
  uint64_t local_max_message_size = 0;
  uint64_t remote_max_message_size = 65536; // RFC 8841 §6.1 when not given
  bool legacy = false;                      // DTLS/SCTP + a=sctpmap
};

struct Plan {
  SdpType type = SdpType::Offer;
  Side side = Side::Local;
  bool final = false; // an answer: these are now the current descriptions
  std::vector<TransportPlan> transports;
  std::vector<TransceiverPlan> transceivers;
  std::optional<DataPlan> data;
  std::vector<unsigned> new_transceivers; // created for m-lines of a remote offer
};

} // namespace gstrtc::jsep
