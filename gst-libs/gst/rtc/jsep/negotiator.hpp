// The JSEP offer/answer engine (RFC 9429) over GstSDPMessage: transceivers, create-offer,
// create-answer, set-local/remote-description, candidates, ICE restart and negotiation-needed.
// Pure logic: it builds descriptions and returns a Plan; it never touches an element. Not
// thread-safe: rtcbin calls it from its operations queue only.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"
#include "jsep/codecs.hpp"
#include "jsep/description.hpp"
#include "jsep/extensions.hpp"
#include "jsep/plan.hpp"
#include "jsep/signaling.hpp"
#include "sdp/message.hpp"
#include "sdp/transport.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gstrtc::jsep {

// Same values as GstWebRTCBundlePolicy (none is treated as balanced).
enum class BundlePolicy { None = 0, Balanced = 1, MaxCompat = 2, MaxBundle = 3 };

struct NegotiatorConfig {
  BundlePolicy bundle_policy = BundlePolicy::Balanced;
  std::vector<dtls::Fingerprint> fingerprints; // of our certificate
  uint64_t max_message_size = 262144;          // advertised for data channels
  // Randomness for ICE credentials, SSRCs and ids; tests inject a deterministic one.
  std::function<void(uint8_t *, size_t)> random;
};

struct TransceiverInit {
  sdp::MediaKind kind = sdp::MediaKind::Audio;
  sdp::Direction direction = sdp::Direction::SendRecv;
  std::optional<Capabilities> codecs;       // default_capabilities(kind) when not given
  std::vector<std::string> extensions = {}; // empty: ext::default_extensions(kind)
  std::vector<std::string> stream_ids;
  std::vector<std::string> send_rids; // simulcast layers we send (RFC 8853)
  bool receive_simulcast = true;      // accept a=simulcast:send from the peer
};

struct Transceiver {
  unsigned id = 0;
  sdp::MediaKind kind = sdp::MediaKind::Audio;
  sdp::Direction direction = sdp::Direction::SendRecv;
  std::optional<sdp::Direction> current_direction;
  std::optional<std::string> mid;
  std::optional<unsigned> mline;
  bool stopping = false, stopped = false;
  bool from_remote = false; // created by a remote offer
  Capabilities codecs;
  std::vector<std::string> extensions;
  std::vector<std::string> stream_ids;
  std::string track_id;
  std::vector<std::string> send_rids;
  bool receive_simulcast = true;
  uint32_t ssrc = 0, rtx_ssrc = 0;
  // From the last answer: what the m-line uses now.
  std::vector<sdp::Codec> negotiated_codecs;
  std::vector<sdp::Extmap> negotiated_extensions;
};

struct OfferOptions {
  bool ice_restart = false;
};

class GSTRTC_INTERNAL Negotiator {
public:
  explicit Negotiator(NegotiatorConfig config);

  SignalingState signaling_state() const { return machine_.state(); }

  // Transceivers (W3C addTransceiver, direction, stop, setCodecPreferences).
  Result<unsigned> add_transceiver(const TransceiverInit &init);
  const std::vector<Transceiver> &transceivers() const { return transceivers_; }
  const Transceiver *transceiver(unsigned id) const;
  Status set_direction(unsigned id, sdp::Direction d);
  Status set_codec_preferences(unsigned id, Capabilities caps);
  Status stop_transceiver(unsigned id);
  // A data channel exists or is wanted: offers carry an m=application line.
  void want_data_channel() { want_data_ = true; }

  Result<sdp::Message> create_offer(const OfferOptions &opts = {});
  Result<sdp::Message> create_answer();
  Result<Plan> set_local_description(SdpType type, const GstSDPMessage *sdp);
  Result<Plan> set_remote_description(SdpType type, const GstSDPMessage *sdp);
  // W3C restartIce(): the next offer has new credentials on every transport.
  void restart_ice() { ice_restart_wanted_ = true; }
  // W3C "check if negotiation is needed" (§4.7.3), in stable state.
  bool negotiation_needed() const;
  void close() { machine_.close(); }
  // Who made the last offer applied (the current descriptions' offerer once stable).
  Side last_offer_side() const { return last_offer_side_; }

  // Trickle (RFC 8838): remote candidates by mid or m-line index; "" ends the candidates.
  // Returns the transport the candidate belongs to.
  Result<unsigned> add_remote_candidate(std::optional<unsigned> mline, const std::string &mid,
                                        const std::string &candidate);
  // Our gathered candidates, written into the local description's m-lines of that transport.
  Status add_local_candidate(unsigned transport, const ice::Candidate &c);
  Status local_candidates_done(unsigned transport);
  // The first m-line index a transport's candidates are signalled on, and its mid.
  std::optional<std::pair<unsigned, std::string>> transport_mline(unsigned transport) const;

  const GstSDPMessage *current_local() const { return current_local_.get(); }
  const GstSDPMessage *pending_local() const { return pending_local_.get(); }
  const GstSDPMessage *current_remote() const { return current_remote_.get(); }
  const GstSDPMessage *pending_remote() const { return pending_remote_.get(); }
  const GstSDPMessage *local_description() const;
  const GstSDPMessage *remote_description() const;

private:
  // Lock: none; rtcbin serialises every call on its operations queue.
  struct TransportState {
    unsigned id = 0;
    std::string owner_mid;                  // mid (or "#<m-line>") of the m-line that owns it
    IceCredentials local;                   // as in the current local description
    std::optional<IceCredentials> proposed; // an ICE restart not yet applied
    std::optional<bool> dtls_client;
    std::optional<bool> ice_controlling;
    std::vector<ice::Candidate> local_candidates;
    bool local_done = false;
  };
  struct Snapshot {
    std::vector<Transceiver> transceivers;
    std::string data_mid;
  };
  struct OfferSlot {
    enum class Kind { Media, Data, Rejected } kind = Kind::Rejected;
    std::optional<unsigned> transceiver;
    std::string mid;
    sdp::MediaSection section; // a rejected slot's m-line, or the data m-line it was
    bool existing = false;
    bool recyclable = false;
  };
  struct PlanContext {
    std::optional<Description> local, remote;
    bool we_offered = true;
    bool answered = false;
    const Description *authority = nullptr; // local or remote, whichever decides transports
    std::vector<std::optional<unsigned>> owners;
    std::map<unsigned, unsigned> transport_of_owner; // owner m-line -> transport id
  };

  // negotiator.cpp
  Result<Plan> apply(Side side, SdpType type, const GstSDPMessage *sdp);
  Result<Plan> rollback(Side side);
  void undo_pending();
  Status check_local_offer(const Description &d) const;
  Status check_answer(Side side, const Description &answer) const;
  void associate_local_offer(const Description &d);
  void associate_remote_offer(const Description &d);
  void finish_negotiation(const Plan &plan);
  void write_local_candidates(const TransportState &ts, const ice::Candidate *c, bool done);
  Transceiver *find_transceiver(unsigned id);
  TransportState &transport_for(const std::string &owner_mid);
  TransportState *transport_by_id(unsigned id);
  const TransportState *transport_by_id(unsigned id) const;
  IceCredentials new_credentials();
  void new_ice_generation() { generation_.reset(); }
  uint32_t new_ssrc();
  std::string random_chars(size_t n, const char *alphabet);
  bool mid_used(const std::string &mid) const;
  bool have_negotiated_bundle() const;
  static std::string owner_key(const Description &d, unsigned index);
  // offer.cpp
  std::vector<OfferSlot> offer_slots();
  sdp::MediaSection offer_media(Transceiver &t, const std::string &mid, PayloadTypes &pts,
                                ext::ExtensionIds &ids);
  void add_send_streams(Transceiver &t, sdp::MediaSection &s);
  sdp::MediaSection data_media(const std::string &mid, const sdp::MediaSection *was);
  sdp::Message write_offer(const std::vector<sdp::MediaSection> &sections, bool ice_restart);
  unsigned negotiated_count() const;
  // answer.cpp
  sdp::MediaSection answer_media(const sdp::MediaSection &offered);
  static sdp::Setup answer_setup(sdp::Setup offered, std::optional<bool> we_are_client);
  // planner.cpp
  bool fill_context(PlanContext &cx) const;
  // The m-lines of the local description that carry a transport's candidates.
  std::vector<unsigned> candidate_mlines(const TransportState &ts) const;
  Plan build_plan(SdpType type, Side side, bool final);
  void plan_transports(PlanContext &cx, Plan &plan);
  void plan_transceivers(PlanContext &cx, Plan &plan);
  void plan_data(PlanContext &cx, Plan &plan);

  NegotiatorConfig config_;
  SignalingMachine machine_;
  std::vector<Transceiver> transceivers_;
  std::vector<TransportState> transports_;
  unsigned next_transport_id_ = 1;
  bool want_data_ = false;
  bool ice_restart_wanted_ = false;
  std::optional<IceCredentials> generation_; // what new_credentials() hands out
  std::string cname_;
  std::string data_mid_; // mid (or "#<m-line>") of the SCTP m-line, once there is one
  uint64_t session_id_ = 0;
  uint64_t session_version_ = 0;
  std::vector<std::string> used_mids_;
  std::vector<uint32_t> used_ssrcs_;
  Side last_offer_side_ = Side::Local;
  std::optional<Snapshot> snapshot_; // undone by rollback
  std::vector<unsigned> created_by_offer_;
  sdp::Message current_local_, pending_local_, current_remote_, pending_remote_;
  sdp::Message last_offer_;                              // what create_offer returned
  std::map<unsigned, unsigned> last_offer_transceivers_; // its m-line -> transceiver
  std::vector<std::string> last_offer_owner_keys_;       // its m-line -> owning transport key
};

} // namespace gstrtc::jsep
