// Agent: owns one libnice agent with one stream of one component (rtcp-mux, RFC 8843 BUNDLE),
// and turns libnice's view plus our consent timing into W3C ICE states.
//
// Threads: libnice I/O and timers run on the IceLoop thread; the receive callback runs there.
// libnice also emits signals synchronously on the thread of the API call that caused them.
// Events are called with no lock held. Lock order: lock_ is a leaf (never held while calling
// libnice, since libnice may call back synchronously); recv_lock_ is a leaf.
#pragma once

#include "core/export.hpp"
#include "core/result.hpp"
#include "ice/candidate.hpp"
#include "ice/consent.hpp"
#include "ice/iceloop.hpp"
#include "ice/uri.hpp"

#include <nice/agent.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gstrtc::ice {

// Same values as GstRtcICEConnectionState / GstRtcICEGatheringState.
enum class State { New, Checking, Connected, Completed, Failed, Disconnected, Closed };
enum class GatheringState { New, Gathering, Complete };

struct AgentConfig {
  bool controlling = true;
  std::vector<std::string> addresses; // empty: every interface libnice finds
  unsigned min_port = 0, max_port = 0;
  std::optional<ServerUri> stun;
  std::vector<ServerUri> turn;
  bool ice_tcp = true;
  bool ice_udp = true;
  bool relay_only = false;
  ConsentConfig consent;
};

struct AgentEvents {
  std::function<void(const std::string &candidate)> local_candidate;
  std::function<void()> gathering_done;
  std::function<void()> state_changed;
  std::function<void()> gathering_state_changed;
  std::function<void()> selected_pair_changed;
};

struct SelectedPair {
  Candidate local;
  Candidate remote;
};

struct AgentCounters {
  std::atomic<uint64_t> packets_sent{0}, bytes_sent{0}, packets_received{0}, bytes_received{0};
  std::atomic<uint64_t> send_dropped_not_writable{0}, send_errors{0}, receive_dropped_no_reader{0};
};

// Where received datagrams go (the rtcicesrc). Called on the thread that reads (see
// set_receive_context).
class GSTRTC_INTERNAL Receiver {
public:
  virtual ~Receiver() = default;
  virtual void on_packet(const guint8 *data, gsize size) noexcept = 0;
  // On the ICE thread, once what it read in one go has been given to on_packet: the end of a
  // batch (libnice reads the socket until it is empty).
  virtual void on_burst_end() noexcept {}
};

class DirectSend;

class GSTRTC_INTERNAL Agent {
public:
  explicit Agent(AgentEvents events);
  ~Agent();
  Agent(const Agent &) = delete;
  Agent &operator=(const Agent &) = delete;

  // Configuration; gathering-related parts take effect at gather().
  AgentConfig config() const;
  void set_config(const AgentConfig &cfg);

  Status gather();
  Status add_remote_candidate(std::string_view candidate);
  void end_of_remote_candidates();
  Status set_remote_credentials(const std::string &ufrag, const std::string &pwd);
  Status set_local_credentials(const std::string &ufrag, const std::string &pwd);
  std::pair<std::string, std::string> local_credentials() const;
  std::pair<std::string, std::string> remote_credentials() const;
  Status restart();
  void close();

  State state() const;
  GatheringState gathering_state() const;
  std::optional<SelectedPair> selected_pair() const;
  const AgentCounters &counters() const { return counters_; }

  // Data path (any thread). Returns messages handed to the socket; drops when not writable.
  int send(NiceOutputMessage *msgs, unsigned n);
  bool writable() const { return writable_.load(std::memory_order_relaxed); }
  // One receiver at a time; false if another is attached. Detach waits for a running callback.
  bool attach_receiver(Receiver *r);
  void detach_receiver(Receiver *r);
  // Where libnice reads this component: a context the caller iterates (rtcicesrc's streaming
  // thread, to avoid a thread hop per packet), or nullptr for the ICE thread. STUN is handled
  // wherever the reading happens, so hand it back whenever that context stops being iterated.
  void set_receive_context(GMainContext *ctx);

private:
  void on_new_candidate(NiceCandidate *c);
  void on_gathering_done();
  void on_component_state(guint state);
  void on_selected_pair(NiceCandidate *local, NiceCandidate *remote);
  void on_recv(const gchar *buf, guint len);
  struct BurstSource; // dispatched after a read burst
  static GSourceFuncs burst_funcs_;
  void on_burst_end();
  void update_state();     // recomputes state_, emits state_changed if it changed
  void schedule_consent(); // (re)arms the consent timer (runs on the ICE thread)
  static gboolean consent_tick(gpointer self);
  static Candidate from_nice(const NiceCandidate *c);
  void apply_gather_config(const AgentConfig &cfg);
  void drop_direct();

  std::shared_ptr<IceLoop> loop_;
  AgentEvents events_;
  NiceAgent *nice_ = nullptr;
  guint stream_id_ = 0;
  std::vector<gulong> handlers_;

  mutable std::mutex lock_; // protects everything below up to the atomics
  AgentConfig cfg_;
  guint nice_state_ = NICE_COMPONENT_STATE_DISCONNECTED;
  State state_ = State::New;
  GatheringState gathering_ = GatheringState::New;
  bool remote_eoc_ = false;
  bool closed_ = false;
  std::string remote_ufrag_, remote_pwd_;
  std::optional<SelectedPair> pair_;
  ConsentMonitor consent_;
  GSource *consent_timer_ = nullptr; // attached to loop_'s context

  std::atomic<bool> writable_{false};
  std::atomic<bool> watch_revive_{false}; // liveness is Disconnected: recv must check
  std::atomic<int64_t> last_inbound_{0};
  AgentCounters counters_;

  // Protects direct_, the selected pair's socket used directly (a leaf; held while sending).
  std::mutex direct_lock_;
  std::unique_ptr<DirectSend> direct_;

  GSource *burst_source_ = nullptr; // on loop_'s context; ready while burst_pending_
  std::atomic<bool> burst_pending_{false};
  std::mutex recv_lock_; // protects receiver_
  Receiver *receiver_ = nullptr;
};

} // namespace gstrtc::ice
