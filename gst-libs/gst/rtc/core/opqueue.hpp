// The operations chain (W3C webrtc §4.4.1.2, "chain an operation"): one thread per peer
// connection runs create-offer, set-description, add-ice-candidate, ... one at a time, in the
// order they were asked for, so the JSEP engine needs no lock and signals are emitted from one
// known thread with no lock held. close() refuses new work and hands every pending operation
// to its drop function, so each waiting promise is still answered.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace gstrtc {

class OpQueue {
public:
  using Op = std::function<void()>;

  explicit OpQueue(std::string name)
      : name_(std::move(name)), state_(std::make_shared<State>()),
        thread_([s = state_] { run(*s); }) {}
  // Waits for the running operation. From inside an operation (the last reference to the
  // owner dropped there) the thread is left to finish on its own: it owns the state it uses.
  ~OpQueue() {
    close();
    if (on_queue_thread())
      thread_.detach();
    else
      thread_.join();
  }
  OpQueue(const OpQueue &) = delete;
  OpQueue &operator=(const OpQueue &) = delete;

  // Runs `op` after everything pushed before it. After close(), `dropped` runs instead, on the
  // caller's thread, and push returns false.
  bool push(Op op, Op dropped = {}) {
    {
      std::lock_guard lock(state_->mutex);
      if (!state_->closed) {
        state_->ops.push_back({std::move(op), std::move(dropped)});
        state_->cond.notify_one();
        return true;
      }
    }
    if (dropped)
      dropped();
    return false;
  }

  // Refuses new operations; pending ones are dropped (their drop functions run here). The one
  // running finishes.
  void close() {
    std::deque<Entry> pending;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->closed)
        return;
      state_->closed = true;
      pending.swap(state_->ops);
      state_->cond.notify_one();
    }
    for (auto &e : pending)
      if (e.dropped)
        e.dropped();
  }

  bool on_queue_thread() const { return std::this_thread::get_id() == thread_.get_id(); }
  const std::string &name() const { return name_; }

private:
  struct Entry {
    Op op, dropped;
  };
  struct State {
    std::mutex mutex; // protects ops and closed
    std::condition_variable cond;
    std::deque<Entry> ops;
    bool closed = false;
  };

  static void run(State &s) {
    for (;;) {
      Entry e;
      {
        std::unique_lock lock(s.mutex);
        s.cond.wait(lock, [&s] { return s.closed || !s.ops.empty(); });
        if (s.ops.empty())
          return; // closed and drained
        e = std::move(s.ops.front());
        s.ops.pop_front();
      }
      e.op(); // no lock held: an operation may push more
    }
  }

  std::string name_;
  std::shared_ptr<State> state_; // shared with the thread
  std::thread thread_;           // last: started once the state exists
};

} // namespace gstrtc
