// Transport parameters of a session description, read from a GstSDPMessage (no second SDP
// parser): per m-line ICE credentials/options, DTLS fingerprints and setup role, candidates,
// mid, BUNDLE, rtcp-mux. Media-level attributes override session-level ones (RFC 8839 §5.4,
// RFC 8122 §5). Errors name the m-line and the attribute.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"
#include "dtls/session.hpp"
#include "ice/candidate.hpp"

#include <gst/sdp/gstsdpmessage.h>

#include <optional>
#include <string>
#include <vector>

namespace gstrtc::sdp {

// "m-line 2 (mid 'video')": how every error names the m-line it is about.
GSTRTC_INTERNAL std::string mline_name(unsigned index, const std::string &mid);

// Whether a flag attribute (a=rtcp-mux, a=bundle-only, ...) is present, with or without a
// value (gst_sdp_*_get_attribute_val gives NULL for a value-less one built in memory).
GSTRTC_INTERNAL bool has_flag(const GstSDPMedia *media, const char *key);
GSTRTC_INTERNAL bool has_flag(const GstSDPMessage *msg, const char *key);

// a=setup (RFC 4145 §4, RFC 8842 §5).
enum class Setup { ActPass, Active, Passive, HoldConn };
GSTRTC_INTERNAL std::optional<Setup> parse_setup(std::string_view v);
GSTRTC_INTERNAL const char *to_string(Setup s);

struct MediaTransport {
  unsigned index = 0; // m-line number, from 0
  std::string mid;
  bool rejected = false;    // port 0 (RFC 9429 §5.2.2)
  bool bundle_only = false; // RFC 8843 §6
  std::string ice_ufrag, ice_pwd;
  std::vector<std::string> ice_options; // "trickle", "ice2", ...
  std::vector<dtls::Fingerprint> fingerprints;
  std::optional<Setup> setup;
  std::vector<ice::Candidate> candidates;
  bool end_of_candidates = false;
  bool rtcp_mux = false;
  bool rtcp_rsize = false;
};

struct SessionTransport {
  bool ice_lite = false;
  std::vector<std::vector<std::string>> bundle_groups; // mids of each a=group:BUNDLE
  std::vector<MediaTransport> media;

  // The BUNDLE group `mid` is in, if any.
  const std::vector<std::string> *bundle_group(const std::string &mid) const;
};

// Checks every non-rejected m-line has ICE credentials and a fingerprint, and every
// candidate and fingerprint is well-formed.
GSTRTC_INTERNAL Result<SessionTransport> read_transport(const GstSDPMessage *msg);

// RFC 8842 §5.3: the DTLS client given our setup and the peer's. An answer must not say
// actpass, and two sides cannot both be active or both be passive.
GSTRTC_INTERNAL Result<bool> we_are_dtls_client(Setup ours, Setup theirs, bool we_offered);

} // namespace gstrtc::sdp
