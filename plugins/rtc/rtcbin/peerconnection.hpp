// rtcbin's peer connection: the JSEP engine run on the operations queue, and the plan it
// returns built into elements (TransportStack per transport, rtpbin sessions, sink and src
// pads). The GObject element (gstrtcbin.cpp) turns signals and properties into these calls.
//
// Threads: every JSEP operation runs on the queue's thread. Signals and promise replies are
// given with no lock held, so applications may call back into rtcbin from them. rtpbin's
// callbacks arrive on streaming threads and only read the media tables (media_lock_).
#pragma once

#include "core/opqueue.hpp"
#include "datapads.hpp"
#include "jsep/negotiator.hpp"
#include "rtc-gref.hpp"
#include "sender.hpp"
#include "transportstack.hpp"

#include <gst/rtc/rtc.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gstrtc::rtcbin {

// How rtcbin reaches its GObject side (gstrtcbin.cpp).
struct BinCallbacks {
  std::function<void()> negotiation_needed;
  std::function<void(guint mline, const std::string &candidate)> ice_candidate;
  std::function<void(GstRtcRTPTransceiver *)> new_transceiver;
  std::function<void(const char *property)> notify;
  // A src pad for a remote stream (pad-added); the pad to add is returned.
  std::function<GstPad *(GstPad *target, GstRtcRTPTransceiver *, const std::string &name)>
      make_src_pad;
  std::function<GstPad *(const std::string &name, GstRtcRTPTransceiver *)> make_sink_pad;
  // The peer opened a data channel (from the SCTP transport's delivery, no lock held).
  std::function<void(GstRtcDataChannel *)> data_channel;
};

struct Config {
  IceConfig ice;
  GstRtcBundlePolicy bundle_policy = GST_RTC_BUNDLE_POLICY_BALANCED;
  Ref<GstRtcCertificate> certificate;
  guint latency = 200; // ms, jitter buffers
};

enum class Which { Local, CurrentLocal, PendingLocal, Remote, CurrentRemote, PendingRemote };

class PeerConnection {
public:
  PeerConnection(GstBin *bin, BinCallbacks callbacks);
  ~PeerConnection();

  // Element life: READY builds rtpbin; NULL tears everything down.
  bool start(std::string &error);
  void stop();
  void close();

  // Signals (any thread). Each promise gets exactly one reply.
  void create_offer(const GstStructure *options, GstPromise *promise);
  void create_answer(const GstStructure *options, GstPromise *promise);
  void set_description(bool local, const GstRtcSessionDescription *desc, GstPromise *promise);
  void add_ice_candidate(guint mline, const std::string &candidate, GstPromise *promise);
  GstRtcRTPTransceiver *add_transceiver(GstRtcRTPTransceiverDirection direction,
                                        const GstCaps *caps, GError **error);
  std::vector<Ref<GstRtcRTPTransceiver>> transceivers();
  void get_stats(GstPad *pad, GstPromise *promise);
  bool add_turn_server(const std::string &uri);
  void restart_ice();
  // datachannels.cpp: W3C §6.2 createDataChannel; a transfer-full channel or null + error.
  GstRtcDataChannel *create_data_channel(const char *label, const GstStructure *options,
                                         GError **error);
  // The SCTP transport once data channels are negotiated (transfer full), else null.
  GstRtcSCTPTransport *sctp_transport();

  // Pads (application thread).
  GstPad *request_sink_pad(const char *name, const GstCaps *caps);
  // datachannels.cpp: data_sink_<label> / data_src_<label> (datapads.hpp); they need an
  // m=application, so negotiation follows.
  GstPad *request_data_pad(const char *name, GstPadTemplate *templ);
  void release_pad(GstPad *pad);

  // Properties.
  Config config();
  void set_config(const std::function<void(Config &)> &change);
  GstRtcSignalingState signaling_state();
  GstRtcICEGatheringState ice_gathering_state();
  GstRtcICEConnectionState ice_connection_state();
  GstRtcPeerConnectionState connection_state();
  GstRtcSessionDescription *description(Which which);

private:
  struct TransceiverEntry {
    Ref<GstRtcRTPTransceiver> obj;
    std::optional<unsigned> engine_id; // none until a pad's caps tell its kind
    std::shared_ptr<Sender> sender;    // when it has a sink pad
    std::optional<unsigned> transport;
    std::optional<unsigned> linked_transport; // the sender's funnel pad is on this one
    GstElement *fec = nullptr;                // owned: ULP FEC + RED encoder, when asked
    GstPad *fec_funnel_pad = nullptr;         // owned, with fec
    std::vector<sdp::Codec> codecs;
    std::vector<sdp::Extmap> extensions;
    std::vector<sdp::Ssrc> remote_ssrcs;
    std::string mid;
    sdp::MediaKind kind = sdp::MediaKind::Other;
  };
  using Deferred = std::vector<std::function<void()>>;

  // Operations (queue thread; pc lock taken inside).
  void op_create(bool offer, bool ice_restart, GstPromise *promise);
  void op_set_description(bool local, jsep::SdpType type, sdp::Message msg, GstPromise *promise);
  void op_add_candidate(guint mline, std::string candidate, GstPromise *promise);
  void op_local_candidate(unsigned transport, std::string candidate);
  void op_gathering_done(unsigned transport);
  void op_update_states();
  void op_check_negotiation();
  void chain(std::function<void()> op, GstPromise *promise);
  // stats.cpp
  void op_get_stats(GstPad *pad, GstPromise *promise);
  void transport_stats(GstStructure *reply, unsigned id, TransportStack &t, double ts);
  void rtp_stats(GstStructure *reply, const TransceiverEntry &e, double ts);

  // Under lock_.
  jsep::Negotiator &engine();
  // Transceivers of sink pads join the engine once caps say what they send; `now`: an offer
  // or answer is being made, so ask upstream what it could send if no caps came yet.
  void resolve_pending_pads(bool now);
  std::string apply_plan(const jsep::Plan &plan, Deferred &out);
  void apply_transceiver(const jsep::TransceiverPlan &tp, bool final);
  void link_sender(TransceiverEntry &e, const jsep::TransceiverPlan &tp);
  void release_if_secure(TransceiverEntry &e);
  void unlink_sender(TransceiverEntry &e);
  GstElement *fec_encoder(const TransceiverEntry &e, const jsep::TransceiverPlan &tp);
  TransceiverEntry *entry_by_engine_id(unsigned id);
  TransceiverEntry &new_entry(std::optional<unsigned> engine_id, GstRtcKind kind,
                              GstRtcRTPTransceiverDirection direction);
  void on_transceiver_change(GstRtcRTPTransceiver *t);
  static Result<jsep::Capabilities> codecs_for(const GstCaps *caps, sdp::MediaKind kind,
                                               bool preferred, bool any_variant = false);
  void update_media_tables();
  void compute_states(Deferred &out);
  static void run(Deferred &d);

  // rtpbin callbacks (streaming threads; media_lock_ only).
  static GstCaps *on_request_pt_map(GstElement *, guint session, guint pt, PeerConnection *self);
  static void on_rtpbin_pad_added(GstElement *, GstPad *pad, PeerConnection *self);
  static void on_new_jitterbuffer(GstElement *, GstElement *jb, guint session, guint ssrc,
                                  PeerConnection *self);
  static GstElement *on_aux_sender(GstElement *, guint session, PeerConnection *self);
  static GstElement *on_aux_receiver(GstElement *, guint session, PeerConnection *self);
  static GstElement *on_fec_decoder(GstElement *rtpbin, guint session, guint ssrc, guint pt,
                                    PeerConnection *self);
  static void on_new_storage(GstElement *, GstElement *storage, guint session,
                             PeerConnection *self);
  // RTCP report blocks about our SSRCs (RFC 3550 §6.4), per session, for get-stats.
  void watch_rtcp(unsigned session);
  // datachannels.cpp, under lock_.
  GstRtcSCTPTransport *sctp_locked(); // made on first use
  void apply_data(const jsep::Plan &plan);
  Ref<GstRtcSCTPTransport> take_sctp(); // the caller closes it, with no lock held
  void close_data_channels();           // not under lock_
  void want_data();                     // not under lock_: an m=application, negotiated
  static void on_sctp_data_channel(GstRtcSCTPTransport *, GstRtcDataChannel *dc,
                                   PeerConnection *self);
  static void on_receiving_rtcp(GObject *session, GstBuffer *buf, PeerConnection *self);

  GstBin *bin_;
  BinCallbacks cb_;
  DataPads data_pads_; // its own lock; taken with none of ours held
  std::unique_ptr<OpQueue> queue_;

  // Lock order: lock_ before media_lock_. Neither is held while signals are emitted.
  std::mutex lock_; // protects everything below down to media_lock_
  Config config_;
  std::unique_ptr<jsep::Negotiator> engine_;
  GstElement *rtpbin_ = nullptr; // owned by the bin
  std::vector<TransceiverEntry> entries_;
  std::map<unsigned, std::unique_ptr<TransportStack>> transports_;
  Ref<GstRtcSCTPTransport> sctp_;          // data channels; made on first use
  std::optional<unsigned> data_transport_; // the association runs over this transport
  unsigned next_object_id_ = 0;
  unsigned next_src_pad_ = 0, next_sink_pad_ = 0;
  bool closed_ = false;
  bool negotiation_needed_ = false; // W3C [[NegotiationNeeded]]
  bool cname_set_ = false;
  std::vector<std::pair<guint, std::string>> pending_candidates_; // before a remote description
  GstRtcSignalingState signaling_ = GST_RTC_SIGNALING_STATE_STABLE;
  GstRtcICEGatheringState gathering_ = GST_RTC_ICE_GATHERING_STATE_NEW;
  GstRtcICEConnectionState ice_state_ = GST_RTC_ICE_CONNECTION_STATE_NEW;
  GstRtcPeerConnectionState pc_state_ = GST_RTC_PEER_CONNECTION_STATE_NEW;

  struct SessionMedia {
    std::map<int, Ref<GstCaps>> pt_caps;                 // receive: PT -> caps
    std::map<uint32_t, GstRtcRTPTransceiver *> by_ssrc;  // from a=ssrc (remote)
    std::map<int, GstRtcRTPTransceiver *> by_pt;         // PTs unique to one transceiver
    std::vector<GstRtcRTPTransceiver *> receivers;       // may receive, in m-line order
    GUnique<GstStructure> rtx_send_pt, rtx_send_ssrc;    // original PT -> RTX PT; SSRC -> RTX SSRC
    GstElement *rtx_send = nullptr, *rtx_recv = nullptr; // owned by rtpbin
    bool nack = false;             // some m-line of the session negotiated NACK
    std::set<uint32_t> nack_ssrcs; // remote SSRCs (a=ssrc) of m-lines that did
    std::vector<int> red_pts;      // RFC 2198 RED, audio or video
    int ulpfec_pt = -1;            // RFC 5109 ULP FEC (inside RED)
    // The FEC decoders of the session's streams, updated when a negotiation changes the PTs
    // (a stream may start before the answer that names them is applied here).
    std::vector<std::shared_ptr<GWeakRef>> red_decoders, fec_decoders;
    std::set<GstRtcRTPTransceiver *> bound; // have a src pad already
    struct Report {
      double fraction_lost = 0, jitter_units = 0, rtt_s = -1;
      gint64 packets_lost = 0;
    };
    std::map<uint32_t, Report> reports; // about our SSRCs, from the peer's SR/RR
    guint64 twcc_feedback = 0;          // transport-cc feedback packets received
    // Frames (marker bits) received per remote SSRC, counted on rtpbin's src pads.
    std::map<uint32_t, std::shared_ptr<std::atomic<guint64>>> frames_received;
  };
  std::atomic<guint> latency_ms_{200}; // config_.latency, for streaming-thread callbacks
  std::mutex media_lock_;              // protects media_
  std::map<unsigned, SessionMedia> media_;
};

} // namespace gstrtc::rtcbin
