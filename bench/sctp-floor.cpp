// The floor for data channel throughput (bench/dc-bench.py): raw usrsctp over AF_CONN, two
// associations in one process, packets handed from one to the other in memory. No DTLS, no
// ICE, no GStreamer, no data channel protocol: what SCTP alone costs for the same bytes.
//
// usrsctp is configured as rtcbin's sctp::Association configures it (1 MiB send and receive
// space, RFC 6928 initial window, 20 ms delayed SACK, explicit EOR with 64 KiB pieces, path
// MTU 1200 - 32), so the difference to rtcbin is what rtcbin adds on top.
//
//   --threads 1: one thread sends on A and feeds every packet to its destination (B's data,
//                A's SACKs) from a queue: no locking contention, no wake-ups;
//   --threads 2: one thread per endpoint (A sends and takes SACKs, B takes data and sends
//                SACKs), packets cross through a locked queue and a condition variable: as two
//                peers would run.
//   --udp:       as --threads 2, but each endpoint has a UDP socket on 127.0.0.1 and packets
//                go through the kernel (send() from the output callback, recv() + conninput in
//                the endpoint's thread): SCTP plus the loopback datagram path rtcbin also pays,
//                without DTLS, ICE or GStreamer.
// A third thread ticks usrsctp's timers every 10 ms in every mode (as rtcbin does).
//
// Output callbacks only queue (usrsctp holds its locks while calling them; calling back into
// it from there would recurse). Each side's AF_CONN address is a pointer to its own endpoint;
// both connect to their own pointer with the other's port (usrsctp_conninput(addr) uses addr
// as source and destination).
//
// Usage: sctp-floor [--size BYTES] [--mb MB] [--threads 1|2] [--udp] [--mtu BYTES]
// Prints one line: RESULT <MB/s> <CPU-s per 100 MB> <wall s> <cpu s>  (MB = 10^6 bytes)
#include <usrsctp.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double wall_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Endpoint {
  const char *name;
  uint16_t port;
  Endpoint *peer = nullptr;
  struct socket *sock = nullptr;
  // Packets addressed to this endpoint, queued by the other side's output callback.
  std::mutex lock;
  std::condition_variable cv;
  std::deque<std::vector<uint8_t>> inbox;
  std::atomic<bool> up{false};
  std::atomic<uint64_t> received{0};
  std::atomic<bool> writable{false};
  int fd = -1; // --udp: this endpoint's socket, connected to the peer's
};

// usrsctp's output callback: `addr` is the sending endpoint; the packet goes to its peer.
int on_output(void *addr, void *buf, size_t len, uint8_t, uint8_t) {
  auto *from = static_cast<Endpoint *>(addr);
  if (from->fd >= 0) { // --udp: a full socket buffer drops, as a network would
    (void)send(from->fd, buf, len, MSG_DONTWAIT);
    return 0;
  }
  Endpoint *to = from->peer;
  const auto *p = static_cast<const uint8_t *>(buf);
  {
    std::lock_guard lk(to->lock);
    to->inbox.emplace_back(p, p + len);
  }
  to->cv.notify_one();
  return 0;
}

int on_receive(struct socket *, union sctp_sockstore, void *data, size_t len, struct sctp_rcvinfo,
               int flags, void *ulp) {
  auto *e = static_cast<Endpoint *>(ulp);
  if (data) {
    if (flags & MSG_NOTIFICATION) {
      auto *n = static_cast<const union sctp_notification *>(data);
      if (n->sn_header.sn_type == SCTP_ASSOC_CHANGE && n->sn_assoc_change.sac_state == SCTP_COMM_UP)
        e->up = true;
    } else {
      e->received.fetch_add(len, std::memory_order_relaxed);
    }
    free(data);
  }
  return 1;
}

int on_send_space(struct socket *, uint32_t, void *ulp) {
  static_cast<Endpoint *>(ulp)->writable = true;
  return 0;
}

template <typename T> bool set_opt(struct socket *s, int level, int name, const T &v) {
  return usrsctp_setsockopt(s, level, name, &v, sizeof(v)) == 0;
}

bool open_endpoint(Endpoint *e, size_t mtu) {
  usrsctp_register_address(e);
  e->sock = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, on_receive, on_send_space, 0, e);
  if (!e->sock)
    return false;
  usrsctp_set_non_blocking(e->sock, 1);
  int one = 1;
  struct sctp_initmsg init {};
  init.sinit_num_ostreams = init.sinit_max_instreams = 1024;
  bool ok = set_opt(e->sock, IPPROTO_SCTP, SCTP_NODELAY, one) &&
            set_opt(e->sock, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, one) &&
            set_opt(e->sock, IPPROTO_SCTP, SCTP_RECVRCVINFO, one) &&
            set_opt(e->sock, IPPROTO_SCTP, SCTP_INITMSG, init);
  struct sctp_event ev {};
  ev.se_assoc_id = SCTP_ALL_ASSOC;
  ev.se_type = SCTP_ASSOC_CHANGE;
  ev.se_on = 1;
  ok = ok && set_opt(e->sock, IPPROTO_SCTP, SCTP_EVENT, ev);
  struct sctp_paddrparams pp {};
  pp.spp_flags = SPP_PMTUD_DISABLE;
  pp.spp_pathmtu = uint32_t(mtu - 32);
  set_opt(e->sock, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, pp);
  struct sockaddr_conn local {};
  local.sconn_family = AF_CONN;
  local.sconn_port = htons(e->port);
  local.sconn_addr = e;
  if (!ok || usrsctp_bind(e->sock, reinterpret_cast<struct sockaddr *>(&local), sizeof(local)) < 0)
    return false;
  struct sockaddr_conn remote = local;
  remote.sconn_port = htons(e->peer->port);
  int r = usrsctp_connect(e->sock, reinterpret_cast<struct sockaddr *>(&remote), sizeof(remote));
  return r == 0 || errno == EINPROGRESS;
}

// Feeds this endpoint's queued packets into usrsctp; false if there were none.
bool pump(Endpoint *e) {
  std::deque<std::vector<uint8_t>> batch;
  {
    std::lock_guard lk(e->lock);
    batch.swap(e->inbox);
  }
  for (auto &p : batch)
    usrsctp_conninput(e, p.data(), p.size(), 0);
  return !batch.empty();
}

// --udp: reads every datagram waiting on the endpoint's socket into usrsctp (after waiting up
// to `ms` for the first); false if there was none.
bool pump_udp(Endpoint *e, int ms) {
  static thread_local std::vector<uint8_t> buf(65536);
  struct pollfd p {
    e->fd, POLLIN, 0
  };
  if (ms > 0 && poll(&p, 1, ms) <= 0)
    return false;
  bool any = false;
  for (;;) {
    ssize_t n = recv(e->fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n <= 0)
      return any;
    usrsctp_conninput(e, buf.data(), size_t(n), 0);
    any = true;
  }
}

bool open_udp(Endpoint *a, Endpoint *b) {
  sockaddr_in addr[2]{};
  Endpoint *e[2] = {a, b};
  for (int i = 0; i < 2; i++) {
    e[i]->fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 4 << 20; // as rtcicesink/src ask (capped by net.core.[rw]mem_max)
    setsockopt(e[i]->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    setsockopt(e[i]->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    addr[i].sin_family = AF_INET;
    addr[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr[i]);
    if (bind(e[i]->fd, reinterpret_cast<sockaddr *>(&addr[i]), len) < 0 ||
        getsockname(e[i]->fd, reinterpret_cast<sockaddr *>(&addr[i]), &len) < 0)
      return false;
  }
  for (int i = 0; i < 2; i++)
    if (connect(e[i]->fd, reinterpret_cast<sockaddr *>(&addr[1 - i]), sizeof(addr[0])) < 0)
      return false;
  return true;
}

bool wait_inbox(Endpoint *e, int ms) {
  std::unique_lock lk(e->lock);
  return e->cv.wait_for(lk, std::chrono::milliseconds(ms), [e] { return !e->inbox.empty(); });
}

// Sends message[*off..] in 64 KiB pieces (EOR on the last); false when the socket is full.
bool send_message(Endpoint *e, const std::vector<uint8_t> &msg, size_t *off) {
  constexpr size_t kPiece = 64 * 1024;
  while (*off < msg.size()) {
    size_t n = std::min(kPiece, msg.size() - *off);
    struct sctp_sendv_spa spa {};
    spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
    spa.sendv_sndinfo.snd_sid = 1;
    spa.sendv_sndinfo.snd_ppid = htonl(53); // WebRTC Binary
    spa.sendv_sndinfo.snd_flags = *off + n == msg.size() ? SCTP_EOR : 0;
    ssize_t r = usrsctp_sendv(e->sock, msg.data() + *off, n, nullptr, 0, &spa, sizeof(spa),
                              SCTP_SENDV_SPA, 0);
    if (r <= 0) {
      if (r == 0 || errno == EAGAIN || errno == EWOULDBLOCK)
        return false;
      std::fprintf(stderr, "usrsctp_sendv: %s\n", std::strerror(errno));
      std::exit(1);
    }
    *off += size_t(r);
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  size_t size = 64 * 1024, mtu = 1200;
  double mb = 200;
  int threads = 2;
  bool udp = false;
  for (int i = 1; i < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--udp") {
      udp = true;
      i--;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s: a value is missing\n", argv[i]);
      return 2;
    }
    if (a == "--size")
      size = size_t(std::atol(argv[i + 1]));
    else if (a == "--mb")
      mb = std::atof(argv[i + 1]);
    else if (a == "--threads")
      threads = std::atoi(argv[i + 1]);
    else if (a == "--mtu")
      mtu = size_t(std::atol(argv[i + 1]));
    else {
      std::fprintf(stderr, "usage: %s [--size B] [--mb MB] [--threads 1|2] [--udp] [--mtu B]\n",
                   argv[0]);
      return 2;
    }
  }
  const uint64_t messages = uint64_t((mb * 1e6 + double(size) - 1) / double(size));
  const uint64_t total = messages * size;

  usrsctp_init_nothreads(0, on_output, nullptr);
  usrsctp_sysctl_set_sctp_ecn_enable(0);
  usrsctp_sysctl_set_sctp_blackhole(2);
  usrsctp_sysctl_set_sctp_sendspace(1024 * 1024);
  usrsctp_sysctl_set_sctp_recvspace(1024 * 1024);
  usrsctp_sysctl_set_sctp_max_chunks_on_queue(10 * 1024);
  usrsctp_sysctl_set_sctp_initial_cwnd(10);
  usrsctp_sysctl_set_sctp_max_burst_default(10);
  usrsctp_sysctl_set_sctp_delayed_sack_time_default(20);
  usrsctp_sysctl_set_sctp_rto_min_default(200);

  std::atomic<bool> stop{false};
  std::thread timer([&] {
    auto last = std::chrono::steady_clock::now();
    while (!stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      auto now = std::chrono::steady_clock::now();
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - last).count();
      if (ms > 0) {
        usrsctp_handle_timers(uint32_t(ms));
        last += std::chrono::milliseconds(ms);
      }
    }
  });

  Endpoint a, b;
  a.name = "A";
  a.port = 5000;
  b.name = "B";
  b.port = 5001;
  a.peer = &b;
  b.peer = &a;
  if (udp && !open_udp(&a, &b)) {
    std::fprintf(stderr, "UDP sockets: %s\n", std::strerror(errno));
    return 1;
  }
  if (!open_endpoint(&a, mtu) || !open_endpoint(&b, mtu)) {
    std::fprintf(stderr, "socket setup: %s\n", std::strerror(errno));
    return 1;
  }
  // Handshake, pumped from here.
  double deadline = wall_seconds() + 10;
  while (!(a.up && b.up)) {
    if (wall_seconds() > deadline) {
      std::fprintf(stderr, "no association\n");
      return 1;
    }
    bool any = udp ? pump_udp(&a, 0) | pump_udp(&b, 0) : pump(&a) | pump(&b);
    if (!any)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::vector<uint8_t> msg(size);
  for (size_t i = 0; i < size; i++)
    msg[i] = uint8_t(i * 7);

  const double c0 = cpu_seconds(), t0 = wall_seconds();
  uint64_t sent = 0;
  size_t off = 0;
  if (udp) {
    std::thread receiver([&] {
      while (b.received.load(std::memory_order_relaxed) < total)
        pump_udp(&b, 5);
    });
    while (b.received.load(std::memory_order_relaxed) < total) {
      while (sent < messages && send_message(&a, msg, &off)) {
        sent++;
        off = 0;
      }
      if (!pump_udp(&a, 0))
        pump_udp(&a, 1);
    }
    receiver.join();
  } else if (threads == 1) {
    while (b.received.load(std::memory_order_relaxed) < total) {
      bool progress = false;
      while (sent < messages && send_message(&a, msg, &off)) {
        sent++;
        off = 0;
        progress = true;
      }
      progress |= pump(&b);
      progress |= pump(&a);
      if (!progress)
        wait_inbox(&a, 1); // only timers (delayed SACK) can move things now
    }
  } else {
    std::thread receiver([&] {
      while (b.received.load(std::memory_order_relaxed) < total) {
        if (!pump(&b))
          wait_inbox(&b, 5);
      }
    });
    while (b.received.load(std::memory_order_relaxed) < total) {
      while (sent < messages && send_message(&a, msg, &off)) {
        sent++;
        off = 0;
      }
      if (!pump(&a))
        wait_inbox(&a, 1);
    }
    receiver.join();
  }
  const double t1 = wall_seconds(), c1 = cpu_seconds();

  const double secs = t1 - t0, cpu = c1 - c0;
  std::printf("RESULT %.3f %.4f %.3f %.3f\n", double(total) / 1e6 / secs,
              cpu / (double(total) / 1e8), secs, cpu);
  std::fflush(stdout);

  stop = true;
  timer.join();
  usrsctp_close(a.sock);
  usrsctp_close(b.sock);
  usrsctp_deregister_address(&a);
  usrsctp_deregister_address(&b);
  // No usrsctp_finish(): closed associations linger for a while and the process ends here.
  std::_Exit(0);
}
