// DtlsSrtpTransport: the state one rtcdtlssrtpenc/rtcdtlssrtpdec pair shares — the DTLS
// session, the SRTP contexts keyed from it, and counters. The decoder feeds it DTLS datagrams;
// the encoder registers the network output the session writes to and runs its timer.
//
// Lock order: out_lock_ -> lock_. Datagrams the session produces are collected under lock_
// and handed to the NetworkSink with only out_lock_ held (it guards the sink pointer, so
// unregistering waits for a send in progress); kept while no sink is registered.
#pragma once

#include "core/export.hpp"
#include "dtls/session.hpp"
#include "srtp/context.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace gstrtc::dtls {

using Datagrams = std::span<const std::span<const uint8_t>>;

class GSTRTC_INTERNAL NetworkSink {
public:
  virtual ~NetworkSink() = default;
  // What one call of ours produced, in order (valid during the call).
  virtual void send_datagrams(Datagrams ds) noexcept = 0;
};

struct TransportCounters {
  std::atomic<uint64_t> srtp_replayed{0}, srtp_auth_failed{0}, srtp_malformed{0};
  std::atomic<uint64_t> rtp_dropped_no_keys{0}, unknown_dropped{0}, stun_dropped{0};
  std::atomic<uint64_t> rtp_protected{0}, rtp_unprotected{0}, rtcp_protected{0},
      rtcp_unprotected{0};
};

struct TransportConfig {
  std::shared_ptr<const Certificate> certificate;
  bool client = false;
  std::vector<Fingerprint> remote_fingerprints;
  std::vector<SrtpProfile> profiles = kDefaultProfiles;
  size_t mtu = 1200;
};

class GSTRTC_INTERNAL DtlsSrtpTransport {
public:
  struct Events {
    std::function<void()> state_changed;                    // no lock held
    // Records decrypted by one call, in order; no lock held, the decoder's thread.
    std::function<void(Datagrams)> app_data;
  };
  explicit DtlsSrtpTransport(Events ev);
  ~DtlsSrtpTransport();

  TransportConfig config() const;
  // Before start(), except remote fingerprints which may arrive at any time.
  Status set_config(const TransportConfig &cfg);

  Status start(int64_t now_us); // no-op if started
  bool started() const;
  // Datagrams from the network: what they produce goes out, and is delivered, as one batch
  // each.
  void handle_dtls(Datagrams ds, int64_t now_us);
  void handle_timeout(int64_t now_us);
  int64_t next_timeout() const;
  Status send_app_data(std::span<const uint8_t> d);
  // Each message as one record; the records go to the sink as one batch. A message that
  // cannot go (over the data MTU) does not hold up the others; the first failure is returned.
  Status send_app_data(Datagrams msgs);
  void close();

  State state() const;
  std::optional<Error> error() const;
  std::string profile_name() const;
  std::string cipher() const;
  size_t data_mtu() const; // 0 before the session exists
  std::string peer_certificate_pem() const;
  uint64_t dtls_rejected() const;
  uint64_t retransmissions() const;

  // Null until the handshake produced keys. Outbound is used by one thread (the encoder's),
  // inbound by one (the decoder's).
  std::shared_ptr<srtp::Context> outbound() const;
  std::shared_ptr<srtp::Context> inbound() const;

  void set_network_sink(NetworkSink *sink);
  TransportCounters &counters() { return counters_; }

private:
  // Datagrams or records back to back, and where each ends; capacity kept when cleared.
  struct Arena {
    std::vector<uint8_t> bytes;
    std::vector<size_t> ends;
    void add(std::span<const uint8_t> d);
    void drop_oldest(size_t keep);
    // Views of each, into `spans`.
    void views(std::vector<std::span<const uint8_t>> &spans) const;
    void clear() {
      bytes.clear();
      ends.clear();
    }
  };

  // Storage for handing a batch on (swapped with what is pending, so capacity is reused),
  // unless the hand-over came back into this transport (depth > 0: wired back to back).
  struct Relay {
    Arena arena;
    std::vector<std::span<const uint8_t>> spans;
    int depth = 0;
  };
  // Hands what `pending` holds (taken under lock_) to `deliver`; the caller holds r's lock.
  template <typename F> void relay(Relay &r, Arena &pending, F &&deliver);

  void flush_out();       // sends what the session produced; call without lock_
  void flush_app();       // delivers decrypted application data; call without lock_
  void on_state(State s); // session event, lock_ held
  void make_session();    // lock_ held

  Events ev_;
  mutable std::mutex lock_;
  TransportConfig cfg_;
  std::unique_ptr<Session> session_;
  Arena out_; // produced under lock_, sent after
  Arena app_; // decrypted under lock_, delivered after
  bool state_dirty_ = false;
  std::shared_ptr<srtp::Context> outbound_, inbound_;

  // Protects sink_. Recursive: wired back to back, sending can come back into this transport.
  std::recursive_mutex out_lock_;
  NetworkSink *sink_ = nullptr;
  Relay out_relay_; // under out_lock_
  // Protects app_relay_. Recursive, as out_lock_ is: a delivery can come back here.
  std::recursive_mutex app_lock_;
  Relay app_relay_;
  TransportCounters counters_;
};

} // namespace gstrtc::dtls
