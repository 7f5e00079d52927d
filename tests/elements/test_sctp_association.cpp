// Two SCTP associations over usrsctp's AF_CONN, joined by an in-memory wire with a delivery
// thread (optionally losing and reordering packets), each with its data channel layer on top:
// the way rtcsctpenc/dec use them, without DTLS and pipelines.
#include "sctp/association.hpp"
#include "sctp/channels.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <random>
#include <thread>

using namespace gstrtc;
using namespace gstrtc::sctp;
using namespace std::chrono_literals;

namespace {

struct Peer;

// Packets between the two peers, delivered by one thread; loss and reordering on demand.
struct Wire {
  std::mutex lock;
  std::condition_variable cv;
  std::deque<std::pair<Peer *, std::vector<uint8_t>>> q;
  std::vector<Peer *> wake;
  bool stop = false;
  double loss = 0;
  double corrupt = 0; // share of packets with one byte flipped after the common header
  bool reorder = false;
  std::mt19937 rng{42};
  uint64_t dropped = 0, delivered = 0, corrupted = 0;
  size_t largest = 0; // packet, in bytes: never over the association's MTU (1200)
  std::thread th;

  void send(Peer *to, std::span<const uint8_t> p) {
    std::lock_guard lk(lock);
    largest = std::max(largest, p.size());
    if (loss > 0 && std::uniform_real_distribution<>(0, 1)(rng) < loss) {
      dropped++;
      return;
    }
    std::vector<uint8_t> copy(p.begin(), p.end());
    if (corrupt > 0 && copy.size() > 12 && std::uniform_real_distribution<>(0, 1)(rng) < corrupt) {
      copy[12 + rng() % (copy.size() - 12)] ^= 0x20;
      corrupted++;
    }
    if (reorder && !q.empty() && rng() % 10 == 0) // every tenth packet jumps one ahead
      q.insert(q.end() - 1, {to, std::move(copy)});
    else
      q.emplace_back(to, std::move(copy));
    cv.notify_one();
  }
  void wakeup(Peer *p) {
    std::lock_guard lk(lock);
    wake.push_back(p);
    cv.notify_one();
  }
  void start();
  void finish() {
    {
      std::lock_guard lk(lock);
      stop = true;
    }
    cv.notify_one();
    if (th.joinable())
      th.join();
  }
};

struct Peer {
  Wire &wire;
  Peer *other = nullptr;
  std::mutex lock; // the owner's lock: association calls and the channel layer
  std::unique_ptr<Association> assoc;
  std::unique_ptr<ChannelSet> set;
  std::vector<Event> events;
  std::condition_variable changed;

  Peer(Wire &w, uint64_t max_message = 4 << 20) : wire(w) {
    auto a = Association::create(
        {},
        [this](Association::Packets ps) {
          for (auto p : ps)
            wire.send(other, p);
        },
        [this] { wire.wakeup(this); });
    EXPECT_TRUE(a.ok()) << a.error().message;
    assoc = std::move(*a);
    set = std::make_unique<ChannelSet>(*assoc, max_message);
  }
  // Lock held.
  void drain() {
    std::vector<Item> items;
    assoc->take(items);
    for (auto &it : items) {
      if (auto *d = std::get_if<item::Data>(&it))
        set->on_data(d->sid, d->ppid, std::move(d->bytes), d->eor);
      else if (auto *u = std::get_if<item::Up>(&it))
        set->on_connected(u->outbound, u->inbound);
      else if (auto *dn = std::get_if<item::Down>(&it))
        set->on_disconnected(dn->why);
      else if (auto *r = std::get_if<item::IncomingReset>(&it))
        set->on_incoming_reset(r->sids);
      else
        set->on_writable();
    }
    set->take_events(events);
    changed.notify_all();
  }
  void input(const std::vector<uint8_t> &p) {
    std::lock_guard lk(lock);
    assoc->handle_packet(p);
    drain();
  }
  template <typename F> auto with(F f) {
    std::lock_guard lk(lock);
    auto r = f(*set);
    drain();
    return r;
  }
  // Waits until pred(events) holds (lock held while testing).
  template <typename P> bool wait(P pred, std::chrono::milliseconds t = 10s) {
    std::unique_lock lk(lock);
    return changed.wait_for(lk, t, [&] { return pred(events); });
  }
};

void Wire::start() {
  th = std::thread([this] {
    std::unique_lock lk(lock);
    while (true) {
      cv.wait(lk, [&] { return stop || !q.empty() || !wake.empty(); });
      if (stop)
        return;
      auto w = std::exchange(wake, {});
      if (!q.empty()) {
        auto [to, p] = std::move(q.front());
        q.pop_front();
        delivered++;
        lk.unlock();
        to->input(p);
        lk.lock();
      }
      lk.unlock();
      for (Peer *p : w) {
        std::lock_guard pl(p->lock);
        p->drain();
      }
      lk.lock();
    }
  });
}

template <typename T> size_t count(const std::vector<Event> &ev) {
  return std::count_if(ev.begin(), ev.end(), [](auto &e) { return std::holds_alternative<T>(e); });
}

struct Pair {
  Wire wire;
  std::unique_ptr<Peer> a, b;
  Pair() {
    a = std::make_unique<Peer>(wire);
    b = std::make_unique<Peer>(wire);
    a->other = b.get();
    b->other = a.get();
    wire.start();
    // As the SDP would say: a=max-message-size:4194304 each way.
    a->with([](ChannelSet &s) { return (s.set_dtls_role(true), s.set_remote_max_message_size(4 << 20), 0); });
    b->with([](ChannelSet &s) { return (s.set_dtls_role(false), s.set_remote_max_message_size(4 << 20), 0); });
    EXPECT_TRUE(a->with([&](ChannelSet &) { return a->assoc->connect().ok(); }));
    EXPECT_TRUE(b->with([&](ChannelSet &) { return b->assoc->connect().ok(); }));
  }
  ~Pair() {
    wire.finish();
    // What goes to DTLS must fit one record (RFC 8261 §5), whatever usrsctp bundles.
    EXPECT_LE(wire.largest, AssociationConfig{}.mtu);
    a.reset();
    b.reset();
  }
  ChannelId open(ChannelParams p, ChannelId *remote) {
    auto ch = a->with([&](ChannelSet &s) { return s.create({p, false, std::nullopt}); });
    EXPECT_TRUE(ch.ok());
    EXPECT_TRUE(a->wait([&](auto &ev) {
      for (auto &e : ev)
        if (auto *o = std::get_if<ev::Opened>(&e); o && o->ch == *ch)
          return true;
      return false;
    }));
    EXPECT_TRUE(b->wait([&](auto &ev) {
      for (auto &e : ev)
        if (auto *in = std::get_if<ev::Incoming>(&e); in && in->params.label == p.label) {
          *remote = in->ch;
          return true;
        }
      return false;
    }));
    return *ch;
  }
};

std::vector<uint8_t> pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  std::mt19937 r(seed);
  for (auto &x : v)
    x = uint8_t(r());
  return v;
}

TEST(SctpAssociation, ThousandMixedMessagesEchoedByteExactAndAMebibyteMessage) {
  Pair p;
  ChannelId rb = 0;
  ChannelId ca = p.open({"echo", "", true}, &rb);
  std::mt19937 rng(7);
  std::vector<std::vector<uint8_t>> sent;
  for (int i = 0; i < 1000; i++) {
    size_t size = i % 50 == 0 ? 256 * 1024 : rng() % 3000; // 0 included
    auto m = pattern(size, i);
    bool binary = i % 2;
    ASSERT_TRUE(p.a->with([&](ChannelSet &s) { return s.send(ca, m, binary).ok(); }));
    sent.push_back(std::move(m));
  }
  auto big = pattern(1 << 20, 99);
  ASSERT_TRUE(p.a->with([&](ChannelSet &s) { return s.send(ca, big, true).ok(); }));
  // b echoes what it gets as it gets it.
  size_t echoed = 0;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (echoed < 1001 && std::chrono::steady_clock::now() < deadline) {
    p.b->wait([&](auto &ev) { return count<ev::Message>(ev) > echoed; }, 1s);
    std::lock_guard lk(p.b->lock);
    size_t seen = 0;
    for (auto &e : p.b->events)
      if (auto *m = std::get_if<ev::Message>(&e); m && seen++ >= echoed) {
        EXPECT_TRUE(p.b->set->send(rb, m->data, m->binary).ok());
        echoed++;
      }
    p.b->drain();
  }
  ASSERT_EQ(echoed, 1001u);
  ASSERT_TRUE(p.a->wait([](auto &ev) { return count<ev::Message>(ev) == 1001; }, 60s));
  std::lock_guard lk(p.a->lock);
  size_t i = 0;
  for (auto &e : p.a->events)
    if (auto *m = std::get_if<ev::Message>(&e)) {
      const auto &want = i < 1000 ? sent[i] : big;
      ASSERT_EQ(m->data, want) << "message " << i;
      EXPECT_EQ(m->binary, i < 1000 ? bool(i % 2) : true);
      i++;
    }
}

TEST(SctpAssociation, UnorderedAndNoRetransmitChannelsDeliverAndCloseIsSeenByThePeer) {
  Pair p;
  ChannelId ru = 0, rr = 0;
  ChannelId cu = p.open({"unordered", "", false}, &ru);
  ChannelId cr = p.open({"rexmit0", "", true, Reliability::PartialRexmit, 0}, &rr);
  {
    std::lock_guard lk(p.b->lock);
    EXPECT_FALSE(p.b->set->options(ru)->params.ordered);
    EXPECT_EQ(p.b->set->options(rr)->params.reliability, Reliability::PartialRexmit);
  }
  for (int i = 0; i < 100; i++) {
    p.a->with([&](ChannelSet &s) { return s.send(cu, pattern(500, i), true).ok(); });
    p.a->with([&](ChannelSet &s) { return s.send(cr, pattern(500, i), true).ok(); });
  }
  ASSERT_TRUE(p.b->wait([](auto &ev) { return count<ev::Message>(ev) == 200; }));
  // b closes its end of the unordered channel: a sees it closed, the other stays open.
  p.b->with([&](ChannelSet &s) { return (s.close(ru), 0); });
  ASSERT_TRUE(p.a->wait([&](auto &ev) {
    for (auto &e : ev)
      if (auto *c = std::get_if<ev::Closed>(&e); c && c->ch == cu)
        return true;
    return false;
  }));
  EXPECT_TRUE(p.b->wait([&](auto &) { return p.b->set->state(ru) == ChannelState::Closed; }));
  EXPECT_TRUE(p.a->with([&](ChannelSet &s) { return s.send(cr, pattern(10, 1), false).ok(); }));
  EXPECT_FALSE(p.a->with([&](ChannelSet &s) { return s.send(cu, pattern(10, 1), false).ok(); }));
}

// Sends `total` bytes from a on `ca` in messages of `msg` bytes, each with its own pattern.
void send_all(Pair &p, ChannelId ca, size_t total, size_t msg) {
  for (size_t off = 0; off < total; off += msg)
    ASSERT_TRUE(p.a->with([&](ChannelSet &s) { return s.send(ca, pattern(msg, off), true).ok(); }));
}

// b's messages are send_all's, in order and byte-exact. b's lock held.
void check_all(Pair &p, size_t total, size_t msg) {
  size_t off = 0;
  for (auto &e : p.b->events)
    if (auto *m = std::get_if<ev::Message>(&e)) {
      ASSERT_EQ(m->data, pattern(msg, off)) << "at " << off;
      off += msg;
    }
  EXPECT_EQ(off, total);
}

TEST(SctpAssociation, ReliableDataSurvivesLossAndReordering) {
  Pair p;
  ChannelId rb = 0;
  ChannelId ca = p.open({"bulk"}, &rb);
  {
    std::lock_guard lk(p.wire.lock);
    p.wire.loss = 0.05;
    p.wire.reorder = true;
  }
  constexpr size_t kTotal = 8 << 20, kMsg = 64 * 1024;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(send_all(p, ca, kTotal, kMsg));
  bool all = p.b->wait([](auto &ev) { return count<ev::Message>(ev) == kTotal / kMsg; }, 30s);
  if (!all) {
    std::lock_guard lk(p.b->lock);
    std::printf("received %zu of %zu; a buffered %llu; dropped %llu delivered %llu\n",
                count<ev::Message>(p.b->events), kTotal / kMsg,
                (unsigned long long)p.a->set->buffered_amount(ca),
                (unsigned long long)p.wire.dropped, (unsigned long long)p.wire.delivered);
    for (auto &e : p.b->events)
      if (auto *er = std::get_if<ev::Error>(&e))
        std::printf("b error: %s\n", er->message.c_str());
  }
  ASSERT_TRUE(all);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::lock_guard lk(p.b->lock);
  ASSERT_NO_FATAL_FAILURE(check_all(p, kTotal, kMsg));
  EXPECT_GT(p.wire.dropped, 0u);
  std::printf("8 MiB with 5%% loss and reordering: %.2f s, %.1f MB/s, %llu packets dropped\n",
              secs, kTotal / secs / 1e6, (unsigned long long)p.wire.dropped);
}

// RFC 9260 §8.5: a packet damaged below SCTP is dropped on its checksum (ours, usrsctp's being
// switched off) and retransmitted; the data arrives intact.
TEST(SctpAssociation, CorruptedPacketsAreDroppedOnTheirChecksumAndDataArrivesIntact) {
  Pair p;
  ChannelId rb = 0;
  ChannelId ca = p.open({"bulk"}, &rb);
  {
    std::lock_guard lk(p.wire.lock);
    p.wire.corrupt = 0.02;
  }
  constexpr size_t kTotal = 2 << 20, kMsg = 16 * 1024;
  ASSERT_NO_FATAL_FAILURE(send_all(p, ca, kTotal, kMsg));
  ASSERT_TRUE(p.b->wait([](auto &ev) { return count<ev::Message>(ev) == kTotal / kMsg; }, 30s));
  std::lock_guard lk(p.b->lock);
  ASSERT_NO_FATAL_FAILURE(check_all(p, kTotal, kMsg));
  std::lock_guard wl(p.wire.lock);
  EXPECT_GT(p.wire.corrupted, 0u);
  EXPECT_GT(p.b->assoc->bad_checksums(), 0u); // most packets are data, a to b
  // Every damaged packet delivered was caught (a few may still be queued).
  EXPECT_LE(p.b->assoc->bad_checksums() + p.a->assoc->bad_checksums(), p.wire.corrupted);
  EXPECT_GE(p.b->assoc->bad_checksums() + p.a->assoc->bad_checksums() + 4, p.wire.corrupted);
}

// Many small messages at once are bundled, several chunks to a packet (I-DATA's headers are
// larger than DATA's): the packets still fit the MTU (checked by Pair).
TEST(SctpAssociation, BundledSmallMessagesFitTheMtu) {
  Pair p;
  ChannelId rb = 0;
  ChannelId ca = p.open({"small"}, &rb);
  constexpr size_t kCount = 3000;
  for (size_t i = 0; i < kCount; i++)
    ASSERT_TRUE(
        p.a->with([&](ChannelSet &s) { return s.send(ca, pattern(1 + i % 40, i), true).ok(); }));
  ASSERT_TRUE(p.b->wait([](auto &ev) { return count<ev::Message>(ev) == kCount; }, 30s));
  std::lock_guard lk(p.b->lock);
  size_t i = 0;
  for (auto &e : p.b->events)
    if (auto *m = std::get_if<ev::Message>(&e)) {
      ASSERT_EQ(m->data, pattern(1 + i % 40, i)) << "message " << i;
      i++;
    }
}

TEST(SctpAssociation, UsrsctpComesBackAfterTheLastAssociationWent) {
  for (int round = 0; round < 3; round++) {
    Pair p;
    ChannelId rb = 0;
    ChannelId ca = p.open({"again"}, &rb);
    ASSERT_TRUE(p.a->with([&](ChannelSet &s) { return s.send(ca, pattern(100, 1), false).ok(); }));
    ASSERT_TRUE(p.b->wait([](auto &ev) { return count<ev::Message>(ev) == 1; }));
  }
}

} // namespace
