// Two DTLS sessions back to back in memory; the test is the network (and may lose, reorder or
// corrupt datagrams) and the clock.
#include "dtls/session.hpp"

#include <gtest/gtest.h>

#include <glib.h>

#include <deque>
#include <functional>

using namespace gstrtc::dtls;

namespace {

std::shared_ptr<const Certificate> cert(KeyType t = KeyType::EcdsaP256) {
  return *Certificate::generate(t);
}

struct Peer {
  std::unique_ptr<Session> s;
  std::deque<std::vector<uint8_t>> inbox; // datagrams the other side sent us
  std::vector<std::vector<uint8_t>> app;
  std::vector<State> states;
};

struct Pair {
  Peer c, v; // client and server
  std::shared_ptr<const Certificate> cc, vc;
  int64_t now = 0;
  // Called for every datagram on the wire; return false to lose it.
  std::function<bool(bool from_client, size_t index, std::vector<uint8_t> &d)> wire;
  size_t sent[2] = {0, 0};

  unsigned initial_timeout_us = 100000, max_timeout_us = 6400000;

  Pair(std::vector<SrtpProfile> cp = kDefaultProfiles,
       std::vector<SrtpProfile> vp = kDefaultProfiles, bool client_knows = true,
       bool server_knows = true, KeyType ct = KeyType::EcdsaP256, unsigned initial_us = 100000,
       unsigned max_us = 6400000)
      : cc(cert(ct)), vc(cert()), initial_timeout_us(initial_us), max_timeout_us(max_us) {
    make(c, Role::Client, cc, cp, client_knows ? vc : nullptr, &v, true);
    make(v, Role::Server, vc, vp, server_knows ? cc : nullptr, &c, false);
  }

  void make(Peer &p, Role role, std::shared_ptr<const Certificate> mine,
            std::vector<SrtpProfile> profiles, std::shared_ptr<const Certificate> theirs,
            Peer *other, bool is_client) {
    SessionConfig cfg;
    cfg.role = role;
    cfg.certificate = mine;
    cfg.profiles = profiles;
    cfg.initial_timeout_us = initial_timeout_us;
    cfg.max_timeout_us = max_timeout_us;
    if (theirs)
      cfg.remote_fingerprints = {{"sha-256", theirs->fingerprint()}};
    SessionEvents ev;
    ev.send = [this, other, is_client](std::span<const uint8_t> d) {
      std::vector<uint8_t> copy(d.begin(), d.end());
      size_t idx = sent[is_client ? 0 : 1]++;
      if (!wire || wire(is_client, idx, copy))
        other->inbox.push_back(std::move(copy));
    };
    ev.app_data = [&p](std::span<const uint8_t> d) { p.app.emplace_back(d.begin(), d.end()); };
    ev.state_changed = [&p](State s) { p.states.push_back(s); };
    p.s = std::make_unique<Session>(cfg, ev);
  }

  void start() {
    ASSERT_TRUE(v.s->start(now));
    ASSERT_TRUE(c.s->start(now));
  }

  // Delivers until both inboxes are empty.
  void pump() {
    for (int guard = 0; guard < 1000 && (!c.inbox.empty() || !v.inbox.empty()); guard++) {
      for (Peer *p : {&v, &c}) {
        while (!p->inbox.empty()) {
          auto d = std::move(p->inbox.front());
          p->inbox.pop_front();
          p->s->handle_datagram(d, now);
        }
      }
    }
  }
};

} // namespace

TEST(DtlsSession, HandshakeConnectsAndSrtpKeysMirror) {
  Pair p;
  p.start();
  p.pump();
  ASSERT_EQ(p.c.s->state(), State::Connected) << (p.c.s->error() ? p.c.s->error()->message : "");
  ASSERT_EQ(p.v.s->state(), State::Connected) << (p.v.s->error() ? p.v.s->error()->message : "");
  const auto &ck = p.c.s->srtp_keys(), &vk = p.v.s->srtp_keys();
  ASSERT_TRUE(ck && vk);
  EXPECT_EQ(ck->profile, SrtpProfile::AeadAes128Gcm) << "GCM is preferred by default";
  EXPECT_EQ(ck->local, vk->remote);
  EXPECT_EQ(ck->remote, vk->local);
  EXPECT_NE(ck->local, ck->remote);
  EXPECT_EQ(ck->local.size(), 16u + 12u);
  EXPECT_EQ(p.c.s->peer_fingerprint(), p.vc->fingerprint());
  EXPECT_EQ(p.v.s->peer_fingerprint(), p.cc->fingerprint());
  EXPECT_NE(p.c.s->cipher().find("ECDHE-ECDSA"), std::string::npos) << p.c.s->cipher();
  EXPECT_EQ(p.c.states, (std::vector<State>{State::Connecting, State::Connected}));
  EXPECT_EQ(p.c.s->next_timeout(), -1) << "no timer once connected";
}

TEST(DtlsSession, EveryProfileNegotiatesWithTheRightKeySizes) {
  for (auto prof : {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32,
                    SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm}) {
    Pair p({prof}, {SrtpProfile::AeadAes256Gcm, SrtpProfile::AeadAes128Gcm,
                    SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32});
    p.start();
    p.pump();
    ASSERT_EQ(p.c.s->state(), State::Connected) << openssl_name(prof);
    ASSERT_TRUE(p.c.s->srtp_keys());
    EXPECT_EQ(p.c.s->srtp_keys()->profile, prof);
    EXPECT_EQ(p.c.s->srtp_keys()->local.size(), master_key_len(prof) + master_salt_len(prof));
  }
}

TEST(DtlsSession, ServerPreferenceOrderWins) {
  Pair p({SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AeadAes256Gcm},
         {SrtpProfile::AeadAes256Gcm, SrtpProfile::AesCm128HmacSha1_80});
  p.start();
  p.pump();
  ASSERT_TRUE(p.c.s->srtp_keys());
  EXPECT_EQ(p.c.s->srtp_keys()->profile, SrtpProfile::AeadAes256Gcm);
}

TEST(DtlsSession, RsaClientAgainstEcdsaServer) {
  Pair p(kDefaultProfiles, kDefaultProfiles, true, true, KeyType::Rsa2048);
  p.start();
  p.pump();
  EXPECT_EQ(p.c.s->state(), State::Connected);
  EXPECT_EQ(p.v.s->state(), State::Connected);
}

TEST(DtlsSession, WrongFingerprintFailsAndNothingIsKeyed) {
  Pair p;
  auto other = cert();
  p.c.s->set_remote_fingerprints({{"sha-256", other->fingerprint()}});
  p.start();
  p.pump();
  EXPECT_EQ(p.c.s->state(), State::Failed);
  ASSERT_TRUE(p.c.s->error());
  EXPECT_EQ(p.c.s->error()->code, gstrtc::ErrorCode::FingerprintFailure);
  EXPECT_NE(p.c.s->error()->message.find(other->fingerprint()), std::string::npos);
  EXPECT_FALSE(p.c.s->srtp_keys());
  EXPECT_NE(p.v.s->state(), State::Connected) << "the server must not think it is connected";
  EXPECT_FALSE(p.c.s->send_app_data(std::vector<uint8_t>{1, 2, 3}));
}

TEST(DtlsSession, FingerprintArrivingAfterTheHandshakeIsCheckedThen) {
  Pair p(kDefaultProfiles, kDefaultProfiles, true, false);
  p.start();
  p.pump();
  EXPECT_EQ(p.c.s->state(), State::Connected);
  EXPECT_EQ(p.v.s->state(), State::Connecting) << "unverified: not connected";
  EXPECT_FALSE(p.v.s->srtp_keys());
  // Data sent now is held, not delivered, until the fingerprint is checked.
  ASSERT_TRUE(p.c.s->send_app_data(std::vector<uint8_t>{7, 7, 7}));
  p.pump();
  EXPECT_TRUE(p.v.app.empty());
  p.v.s->set_remote_fingerprints({{"sha-256", p.cc->fingerprint()}});
  EXPECT_EQ(p.v.s->state(), State::Connected);
  ASSERT_TRUE(p.v.s->srtp_keys());
  ASSERT_EQ(p.v.app.size(), 1u);
  EXPECT_EQ(p.v.app[0], (std::vector<uint8_t>{7, 7, 7}));
}

TEST(DtlsSession, LateWrongFingerprintFails) {
  Pair p(kDefaultProfiles, kDefaultProfiles, true, false);
  p.start();
  p.pump();
  ASSERT_TRUE(p.c.s->send_app_data(std::vector<uint8_t>{1}));
  p.pump();
  p.v.s->set_remote_fingerprints({{"sha-256", cert()->fingerprint()}});
  EXPECT_EQ(p.v.s->state(), State::Failed);
  EXPECT_EQ(p.v.s->error()->code, gstrtc::ErrorCode::FingerprintFailure);
  EXPECT_TRUE(p.v.app.empty()) << "nothing unauthenticated reaches the application";
  EXPECT_FALSE(p.v.s->srtp_keys());
}

TEST(DtlsSession, LostFlightIsRetransmitted) {
  Pair p;
  // Lose the server's first flight (ServerHello ... ServerHelloDone).
  p.wire = [](bool from_client, size_t, std::vector<uint8_t> &) { return from_client; };
  p.start();
  p.pump();
  p.wire = nullptr;
  ASSERT_EQ(p.c.s->state(), State::Connecting);
  int64_t due = p.c.s->next_timeout();
  ASSERT_GT(due, 0);
  p.c.s->handle_timeout(due - 1); // early: nothing
  EXPECT_EQ(p.c.s->counters().retransmissions, 0u);
  for (int i = 0; i < 20 && p.c.s->state() != State::Connected; i++) {
    g_usleep(60000); // OpenSSL also checks its own clock before retransmitting
    p.now = std::max(p.now + 60000, p.c.s->next_timeout());
    p.c.s->handle_timeout(p.now);
    p.v.s->handle_timeout(p.now);
    p.pump();
  }
  EXPECT_EQ(p.c.s->state(), State::Connected);
  EXPECT_EQ(p.v.s->state(), State::Connected);
  EXPECT_GE(p.c.s->counters().retransmissions + p.v.s->counters().retransmissions, 1u);
}

TEST(DtlsSession, ReorderedFlightStillCompletes) {
  Pair p;
  std::vector<std::vector<uint8_t>> held;
  // Deliver the server's datagrams of each flight in reverse order.
  p.wire = [&](bool from_client, size_t, std::vector<uint8_t> &d) {
    if (from_client)
      return true;
    held.push_back(d);
    return false;
  };
  p.start();
  for (int round = 0; round < 5; round++) {
    p.pump();
    for (auto it = held.rbegin(); it != held.rend(); ++it)
      p.c.inbox.push_back(*it);
    held.clear();
  }
  p.wire = nullptr;
  p.pump();
  EXPECT_EQ(p.c.s->state(), State::Connected);
  EXPECT_EQ(p.v.s->state(), State::Connected);
}

TEST(DtlsSession, GarbageAndTruncatedRecordsAreRejectedAndCounted) {
  Pair p;
  p.start();
  std::vector<std::vector<uint8_t>> junk = {
      {},
      {22, 0xfe, 0xfd},                                       // truncated header
      {22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200, 1, 2}, // length past the end
      {99, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},         // unknown content type
      {22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},         // TLS, not DTLS
  };
  for (auto &j : junk) {
    p.c.s->handle_datagram(j, p.now);
    p.v.s->handle_datagram(j, p.now);
  }
  EXPECT_EQ(p.c.s->counters().datagrams_rejected, junk.size());
  // A well-formed record with garbage inside is dropped by DTLS itself (RFC 6347 §4.1.2.7).
  std::vector<uint8_t> fake = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4};
  p.v.s->handle_datagram(fake, p.now);
  p.pump();
  EXPECT_EQ(p.c.s->state(), State::Connected);
  EXPECT_EQ(p.v.s->state(), State::Connected);
  p.v.s->handle_datagram(fake, p.now); // after the handshake too
  EXPECT_EQ(p.v.s->state(), State::Connected);
  EXPECT_TRUE(p.v.app.empty());
}

TEST(DtlsSession, ApplicationDataBothWaysAndLimits) {
  Pair p;
  p.start();
  p.pump();
  std::vector<uint8_t> msg(1000);
  for (size_t i = 0; i < msg.size(); i++)
    msg[i] = static_cast<uint8_t>(i * 7);
  ASSERT_TRUE(p.c.s->send_app_data(msg));
  ASSERT_TRUE(p.v.s->send_app_data(std::vector<uint8_t>{42}));
  p.pump();
  ASSERT_EQ(p.v.app.size(), 1u);
  EXPECT_EQ(p.v.app[0], msg);
  ASSERT_EQ(p.c.app.size(), 1u);
  auto too_big = p.c.s->send_app_data(std::vector<uint8_t>(1300));
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("exceeds the DTLS data MTU"), std::string::npos);
}

TEST(DtlsSession, CloseNotifyClosesThePeer) {
  Pair p;
  p.start();
  p.pump();
  p.c.s->close();
  EXPECT_EQ(p.c.s->state(), State::Closed);
  p.pump();
  EXPECT_EQ(p.v.s->state(), State::Closed);
}

TEST(DtlsSession, HandshakeGivesUpWhenThePeerNeverAnswers) {
  Pair p(kDefaultProfiles, kDefaultProfiles, true, true, KeyType::EcdsaP256, 10000, 20000);
  p.wire = [](bool, size_t, std::vector<uint8_t> &) { return false; };
  p.start();
  // Make OpenSSL's own timer look expired at each step by waiting for it, with the test clock
  // jumping ahead; give up once the session failed.
  for (int i = 0; i < 40 && p.c.s->state() == State::Connecting; i++) {
    int64_t due = p.c.s->next_timeout();
    ASSERT_GT(due, 0);
    g_usleep(static_cast<gulong>(due - p.now));
    p.now = due;
    p.c.s->handle_timeout(p.now);
  }
  EXPECT_EQ(p.c.s->state(), State::Failed);
  EXPECT_NE(p.c.s->error()->message.find("timed out"), std::string::npos);
}

TEST(DtlsSession, NoCommonSrtpProfileFails) {
  Pair p({SrtpProfile::AesCm128HmacSha1_32}, {SrtpProfile::AeadAes256Gcm});
  p.start();
  p.pump();
  EXPECT_EQ(p.v.s->state(), State::Failed);
  ASSERT_TRUE(p.v.s->error());
  EXPECT_NE(p.v.s->error()->message.find("no SRTP protection profile in common"), std::string::npos)
      << p.v.s->error()->message;
  EXPECT_NE(p.c.s->state(), State::Connected);
}

TEST(DtlsSession, DataOnlyWithoutSrtp) {
  Pair p({}, {});
  p.start();
  p.pump();
  EXPECT_EQ(p.c.s->state(), State::Connected);
  EXPECT_FALSE(p.c.s->srtp_keys());
  ASSERT_TRUE(p.c.s->send_app_data(std::vector<uint8_t>{1, 2}));
  p.pump();
  EXPECT_EQ(p.v.app.size(), 1u);
}
