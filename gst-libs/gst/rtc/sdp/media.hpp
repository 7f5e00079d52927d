// The media content of an m-line, read from and written to a GstSDPMedia (no second SDP
// parser): kind, protocol, direction, codecs (rtpmap/fmtp/rtcp-fb), header extensions, msid,
// ssrc and ssrc-group, rid and simulcast, SCTP parameters. Transport attributes (ICE, DTLS,
// candidates) are in transport.hpp. Errors name the m-line and the attribute.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"

#include <gst/sdp/gstsdpmessage.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gstrtc::sdp {

enum class MediaKind { Audio, Video, Application, Other };
GSTRTC_INTERNAL const char *to_string(MediaKind k);
GSTRTC_INTERNAL MediaKind parse_kind(std::string_view media);

// Same values as GstWebRTCRTPTransceiverDirection.
enum class Direction { None = 0, Inactive = 1, SendOnly = 2, RecvOnly = 3, SendRecv = 4 };
GSTRTC_INTERNAL const char *to_string(Direction d);
GSTRTC_INTERNAL bool has_send(Direction d);
GSTRTC_INTERNAL bool has_recv(Direction d);
GSTRTC_INTERNAL Direction make_direction(bool send, bool recv);
// The peer's view of `d` (sendonly <-> recvonly).
GSTRTC_INTERNAL Direction reverse(Direction d);
// RFC 3264 §6.1: what an answer may say to an offer of `offered` when we want `wanted`.
GSTRTC_INTERNAL Direction answer_direction(Direction offered, Direction wanted);

using Params = std::vector<std::pair<std::string, std::string>>; // a=fmtp, in order

struct Codec {
  int pt = -1;
  std::string name; // as written ("opus", "VP8", "rtx", ...)
  unsigned clock_rate = 0;
  unsigned channels = 0;             // 0: not given (1 for audio)
  Params params;                     // a=fmtp key=value pairs; a value-less token has value ""
  std::string fmtp_raw;              // a=fmtp text when it is not key=value (red: "111/111")
  std::vector<std::string> feedback; // a=rtcp-fb values: "nack", "nack pli", "transport-cc"

  const std::string *param(std::string_view key) const;
  void set_param(std::string key, std::string value);
  bool has_feedback(std::string_view fb) const;
};

struct Extmap {
  int id = 0;
  std::string uri;
  Direction direction = Direction::None; // None: not given (sendrecv)
  std::string attributes;
};

struct Msid {
  std::string stream; // "-" means no stream (RFC 8830 §2)
  std::string track;
};

struct Ssrc {
  uint32_t ssrc = 0;
  std::string cname;
  std::optional<Msid> msid;
};

struct SsrcGroup {
  std::string semantics; // FID, FEC-FR, SIM
  std::vector<uint32_t> ssrcs;
};

// RFC 8851.
struct Rid {
  std::string id;
  bool send = true; // "send" or "recv"
  std::vector<int> pts;
  std::string restrictions; // after pt=: max-width=..;max-height=..
};

// RFC 8853 §5.1: send/recv lists of alternatives; a '~' prefix pauses a stream.
struct SimulcastStream {
  std::string rid;
  bool paused = false;
};
struct Simulcast {
  std::vector<std::vector<SimulcastStream>> send, recv;
};

// RFC 8841 (UDP/DTLS/SCTP + a=sctp-port) or the draft-05 form (DTLS/SCTP 5000 + a=sctpmap).
struct Sctp {
  unsigned port = 5000;
  std::optional<uint64_t> max_message_size; // absent: the peer takes 65536 (RFC 8841 §6.1)
  bool legacy = false;
  unsigned streams = 0; // a=sctpmap's stream count (legacy only)
};

struct MediaSection {
  unsigned index = 0;
  MediaKind kind = MediaKind::Other;
  std::string media; // the m= media token
  std::string protocol;
  std::vector<std::string> formats; // the m= format list as written
  std::string mid;
  bool rejected = false;
  Direction direction = Direction::SendRecv;
  std::vector<Codec> codecs; // in m= order
  std::vector<Extmap> extmaps;
  bool extmap_allow_mixed = false;
  std::vector<Msid> msids;
  std::vector<Ssrc> ssrcs;
  std::vector<SsrcGroup> ssrc_groups;
  std::vector<Rid> rids;
  std::optional<Simulcast> simulcast;
  std::optional<Sctp> sctp;

  bool is_rtp() const; // RTP/AVP family
  const Codec *codec(int pt) const;
  const Extmap *extmap(std::string_view uri) const;
};

GSTRTC_INTERNAL Result<MediaSection> read_media(const GstSDPMessage *msg, unsigned index);
GSTRTC_INTERNAL Result<std::vector<MediaSection>> read_all_media(const GstSDPMessage *msg);

// The m= and c= lines. A rejected section gets port 0 and keeps one format.
GSTRTC_INTERNAL void write_mline(const MediaSection &s, GstSDPMedia *media);
// Everything above but mid and transport: extmap, direction, msid, rtpmap/fmtp/rtcp-fb,
// ssrc-group, ssrc, rid, simulcast, sctp. Nothing but the m= line for a rejected section.
GSTRTC_INTERNAL void write_media_attributes(const MediaSection &s, GstSDPMedia *media);

// The fmtp text of a codec: params as "k=v;k2" or fmtp_raw.
GSTRTC_INTERNAL std::string fmtp_string(const Codec &c);
GSTRTC_INTERNAL Params parse_fmtp_params(std::string_view text);

} // namespace gstrtc::sdp
