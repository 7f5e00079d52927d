// The operations chain (W3C webrtc §4.4.1.2, "chain an operation"): create-offer,
// set-description, add-ice-candidate, ... of one peer connection run one at a time, in the order
// they were asked for, so the JSEP engine needs no lock and signals are emitted with no lock
// held. The operations run on a WorkerPool shared by many queues (a serial queue over shared
// threads), so an idle peer connection holds no thread. close() refuses new work and hands every
// pending operation to its drop function, so each waiting promise is still answered.
#pragma once

#include "core/workers.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace gstrtc {

class OpQueue {
public:
  using Op = std::function<void()>;

  explicit OpQueue(WorkerPool &pool) : pool_(pool), state_(std::make_shared<State>()) {}
  // Waits for the running operation. From inside an operation (the last reference to the
  // owner dropped there) nothing waits: the worker owns the state it uses.
  ~OpQueue() {
    close();
    if (on_queue_thread())
      return;
    std::unique_lock lock(state_->mutex);
    state_->idle.wait(lock, [this] { return !state_->scheduled; });
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
        if (!state_->scheduled) {
          state_->scheduled = true;
          pool_.submit([s = state_] { drain(s); });
        }
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
    }
    for (auto &e : pending)
      if (e.dropped)
        e.dropped();
  }

  bool on_queue_thread() const {
    return state_->runner.load(std::memory_order_acquire) == std::this_thread::get_id();
  }

private:
  struct Entry {
    Op op, dropped;
  };
  struct State {
    std::mutex mutex; // protects ops, closed and scheduled
    std::condition_variable idle;
    std::deque<Entry> ops;
    bool closed = false;
    bool scheduled = false; // a drain is submitted or running
    std::atomic<std::thread::id> runner{};
  };
  static void drain(const std::shared_ptr<State> &s) {
    for (;;) {
      Entry e;
      {
        std::lock_guard lock(s->mutex);
        if (s->ops.empty()) {
          s->runner.store({}, std::memory_order_release);
          s->scheduled = false;
          s->idle.notify_all();
          return;
        }
        e = std::move(s->ops.front());
        s->ops.pop_front();
        s->runner.store(std::this_thread::get_id(), std::memory_order_release);
      }
      e.op(); // no lock held: an operation may push more, or destroy the owner
    }
  }

  WorkerPool &pool_;
  std::shared_ptr<State> state_; // shared with the drain in flight
};

} // namespace gstrtc
