// One DTLS 1.2 association (RFC 6347) with the use_srtp extension (RFC 5764), over OpenSSL 3,
// with no I/O of its own: datagrams and the current time go in; datagrams to send, application
// data, state changes and SRTP keys come out through SessionEvents, synchronously, during the
// call that produced them. The owner (an element) does the I/O and the timer.
//
// Retransmission: next_timeout() says when handle_timeout() is due on the owner's clock. OpenSSL
// 3.0 also checks its own wall clock before retransmitting, so a clock that runs ahead of real
// time (a test clock) still waits for the real interval.
#pragma once

#include "core/export.hpp"
#include "core/ossl.hpp"
#include "core/result.hpp"
#include "dtls/certificate.hpp"
#include "dtls/srtpprofile.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gstrtc::dtls {

enum class Role { Client, Server };

// Same values as GstRtcDTLSTransportState (W3C RTCDtlsTransportState).
enum class State { New, Closed, Failed, Connecting, Connected };

struct Fingerprint {
  std::string hash;  // "sha-256", ...
  std::string value; // "AB:CD:..." (compared case-insensitively)
};

struct SessionConfig {
  Role role = Role::Client;
  std::shared_ptr<const Certificate> certificate;
  std::vector<Fingerprint> remote_fingerprints; // may also come later
  // Empty: DTLS without SRTP (data channels only). Otherwise a profile must be agreed.
  std::vector<SrtpProfile> profiles = kDefaultProfiles;
  size_t mtu = 1200; // largest datagram we send
  // Handshake retransmission: first timeout, doubled up to the maximum (RFC 6347 §4.2.4.1).
  // OpenSSL gives up after 12 timeouts (about 45 s with these defaults).
  unsigned initial_timeout_us = 100000;
  unsigned max_timeout_us = 6400000;
};

struct SessionEvents {
  std::function<void(std::span<const uint8_t>)> send;     // one datagram for the network
  std::function<void(std::span<const uint8_t>)> app_data; // decrypted application data
  std::function<void(State)> state_changed;
};

struct SessionCounters {
  uint64_t datagrams_rejected = 0; // not a well-formed DTLS record
  uint64_t retransmissions = 0;    // handshake flights sent again
  uint64_t held_before_verify = 0; // records held until the fingerprint was known
};

class GSTRTC_INTERNAL Session {
public:
  Session(SessionConfig cfg, SessionEvents events);
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  // The client sends its ClientHello; the server waits for one.
  Status start(int64_t now_us);
  // The peer's fingerprints (from SDP). If its certificate already arrived it is checked now.
  void set_remote_fingerprints(std::vector<Fingerprint> fps);
  // One datagram whose first byte is 20..63 (RFC 7983 §7).
  void handle_datagram(std::span<const uint8_t> datagram, int64_t now_us);
  void handle_timeout(int64_t now_us);
  int64_t next_timeout() const { return next_timeout_; } // absolute µs, -1: none
  // Encrypts one application datagram (for SCTP). Connected only; must fit the MTU.
  Status send_app_data(std::span<const uint8_t> data);
  // Sends close_notify; the state becomes closed.
  void close();

  State state() const { return state_; }
  const std::optional<Error> &error() const { return error_; }
  const std::optional<SrtpKeys> &srtp_keys() const { return keys_; }
  std::string cipher() const;
  // The most application data one record carries (the MTU less this cipher's overhead).
  size_t data_mtu() const;
  std::string peer_certificate_pem() const;
  std::string peer_fingerprint(std::string_view hash = "sha-256") const;
  const SessionCounters &counters() const { return counters_; }

private:
  friend struct SessionBio;
  void drive(int64_t now_us);
  void read_app_data();
  bool verify_peer(X509 *cert);
  void on_handshake_done();
  void fail(ErrorCode code, std::string message);
  void set_state(State s);
  void update_timeout(int64_t now_us);
  static int verify_cb(int ok, X509_STORE_CTX *ctx);
  static unsigned timer_cb(SSL *ssl, unsigned prev_us);

  SessionConfig cfg_;
  SessionEvents ev_;
  ossl::Ptr<SSL_CTX> ctx_;
  ossl::Ptr<SSL> ssl_;
  State state_ = State::New;
  std::optional<Error> error_;
  std::optional<SrtpKeys> keys_;
  ossl::Ptr<X509> peer_cert_;
  bool handshake_done_ = false;
  bool verify_pending_ = false;
  std::deque<std::vector<uint8_t>> held_; // app records until the fingerprint is verified
  std::span<const uint8_t> input_;        // the datagram being read by OpenSSL
  int64_t next_timeout_ = -1;
  SessionCounters counters_;
};

} // namespace gstrtc::dtls
