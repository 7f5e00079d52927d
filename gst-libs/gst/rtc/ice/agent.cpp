#include "ice/agent.hpp"
#include "ice/directsend.hpp"

#include <gio/gio.h>

#include <cstring>

#include <sys/socket.h>

namespace gstrtc::ice {

namespace {

constexpr int kSocketBufferBytes = 4 * 1024 * 1024;

NiceCandidateType to_nice(CandidateType t) {
  switch (t) {
  case CandidateType::Host:
    return NICE_CANDIDATE_TYPE_HOST;
  case CandidateType::Srflx:
    return NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE;
  case CandidateType::Prflx:
    return NICE_CANDIDATE_TYPE_PEER_REFLEXIVE;
  case CandidateType::Relay:
    return NICE_CANDIDATE_TYPE_RELAYED;
  }
  return NICE_CANDIDATE_TYPE_HOST;
}

NiceCandidateTransport to_nice(const Candidate &c) {
  if (c.protocol == Protocol::Udp)
    return NICE_CANDIDATE_TRANSPORT_UDP;
  switch (c.tcp_type) {
  case TcpType::Active:
    return NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE;
  case TcpType::Passive:
    return NICE_CANDIDATE_TRANSPORT_TCP_PASSIVE;
  default:
    return NICE_CANDIDATE_TRANSPORT_TCP_SO;
  }
}

std::string address_string(const NiceAddress *a) {
  gchar buf[NICE_ADDRESS_STRING_LEN];
  nice_address_to_string(a, buf);
  return buf;
}

// Resolves a server host to an IP literal, as libnice wants (sync; called at gather time).
Result<std::string> resolve_host(const std::string &host) {
  if (g_hostname_is_ip_address(host.c_str()))
    return host;
  GResolver *r = g_resolver_get_default();
  GError *err = nullptr;
  GList *addrs = g_resolver_lookup_by_name(r, host.c_str(), nullptr, &err);
  g_object_unref(r);
  if (!addrs) {
    std::string msg =
        "cannot resolve ICE server host '" + host + "': " + (err ? err->message : "no address");
    g_clear_error(&err);
    return Error{ErrorCode::OperationError, msg};
  }
  gchar *s = g_inet_address_to_string(G_INET_ADDRESS(addrs->data));
  std::string out = s;
  g_free(s);
  g_resolver_free_addresses(addrs);
  return out;
}

} // namespace

struct Agent::BurstSource {
  GSource base;
  Agent *agent;
  static Agent *of(GSource *s) { return reinterpret_cast<BurstSource *>(s)->agent; }
};

GSourceFuncs Agent::burst_funcs_ = {
    +[](GSource *s, gint *timeout) -> gboolean {
      *timeout = -1;
      return BurstSource::of(s)->burst_pending_.load(std::memory_order_relaxed);
    },
    +[](GSource *s) -> gboolean {
      return BurstSource::of(s)->burst_pending_.load(std::memory_order_relaxed);
    },
    +[](GSource *s, GSourceFunc, gpointer) -> gboolean {
      BurstSource::of(s)->on_burst_end();
      return G_SOURCE_CONTINUE;
    },
    nullptr, nullptr, nullptr};

Agent::Agent(AgentEvents events) : loop_(IceLoop::acquire()), events_(std::move(events)) {
  // RFC 8445 full agent; regular nomination (RFC 8445 §8.1.1; aggressive was removed),
  // trickle (RFC 8838), consent freshness (RFC 7675) done by libnice as well.
  auto flags = static_cast<NiceAgentOption>(NICE_AGENT_OPTION_ICE_TRICKLE |
                                            NICE_AGENT_OPTION_REGULAR_NOMINATION |
                                            NICE_AGENT_OPTION_CONSENT_FRESHNESS);
  nice_ = nice_agent_new_full(loop_->context(), NICE_COMPATIBILITY_RFC5245, flags);
  // UPnP would send SSDP multicast on every interface: never.
  g_object_set(nice_, "upnp", FALSE, "controlling-mode", TRUE, nullptr);
  // RFC 8445 §14.2: Ta may go down to 5 ms; libnice's 20 ms default makes a call wait about
  // 60 ms for checks and nomination on a LAN. Trickle and a handful of pairs keep the rate low.
  g_object_set(nice_, "stun-pacing-timer", 5u, nullptr);
  stream_id_ = nice_agent_add_stream(nice_, 1);
  nice_agent_set_stream_name(nice_, stream_id_, "application");

  handlers_.push_back(g_signal_connect(
      nice_, "new-candidate-full", G_CALLBACK(+[](NiceAgent *, NiceCandidate *c, gpointer self) {
        static_cast<Agent *>(self)->on_new_candidate(c);
      }),
      this));
  handlers_.push_back(g_signal_connect(nice_, "candidate-gathering-done",
                                       G_CALLBACK(+[](NiceAgent *, guint, gpointer self) {
                                         static_cast<Agent *>(self)->on_gathering_done();
                                       }),
                                       this));
  handlers_.push_back(
      g_signal_connect(nice_, "component-state-changed",
                       G_CALLBACK(+[](NiceAgent *, guint, guint, guint state, gpointer self) {
                         static_cast<Agent *>(self)->on_component_state(state);
                       }),
                       this));
  handlers_.push_back(g_signal_connect(
      nice_, "new-selected-pair-full",
      G_CALLBACK(+[](NiceAgent *, guint, guint, NiceCandidate *l, NiceCandidate *r, gpointer self) {
        static_cast<Agent *>(self)->on_selected_pair(l, r);
      }),
      this));
  // Dispatched in the iteration after libnice's read source has read the socket dry.
  burst_source_ = g_source_new(&burst_funcs_, sizeof(BurstSource));
  reinterpret_cast<BurstSource *>(burst_source_)->agent = this;
  g_source_set_priority(burst_source_, G_PRIORITY_HIGH); // never starved by the reading
  g_source_attach(burst_source_, loop_->context());
  set_receive_context(nullptr);
}

void Agent::on_burst_end() {
  burst_pending_.store(false, std::memory_order_relaxed);
  std::lock_guard lk(recv_lock_);
  if (receiver_)
    receiver_->on_burst_end();
}

// Runs the switch on the ICE thread: a callback from the old context cannot then be in flight,
// so every datagram the old reader took is queued before the new reader takes the next one.
// (Switching from the new reader's thread reordered datagrams across the handover.)
void Agent::set_receive_context(GMainContext *ctx) {
  if (state() == State::Closed)
    return;
  loop_->run_sync([this, ctx] {
    nice_agent_attach_recv(
        nice_, stream_id_, 1, ctx ? ctx : loop_->context(),
        +[](NiceAgent *, guint, guint, guint len, gchar *buf, gpointer self) {
          static_cast<Agent *>(self)->on_recv(buf, len);
        },
        this);
  });
}

Agent::~Agent() {
  drop_direct();
  // Tear down on the ICE thread, where every libnice callback runs, so none runs afterwards.
  bool stream_removed = state() == State::Closed;
  loop_->run_sync([this, stream_removed] {
    for (gulong h : handlers_)
      g_signal_handler_disconnect(nice_, h);
    if (!stream_removed)
      nice_agent_attach_recv(nice_, stream_id_, 1, loop_->context(), nullptr, nullptr);
    if (consent_timer_) {
      g_source_destroy(consent_timer_);
      g_source_unref(consent_timer_);
      consent_timer_ = nullptr;
    }
    g_source_destroy(burst_source_);
    g_source_unref(burst_source_);
    // Releases TURN allocations; the callback drops the last reference.
    nice_agent_close_async(
        nice_, +[](GObject *src, GAsyncResult *, gpointer) { g_object_unref(src); }, nullptr);
    nice_ = nullptr;
  });
}

AgentConfig Agent::config() const {
  std::lock_guard lk(lock_);
  return cfg_;
}

void Agent::set_config(const AgentConfig &cfg) {
  {
    std::lock_guard lk(lock_);
    cfg_ = cfg;
    consent_.set_config(cfg.consent);
  }
  g_object_set(nice_, "controlling-mode", cfg.controlling, nullptr);
  schedule_consent();
}

void Agent::apply_gather_config(const AgentConfig &cfg) {
  g_object_set(nice_, "ice-tcp", cfg.ice_tcp, "ice-udp", cfg.ice_udp, "force-relay", cfg.relay_only,
               nullptr);
  for (const auto &a : cfg.addresses) {
    NiceAddress addr;
    nice_address_set_from_string(&addr, a.c_str()); // checked in gather()
    nice_agent_add_local_address(nice_, &addr);
  }
  if (cfg.min_port || cfg.max_port)
    nice_agent_set_port_range(nice_, stream_id_, 1, cfg.min_port, cfg.max_port);
}

Status Agent::gather() {
  AgentConfig cfg = config();
  {
    std::lock_guard lk(lock_);
    if (closed_)
      return invalid_state("cannot gather: the ICE transport is closed");
    if (gathering_ != GatheringState::New)
      return invalid_state("candidates were already gathered; use restart for new ones");
  }
  // Check and resolve everything first, so bad input leaves the agent untouched.
  for (const auto &a : cfg.addresses) {
    NiceAddress addr;
    if (!nice_address_set_from_string(&addr, a.c_str()))
      return type_error("invalid ice-addresses entry '" + a + "': not an IP address");
  }
  std::optional<std::string> stun_ip;
  std::vector<std::pair<const ServerUri *, std::string>> turns;
  if (cfg.stun && !cfg.relay_only) {
    auto ip = resolve_host(cfg.stun->host);
    if (!ip)
      return ip.error();
    stun_ip = *ip;
  }
  for (const auto &t : cfg.turn) {
    auto ip = resolve_host(t.host);
    if (!ip)
      return ip.error();
    turns.emplace_back(&t, *ip);
  }
  if (cfg.relay_only && turns.empty())
    return invalid_state("ice-transport-policy is relay but no TURN server is set");

  apply_gather_config(cfg);
  if (stun_ip)
    g_object_set(nice_, "stun-server", stun_ip->c_str(), "stun-server-port", cfg.stun->port,
                 nullptr);
  for (const auto &[uri, ip] : turns) {
    NiceRelayType type = uri->scheme == ServerScheme::Turns       ? NICE_RELAY_TYPE_TURN_TLS
                         : uri->transport == ServerTransport::Tcp ? NICE_RELAY_TYPE_TURN_TCP
                                                                  : NICE_RELAY_TYPE_TURN_UDP;
    nice_agent_set_relay_info(nice_, stream_id_, 1, ip.c_str(), uri->port, uri->username.c_str(),
                              uri->password.c_str(), type);
  }
  {
    std::lock_guard lk(lock_);
    gathering_ = GatheringState::Gathering;
  }
  if (events_.gathering_state_changed)
    events_.gathering_state_changed();
  if (!nice_agent_gather_candidates(nice_, stream_id_)) {
    {
      std::lock_guard lk(lock_);
      gathering_ = GatheringState::Complete;
    }
    if (events_.gathering_state_changed)
      events_.gathering_state_changed();
    return Error{ErrorCode::OperationError,
                 "libnice could not gather candidates (no usable local address or port)"};
  }
  return Ok{};
}

Status Agent::add_remote_candidate(std::string_view text) {
  auto parsed = parse_candidate(text);
  if (!parsed)
    return parsed.error();
  const Candidate &c = *parsed;
  {
    std::lock_guard lk(lock_);
    if (closed_)
      return invalid_state("cannot add a candidate: the ICE transport is closed");
    if (!c.ufrag.empty() && !remote_ufrag_.empty() && c.ufrag != remote_ufrag_)
      return Error{ErrorCode::OperationError, "candidate ufrag '" + c.ufrag +
                                                  "' does not match the remote ufrag '" +
                                                  remote_ufrag_ + "'"};
  }
  if (c.component != 1)
    return Ok{}; // RTCP component of a non-muxed peer: unused here (rtcp-mux, RFC 8843)
  if (!c.address_is_ip())
    return Error{ErrorCode::OperationError,
                 "cannot use candidate address '" + c.address +
                     "': host names (mDNS .local) are not resolved by this transport"};

  NiceCandidate *nc = nice_candidate_new(to_nice(c.type));
  nc->transport = to_nice(c);
  nc->stream_id = stream_id_;
  nc->component_id = 1;
  nc->priority = c.priority;
  g_strlcpy(nc->foundation, c.foundation.c_str(), NICE_CANDIDATE_MAX_FOUNDATION);
  nice_address_set_from_string(&nc->addr, c.address.c_str());
  nice_address_set_port(&nc->addr, c.port);
  if (!c.related_address.empty() &&
      nice_address_set_from_string(&nc->base_addr, c.related_address.c_str()))
    nice_address_set_port(&nc->base_addr, c.related_port);
  GSList list = {nc, nullptr};
  int added = nice_agent_set_remote_candidates(nice_, stream_id_, 1, &list);
  nice_candidate_free(nc);
  if (added < 0)
    return Error{ErrorCode::OperationError, "libnice refused candidate '" + c.to_string() + "'"};
  return Ok{};
}

void Agent::end_of_remote_candidates() {
  {
    std::lock_guard lk(lock_);
    if (closed_)
      return;
    remote_eoc_ = true;
  }
  nice_agent_peer_candidate_gathering_done(nice_, stream_id_);
  update_state();
}

Status Agent::set_remote_credentials(const std::string &ufrag, const std::string &pwd) {
  if (state() == State::Closed)
    return invalid_state("cannot set credentials: the ICE transport is closed");
  if (auto s = validate_ufrag(ufrag); !s)
    return s;
  if (auto s = validate_pwd(pwd); !s)
    return s;
  {
    std::lock_guard lk(lock_);
    remote_ufrag_ = ufrag;
    remote_pwd_ = pwd;
  }
  nice_agent_set_remote_credentials(nice_, stream_id_, ufrag.c_str(), pwd.c_str());
  return Ok{};
}

Status Agent::set_local_credentials(const std::string &ufrag, const std::string &pwd) {
  if (state() == State::Closed)
    return invalid_state("cannot set credentials: the ICE transport is closed");
  if (auto s = validate_ufrag(ufrag); !s)
    return s;
  if (auto s = validate_pwd(pwd); !s)
    return s;
  if (!nice_agent_set_local_credentials(nice_, stream_id_, ufrag.c_str(), pwd.c_str()))
    return Error{ErrorCode::OperationError, "libnice refused the local credentials"};
  return Ok{};
}

std::pair<std::string, std::string> Agent::local_credentials() const {
  if (state() == State::Closed)
    return {};
  gchar *u = nullptr, *p = nullptr;
  nice_agent_get_local_credentials(nice_, stream_id_, &u, &p);
  std::pair<std::string, std::string> out{u ? u : "", p ? p : ""};
  g_free(u);
  g_free(p);
  return out;
}

std::pair<std::string, std::string> Agent::remote_credentials() const {
  std::lock_guard lk(lock_);
  return {remote_ufrag_, remote_pwd_};
}

// ICE restart (RFC 8445 §9): new local credentials, remote candidates flushed; libnice keeps
// the selected pair so media keeps flowing until the new checks nominate a pair.
Status Agent::restart() {
  {
    std::lock_guard lk(lock_);
    if (closed_)
      return invalid_state("cannot restart: the ICE transport is closed");
    remote_eoc_ = false;
    remote_ufrag_.clear();
    remote_pwd_.clear();
    if (consent_.state() == Liveness::Expired)
      consent_.reset();
  }
  drop_direct(); // libnice picks a pair again
  if (!nice_agent_restart_stream(nice_, stream_id_))
    return Error{ErrorCode::OperationError, "libnice could not restart the ICE stream"};
  GatheringState g;
  {
    std::lock_guard lk(lock_);
    g = gathering_;
  }
  // Our candidates keep their addresses; signal them again for the new generation.
  if (g != GatheringState::New) {
    GSList *locals = nice_agent_get_local_candidates(nice_, stream_id_, 1);
    for (GSList *l = locals; l; l = l->next)
      on_new_candidate(static_cast<NiceCandidate *>(l->data));
    g_slist_free_full(locals, reinterpret_cast<GDestroyNotify>(nice_candidate_free));
    if (g == GatheringState::Complete && events_.gathering_done)
      events_.gathering_done();
  }
  update_state();
  return Ok{};
}

// W3C close(): sending stops and the stream's sockets are released, so the peer sees us go.
void Agent::close() {
  {
    std::lock_guard lk(lock_);
    if (closed_)
      return;
    closed_ = true;
    consent_.reset();
  }
  writable_.store(false);
  drop_direct(); // before libnice closes the socket
  loop_->run_sync([this] {
    nice_agent_attach_recv(nice_, stream_id_, 1, loop_->context(), nullptr, nullptr);
    nice_agent_remove_stream(nice_, stream_id_);
  });
  schedule_consent();
  update_state();
}

State Agent::state() const {
  std::lock_guard lk(lock_);
  return state_;
}

GatheringState Agent::gathering_state() const {
  std::lock_guard lk(lock_);
  return gathering_;
}

std::optional<SelectedPair> Agent::selected_pair() const {
  std::lock_guard lk(lock_);
  return pair_;
}

Candidate Agent::from_nice(const NiceCandidate *nc) {
  Candidate c;
  c.foundation = nc->foundation;
  c.component = nc->component_id;
  c.priority = nc->priority;
  c.address = address_string(&nc->addr);
  c.port = nice_address_get_port(&nc->addr);
  switch (nc->type) {
  case NICE_CANDIDATE_TYPE_HOST:
    c.type = CandidateType::Host;
    break;
  case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE:
    c.type = CandidateType::Srflx;
    break;
  case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:
    c.type = CandidateType::Prflx;
    break;
  case NICE_CANDIDATE_TYPE_RELAYED:
    c.type = CandidateType::Relay;
    break;
  }
  switch (nc->transport) {
  case NICE_CANDIDATE_TRANSPORT_UDP:
    c.protocol = Protocol::Udp;
    break;
  case NICE_CANDIDATE_TRANSPORT_TCP_ACTIVE:
    c.protocol = Protocol::Tcp;
    c.tcp_type = TcpType::Active;
    c.port = 9; // RFC 6544 §4.5: active candidates carry the discard port
    break;
  case NICE_CANDIDATE_TRANSPORT_TCP_PASSIVE:
    c.protocol = Protocol::Tcp;
    c.tcp_type = TcpType::Passive;
    break;
  case NICE_CANDIDATE_TRANSPORT_TCP_SO:
    c.protocol = Protocol::Tcp;
    c.tcp_type = TcpType::So;
    break;
  }
  if (c.type != CandidateType::Host && nice_address_is_valid(&nc->base_addr)) {
    c.related_address = address_string(&nc->base_addr);
    c.related_port = nice_address_get_port(&nc->base_addr);
  }
  return c;
}

void Agent::on_new_candidate(NiceCandidate *nc) {
  bool relay_only;
  {
    std::lock_guard lk(lock_);
    relay_only = cfg_.relay_only;
  }
  // W3C iceTransportPolicy "relay": only relay candidates leave the agent.
  if (relay_only && nc->type != NICE_CANDIDATE_TYPE_RELAYED)
    return;
  if (events_.local_candidate)
    events_.local_candidate(from_nice(nc).to_string());
}

void Agent::on_gathering_done() {
  {
    std::lock_guard lk(lock_);
    gathering_ = GatheringState::Complete;
  }
  if (events_.gathering_done)
    events_.gathering_done();
  if (events_.gathering_state_changed)
    events_.gathering_state_changed();
  update_state();
}

void Agent::on_component_state(guint s) {
  {
    std::lock_guard lk(lock_);
    nice_state_ = s;
    bool up = s == NICE_COMPONENT_STATE_CONNECTED || s == NICE_COMPONENT_STATE_READY;
    if (up && consent_.state() == Liveness::Idle)
      consent_.start(g_get_monotonic_time());
    else if (!up && s != NICE_COMPONENT_STATE_CONNECTING)
      consent_.reset();
  }
  schedule_consent();
  update_state();
}

void Agent::on_selected_pair(NiceCandidate *l, NiceCandidate *r) {
  // Bursts (a video keyframe is a few hundred datagrams) overflow the default 208 KiB socket
  // buffers; ask for more (the kernel caps it at net.core.[rw]mem_max).
  std::unique_ptr<DirectSend> direct;
  if (GSocket *sock = nice_agent_get_selected_socket(nice_, stream_id_, 1)) {
    int size = kSocketBufferBytes;
    setsockopt(g_socket_get_fd(sock), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    setsockopt(g_socket_get_fd(sock), SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    if (l->type != NICE_CANDIDATE_TYPE_RELAYED && l->transport == NICE_CANDIDATE_TRANSPORT_UDP &&
        g_socket_get_protocol(sock) == G_SOCKET_PROTOCOL_UDP)
      direct = std::make_unique<DirectSend>(sock, r->addr);
    g_object_unref(sock);
  }
  {
    std::lock_guard dl(direct_lock_);
    direct_ = std::move(direct);
  }
  {
    std::lock_guard lk(lock_);
    pair_ = SelectedPair{from_nice(l), from_nice(r)};
  }
  if (events_.selected_pair_changed)
    events_.selected_pair_changed();
  update_state();
}

void Agent::on_recv(const gchar *buf, guint len) {
  int64_t now = g_get_monotonic_time();
  last_inbound_.store(now, std::memory_order_relaxed);
  counters_.packets_received.fetch_add(1, std::memory_order_relaxed);
  counters_.bytes_received.fetch_add(len, std::memory_order_relaxed);
  if (watch_revive_.load(std::memory_order_relaxed)) {
    bool revived;
    {
      std::lock_guard lk(lock_);
      revived = consent_.on_inbound(now);
    }
    if (revived) {
      schedule_consent();
      update_state();
    }
  }
  burst_pending_.store(true, std::memory_order_relaxed);
  std::lock_guard lk(recv_lock_);
  if (receiver_)
    receiver_->on_packet(reinterpret_cast<const guint8 *>(buf), len);
  else
    counters_.receive_dropped_no_reader.fetch_add(1, std::memory_order_relaxed);
}

// Any thread: GSource attach/destroy are thread-safe and consent_timer_ is under lock_.
void Agent::schedule_consent() {
  if (!nice_)
    return;
  int64_t deadline;
  {
    std::lock_guard lk(lock_);
    deadline = consent_.next_deadline();
    if (consent_timer_) {
      g_source_destroy(consent_timer_);
      g_source_unref(consent_timer_);
      consent_timer_ = nullptr;
    }
    if (deadline < 0)
      return;
    int64_t delay_ms = std::max<int64_t>(0, (deadline - g_get_monotonic_time() + 999) / 1000);
    consent_timer_ = g_timeout_source_new(static_cast<guint>(delay_ms));
    g_source_set_callback(consent_timer_, consent_tick, this, nullptr);
    g_source_attach(consent_timer_, loop_->context());
  }
}

gboolean Agent::consent_tick(gpointer p) {
  auto *self = static_cast<Agent *>(p);
  {
    std::lock_guard lk(self->lock_);
    self->consent_.on_inbound(self->last_inbound_.load(std::memory_order_relaxed));
    self->consent_.poll(g_get_monotonic_time());
    g_source_unref(self->consent_timer_);
    self->consent_timer_ = nullptr;
  }
  self->schedule_consent();
  self->update_state();
  return G_SOURCE_REMOVE;
}

void Agent::update_state() {
  State next;
  {
    std::lock_guard lk(lock_);
    Liveness live = consent_.state();
    watch_revive_.store(live == Liveness::Disconnected, std::memory_order_relaxed);
    if (closed_) {
      next = State::Closed;
    } else {
      switch (nice_state_) {
      case NICE_COMPONENT_STATE_CONNECTING:
        next = State::Checking;
        break;
      case NICE_COMPONENT_STATE_CONNECTED:
      case NICE_COMPONENT_STATE_READY:
        if (live == Liveness::Expired)
          next = State::Failed;
        else if (live == Liveness::Disconnected)
          next = State::Disconnected;
        else if (nice_state_ == NICE_COMPONENT_STATE_READY && remote_eoc_ &&
                 gathering_ == GatheringState::Complete)
          next = State::Completed;
        else
          next = State::Connected;
        break;
      case NICE_COMPONENT_STATE_FAILED:
        next = State::Failed;
        break;
      default: // DISCONNECTED (initial, or briefly during a restart), GATHERING
        next = state_;
        break;
      }
    }
    // RFC 7675 §5.1: after consent expires, transmission stops.
    writable_.store(next == State::Connected || next == State::Completed ||
                        next == State::Disconnected,
                    std::memory_order_relaxed);
    if (next == state_)
      return;
    state_ = next;
  }
  if (events_.state_changed)
    events_.state_changed();
}

void Agent::drop_direct() {
  std::lock_guard dl(direct_lock_);
  direct_.reset();
}

int Agent::send(NiceOutputMessage *msgs, unsigned n) {
  if (!writable_.load(std::memory_order_relaxed)) {
    counters_.send_dropped_not_writable.fetch_add(n, std::memory_order_relaxed);
    return 0;
  }
  gint r = 0;
  uint64_t bytes = 0;
  bool direct_used = false;
  {
    std::lock_guard dl(direct_lock_);
    if (direct_) {
      r = gint(direct_->send(msgs, n, &bytes));
      direct_used = true;
    }
  }
  if (!direct_used) {
    GError *err = nullptr;
    r = nice_agent_send_messages_nonblocking(nice_, stream_id_, 1, msgs, n, nullptr, &err);
    if (r < 0) {
      // EWOULDBLOCK and transient socket errors: UDP semantics, the datagrams are lost.
      counters_.send_errors.fetch_add(n, std::memory_order_relaxed);
      g_clear_error(&err);
      return 0;
    }
    for (gint i = 0; i < r; i++)
      for (guint v = 0; v < msgs[i].n_buffers; v++)
        bytes += msgs[i].buffers[v].size;
  }
  counters_.packets_sent.fetch_add(r, std::memory_order_relaxed);
  counters_.bytes_sent.fetch_add(bytes, std::memory_order_relaxed);
  if (static_cast<unsigned>(r) < n)
    counters_.send_errors.fetch_add(n - r, std::memory_order_relaxed);
  return r;
}

bool Agent::attach_receiver(Receiver *r) {
  std::lock_guard lk(recv_lock_);
  if (receiver_ && receiver_ != r)
    return false;
  receiver_ = r;
  return true;
}

void Agent::detach_receiver(Receiver *r) {
  std::lock_guard lk(recv_lock_);
  if (receiver_ == r)
    receiver_ = nullptr;
}

} // namespace gstrtc::ice
