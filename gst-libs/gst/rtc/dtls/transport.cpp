#include "dtls/transport.hpp"

#include <glib.h>

namespace gstrtc::dtls {

namespace {
constexpr size_t kMaxPendingOut = 16; // datagrams kept while no network output is registered
} // namespace

DtlsSrtpTransport::DtlsSrtpTransport(Events ev) : ev_(std::move(ev)) {}
DtlsSrtpTransport::~DtlsSrtpTransport() = default;

TransportConfig DtlsSrtpTransport::config() const {
  std::lock_guard lk(lock_);
  return cfg_;
}

Status DtlsSrtpTransport::set_config(const TransportConfig &cfg) {
  std::unique_lock lk(lock_);
  if (session_) {
    bool same = cfg.client == cfg_.client && cfg.certificate == cfg_.certificate &&
                cfg.profiles == cfg_.profiles && cfg.mtu == cfg_.mtu;
    if (!same)
      return invalid_state("role, certificate, profiles and MTU are fixed once DTLS started");
    cfg_.remote_fingerprints = cfg.remote_fingerprints;
    session_->set_remote_fingerprints(cfg.remote_fingerprints);
    bool changed = std::exchange(state_dirty_, false);
    lk.unlock();
    flush_out();
    if (changed && ev_.state_changed)
      ev_.state_changed();
    flush_app(); // records held until the fingerprint was known
    return Ok{};
  }
  cfg_ = cfg;
  return Ok{};
}

void DtlsSrtpTransport::make_session() {
  SessionConfig sc;
  sc.role = cfg_.client ? Role::Client : Role::Server;
  sc.certificate = cfg_.certificate;
  sc.remote_fingerprints = cfg_.remote_fingerprints;
  sc.profiles = cfg_.profiles;
  sc.mtu = cfg_.mtu;
  SessionEvents se;
  se.send = [this](std::span<const uint8_t> d) { out_.add(d); };
  se.app_data = [this](std::span<const uint8_t> d) { app_.add(d); };
  se.state_changed = [this](State s) { on_state(s); };
  session_ = std::make_unique<Session>(sc, se);
}

void DtlsSrtpTransport::on_state(State s) {
  state_dirty_ = true;
  if (s != State::Connected || !session_->srtp_keys())
    return;
  const SrtpKeys &k = *session_->srtp_keys();
  auto out = srtp::Context::create(k.profile, k.local, srtp::Direction::Outbound);
  auto in = srtp::Context::create(k.profile, k.remote, srtp::Direction::Inbound);
  if (out && in) {
    outbound_ = std::move(*out);
    inbound_ = std::move(*in);
  } else {
    // No keys: media stays dropped (never sent in clear); say why once.
    g_warning("SRTP context creation failed: %s",
              (!out ? out.error() : in.error()).message.c_str());
  }
}

Status DtlsSrtpTransport::start(int64_t now_us) {
  Status s = Ok{};
  bool changed;
  {
    std::lock_guard lk(lock_);
    if (session_)
      return Ok{};
    if (!cfg_.certificate) {
      auto c = Certificate::generate();
      if (!c)
        return c.error();
      cfg_.certificate = *c;
    }
    make_session();
    s = session_->start(now_us);
    changed = std::exchange(state_dirty_, false);
  }
  flush_out();
  if (changed && ev_.state_changed)
    ev_.state_changed();
  return s;
}

bool DtlsSrtpTransport::started() const {
  std::lock_guard lk(lock_);
  return session_ != nullptr;
}

void DtlsSrtpTransport::handle_dtls(Datagrams ds, int64_t now_us) {
  // A server may hear the ClientHello before its encoder started: start it now rather than
  // lose the flight (the client would resend it only after its first timeout).
  if (!started() && !config().client)
    start(now_us);
  bool changed;
  {
    std::lock_guard lk(lock_);
    if (!session_)
      return;
    for (auto d : ds)
      session_->handle_datagram(d, now_us);
    changed = std::exchange(state_dirty_, false);
  }
  flush_out();
  if (changed && ev_.state_changed)
    ev_.state_changed();
  flush_app();
}

template <typename F>
void DtlsSrtpTransport::relay(Relay &r, Arena &pending, F &&deliver) {
  Relay nested;
  Relay &use = r.depth == 0 ? r : nested;
  {
    std::lock_guard lk(lock_);
    if (pending.ends.empty())
      return;
    std::swap(use.arena, pending);
  }
  use.arena.views(use.spans);
  r.depth++;
  deliver(Datagrams(use.spans));
  r.depth--;
  use.arena.clear();
}

void DtlsSrtpTransport::flush_app() {
  std::lock_guard alk(app_lock_);
  relay(app_relay_, app_, [this](Datagrams ds) {
    if (ev_.app_data)
      ev_.app_data(ds);
  });
}

void DtlsSrtpTransport::handle_timeout(int64_t now_us) {
  bool changed;
  {
    std::lock_guard lk(lock_);
    if (!session_)
      return;
    session_->handle_timeout(now_us);
    changed = std::exchange(state_dirty_, false);
  }
  flush_out();
  if (changed && ev_.state_changed)
    ev_.state_changed();
}

int64_t DtlsSrtpTransport::next_timeout() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->next_timeout() : -1;
}

Status DtlsSrtpTransport::send_app_data(std::span<const uint8_t> d) {
  std::span<const uint8_t> one[1] = {d};
  return send_app_data(Datagrams(one));
}

Status DtlsSrtpTransport::send_app_data(Datagrams msgs) {
  Status s = Ok{};
  {
    std::lock_guard lk(lock_);
    if (!session_)
      return invalid_state("DTLS has not started");
    for (auto m : msgs) // one bad message costs only itself
      if (auto r = session_->send_app_data(m); !r && s)
        s = std::move(r);
  }
  flush_out();
  return s;
}

void DtlsSrtpTransport::close() {
  bool changed = false;
  {
    std::lock_guard lk(lock_);
    if (session_) {
      session_->close();
      changed = std::exchange(state_dirty_, false);
    }
  }
  flush_out();
  if (changed && ev_.state_changed)
    ev_.state_changed();
}

void DtlsSrtpTransport::Arena::add(std::span<const uint8_t> d) {
  bytes.insert(bytes.end(), d.begin(), d.end());
  ends.push_back(bytes.size());
}

void DtlsSrtpTransport::Arena::views(std::vector<std::span<const uint8_t>> &spans) const {
  spans.clear();
  size_t start = 0;
  for (size_t end : ends) {
    spans.emplace_back(bytes.data() + start, end - start);
    start = end;
  }
}

void DtlsSrtpTransport::Arena::drop_oldest(size_t keep) {
  if (ends.size() <= keep)
    return;
  size_t drop = ends.size() - keep, cut = ends[drop - 1];
  bytes.erase(bytes.begin(), bytes.begin() + ptrdiff_t(cut));
  ends.erase(ends.begin(), ends.begin() + ptrdiff_t(drop));
  for (auto &e : ends)
    e -= cut;
}

void DtlsSrtpTransport::flush_out() {
  std::lock_guard olk(out_lock_);
  if (!sink_) {
    // No network output yet: keep the latest flight for when one registers.
    std::lock_guard lk(lock_);
    out_.drop_oldest(kMaxPendingOut);
    return;
  }
  relay(out_relay_, out_, [this](Datagrams ds) { sink_->send_datagrams(ds); });
}

void DtlsSrtpTransport::set_network_sink(NetworkSink *sink) {
  {
    std::lock_guard lk(out_lock_);
    sink_ = sink;
  }
  if (sink)
    flush_out();
}

State DtlsSrtpTransport::state() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->state() : State::New;
}

std::optional<Error> DtlsSrtpTransport::error() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->error() : std::nullopt;
}

std::string DtlsSrtpTransport::profile_name() const {
  std::lock_guard lk(lock_);
  return session_ && session_->srtp_keys() ? openssl_name(session_->srtp_keys()->profile) : "";
}

size_t DtlsSrtpTransport::data_mtu() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->data_mtu() : 0;
}

std::string DtlsSrtpTransport::cipher() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->cipher() : "";
}

std::string DtlsSrtpTransport::peer_certificate_pem() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->peer_certificate_pem() : "";
}

uint64_t DtlsSrtpTransport::dtls_rejected() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->counters().datagrams_rejected : 0;
}

uint64_t DtlsSrtpTransport::retransmissions() const {
  std::lock_guard lk(lock_);
  return session_ ? session_->counters().retransmissions : 0;
}

std::shared_ptr<srtp::Context> DtlsSrtpTransport::outbound() const {
  std::lock_guard lk(lock_);
  return outbound_;
}

std::shared_ptr<srtp::Context> DtlsSrtpTransport::inbound() const {
  std::lock_guard lk(lock_);
  return inbound_;
}

} // namespace gstrtc::dtls
