#include "ice/directsend.hpp"

#include <netinet/in.h>
#include <netinet/udp.h>

#include <cerrno>
#include <cstring>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103 // linux/udp.h
#endif

namespace gstrtc::ice {

namespace {
// What one GSO send may carry: the kernel's segment limit (UDP_MAX_SEGMENTS, 64 on older
// kernels) and a UDP datagram's 64 KiB less the headers.
constexpr unsigned kMaxSegments = 64;
constexpr size_t kMaxGsoBytes = 65000;
constexpr unsigned kMaxIov = 256;

size_t size_of(const NiceOutputMessage &m) {
  size_t n = 0;
  for (guint i = 0; i < m.n_buffers; i++)
    n += m.buffers[i].size;
  return n;
}
} // namespace

DirectSend::DirectSend(GSocket *sock, const NiceAddress &remote)
    : sock_(G_SOCKET(g_object_ref(sock))), fd_(g_socket_get_fd(sock)) {
  nice_address_copy_to_sockaddr(&remote, reinterpret_cast<sockaddr *>(&addr_));
  addr_len_ = addr_.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
}

DirectSend::~DirectSend() {
  g_object_unref(sock_);
}

// Equal sizes, plus at most one shorter datagram at the end (GSO cuts the last segment short).
unsigned DirectSend::run_end(const NiceOutputMessage *msgs, unsigned i, unsigned n) const {
  if (!gso())
    return i + 1;
  size_t seg = size_of(msgs[i]), total = seg;
  unsigned iov = msgs[i].n_buffers, end = i + 1;
  while (end < n && end - i < kMaxSegments) {
    size_t s = size_of(msgs[end]);
    if (s == 0 || s > seg || total + s > kMaxGsoBytes || iov + msgs[end].n_buffers > kMaxIov)
      break;
    total += s;
    iov += msgs[end].n_buffers;
    end++;
    if (s < seg)
      break;
  }
  return end;
}

int DirectSend::send_run(const NiceOutputMessage *msgs, unsigned i, unsigned end) {
  iovec iov[kMaxIov];
  size_t n_iov = 0;
  for (unsigned m = i; m < end; m++)
    for (guint b = 0; b < msgs[m].n_buffers; b++)
      iov[n_iov++] = {const_cast<gpointer>(msgs[m].buffers[b].buffer), msgs[m].buffers[b].size};
  msghdr mh{};
  mh.msg_name = &addr_;
  mh.msg_namelen = addr_len_;
  mh.msg_iov = iov;
  mh.msg_iovlen = n_iov;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(uint16_t))] = {};
  if (end - i > 1) {
    mh.msg_control = control;
    mh.msg_controllen = sizeof(control);
    cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_UDP;
    c->cmsg_type = UDP_SEGMENT;
    c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    uint16_t seg = uint16_t(size_of(msgs[i]));
    std::memcpy(CMSG_DATA(c), &seg, sizeof(seg));
  }
  ssize_t r;
  do {
    r = sendmsg(fd_, &mh, MSG_DONTWAIT);
  } while (r < 0 && errno == EINTR);
  return r < 0 ? -errno : 0;
}

unsigned DirectSend::send(const NiceOutputMessage *msgs, unsigned n, uint64_t *bytes) {
  unsigned sent = 0;
  for (unsigned i = 0; i < n;) {
    if (msgs[i].n_buffers > kMaxIov) { // never from our sinks: they map up to 4 pieces
      i++;
      continue;
    }
    unsigned end = run_end(msgs, i, n);
    int err = send_run(msgs, i, end);
    if (err && end - i > 1 && err != -EAGAIN && err != -ENOBUFS) {
      // No GSO here (an old kernel, a device that refuses it): one datagram per send from now.
      gso_.store(false, std::memory_order_relaxed);
      continue;
    }
    if (!err) {
      sent += end - i;
      for (unsigned m = i; m < end; m++)
        *bytes += size_of(msgs[m]);
    }
    i = end;
  }
  return sent;
}

} // namespace gstrtc::ice
