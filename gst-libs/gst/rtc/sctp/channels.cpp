#include "sctp/channels.hpp"

#include <algorithm>

namespace gstrtc::sctp {

namespace {

// RFC 8831 §6.6 (via RFC 8832 §6): stream 65535 is reserved.
constexpr uint32_t kMaxStreamId = 65534;
// A DCEP OPEN carries at most two 64 KiB strings.
constexpr size_t kMaxDcepSize = 12 + 2 * 0xffff;

SendSpec dcep_spec(uint16_t sid) {
  // RFC 8832 §6: DCEP messages go ordered and reliable whatever the channel's options.
  return SendSpec{sid, uint32_t(Ppid::Dcep), true, Reliability::Reliable, 0};
}

std::string state_name(ChannelState s) {
  switch (s) {
  case ChannelState::Connecting:
    return "connecting";
  case ChannelState::Open:
    return "open";
  case ChannelState::Closing:
    return "closing";
  case ChannelState::Closed:
    break;
  }
  return "closed";
}

} // namespace

ChannelSet::ChannelSet(Transport &t, uint64_t local_max_message_size)
    : t_(t), local_max_(local_max_message_size) {}

ChannelSet::Channel *ChannelSet::find(ChannelId ch) {
  auto it = channels_.find(ch);
  return it == channels_.end() ? nullptr : &it->second;
}

const ChannelSet::Channel *ChannelSet::find(ChannelId ch) const {
  auto it = channels_.find(ch);
  return it == channels_.end() ? nullptr : &it->second;
}

ChannelId ChannelSet::by_sid(uint16_t sid) const {
  auto it = by_sid_.find(sid);
  return it == by_sid_.end() ? 0 : it->second;
}

void ChannelSet::error(ChannelId ch, std::string msg) {
  events_.push_back(ev::Error{ch, std::move(msg)});
}

void ChannelSet::set_dtls_role(bool client) {
  client_ = client;
  assign_ids();
  flush();
}

void ChannelSet::set_remote_max_message_size(uint64_t n) {
  remote_max_ = n;
}

// Round robin from the last id given: a stream just closed may still have its reset on the way
// in the other direction (RFC 8831 §6.7), and a channel given its id at once would be closed by
// that late reset.
std::optional<uint16_t> ChannelSet::allocate_sid() {
  if (!client_)
    return std::nullopt;
  uint32_t first = *client_ ? 0 : 1;
  uint32_t limit = connected_ ? std::min<uint32_t>(max_streams_, kMaxStreamId + 1) : kMaxStreamId;
  uint32_t start = std::max(first, next_sid_);
  if ((start - first) % 2)
    start++;
  auto take = [&](uint32_t from, uint32_t to) -> std::optional<uint16_t> {
    for (uint32_t s = from; s < to; s += 2)
      if (!by_sid_.count(uint16_t(s))) {
        next_sid_ = s + 2;
        return uint16_t(s);
      }
    return std::nullopt;
  };
  if (auto s = take(start, limit))
    return s;
  return take(first, std::min(start, limit));
}

void ChannelSet::assign_ids() {
  for (auto &[id, c] : channels_) {
    if (c.sid || c.state == ChannelState::Closed)
      continue;
    auto s = allocate_sid();
    if (!s) {
      if (!client_)
        return;
      error(id, "no stream id left for this channel (max-channels " +
                    std::to_string(max_streams_) + ")");
      c.state = ChannelState::Closed;
      events_.push_back(ev::Closed{id});
      continue;
    }
    c.sid = s;
    by_sid_[*s] = id;
    if (connected_)
      announce(id);
  }
  std::erase_if(channels_, [](const auto &kv) { return kv.second.state == ChannelState::Closed; });
}

void ChannelSet::on_connected(uint16_t outbound_streams, uint16_t inbound_streams) {
  connected_ = true;
  blocked_ = false;
  max_streams_ = std::min(outbound_streams, inbound_streams);
  std::vector<ChannelId> waiting;
  for (auto &[id, c] : channels_)
    if (c.sid && c.state == ChannelState::Connecting)
      waiting.push_back(id);
  for (ChannelId id : waiting) {
    Channel &c = channels_.at(id);
    if (*c.sid >= max_streams_) { // the peer allows fewer streams than this id needs
      error(id, "stream id " + std::to_string(*c.sid) + " is past the association's " +
                    std::to_string(max_streams_) + " streams");
      finish_close(id);
      continue;
    }
    announce(id);
  }
  assign_ids();
  flush();
}

void ChannelSet::announce(ChannelId ch) {
  Channel &c = channels_.at(ch);
  if (c.opts.negotiated) {
    c.acked = true;
    c.state = ChannelState::Open;
    events_.push_back(ev::Opened{ch});
    return;
  }
  enqueue(ch, dcep_spec(*c.sid), write_open(c.opts.params), 0);
}

void ChannelSet::on_disconnected(const std::string &why) {
  connected_ = false;
  std::vector<ChannelId> ids;
  for (auto &[id, c] : channels_)
    ids.push_back(id);
  for (ChannelId id : ids) {
    if (!why.empty())
      error(id, why);
    finish_close(id);
  }
  incoming_.clear();
}

Result<ChannelId> ChannelSet::create(const ChannelOptions &o) {
  if (o.negotiated && !o.id)
    return type_error("a negotiated data channel needs an id");
  if (o.id && *o.id > kMaxStreamId)
    return type_error("data channel id " + std::to_string(*o.id) + " is over 65534");
  if (o.params.label.size() > 0xffff || o.params.protocol.size() > 0xffff)
    return type_error("data channel label and protocol must be under 65536 bytes");
  if (o.id && by_sid_.count(*o.id))
    return Error{ErrorCode::OperationError,
                 "data channel id " + std::to_string(*o.id) + " is already in use"};
  if (o.id && connected_ && *o.id >= max_streams_)
    return Error{ErrorCode::OperationError, "data channel id " + std::to_string(*o.id) +
                                                " is past max-channels " +
                                                std::to_string(max_streams_)};
  ChannelId id = next_id_++;
  Channel &c = channels_[id];
  c.opts = o;
  c.sid = o.id;
  if (c.sid) {
    by_sid_[*c.sid] = id;
    if (connected_)
      announce(id);
  } else {
    assign_ids();
  }
  flush();
  return id;
}

Status ChannelSet::send(ChannelId ch, std::span<const uint8_t> data, bool binary) {
  Channel *c = find(ch);
  if (!c || c->state != ChannelState::Open)
    return invalid_state("data channel is not open (" +
                         state_name(c ? c->state : ChannelState::Closed) + ")");
  if (remote_max_ && data.size() > remote_max_)
    return type_error("message of " + std::to_string(data.size()) +
                      " bytes is over the peer's max-message-size of " +
                      std::to_string(remote_max_));
  const ChannelParams &p = c->opts.params;
  SendSpec spec{*c->sid, uint32_t(ppid_for(binary, data.size())), p.ordered, p.reliability,
                p.reliability_param};
  // Nothing waiting anywhere: straight to the association, with no copy of ours (queued
  // messages go first, and in round robin, so only when there are none).
  if (!data.empty() && ready_.empty() && !blocked_ && connected_) {
    SendResult r = t_.send(spec, data);
    if (r == SendResult::Sent) {
      messages_sent_++;
      bytes_sent_ += data.size();
      // As if queued and sent at once: the amount rose by the message and fell back.
      if (c->buffered + data.size() > c->low_threshold && c->buffered <= c->low_threshold)
        events_.push_back(ev::BufferedLow{ch});
      return Ok{};
    }
    if (r == SendResult::Failed)
      return Error{ErrorCode::OperationError, "the SCTP association refused a message of " +
                                                  std::to_string(data.size()) + " bytes"};
    blocked_ = true; // Full: queued below, sent when room comes
  }
  std::vector<uint8_t> bytes;
  if (data.empty())
    bytes.push_back(0); // RFC 8831 §6.6: SCTP cannot carry an empty message
  else
    bytes.assign(data.begin(), data.end());
  enqueue(ch, spec, std::move(bytes), data.size());
  flush();
  return Ok{};
}

void ChannelSet::close(ChannelId ch) {
  Channel *c = find(ch);
  if (!c || c->state == ChannelState::Closing || c->state == ChannelState::Closed)
    return;
  if (!c->sid || !connected_) {
    finish_close(ch);
    return;
  }
  c->state = ChannelState::Closing;
  maybe_reset(ch);
}

void ChannelSet::set_buffered_amount_low_threshold(ChannelId ch, uint64_t n) {
  if (Channel *c = find(ch))
    c->low_threshold = n;
}

// Closing: once everything queued is out, reset the outgoing stream (RFC 8831 §6.7).
void ChannelSet::maybe_reset(ChannelId ch) {
  Channel *c = find(ch);
  if (!c || c->state != ChannelState::Closing || !c->queue.empty() || c->reset_sent)
    return;
  c->reset_sent = true;
  uint16_t sid = *c->sid;
  t_.reset_streams(std::span<const uint16_t>(&sid, 1));
}

void ChannelSet::finish_close(ChannelId ch) {
  auto it = channels_.find(ch);
  if (it == channels_.end())
    return;
  if (it->second.sid) {
    by_sid_.erase(*it->second.sid);
    incoming_.erase(*it->second.sid);
  }
  channels_.erase(it);
  std::erase(ready_, ch);
  events_.push_back(ev::Closed{ch});
}

void ChannelSet::on_incoming_reset(std::span<const uint16_t> sids) {
  for (uint16_t sid : sids) {
    ChannelId ch = by_sid(sid);
    Channel *c = find(ch);
    if (!c)
      continue;
    if (!c->reset_sent) {
      // The peer closed: our side of the stream goes too, now (what we had queued cannot be
      // read any more).
      c->reset_sent = true;
      t_.reset_streams(std::span<const uint16_t>(&sid, 1));
    }
    finish_close(ch);
  }
}

void ChannelSet::set_buffered(Channel &c, ChannelId ch, uint64_t n) {
  bool crossed = c.buffered > c.low_threshold && n <= c.low_threshold;
  c.buffered = n;
  if (crossed)
    events_.push_back(ev::BufferedLow{ch});
}

void ChannelSet::enqueue(ChannelId ch, SendSpec spec, std::vector<uint8_t> data,
                         size_t user_bytes) {
  Channel &c = channels_.at(ch);
  if (c.queue.empty())
    ready_.push_back(ch);
  c.queue.push_back(Pending{spec, std::move(data), user_bytes});
  c.buffered += user_bytes;
}

void ChannelSet::flush() {
  while (!blocked_ && connected_ && !ready_.empty()) {
    ChannelId ch = ready_.front();
    ready_.pop_front();
    Channel *c = find(ch);
    if (!c || c->queue.empty())
      continue;
    Pending &m = c->queue.front();
    SendResult r = t_.send(m.spec, m.data);
    if (r == SendResult::Full) {
      blocked_ = true;
      ready_.push_front(ch);
      return;
    }
    if (r == SendResult::Sent) {
      if (m.spec.ppid != uint32_t(Ppid::Dcep))
        messages_sent_++;
      bytes_sent_ += m.user_bytes;
    } else {
      error(ch, "the SCTP association refused a message of " + std::to_string(m.data.size()) +
                    " bytes");
    }
    size_t sent = m.user_bytes;
    c->queue.pop_front();
    set_buffered(*c, ch, c->buffered - sent);
    if (!c->queue.empty())
      ready_.push_back(ch);
    else
      maybe_reset(ch);
  }
}

void ChannelSet::on_writable() {
  blocked_ = false;
  flush();
}

void ChannelSet::on_data(uint16_t sid, uint32_t ppid, std::vector<uint8_t> data, bool eor) {
  uint64_t limit = ppid == uint32_t(Ppid::Dcep) ? kMaxDcepSize : local_max_;
  auto it = incoming_.find(sid);
  if (eor && it == incoming_.end()) { // whole in one piece: the common case, no reassembly
    if (limit && data.size() > limit) {
      error(by_sid(sid), "dropped a message of " + std::to_string(data.size()) +
                             " bytes on stream " + std::to_string(sid) +
                             ", over the max-message-size of " + std::to_string(limit));
      return;
    }
    on_message(sid, ppid, std::move(data));
    return;
  }
  Reassembly &r = incoming_[sid];
  if (!r.discarding && limit && r.data.size() + data.size() > limit) {
    error(by_sid(sid), "dropping a message of more than " + std::to_string(limit) +
                           " bytes on stream " + std::to_string(sid) +
                           " (over the max-message-size)");
    r.discarding = true;
    r.data = {};
  }
  if (!r.discarding && r.data.empty())
    r.data = std::move(data);
  else if (!r.discarding)
    r.data.insert(r.data.end(), data.begin(), data.end());
  if (!eor)
    return;
  Reassembly done = std::move(r);
  incoming_.erase(sid);
  if (!done.discarding)
    on_message(sid, ppid, std::move(done.data));
}

void ChannelSet::on_message(uint16_t sid, uint32_t ppid, std::vector<uint8_t> data) {
  if (ppid == uint32_t(Ppid::Dcep)) {
    handle_dcep(sid, data);
    return;
  }
  ChannelId ch = by_sid(sid);
  Channel *c = find(ch);
  if (!c || c->state == ChannelState::Closed) {
    error(0, "dropped a message on stream " + std::to_string(sid) + ", which has no channel");
    return;
  }
  auto kind = user_kind(ppid);
  if (!kind) {
    error(ch, "dropped a message with unknown PPID " + std::to_string(ppid));
    return;
  }
  if (c->state == ChannelState::Connecting && !c->opts.negotiated) {
    // RFC 8832 §6: the peer only sends after reading our OPEN; its data stands for the ACK
    // (which may still come).
    c->state = ChannelState::Open;
    events_.push_back(ev::Opened{ch});
  }
  if (kind->partial) { // deprecated PPIDs 52/54: pieces until a complete-message PPID
    if (local_max_ && c->partial.size() + data.size() > local_max_) {
      c->partial = {};
      error(ch, "dropped a partial message over the max-message-size of " +
                    std::to_string(local_max_));
      return;
    }
    c->partial.insert(c->partial.end(), data.begin(), data.end());
    return;
  }
  if (kind->empty)
    data.clear();
  if (!c->partial.empty()) {
    c->partial.insert(c->partial.end(), data.begin(), data.end());
    data = std::exchange(c->partial, {});
  }
  messages_received_++;
  bytes_received_ += data.size();
  events_.push_back(ev::Message{ch, kind->binary, std::move(data)});
}

void ChannelSet::handle_dcep(uint16_t sid, std::span<const uint8_t> m) {
  ChannelId ch = by_sid(sid);
  auto msg = parse_dcep(m);
  if (!msg) {
    error(ch, "malformed DCEP message on stream " + std::to_string(sid) + ": " +
                  msg.error().message);
    return;
  }
  if (!msg->open) { // ACK
    Channel *c = find(ch);
    if (!c || c->acked || c->opts.negotiated) {
      error(ch, "unexpected DATA_CHANNEL_ACK on stream " + std::to_string(sid));
      return;
    }
    c->acked = true;
    if (c->state == ChannelState::Connecting) {
      c->state = ChannelState::Open;
      events_.push_back(ev::Opened{ch});
    }
    return;
  }
  if (ch) {
    error(ch, "DATA_CHANNEL_OPEN on stream " + std::to_string(sid) + ", already in use");
    return;
  }
  ChannelId id = next_id_++;
  Channel &c = channels_[id];
  c.opts.params = msg->open->params;
  c.sid = sid;
  c.acked = true;
  c.state = ChannelState::Open;
  by_sid_[sid] = id;
  enqueue(id, dcep_spec(sid), write_ack(), 0);
  events_.push_back(ev::Incoming{id, c.opts.params, sid});
  flush();
}

std::optional<ChannelState> ChannelSet::state(ChannelId ch) const {
  const Channel *c = find(ch);
  if (!c)
    return ch && ch < next_id_ ? std::optional(ChannelState::Closed) : std::nullopt;
  return c->state;
}

std::optional<uint16_t> ChannelSet::sid(ChannelId ch) const {
  const Channel *c = find(ch);
  return c ? c->sid : std::nullopt;
}

uint64_t ChannelSet::buffered_amount(ChannelId ch) const {
  const Channel *c = find(ch);
  return c ? c->buffered : 0;
}

uint64_t ChannelSet::buffered_amount_low_threshold(ChannelId ch) const {
  const Channel *c = find(ch);
  return c ? c->low_threshold : 0;
}

const ChannelOptions *ChannelSet::options(ChannelId ch) const {
  const Channel *c = find(ch);
  return c ? &c->opts : nullptr;
}

} // namespace gstrtc::sctp
