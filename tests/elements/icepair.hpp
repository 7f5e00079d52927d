// Two GstRtcICETransports wired to each other in one process (the test plays signalling),
// plus harness helpers that move checked packets through rtcicesink -> rtcicesrc.
#pragma once

#include "rtc-gref.hpp"

#include <gst/check/gstharness.h>
#include <gst/rtc/rtc.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace test {

using TransportRef = gstrtc::Ref<GstRtcICETransport>;

struct IcePairOptions {
  bool a_controlling = true;
  bool b_controlling = false;
  std::string turn_uri; // both sides use it when set
  bool relay_only = false;
  guint disconnected_ms = 0; // 0: keep defaults
  guint failed_ms = 0;
};

// Waits on property notifications with a deadline (no sleeping loops).
class StateWatch {
public:
  explicit StateWatch(GstRtcICETransport *t);
  ~StateWatch();
  GstRtcICEConnectionState state() const;
  // True if pred(state) held before timeout_ms.
  bool wait(const std::function<bool(GstRtcICEConnectionState)> &pred, int timeout_ms);
  std::vector<GstRtcICEConnectionState> history() const;

private:
  GstRtcICETransport *t_;
  gulong handler_;
  mutable std::mutex m_;
  std::condition_variable cv_;
  std::vector<GstRtcICEConnectionState> history_;
};

bool is_up(GstRtcICEConnectionState s);

class IcePair {
public:
  explicit IcePair(IcePairOptions o = {});
  ~IcePair();
  // Exchanges credentials and gathers on both sides; candidates trickle across.
  void start();
  bool wait_connected(int timeout_ms = 10000);
  // ICE restart on both sides (as JSEP does), then new credentials and candidates exchanged.
  void restart_both();

  TransportRef a, b;
  StateWatch *wa = nullptr, *wb = nullptr;
  std::vector<std::string> candidate_errors;

private:
  void wire(GstRtcICETransport *from, GstRtcICETransport *to);
  void flush_held();
  std::mutex m_; // protects held_, hold_, candidate_errors
  bool hold_ = false;
  std::vector<std::pair<GstRtcICETransport *, std::string>> held_;
  std::vector<gstrtc::SignalGuard> guards_;
};

// rtcicesink on `from` and rtcicesrc on `to`, each in a GstHarness (the rtcicesrc with
// "shared-thread" as given).
class Link {
public:
  Link(GstRtcICETransport *from, GstRtcICETransport *to, bool shared_thread = false);
  ~Link();
  void push(uint32_t seq, uint32_t tag);
  // Pulls one buffer, waiting up to timeout_ms. nullptr on timeout.
  GstBuffer *pull(int timeout_ms);
  GstHarness *sink_h = nullptr;
  GstHarness *src_h = nullptr;
};

// Payload: seq (4 bytes BE), tag (4 bytes BE), then a pattern derived from both; the size
// varies with seq between 20 and 1200 bytes.
GstBuffer *make_packet(uint32_t seq, uint32_t tag);
// Checks size and every byte; returns an empty string when valid, else what was wrong.
std::string check_packet(GstBuffer *buf, uint32_t seq, uint32_t tag);

// Sends n packets each way with a flow window; returns a description of the first problem.
std::string exchange(Link &ab, Link &ba, uint32_t n, uint32_t window = 64);

} // namespace test
