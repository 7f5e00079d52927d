// One transport of rtcbin (one per BUNDLE group, or per m-line without BUNDLE): its ICE and
// DTLS objects and the elements between the network and rtpbin's session of the same id:
//   rtcicesrc -> rtcdtlssrtpdec -rtp/rtcp-> rtpbin recv_rtp/rtcp_sink_<id>
//   rtpfunnel -> rtpbin send_rtp_sink_<id>; send_rtp/rtcp_src_<id> -> rtcdtlssrtpenc -> rtcicesink
// and, once data channels are negotiated on it:
//   rtcdtlssrtpdec data_src -> rtcsctpdec;  rtcsctpenc -> rtcdtlssrtpenc data_sink
// Built and changed on rtcbin's operations thread only.
#pragma once

#include "jsep/plan.hpp"
#include "rtc-gref.hpp"

#include <gst/rtc/rtc.h>

#include <functional>
#include <string>
#include <vector>

namespace gstrtc::rtcbin {

struct IceConfig {
  std::string addresses; // ice-addresses; empty: every interface
  std::string stun_server;
  std::vector<std::string> turn_servers;
  GstRtcICETransportPolicy policy = GST_RTC_ICE_TRANSPORT_POLICY_ALL;
  bool tcp = true, udp = true;
  guint min_port = 0, max_port = 0;
  // Receive on the process's one ICE thread (rtcicesrc shared-thread), or on a streaming
  // thread per transport (more cores for data-heavy sessions in one process).
  bool shared_thread = true;
};

struct TransportEvents {
  // From libnice's thread: a candidate line ("candidate:..."), or gathering finished.
  std::function<void(unsigned id, std::string candidate)> candidate;
  std::function<void(unsigned id)> gathering_done;
  // ICE or DTLS state changed (any thread).
  std::function<void()> state_changed;
};

class TransportStack {
public:
  TransportStack(GstBin *bin, GstElement *rtpbin, unsigned id, const IceConfig &ice,
                 GstRtcCertificate *certificate, TransportEvents events);
  ~TransportStack();
  TransportStack(const TransportStack &) = delete;
  TransportStack &operator=(const TransportStack &) = delete;

  // Applies what a plan says of this transport. `local` when our own description was just
  // applied (gathering starts then, JSEP §5.2). Returns an error message or "".
  std::string apply(const jsep::TransportPlan &plan, bool local);
  // Starts DTLS once its role is known and, for the client, ICE is connected (call on ICE
  // state changes).
  void maybe_start_dtls();
  // A trickled remote candidate ("" ends them).
  std::string add_remote_candidate(const std::string &candidate);

  // A request pad (transfer full) of the funnel in front of rtpbin's send session; give it
  // back with release_send_pad (which does not drop the caller's reference).
  GstPad *request_send_pad();
  void release_send_pad(GstPad *pad);
  // The SCTP association of the peer connection runs over this transport from now on.
  void attach_sctp(GstRtcSCTPTransport *sctp);

  unsigned id() const { return id_; }
  GstRtcICETransport *ice() const { return ice_.get(); }
  GstRtcDTLSTransport *dtls() const { return dtls_.get(); }
  // Removes the elements from the bin and closes the transports.
  void close();

private:
  GstElement *add(const char *factory, const std::string &name);
  void build();
  void start_dtls(const jsep::TransportPlan &plan);

  GstBin *bin_;
  GstElement *rtpbin_;
  unsigned id_;
  bool shared_thread_;
  TransportEvents events_;
  Ref<GstRtcICETransport> ice_;
  Ref<GstRtcDTLSTransport> dtls_;
  std::vector<Ref<GstElement>> elements_; // in the bin, and kept until removed
  GstElement *funnel_ = nullptr, *enc_ = nullptr, *dec_ = nullptr;
  std::vector<gulong> ice_handlers_, dtls_handlers_;
  jsep::IceCredentials local_, remote_;
  size_t remote_candidates_applied_ = 0;
  bool gathering_ = false, remote_eoc_ = false, closed_ = false;
  bool dtls_ready_ = false, dtls_client_ = false, dtls_started_ = false;
  bool sctp_attached_ = false;
};

} // namespace gstrtc::rtcbin
