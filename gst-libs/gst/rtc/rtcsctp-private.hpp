// Internal API between libgstrtc, the rtc plugin's SCTP elements and rtcbin (not installed).
#pragma once

#include "core/export.hpp"
#include "sctp/channels.hpp"

#include <gst/rtc/rtcdatachannel.h>
#include <gst/rtc/rtcsctptransport.h>

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gstrtc {

// --- GstRtcSCTPTransport, for rtcsctpenc and rtcsctpdec

using SctpPackets = std::span<const std::span<const uint8_t>>;

// Where the association's packets go (rtcsctpenc's src pad), in batches (see
// sctp::Association::Output). Called with the transport's or usrsctp's locks held: it must not
// call back into the transport. The association starts once an output is attached and DTLS is
// connected (at once when no DTLS transport is set).
using SctpOutput = std::function<void(SctpPackets)>;
GSTRTC_INTERNAL void sctp_transport_attach_output(GstRtcSCTPTransport *t, SctpOutput out);
// Aborts the association (its ABORT still goes out) and closes every channel; then detaches.
GSTRTC_INTERNAL void sctp_transport_detach_output(GstRtcSCTPTransport *t);
// A packet from the peer (DTLS application data). Events it causes are delivered before it
// returns, unless another thread is delivering already (then that thread delivers them).
GSTRTC_INTERNAL void sctp_transport_handle_packet(GstRtcSCTPTransport *t,
                                                  std::span<const uint8_t> packet);
// Several packets (a batch of datagrams): handled in one go, their answers leave as one batch.
GSTRTC_INTERNAL void sctp_transport_handle_packets(GstRtcSCTPTransport *t, SctpPackets packets);
// Problems of the association that concern no channel (its failure, data on a stream with no
// channel): for the element to post as a warning. Called with no lock held.
using SctpWarning = std::function<void(const std::string &)>;
GSTRTC_INTERNAL void sctp_transport_set_warning_handler(GstRtcSCTPTransport *t, SctpWarning w);

// --- between GstRtcDataChannel and its transport
struct DataChannelInfo {
  sctp::ChannelState state = sctp::ChannelState::Closed;
  std::optional<uint16_t> sid;
  uint64_t buffered = 0, low_threshold = 0;
};
GSTRTC_INTERNAL Status sctp_transport_send(GstRtcSCTPTransport *t, sctp::ChannelId ch,
                                           std::span<const uint8_t> data, bool binary);
GSTRTC_INTERNAL void sctp_transport_close_channel(GstRtcSCTPTransport *t, sctp::ChannelId ch);
GSTRTC_INTERNAL DataChannelInfo sctp_transport_channel_info(GstRtcSCTPTransport *t,
                                                            sctp::ChannelId ch);
GSTRTC_INTERNAL void sctp_transport_set_low_threshold(GstRtcSCTPTransport *t, sctp::ChannelId ch,
                                                      uint64_t n);

// A channel object for ch (floating reference), holding a reference to its transport.
GSTRTC_INTERNAL GstRtcDataChannel *data_channel_new(GstRtcSCTPTransport *t, sctp::ChannelId ch,
                                                    const sctp::ChannelOptions &o);
// What the transport delivers, with no lock held, in order.
GSTRTC_INTERNAL void data_channel_emit_open(GstRtcDataChannel *dc);
GSTRTC_INTERNAL void data_channel_emit_message(GstRtcDataChannel *dc, bool binary,
                                               std::vector<uint8_t> data);
GSTRTC_INTERNAL void data_channel_emit_error(GstRtcDataChannel *dc, const std::string &message);
GSTRTC_INTERNAL void data_channel_emit_close(GstRtcDataChannel *dc);
GSTRTC_INTERNAL void data_channel_emit_buffered_low(GstRtcDataChannel *dc);

// For rtcbin's data pads: where the channel's messages go besides its signals (the message is
// moved there when no "on-message-*" handler wants it too). Called by the delivering thread
// with no lock held; set or cleared from any thread.
using DataChannelHook = std::function<void(bool binary, std::vector<uint8_t> &&data)>;
GSTRTC_INTERNAL void data_channel_set_hook(GstRtcDataChannel *dc,
                                           std::shared_ptr<DataChannelHook> hook);
// Sends with no GBytes made (the bytes are copied once, into the association's queue).
GSTRTC_INTERNAL Status data_channel_send(GstRtcDataChannel *dc, std::span<const uint8_t> data,
                                         bool binary);

// RFC 8832 §5.1 priority values and the W3C priority types (webrtc-priority §4.1).
GSTRTC_INTERNAL uint16_t priority_value(GstRtcPriorityType p);
GSTRTC_INTERNAL GstRtcPriorityType priority_type(uint16_t v);

} // namespace gstrtc
