#include "sctp/association.hpp"
#include "sctp/crc32c.hpp"

#include <usrsctp.h>

#include <arpa/inet.h>
#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace gstrtc::sctp {

namespace {
constexpr size_t kMaxBatch = 64; // packets per Output call (a UDP GSO send takes 64)
} // namespace

// Not in usrsctp 0.9.5's header (RFC 8260 I-DATA; FreeBSD's value).
#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x00001206
#endif

// What usrsctp's callbacks point at. usrsctp may still call back with it after the socket is
// closed (timers of a lingering association, usrsctp issue #405), so it lives until usrsctp
// is finished; the Association detaches from it under `lock` when it goes.
struct Conn {
  std::mutex lock; // held while calling into owner
  Association *owner = nullptr;

  static int output(void *addr, void *buf, size_t len, uint8_t, uint8_t) {
    auto *c = static_cast<Conn *>(addr);
    std::lock_guard lk(c->lock);
    if (!c->owner)
      return 0;
    // usrsctp leaves the checksum to us (offload) and hands over a copy we may write.
    std::span<uint8_t> packet{static_cast<uint8_t *>(buf), len};
    sctp_seal(packet);
    c->owner->on_output(packet);
    return 0;
  }
  static int receive(struct socket *, union sctp_sockstore, void *data, size_t len,
                     struct sctp_rcvinfo rcv, int flags, void *ulp) {
    auto *c = static_cast<Conn *>(ulp);
    std::lock_guard lk(c->lock);
    if (c->owner)
      c->owner->on_receive(data, len, rcv.rcv_sid, ntohl(rcv.rcv_ppid), flags);
    free(data); // usrsctp hands the buffer over
    return 1;
  }
  static int send_space(struct socket *, uint32_t, void *ulp) {
    auto *c = static_cast<Conn *>(ulp);
    std::lock_guard lk(c->lock);
    if (c->owner)
      c->owner->on_writable();
    return 0;
  }
};

namespace {

// The process's usrsctp: initialised while any association exists, its timers ticked by one
// thread of ours (usrsctp_init would also open raw SCTP sockets with threads when root).
struct Usrsctp {
  std::mutex life; // refs, conns, init and the timer thread's start and stop
  int refs = 0;
  bool initialised = false;
  std::vector<std::shared_ptr<Conn>> conns; // until usrsctp_finish: see Conn
  std::thread timer;
  std::mutex tick_lock;
  std::condition_variable tick_cv;
  bool stop = false;

  void tick_loop() {
    pthread_setname_np(pthread_self(), "rtc-sctp");
    using clock = std::chrono::steady_clock;
    auto last = clock::now();
    std::unique_lock lk(tick_lock);
    while (!stop) {
      tick_cv.wait_for(lk, std::chrono::milliseconds(10));
      if (stop)
        break;
      lk.unlock();
      auto now = clock::now();
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - last).count();
      if (ms > 0) {
        usrsctp_handle_timers(uint32_t(ms));
        last += std::chrono::milliseconds(ms);
      }
      lk.lock();
    }
  }

  void configure() {
    usrsctp_sysctl_set_sctp_ecn_enable(0);
    usrsctp_sysctl_set_sctp_pr_enable(1); // RFC 3758 partial reliability
    usrsctp_sysctl_set_sctp_blackhole(2); // no ABORT for out-of-the-blue packets
    // Room for a fast path with realistic round trips (the 256 KiB default caps throughput).
    usrsctp_sysctl_set_sctp_sendspace(1024 * 1024);
    usrsctp_sysctl_set_sctp_recvspace(1024 * 1024);
    usrsctp_sysctl_set_sctp_max_chunks_on_queue(10 * 1024);
    usrsctp_sysctl_set_sctp_initial_cwnd(10); // RFC 6928
    usrsctp_sysctl_set_sctp_max_burst_default(10);
    usrsctp_sysctl_set_sctp_default_cc_module(0); // RFC 4960 congestion control
    usrsctp_sysctl_set_sctp_delayed_sack_time_default(20);
    usrsctp_sysctl_set_sctp_rto_min_default(200);
    usrsctp_sysctl_set_sctp_rto_max_default(10000);
    usrsctp_sysctl_set_sctp_rto_initial_default(1000);
    usrsctp_sysctl_set_sctp_init_rtx_max_default(5);
    usrsctp_sysctl_set_sctp_assoc_rtx_max_default(5);
    usrsctp_sysctl_set_sctp_path_rtx_max_default(5);
    // Level 2: pieces of messages of different streams may interleave (needed for I-DATA).
    usrsctp_sysctl_set_sctp_default_frag_interleave(2);
    // RFC 9260 §6.8: the checksum is computed and checked by us (crc32c.hpp), with the CPU's
    // CRC32 instruction instead of usrsctp's tables.
    usrsctp_enable_crc32c_offload();
  }

  void acquire(std::shared_ptr<Conn> c) {
    std::lock_guard lk(life);
    if (!initialised) {
      usrsctp_init_nothreads(0, &Conn::output, nullptr);
      configure();
      initialised = true;
    }
    conns.push_back(std::move(c));
    if (refs++ == 0) {
      stop = false;
      timer = std::thread([this] { tick_loop(); });
    }
  }

  void release() {
    std::lock_guard lk(life);
    if (--refs > 0)
      return;
    {
      std::lock_guard tl(tick_lock);
      stop = true;
    }
    tick_cv.notify_all();
    timer.join();
    // Closed sockets may need a few ticks to go; if usrsctp will not finish, it stays
    // initialised for the next user.
    for (int i = 0; i < 20; i++) {
      if (usrsctp_finish() == 0) {
        initialised = false;
        conns.clear();
        return;
      }
      usrsctp_handle_timers(10);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
};

Usrsctp &usrsctp() {
  static auto *u = new Usrsctp; // never destroyed: callbacks may run during exit
  return *u;
}

// The Association whose usrsctp call this thread is in: its callbacks need no wake-up, and
// its packets are batched.
thread_local const Association *t_driving = nullptr;

template <typename T> bool set_opt(struct socket *s, int level, int name, const T &v) {
  return usrsctp_setsockopt(s, level, name, &v, sizeof(v)) == 0;
}

std::string errno_text(const char *what) {
  return std::string(what) + ": " + std::strerror(errno);
}

} // namespace

class Association::Driving {
public:
  explicit Driving(Association *a) : a_(a), prev_(t_driving) { t_driving = a; }
  ~Driving() {
    t_driving = prev_;
    if (prev_ != a_)
      a_->flush_output();
  }

private:
  Association *a_;
  const Association *prev_;
};

Association::Association(const AssociationConfig &cfg, Output out, Wakeup wakeup)
    : cfg_(cfg), out_(std::move(out)), wakeup_(std::move(wakeup)),
      conn_(std::make_shared<Conn>()) {
  conn_->owner = this;
  usrsctp().acquire(conn_);
}

Result<std::unique_ptr<Association>> Association::create(const AssociationConfig &cfg,
                                                         Output out, Wakeup wakeup) {
  std::unique_ptr<Association> a(new Association(cfg, std::move(out), std::move(wakeup)));
  if (auto s = a->setup(); !s)
    return s.error();
  return a;
}

Status Association::setup() {
  usrsctp_register_address(conn_.get());
  sock_ = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, &Conn::receive, &Conn::send_space,
                         0, conn_.get());
  if (!sock_)
    return Error{ErrorCode::OperationError, errno_text("usrsctp_socket")};
  usrsctp_set_non_blocking(sock_, 1);
  struct linger lg{1, 0}; // close aborts: nothing is sent once the transport below is gone
  struct sctp_assoc_value reset{SCTP_FUTURE_ASSOC, SCTP_ENABLE_RESET_STREAM_REQ};
  struct sctp_initmsg init{cfg_.streams, cfg_.streams, 0, 0};
  struct sctp_assoc_value ss{SCTP_FUTURE_ASSOC, SCTP_SS_ROUND_ROBIN};
  int one = 1, two = 2;
  bool ok = set_opt(sock_, SOL_SOCKET, SO_LINGER, lg) &&
            set_opt(sock_, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, reset) &&
            set_opt(sock_, IPPROTO_SCTP, SCTP_NODELAY, one) && // RFC 8831 §6.6: no Nagle
            set_opt(sock_, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, one) &&
            set_opt(sock_, IPPROTO_SCTP, SCTP_RECVRCVINFO, one) &&
            set_opt(sock_, IPPROTO_SCTP, SCTP_INITMSG, init) &&
            set_opt(sock_, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, two) &&
            set_opt(sock_, IPPROTO_SCTP, SCTP_PLUGGABLE_SS, ss); // fair among channels
  for (uint16_t e : {SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT}) {
    struct sctp_event ev{};
    ev.se_assoc_id = SCTP_ALL_ASSOC;
    ev.se_type = e;
    ev.se_on = 1;
    ok = ok && set_opt(sock_, IPPROTO_SCTP, SCTP_EVENT, ev);
  }
  if (!ok)
    return Error{ErrorCode::OperationError, errno_text("configuring the SCTP socket")};
  // RFC 8260 I-DATA, offered: with a peer that supports it too, a large message does not hold
  // up other streams on the wire.
  struct sctp_assoc_value idata{SCTP_FUTURE_ASSOC, 1};
  set_opt(sock_, IPPROTO_SCTP, SCTP_INTERLEAVING_SUPPORTED, idata);
  // No path MTU discovery in usrsctp: packets sized for DTLS over any path.
  // usrsctp's packets may come out a few bytes over the path MTU it is given (9 measured, with
  // I-DATA): it is told less, so that no packet exceeds cfg_.mtu.
  // Heartbeats every second or two (RFC 9260 §8.3): an idle data-only session has no RTCP,
  // and the ICE transport takes silence for a lost peer (its consent check, RFC 7675, only
  // hears inbound datagrams); the peer's HEARTBEAT ACKs are that sign of life.
  constexpr size_t kUsrsctpSlack = 32;
  struct sctp_paddrparams pp{};
  pp.spp_flags = SPP_PMTUD_DISABLE | SPP_HB_ENABLE;
  pp.spp_hbinterval = 1000; // ms, plus one RTO with jitter
  pp.spp_pathmtu = uint32_t(cfg_.mtu > 2 * kUsrsctpSlack ? cfg_.mtu - kUsrsctpSlack : cfg_.mtu);
  set_opt(sock_, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, pp);
  // RFC 9260 §16's RTO.min of 1 s stalls a loaded association for a second on each lost
  // retransmission; browsers' stacks use a few hundred ms (the path is one ICE pair).
  struct sctp_rtoinfo rto{};
  rto.srto_initial = 1000;
  rto.srto_min = 200;
  rto.srto_max = 10000;
  set_opt(sock_, IPPROTO_SCTP, SCTP_RTOINFO, rto);

  struct sockaddr_conn local{};
  local.sconn_family = AF_CONN;
  local.sconn_port = htons(cfg_.local_port);
  local.sconn_addr = conn_.get();
  if (usrsctp_bind(sock_, reinterpret_cast<struct sockaddr *>(&local), sizeof(local)) < 0)
    return Error{ErrorCode::OperationError, errno_text("usrsctp_bind")};
  return Ok{};
}

Association::~Association() {
  if (sock_) {
    Driving d(this);
    usrsctp_close(sock_); // SO_LINGER 0: the ABORT goes out now, through on_output
  }
  usrsctp_deregister_address(conn_.get());
  {
    std::lock_guard lk(conn_->lock); // waits for a callback in progress
    conn_->owner = nullptr;
  }
  usrsctp().release();
}

Status Association::connect() {
  // Each side's address is its own Conn: usrsctp_conninput() uses it as source and
  // destination alike.
  struct sockaddr_conn remote{};
  remote.sconn_family = AF_CONN;
  remote.sconn_port = htons(cfg_.remote_port);
  remote.sconn_addr = conn_.get();
  Driving d(this);
  int r = usrsctp_connect(sock_, reinterpret_cast<struct sockaddr *>(&remote), sizeof(remote));
  if (r < 0 && errno != EINPROGRESS)
    return Error{ErrorCode::OperationError, errno_text("usrsctp_connect")};
  return Ok{};
}

void Association::handle_packet(std::span<const uint8_t> packet) {
  std::span<const uint8_t> one[1] = {packet};
  handle_packets(one);
}

void Association::handle_packets(Packets packets) {
  Driving d(this);
  for (auto packet : packets) {
    if (!sctp_checksum_ok(packet)) { // RFC 9260 §8.5: silently discarded
      bad_checksums_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    usrsctp_conninput(conn_.get(), packet.data(), packet.size(), 0);
  }
}

void Association::take(std::vector<Item> &out) {
  if (!rest_.empty()) // room may have come: the message taken in pieces goes on
    send_rest();
  {
    std::lock_guard lk(inbox_lock_);
    pending_resets_.insert(pending_resets_.end(), failed_resets_.begin(), failed_resets_.end());
    failed_resets_.clear();
  }
  retry_resets();
  out.clear();
  std::lock_guard lk(inbox_lock_);
  std::swap(out, inbox_); // the inbox keeps out's buffer: no allocation per packet
}

void Association::push(Item it) {
  {
    std::lock_guard lk(inbox_lock_);
    inbox_.push_back(std::move(it));
  }
  if (t_driving != this && wakeup_)
    wakeup_();
}

void Association::on_output(std::span<const uint8_t> packet) {
  if (!out_)
    return;
  if (t_driving != this) { // the timer thread: nothing to batch with
    std::span<const uint8_t> one[1] = {packet};
    out_(one);
    return;
  }
  batch_bytes_.insert(batch_bytes_.end(), packet.begin(), packet.end());
  batch_ends_.push_back(batch_bytes_.size());
  if (batch_ends_.size() == kMaxBatch)
    flush_output();
}

void Association::flush_output() {
  if (batch_ends_.empty())
    return;
  batch_spans_.clear();
  size_t start = 0;
  for (size_t end : batch_ends_) {
    batch_spans_.emplace_back(batch_bytes_.data() + start, end - start);
    start = end;
  }
  if (out_)
    out_(batch_spans_);
  batch_bytes_.clear();
  batch_ends_.clear();
}

void Association::on_receive(void *data, size_t len, uint16_t sid, uint32_t ppid, int flags) {
  if (!data) {
    push(item::Down{"SCTP association gone"});
    return;
  }
  const auto *p = static_cast<const uint8_t *>(data);
  if (flags & MSG_NOTIFICATION) {
    on_notification(p, len);
    return;
  }
  push(item::Data{sid, ppid, std::vector<uint8_t>(p, p + len), (flags & MSG_EOR) != 0});
}

void Association::on_writable() {
  if (want_writable_.exchange(false))
    push(item::Writable{});
}

void Association::on_notification(const uint8_t *n, size_t len) {
  if (len < sizeof(uint16_t) * 4)
    return;
  uint16_t type = reinterpret_cast<const union sctp_notification *>(n)->sn_header.sn_type;
  if (type == SCTP_ASSOC_CHANGE && len >= sizeof(struct sctp_assoc_change)) {
    const auto *ac = reinterpret_cast<const struct sctp_assoc_change *>(n);
    switch (ac->sac_state) {
    case SCTP_COMM_UP: {
      bool idata = false;
      for (size_t i = sizeof(*ac); i < std::min<size_t>(len, ac->sac_length); i++)
        idata |= n[i] == SCTP_ASSOC_SUPPORTS_INTERLEAVING;
      push(item::Up{ac->sac_outbound_streams, ac->sac_inbound_streams, idata});
      break;
    }
    case SCTP_COMM_LOST:
      push(item::Down{"SCTP association lost (aborted by the peer or timed out)"});
      break;
    case SCTP_SHUTDOWN_COMP:
      push(item::Down{""});
      break;
    case SCTP_CANT_STR_ASSOC:
      push(item::Down{"SCTP association could not be established"});
      break;
    default:
      break;
    }
  } else if (type == SCTP_STREAM_RESET_EVENT &&
             len >= sizeof(struct sctp_stream_reset_event)) {
    const auto *re = reinterpret_cast<const struct sctp_stream_reset_event *>(n);
    size_t count = (std::min<size_t>(len, re->strreset_length) - sizeof(*re)) / 2;
    bool incoming = re->strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN;
    if (re->strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) {
      if (incoming)
        return;
      // Ours was refused (RFC 6525 §5.2.3: the peer had its own request in progress when
      // both sides close at once): ask again, or the channels never finish closing.
      {
        std::lock_guard lk(inbox_lock_);
        failed_resets_.insert(failed_resets_.end(), re->strreset_stream_list,
                              re->strreset_stream_list + count);
      }
      push(item::Writable{});
      return;
    }
    if (incoming)
      push(item::IncomingReset{{re->strreset_stream_list, re->strreset_stream_list + count}});
    else // our outgoing reset completed: the next waiting one may go
      push(item::Writable{});
  }
}

namespace {

struct sctp_sendv_spa make_spa(const SendSpec &spec, bool last) {
  struct sctp_sendv_spa spa{};
  spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
  spa.sendv_sndinfo.snd_sid = spec.sid;
  spa.sendv_sndinfo.snd_ppid = htonl(spec.ppid);
  spa.sendv_sndinfo.snd_flags = uint16_t((spec.ordered ? 0 : SCTP_UNORDERED) | (last ? SCTP_EOR : 0));
  if (spec.reliability != Reliability::Reliable) {
    spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
    spa.sendv_prinfo.pr_policy =
        spec.reliability == Reliability::PartialRexmit ? SCTP_PR_SCTP_RTX : SCTP_PR_SCTP_TTL;
    spa.sendv_prinfo.pr_value = spec.reliability_param; // host order (retransmissions, ms)
  }
  return spa;
}

// Explicit EOR: a message goes in pieces the socket has room for, EOR on the last.
constexpr size_t kPiece = 64 * 1024;

} // namespace

// Sends data[*off..] in pieces; false when the socket is full (EAGAIN) before the end.
// errno is kept for the caller on other failures (*off unchanged past the failed piece).
bool Association::send_pieces(const SendSpec &spec, std::span<const uint8_t> data, size_t *off,
                              bool *failed) {
  Driving d(this);
  // Armed before trying: the SACK that makes room may be handled by another thread between
  // usrsctp saying EAGAIN and us looking; armed after, its upcall would find nobody waiting
  // and, with nothing left in flight, no later one would come (the sender stalls for good).
  want_writable_ = true;
  while (*off < data.size()) {
    size_t n = std::min(kPiece, data.size() - *off);
    struct sctp_sendv_spa spa = make_spa(spec, *off + n == data.size());
    ssize_t r = usrsctp_sendv(sock_, data.data() + *off, n, nullptr, 0, &spa, sizeof(spa),
                              SCTP_SENDV_SPA, 0);
    if (r <= 0) {
      // 0: in explicit-EOR mode usrsctp may take nothing without saying EAGAIN.
      if (r == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
        return false; // still armed
      *failed = true;
      return false;
    }
    *off += size_t(r);
  }
  want_writable_ = false; // a wakeup already pushed meanwhile only costs a flush
  return true;
}

SendResult Association::send(const SendSpec &spec, std::span<const uint8_t> data) {
  if (!rest_.empty() && !send_rest())
    return SendResult::Full;
  size_t off = 0;
  bool failed = false;
  if (send_pieces(spec, data, &off, &failed))
    return SendResult::Sent;
  if (failed) // a started message is lost with the association
    return off ? SendResult::Sent : SendResult::Failed;
  if (off == 0)
    return SendResult::Full;
  rest_spec_ = spec; // taken in part: the rest waits here
  rest_.assign(data.begin() + off, data.end());
  rest_off_ = 0;
  return SendResult::Sent;
}

bool Association::send_rest() {
  bool failed = false;
  if (!send_pieces(rest_spec_, rest_, &rest_off_, &failed) && !failed)
    return false;
  rest_ = {};
  rest_off_ = 0;
  retry_resets(); // a reset that waited for this message's tail
  return true;
}

void Association::reset_streams(std::span<const uint16_t> sids) {
  pending_resets_.insert(pending_resets_.end(), sids.begin(), sids.end());
  retry_resets();
}

// RFC 6525 allows one outstanding request: resets asked for meanwhile wait for the next turn.
// A stream whose message is still partly in rest_ waits: usrsctp would reset it with the
// message's tail not yet given to it, and the peer would lose (or abort on) that message.
void Association::retry_resets() {
  if (pending_resets_.empty())
    return;
  std::vector<uint16_t> now, later;
  for (uint16_t sid : pending_resets_)
    (!rest_.empty() && sid == rest_spec_.sid ? later : now).push_back(sid);
  if (now.empty())
    return;
  std::vector<uint8_t> buf(sizeof(struct sctp_reset_streams) + 2 * now.size());
  auto *srs = reinterpret_cast<struct sctp_reset_streams *>(buf.data());
  srs->srs_assoc_id = SCTP_ALL_ASSOC;
  srs->srs_flags = SCTP_STREAM_RESET_OUTGOING;
  srs->srs_number_streams = uint16_t(now.size());
  std::copy(now.begin(), now.end(), srs->srs_stream_list);
  Driving d(this);
  int r = usrsctp_setsockopt(sock_, IPPROTO_SCTP, SCTP_RESET_STREAMS, buf.data(),
                             socklen_t(buf.size()));
  if (r == 0 || (errno != EBUSY && errno != EALREADY && errno != EAGAIN))
    pending_resets_ = std::move(later); // sent, or refused for good (EINVAL: already reset)
}

} // namespace gstrtc::sctp
