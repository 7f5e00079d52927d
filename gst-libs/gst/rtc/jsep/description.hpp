// One session description seen by the engine: its transport view and media view, read once
// and checked as a whole (unique mids, BUNDLE, one data section); which m-line owns the
// transport each m-line uses; and the writer for the sections the engine produces.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"
#include "jsep/plan.hpp"
#include "sdp/media.hpp"
#include "sdp/transport.hpp"

#include <gst/sdp/gstsdpmessage.h>

#include <optional>
#include <string>
#include <vector>

namespace gstrtc::jsep {

struct Description {
  sdp::SessionTransport transport;
  std::vector<sdp::MediaSection> media;

  std::optional<unsigned> index_of(const std::string &mid) const;
};

// Reads and checks: every RTP m-line has a mid when there is BUNDLE, mids are unique, an
// RTP m-line's protocol is a SAVPF/SAVP one with DTLS (nothing unencrypted).
GSTRTC_INTERNAL Result<Description> read_description(const GstSDPMessage *msg);

// How the m-lines map onto transports: for each m-line, the index of the m-line whose
// transport it uses (itself when not bundled), or nullopt when rejected.
enum class OwnerRule {
  Answer,      // the answer's BUNDLE groups decide; the first mid of a group is its tag
  OwnOffer,    // our offer: bundle-only lines use the group's tag, others share by ufrag
  RemoteOffer, // a remote offer we will answer: every BUNDLE group accepted
};
GSTRTC_INTERNAL std::vector<std::optional<unsigned>> transport_owners(const Description &d,
                                                                      OwnerRule rule);

struct TransportAttributes {
  IceCredentials ice;
  std::vector<dtls::Fingerprint> fingerprints;
  sdp::Setup setup = sdp::Setup::ActPass;
  std::vector<ice::Candidate> candidates;
  bool end_of_candidates = false;
  bool bundle_only = false;
};

// The port-0 form of an m-line (RFC 3264 §6): same media, protocol and mid, one format.
GSTRTC_INTERNAL sdp::MediaSection rejected_section(const sdp::MediaSection &m);

// Appends an m-line: m=/c=, ICE/DTLS attributes (when `transport`), mid, rtcp-mux and
// rtcp-rsize for RTP, then the media attributes.
GSTRTC_INTERNAL void write_section(GstSDPMessage *msg, const sdp::MediaSection &s,
                                   const TransportAttributes *transport);
// v=, o=, s=, t=, a=group:BUNDLE per group, a=msid-semantic.
GSTRTC_INTERNAL void write_session(GstSDPMessage *msg, uint64_t session_id, uint64_t version,
                                   const std::vector<std::vector<std::string>> &bundle_groups);

} // namespace gstrtc::jsep
