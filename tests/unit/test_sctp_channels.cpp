// DCEP (RFC 8832) and the data channel layer, sans I/O: two ChannelSets joined by a wire that
// stands for the SCTP association (whole messages, in order, stream resets).
#include "sctp/channels.hpp"
#include "sctp/crc32c.hpp"
#include "sctp/dcep.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>

using namespace gstrtc;
using namespace gstrtc::sctp;

namespace {

std::vector<uint8_t> bytes(const std::string &s) {
  return {s.begin(), s.end()};
}

TEST(Dcep, OpenRoundTripsEveryChannelType) {
  for (bool ordered : {true, false})
    for (auto rel : {Reliability::Reliable, Reliability::PartialRexmit, Reliability::PartialTimed}) {
      ChannelParams p{"chat ✓", "x-proto", ordered, rel, 7, 512};
      auto m = write_open(p);
      ASSERT_EQ(m.size(), 12 + p.label.size() + p.protocol.size());
      EXPECT_EQ(m[0], 0x03);
      EXPECT_EQ(m[1], uint8_t(rel) | (ordered ? 0 : 0x80));
      auto r = parse_dcep(m);
      ASSERT_TRUE(r.ok()) << r.error().message;
      ASSERT_TRUE(r->open);
      const auto &q = r->open->params;
      EXPECT_EQ(q.label, p.label);
      EXPECT_EQ(q.protocol, p.protocol);
      EXPECT_EQ(q.ordered, ordered);
      EXPECT_EQ(q.reliability, rel);
      EXPECT_EQ(q.reliability_param, rel == Reliability::Reliable ? 0u : 7u);
      EXPECT_EQ(q.priority, 512);
    }
  auto ack = parse_dcep(write_ack());
  ASSERT_TRUE(ack.ok());
  EXPECT_FALSE(ack->open);
}

TEST(Dcep, MalformedMessagesAreRefusedWithTheReason) {
  auto why = [](std::vector<uint8_t> m) {
    auto r = parse_dcep(m);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message;
  };
  EXPECT_NE(why({}).find("empty"), std::string::npos);
  EXPECT_NE(why({0x07}).find("unknown DCEP message type 7"), std::string::npos);
  EXPECT_NE(why({0x03, 0, 0, 0}).find("shorter than its 12-byte header"), std::string::npos);
  EXPECT_NE(why({0x03, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).find("unknown channel type 5"),
            std::string::npos);
  // label length 10 with 2 bytes of label
  EXPECT_NE(why({0x03, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 'a', 'b'}).find("run past"),
            std::string::npos);
}

TEST(Dcep, PpidsOfUserMessages) {
  EXPECT_EQ(ppid_for(false, 3), Ppid::String);
  EXPECT_EQ(ppid_for(true, 3), Ppid::Binary);
  EXPECT_EQ(ppid_for(false, 0), Ppid::StringEmpty);
  EXPECT_EQ(ppid_for(true, 0), Ppid::BinaryEmpty);
  EXPECT_FALSE(user_kind(50));
  EXPECT_FALSE(user_kind(99));
  EXPECT_TRUE(user_kind(57)->empty && user_kind(57)->binary);
  EXPECT_TRUE(user_kind(54)->partial && !user_kind(54)->binary);
}

// The association stand-in: messages each way, in order; `capacity` messages fit before Full.
struct Wire : Transport {
  struct Msg {
    SendSpec spec;
    std::vector<uint8_t> data;
  };
  std::deque<Msg> out;
  std::vector<uint16_t> resets;
  size_t capacity = SIZE_MAX;
  SendResult send(const SendSpec &s, std::span<const uint8_t> d) override {
    if (out.size() >= capacity)
      return SendResult::Full;
    out.push_back(Msg{s, {d.begin(), d.end()}});
    return SendResult::Sent;
  }
  void reset_streams(std::span<const uint16_t> sids) override {
    resets.insert(resets.end(), sids.begin(), sids.end());
  }
};

struct Side {
  Wire wire;
  ChannelSet set;
  std::vector<Event> events;
  explicit Side(uint64_t max = 256 * 1024) : set(wire, max) {}
  void collect() { set.take_events(events); }
  template <typename T> std::vector<T> got() const {
    std::vector<T> v;
    for (auto &e : events)
      if (auto *x = std::get_if<T>(&e))
        v.push_back(*x);
    return v;
  }
};

// Moves everything each side sent to the other until nothing moves.
void pump(Side &a, Side &b) {
  for (int rounds = 0; rounds < 1000; rounds++) {
    bool moved = false;
    for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      while (!from->wire.out.empty()) {
        auto m = std::move(from->wire.out.front());
        from->wire.out.pop_front();
        to->set.on_data(m.spec.sid, m.spec.ppid, std::move(m.data), true);
        moved = true;
      }
      if (!from->wire.resets.empty()) {
        auto r = std::exchange(from->wire.resets, {});
        to->set.on_incoming_reset(r);
        moved = true;
      }
    }
    a.collect();
    b.collect();
    if (!moved)
      return;
  }
}

void connect(Side &a, Side &b) {
  a.set.set_dtls_role(true);
  b.set.set_dtls_role(false);
  a.set.on_connected(1024, 1024);
  b.set.on_connected(1024, 1024);
  pump(a, b);
}

TEST(Channels, InBandChannelOpensOnBothSidesAndCarriesEveryKindOfMessage) {
  Side a, b;
  ChannelParams p{"chat", "proto", true, Reliability::Reliable, 0, 256};
  auto ch = a.set.create({p, false, std::nullopt}); // before the association: no id yet
  ASSERT_TRUE(ch.ok());
  EXPECT_FALSE(a.set.sid(*ch));
  EXPECT_EQ(a.set.state(*ch), ChannelState::Connecting);
  connect(a, b);
  EXPECT_EQ(a.set.sid(*ch), 0); // DTLS client: even ids
  ASSERT_EQ(a.got<ev::Opened>().size(), 1u);
  auto in = b.got<ev::Incoming>();
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].params.label, "chat");
  EXPECT_EQ(in[0].params.protocol, "proto");
  EXPECT_EQ(in[0].sid, 0);
  ChannelId bch = in[0].ch;
  EXPECT_EQ(b.set.state(bch), ChannelState::Open);

  ASSERT_TRUE(a.set.send(*ch, bytes("hello"), false).ok());
  a.set.set_remote_max_message_size(256 * 1024); // over the 64 KiB assumed without SDP
  std::vector<uint8_t> bin(70000);
  for (size_t i = 0; i < bin.size(); i++)
    bin[i] = uint8_t(i * 7);
  ASSERT_TRUE(a.set.send(*ch, bin, true).ok());
  ASSERT_TRUE(a.set.send(*ch, {}, false).ok());
  ASSERT_TRUE(a.set.send(*ch, {}, true).ok());
  ASSERT_TRUE(b.set.send(bch, bytes("back"), false).ok());
  pump(a, b);
  auto got = b.got<ev::Message>();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].data, bytes("hello"));
  EXPECT_FALSE(got[0].binary);
  EXPECT_EQ(got[1].data, bin);
  EXPECT_TRUE(got[1].binary);
  EXPECT_TRUE(got[2].data.empty());
  EXPECT_FALSE(got[2].binary);
  EXPECT_TRUE(got[3].data.empty());
  EXPECT_TRUE(got[3].binary);
  auto back = a.got<ev::Message>();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].data, bytes("back"));
  EXPECT_EQ(a.set.messages_sent(), 4u);
  EXPECT_EQ(b.set.messages_received(), 4u);
  EXPECT_EQ(b.set.bytes_received(), 5u + 70000u);
}

TEST(Channels, StreamIdsFollowTheDtlsRoleAndCollisionsAreRefused) {
  Side a, b;
  connect(a, b);
  std::vector<uint16_t> mine, theirs;
  for (int i = 0; i < 3; i++) {
    mine.push_back(*a.set.sid(*a.set.create({{"a"}, false, std::nullopt})));
    theirs.push_back(*b.set.sid(*b.set.create({{"b"}, false, std::nullopt})));
  }
  EXPECT_EQ(mine, (std::vector<uint16_t>{0, 2, 4}));
  EXPECT_EQ(theirs, (std::vector<uint16_t>{1, 3, 5}));
  auto dup = a.set.create({{"x"}, true, uint16_t(2)});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("already in use"), std::string::npos);
  auto far = a.set.create({{"x"}, true, uint16_t(2000)});
  ASSERT_FALSE(far.ok());
  EXPECT_NE(far.error().message.find("max-channels 1024"), std::string::npos);
  EXPECT_FALSE(a.set.create({{"x"}, true, std::nullopt}).ok()); // negotiated without id
}

TEST(Channels, PreNegotiatedChannelsOpenWithoutDcep) {
  Side a, b;
  ChannelOptions o{{"neg", "", false, Reliability::PartialRexmit, 0}, true, uint16_t(9)};
  auto ca = a.set.create(o);
  auto cb = b.set.create(o);
  ASSERT_TRUE(ca.ok() && cb.ok());
  connect(a, b);
  EXPECT_EQ(a.got<ev::Opened>().size(), 1u);
  EXPECT_EQ(b.got<ev::Opened>().size(), 1u);
  EXPECT_TRUE(b.got<ev::Incoming>().empty());
  ASSERT_TRUE(a.set.send(*ca, bytes("x"), false).ok());
  ASSERT_EQ(a.wire.out.size(), 1u);
  EXPECT_EQ(a.wire.out[0].spec.sid, 9);
  EXPECT_FALSE(a.wire.out[0].spec.ordered);
  EXPECT_EQ(a.wire.out[0].spec.reliability, Reliability::PartialRexmit);
  pump(a, b);
  ASSERT_EQ(b.got<ev::Message>().size(), 1u);
  EXPECT_EQ(b.got<ev::Message>()[0].ch, *cb);
}

TEST(Channels, AFullTransportQueuesInOrderAndSignalsTheLowThreshold) {
  Side a, b;
  auto ch = a.set.create({{"bulk"}, true, uint16_t(0)});
  auto other = a.set.create({{"ctl"}, true, uint16_t(2)});
  b.set.create({{"bulk"}, true, uint16_t(0)});
  b.set.create({{"ctl"}, true, uint16_t(2)});
  connect(a, b);
  a.set.set_buffered_amount_low_threshold(*ch, 1000);
  a.wire.capacity = 2;
  for (int i = 0; i < 10; i++) {
    std::vector<uint8_t> m(1000, uint8_t(i));
    ASSERT_TRUE(a.set.send(*ch, m, true).ok()); // never refused: queued
  }
  ASSERT_TRUE(a.set.send(*other, bytes("urgent"), false).ok());
  EXPECT_EQ(a.set.buffered_amount(*ch), 8000u);
  EXPECT_EQ(a.set.buffered_amount(*other), 6u);
  // Drain two messages per round: the control channel's message goes out in the next turn,
  // not after the other eight.
  std::vector<uint16_t> order;
  for (int round = 0; round < 10 && !a.wire.out.empty(); round++) {
    while (!a.wire.out.empty()) {
      order.push_back(a.wire.out.front().spec.sid);
      b.set.on_data(a.wire.out.front().spec.sid, a.wire.out.front().spec.ppid,
                    a.wire.out.front().data, true);
      a.wire.out.pop_front();
    }
    a.set.on_writable();
  }
  ASSERT_EQ(order.size(), 11u);
  EXPECT_LE(std::find(order.begin(), order.end(), 2) - order.begin(), 3);
  a.collect();
  b.collect();
  EXPECT_EQ(a.set.buffered_amount(*ch), 0u);
  EXPECT_EQ(a.got<ev::BufferedLow>().size(), 2u); // bulk (crossed 1000) and ctl (6 -> 0)
  auto got = b.got<ev::Message>();
  ASSERT_EQ(got.size(), 11u);
  int next = 0;
  for (auto &m : got) {
    if (m.binary) {
      EXPECT_EQ(m.data[0], next++); // in order, none lost
    }
  }
  EXPECT_EQ(next, 10);
}

TEST(Channels, ClosingResetsTheStreamAfterQueuedDataAndBothSidesClose) {
  Side a, b;
  auto ch = a.set.create({{"c"}, false, std::nullopt});
  connect(a, b);
  ChannelId bch = b.got<ev::Incoming>().at(0).ch;
  a.wire.capacity = 0; // nothing leaves yet
  ASSERT_TRUE(a.set.send(*ch, bytes("last words"), false).ok());
  a.set.close(*ch);
  EXPECT_EQ(a.set.state(*ch), ChannelState::Closing);
  EXPECT_TRUE(a.wire.resets.empty()); // the queued message first
  EXPECT_FALSE(a.set.send(*ch, bytes("too late"), false).ok());
  a.wire.capacity = SIZE_MAX;
  a.set.on_writable();
  EXPECT_EQ(a.wire.resets, (std::vector<uint16_t>{0}));
  pump(a, b);
  ASSERT_EQ(b.got<ev::Message>().size(), 1u);
  EXPECT_EQ(b.got<ev::Message>()[0].data, bytes("last words"));
  EXPECT_EQ(b.got<ev::Closed>().size(), 1u);
  EXPECT_EQ(b.set.state(bch), ChannelState::Closed);
  EXPECT_EQ(a.got<ev::Closed>().size(), 1u); // b reset its side in answer
  EXPECT_EQ(a.set.state(*ch), ChannelState::Closed);
  // The id is free again, but the next channel takes the next one: a reset still on its way
  // for the old stream would close a channel given it at once (RFC 8831 §6.7).
  auto again = a.set.create({{"d"}, false, std::nullopt});
  EXPECT_EQ(a.set.sid(*again), 2);
  auto reuse = a.set.create({{"e"}, true, uint16_t(0)});
  ASSERT_TRUE(reuse) << "a negotiated channel may take the freed id";
  EXPECT_EQ(a.set.sid(*reuse), 0);
}

TEST(Channels, BadInputIsAnErrorOnThatChannelOnly) {
  Side a(1000), b;
  auto c1 = a.set.create({{"one"}, true, uint16_t(0)});
  auto c2 = a.set.create({{"two"}, true, uint16_t(2)});
  a.set.set_dtls_role(true);
  a.set.on_connected(16, 16);
  a.collect();
  auto errors_on = [&](ChannelId ch) {
    size_t n = 0;
    for (auto &e : a.got<ev::Error>())
      n += e.ch == ch;
    return n;
  };
  a.set.on_data(0, 50, std::vector<uint8_t>{0x03, 0}, true); // malformed DCEP
  a.set.on_data(0, 99, bytes("?"), true);                    // unknown PPID
  a.set.on_data(0, 51, std::vector<uint8_t>(1001, 'x'), true); // over max-message-size
  a.set.on_data(0, 51, std::vector<uint8_t>(600, 'y'), false); // the same, in pieces
  a.set.on_data(0, 51, std::vector<uint8_t>(600, 'y'), true);
  a.set.on_data(7, 51, bytes("nobody"), true); // a stream with no channel
  a.set.on_data(2, 50, write_open({"dup"}), true); // OPEN on a stream in use
  a.set.on_data(2, 51, bytes("fine"), true);
  a.set.on_data(0, 51, std::vector<uint8_t>(400, 'z'), false); // pieces within the limit
  a.set.on_data(0, 51, std::vector<uint8_t>(400, 'z'), true);
  a.collect();
  EXPECT_EQ(errors_on(*c1), 4u);
  EXPECT_EQ(errors_on(*c2), 1u);
  EXPECT_EQ(errors_on(0), 1u);
  for (auto &e : a.got<ev::Error>())
    EXPECT_FALSE(e.message.empty());
  auto msgs = a.got<ev::Message>();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].ch, *c2);
  EXPECT_EQ(msgs[0].data, bytes("fine"));
  EXPECT_EQ(msgs[1].data, std::vector<uint8_t>(800, 'z'));
  EXPECT_EQ(a.set.state(*c1), ChannelState::Open);

  a.set.set_remote_max_message_size(100);
  auto big = a.set.send(*c1, std::vector<uint8_t>(101), true);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::TypeError);
  EXPECT_NE(big.error().message.find("max-message-size of 100"), std::string::npos);
  a.set.close(*c1);
  auto closed = a.set.send(*c1, bytes("x"), false);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, ErrorCode::InvalidState);
}

TEST(Channels, DataBeforeTheAckOpensTheChannel) {
  Side a;
  auto ch = a.set.create({{"early"}, false, std::nullopt});
  a.set.set_dtls_role(false);
  a.set.on_connected(16, 16);
  EXPECT_EQ(a.set.sid(*ch), 1);
  a.set.on_data(1, 51, bytes("hi"), true);
  a.collect();
  EXPECT_EQ(a.got<ev::Opened>().size(), 1u);
  ASSERT_EQ(a.got<ev::Message>().size(), 1u);
  a.set.on_data(1, 50, write_ack(), true); // the late ACK is not an error
  a.collect();
  EXPECT_TRUE(a.got<ev::Error>().empty());
}

TEST(Channels, TheAssociationGoingDownClosesEveryChannel) {
  Side a, b;
  auto c1 = a.set.create({{"x"}, false, std::nullopt});
  auto c2 = a.set.create({{"y"}, true, uint16_t(10)});
  connect(a, b);
  a.set.on_disconnected("SCTP association lost");
  a.collect();
  EXPECT_EQ(a.got<ev::Closed>().size(), 2u);
  EXPECT_EQ(a.got<ev::Error>().size(), 2u);
  EXPECT_EQ(a.set.state(*c1), ChannelState::Closed);
  EXPECT_EQ(a.set.state(*c2), ChannelState::Closed);
}

} // namespace

// RFC 9260 §6.8 checksum: known values (RFC 3720 Appendix B.4 and the usual check string),
// the CRC32 instruction against the tables, and a packet sealed then checked.
TEST(SctpChecksum, KnownValuesAndBothImplementationsAgree) {
  std::vector<uint8_t> zeros(32, 0), ones(32, 0xff), inc(32);
  for (size_t i = 0; i < inc.size(); i++)
    inc[i] = uint8_t(i);
  const std::string check = "123456789";
  std::span<const uint8_t> chk{reinterpret_cast<const uint8_t *>(check.data()), check.size()};
  EXPECT_EQ(gstrtc::sctp::crc32c(zeros), 0x8a9136aau);
  EXPECT_EQ(gstrtc::sctp::crc32c(ones), 0x62a8ab43u);
  EXPECT_EQ(gstrtc::sctp::crc32c(inc), 0x46dd794eu);
  EXPECT_EQ(gstrtc::sctp::crc32c(chk), 0xe3069283u);
  EXPECT_EQ(gstrtc::sctp::crc32c_portable(chk), 0xe3069283u);
  // Continuing a CRC equals computing it at once.
  EXPECT_EQ(gstrtc::sctp::crc32c(chk.subspan(4), gstrtc::sctp::crc32c(chk.first(4))), 0xe3069283u);
  std::mt19937 rng(7);
  for (size_t n : {0, 1, 7, 8, 9, 63, 1200, 1201, 65536}) {
    std::vector<uint8_t> v(n);
    for (auto &x : v)
      x = uint8_t(rng());
    EXPECT_EQ(gstrtc::sctp::crc32c(v), gstrtc::sctp::crc32c_portable(v)) << n;
  }
}

TEST(SctpChecksum, SealedPacketsCheckAndAnyFlippedBitIsCaught) {
  std::vector<uint8_t> pkt(300);
  std::mt19937 rng(11);
  for (auto &x : pkt)
    x = uint8_t(rng());
  gstrtc::sctp::sctp_seal(pkt);
  EXPECT_TRUE(gstrtc::sctp::sctp_checksum_ok(pkt));
  // The field holds the CRC of the packet with the field zeroed, least significant byte first.
  std::vector<uint8_t> zeroed = pkt;
  std::fill(zeroed.begin() + 8, zeroed.begin() + 12, 0);
  uint32_t c = gstrtc::sctp::crc32c(zeroed);
  EXPECT_EQ(pkt[8], uint8_t(c));
  EXPECT_EQ(pkt[11], uint8_t(c >> 24));
  for (size_t bit = 0; bit < pkt.size() * 8; bit += 37) {
    pkt[bit / 8] ^= uint8_t(1u << (bit % 8));
    EXPECT_FALSE(gstrtc::sctp::sctp_checksum_ok(pkt)) << bit;
    pkt[bit / 8] ^= uint8_t(1u << (bit % 8));
  }
  EXPECT_FALSE(gstrtc::sctp::sctp_checksum_ok(std::span<const uint8_t>(pkt).first(11)));
}
