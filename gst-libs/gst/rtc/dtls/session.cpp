#include "dtls/session.hpp"

#include "core/strings.hpp"

#include <glib.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace gstrtc::dtls {

namespace {

constexpr size_t kMaxHeld = 64; // records held until the fingerprint is known

int session_index() {
  static int idx = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return idx;
}

// RFC 6347 §4.1: every record in the datagram has a 13-byte header with a known content type,
// a DTLS version and a length that fits. Anything else is discarded before OpenSSL sees it.
bool well_formed(std::span<const uint8_t> d) {
  size_t off = 0;
  if (d.empty())
    return false;
  while (off < d.size()) {
    if (d.size() - off < 13)
      return false;
    uint8_t type = d[off];
    if (type < 20 || type > 25 || d[off + 1] != 0xfe || (d[off + 2] != 0xff && d[off + 2] != 0xfd))
      return false;
    size_t len = (size_t(d[off + 11]) << 8) | d[off + 12];
    off += 13 + len;
  }
  return off == d.size();
}

} // namespace

// The BIO OpenSSL reads from and writes to: one write is one datagram, one read returns the
// datagram being handled.
struct SessionBio {
  static Session *of(BIO *b) { return static_cast<Session *>(BIO_get_data(b)); }
  static int write(BIO *b, const char *data, int len) {
    Session *s = of(b);
    if (s->ev_.send)
      s->ev_.send({reinterpret_cast<const uint8_t *>(data), static_cast<size_t>(len)});
    return len;
  }
  static int read(BIO *b, char *out, int len) {
    Session *s = of(b);
    BIO_clear_retry_flags(b);
    if (s->input_.empty()) {
      BIO_set_retry_read(b);
      return -1;
    }
    size_t n = std::min(static_cast<size_t>(len), s->input_.size());
    memcpy(out, s->input_.data(), n);
    s->input_ = {};
    return static_cast<int>(n);
  }
  static long ctrl(BIO *b, int cmd, long, void *) {
    switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_DGRAM_QUERY_MTU:
    case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
      return static_cast<long>(of(b)->cfg_.mtu);
    default:
      return 0; // WPENDING, PENDING, MTU overhead, peer address: nothing to report
    }
  }
  static BIO_METHOD *method() {
    static BIO_METHOD *m = [] {
      BIO_METHOD *bm = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "gst-rtc-dtls");
      BIO_meth_set_write(bm, write);
      BIO_meth_set_read(bm, read);
      BIO_meth_set_ctrl(bm, ctrl);
      BIO_meth_set_create(bm, [](BIO *b) {
        BIO_set_init(b, 1);
        return 1;
      });
      return bm;
    }();
    return m;
  }
};

// One SSL_CTX for the process: creating one costs milliseconds with OpenSSL 3 (providers,
// algorithm fetches), and everything per connection (certificate, key, SRTP profiles) is set on
// the SSL itself.
static SSL_CTX *shared_context(int (*verify)(int, X509_STORE_CTX *)) {
  static SSL_CTX *ctx = [verify] {
    SSL_CTX *c = SSL_CTX_new(DTLS_method());
    SSL_CTX_set_min_proto_version(c, DTLS1_2_VERSION);
    // Self-signed peers are the rule; the fingerprint from SDP authenticates (RFC 8122).
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify);
    SSL_CTX_set_cipher_list(c, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                               "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                               "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                               "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:"
                               "ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA");
    SSL_CTX_set_options(c, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
    return c;
  }();
  return ctx;
}

Session::Session(SessionConfig cfg, SessionEvents events)
    : cfg_(std::move(cfg)), ev_(std::move(events)) {
  SSL_CTX *ctx = shared_context(verify_cb);
  SSL_CTX_up_ref(ctx);
  ctx_.reset(ctx);
  ssl_.reset(SSL_new(ctx));
  if (cfg_.certificate) {
    SSL_use_certificate(ssl_.get(), cfg_.certificate->x509());
    SSL_use_PrivateKey(ssl_.get(), cfg_.certificate->pkey());
  }
  std::string profiles;
  for (auto p : cfg_.profiles)
    profiles += (profiles.empty() ? "" : ":") + std::string(openssl_name(p));
  if (!profiles.empty())
    SSL_set_tlsext_use_srtp(ssl_.get(), profiles.c_str()); // returns 0 on success
  SSL_set_ex_data(ssl_.get(), session_index(), this);
  DTLS_set_link_mtu(ssl_.get(), static_cast<long>(cfg_.mtu));
  DTLS_set_timer_cb(ssl_.get(), timer_cb);
  BIO *bio = BIO_new(SessionBio::method());
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_.get(), bio, bio);
}

Session::~Session() = default;

unsigned Session::timer_cb(SSL *ssl, unsigned prev_us) {
  const auto &cfg = static_cast<Session *>(SSL_get_ex_data(ssl, session_index()))->cfg_;
  return prev_us == 0 ? cfg.initial_timeout_us : std::min(prev_us * 2, cfg.max_timeout_us);
}

void Session::set_state(State s) {
  if (s == state_)
    return;
  state_ = s;
  if (ev_.state_changed)
    ev_.state_changed(s);
}

void Session::fail(ErrorCode code, std::string message) {
  if (state_ == State::Failed)
    return;
  error_ = Error{code, std::move(message)};
  next_timeout_ = -1;
  held_.clear();
  set_state(State::Failed);
}

Status Session::start(int64_t now_us) {
  if (state_ != State::New)
    return invalid_state("the DTLS session was already started");
  if (!cfg_.certificate)
    return invalid_state("no certificate");
  set_state(State::Connecting);
  if (cfg_.role == Role::Client)
    SSL_set_connect_state(ssl_.get());
  else
    SSL_set_accept_state(ssl_.get());
  drive(now_us);
  return Ok{};
}

int Session::verify_cb(int, X509_STORE_CTX *store) {
  auto *ssl =
      static_cast<SSL *>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto *self = static_cast<Session *>(SSL_get_ex_data(ssl, session_index()));
  // Only the peer's own certificate matters (RFC 8122 §5); chain errors are expected.
  if (X509_STORE_CTX_get_error_depth(store) != 0)
    return 1;
  return self->verify_peer(X509_STORE_CTX_get_current_cert(store)) ? 1 : 0;
}

bool Session::verify_peer(X509 *cert) {
  X509_up_ref(cert);
  peer_cert_.reset(cert);
  if (cfg_.remote_fingerprints.empty()) {
    verify_pending_ = true; // checked when the fingerprint arrives; nothing passes before
    return true;
  }
  for (const auto &fp : cfg_.remote_fingerprints)
    if (iequals(fingerprint_of(cert, fp.hash), fp.value))
      return true;
  const auto &want = cfg_.remote_fingerprints.front();
  error_ = Error{ErrorCode::FingerprintFailure,
                 "peer certificate " + want.hash + " " + fingerprint_of(cert, want.hash) +
                     " does not match the signalled fingerprint " + want.value};
  return false;
}

void Session::on_handshake_done() {
  handshake_done_ = true;
  if (verify_pending_)
    return; // stays connecting until set_remote_fingerprints
  const SRTP_PROTECTION_PROFILE *p = SSL_get_selected_srtp_profile(ssl_.get());
  if (!p && !cfg_.profiles.empty()) {
    // Media would have no keys: fail loudly instead of dropping everything (RFC 5764 §4.1.1).
    std::string offered;
    for (auto prof : cfg_.profiles)
      offered += (offered.empty() ? "" : ", ") + std::string(openssl_name(prof));
    SSL_shutdown(ssl_.get());
    fail(ErrorCode::DtlsFailure,
         "no SRTP protection profile in common with the peer (we offered " + offered + ")");
    return;
  }
  if (p) {
    auto profile = static_cast<SrtpProfile>(p->id);
    size_t k = master_key_len(profile), s = master_salt_len(profile);
    std::vector<uint8_t> m(2 * (k + s));
    static const char label[] = "EXTRACTOR-dtls_srtp"; // RFC 5764 §4.2
    if (!SSL_export_keying_material(ssl_.get(), m.data(), m.size(), label, sizeof label - 1,
                                    nullptr, 0, 0)) {
      fail(ErrorCode::DtlsFailure, "SRTP keying material export failed: " + ossl::errors());
      return;
    }
    // client_key | server_key | client_salt | server_salt
    auto part = [&](size_t key_off, size_t salt_off) {
      std::vector<uint8_t> v(m.begin() + key_off, m.begin() + key_off + k);
      v.insert(v.end(), m.begin() + salt_off, m.begin() + salt_off + s);
      return v;
    };
    auto client = part(0, 2 * k), server = part(k, 2 * k + s);
    bool is_client = cfg_.role == Role::Client;
    keys_ = SrtpKeys{profile, is_client ? client : server, is_client ? server : client};
  }
  set_state(State::Connected);
}

void Session::drive(int64_t now_us) {
  if (!handshake_done_) {
    ERR_clear_error();
    int r = SSL_do_handshake(ssl_.get());
    if (r == 1) {
      on_handshake_done();
    } else {
      int e = SSL_get_error(ssl_.get(), r);
      if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
        if (error_ && error_->code == ErrorCode::FingerprintFailure) {
          auto err = *error_;
          error_.reset();
          fail(err.code, err.message);
        } else {
          std::string why = ossl::errors();
          // The peer refused our certificate: most likely it holds a wrong fingerprint for us.
          bool refused = why.find("alert unknown ca") != std::string::npos ||
                         why.find("alert bad certificate") != std::string::npos;
          fail(ErrorCode::DtlsFailure,
               refused ? "DTLS handshake failed: the peer rejected our certificate (does its "
                         "signalled fingerprint for us match?): " +
                             why
                       : "DTLS handshake failed: " + why);
        }
        return;
      }
    }
  }
  if (handshake_done_ && !verify_pending_ && state_ == State::Connected)
    read_app_data();
  update_timeout(now_us);
}

void Session::read_app_data() {
  std::array<uint8_t, 16384> buf; // DTLS plaintext is at most 2^14 bytes (RFC 6347 §4.1)
  for (;;) {
    int n = SSL_read(ssl_.get(), buf.data(), static_cast<int>(buf.size()));
    if (n > 0) {
      if (ev_.app_data)
        ev_.app_data({buf.data(), static_cast<size_t>(n)});
      continue;
    }
    int e = SSL_get_error(ssl_.get(), n);
    if (e == SSL_ERROR_ZERO_RETURN) {
      next_timeout_ = -1;
      set_state(State::Closed); // close_notify from the peer
    } else if (e == SSL_ERROR_SSL) {
      fail(ErrorCode::DtlsFailure, "DTLS record failed: " + ossl::errors());
    }
    return;
  }
}

void Session::handle_datagram(std::span<const uint8_t> d, int64_t now_us) {
  if (!well_formed(d)) {
    counters_.datagrams_rejected++;
    return;
  }
  if (state_ == State::New || state_ == State::Failed || state_ == State::Closed)
    return;
  if (handshake_done_ && verify_pending_) {
    if (held_.size() < kMaxHeld) {
      held_.emplace_back(d.begin(), d.end());
      counters_.held_before_verify++;
    }
    return;
  }
  input_ = d;
  drive(now_us);
  input_ = {};
}

void Session::set_remote_fingerprints(std::vector<Fingerprint> fps) {
  cfg_.remote_fingerprints = std::move(fps);
  if (!verify_pending_ || !peer_cert_ || state_ == State::Failed)
    return;
  verify_pending_ = false;
  X509 *cert = peer_cert_.release();
  bool ok = verify_peer(cert);
  X509_free(cert);
  if (!ok) {
    auto err = *error_;
    error_.reset();
    SSL_shutdown(ssl_.get()); // close_notify: nothing more will come from us
    fail(err.code, err.message);
    return;
  }
  if (!handshake_done_)
    return;
  on_handshake_done();
  auto held = std::move(held_);
  for (auto &d : held) {
    input_ = d;
    read_app_data();
    input_ = {};
  }
}

void Session::update_timeout(int64_t now_us) {
  timeval tv{};
  if (!handshake_done_ && DTLSv1_get_timeout(ssl_.get(), &tv))
    next_timeout_ = now_us + int64_t(tv.tv_sec) * 1000000 + tv.tv_usec;
  else
    next_timeout_ = -1;
}

void Session::handle_timeout(int64_t now_us) {
  if (next_timeout_ < 0 || now_us < next_timeout_ || state_ != State::Connecting)
    return;
  int r = DTLSv1_handle_timeout(ssl_.get());
  if (r > 0)
    counters_.retransmissions++;
  if (r < 0) {
    fail(ErrorCode::DtlsFailure, "DTLS handshake timed out: the peer never answered");
    return;
  }
  update_timeout(now_us);
}

Status Session::send_app_data(std::span<const uint8_t> data) {
  if (state_ != State::Connected)
    return invalid_state("DTLS is not connected");
  size_t max = data_mtu();
  if (data.size() > max)
    return type_error("application datagram of " + std::to_string(data.size()) +
                      " bytes exceeds the DTLS data MTU of " + std::to_string(max));
  ERR_clear_error();
  int n = SSL_write(ssl_.get(), data.data(), static_cast<int>(data.size()));
  if (n <= 0)
    return Error{ErrorCode::DtlsFailure, "DTLS write failed: " + ossl::errors()};
  return Ok{};
}

void Session::close() {
  if (state_ == State::Connected || state_ == State::Connecting)
    SSL_shutdown(ssl_.get()); // close_notify (RFC 5246 §7.2.1)
  next_timeout_ = -1;
  if (state_ != State::Failed)
    set_state(State::Closed);
}

size_t Session::data_mtu() const {
  return DTLS_get_data_mtu(ssl_.get());
}

std::string Session::cipher() const {
  const SSL_CIPHER *c = SSL_get_current_cipher(ssl_.get());
  return c ? SSL_CIPHER_get_name(c) : "";
}

std::string Session::peer_certificate_pem() const {
  if (!peer_cert_)
    return {};
  ossl::Ptr<BIO> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), peer_cert_.get());
  char *data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, len);
}

std::string Session::peer_fingerprint(std::string_view hash) const {
  return peer_cert_ ? fingerprint_of(peer_cert_.get(), hash) : std::string();
}

} // namespace gstrtc::dtls
