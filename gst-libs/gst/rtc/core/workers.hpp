// Threads on demand for work that is rare and short (negotiation operations of many peer
// connections), so that no peer connection keeps an idle thread of its own. Up to `cap` workers
// start as jobs arrive; past that, a job that has waited kRescue gets one more (a watchdog,
// alive only while jobs wait at the cap, starts it), so jobs that block (a signal handler
// waiting on a promise of another peer connection) cannot starve the rest, and a burst does not
// start a thread per job. Workers idle for `idle` exit. The owner decides the scope (rtcbin
// keeps one for the process).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <pthread.h>

namespace gstrtc {

class WorkerPool {
public:
  using Job = std::function<void()>;

  explicit WorkerPool(std::string name,
                      std::chrono::milliseconds idle = std::chrono::milliseconds(1000),
                      size_t cap = 4)
      : s_(std::make_shared<Shared>()) {
    s_->name = std::move(name);
    s_->idle_time = idle;
    s_->cap = cap;
  }
  // Waits for the workers to exit (they finish their job first). Not from a worker.
  ~WorkerPool() {
    std::unique_lock lk(s_->mutex);
    s_->stopping = true;
    s_->wake.notify_all();
    s_->watch.notify_all();
    s_->exited.wait(lk, [this] { return s_->threads == 0 && !s_->watchdog; });
  }
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  void submit(Job job) {
    std::lock_guard lk(s_->mutex);
    s_->jobs.push_back({std::move(job), Clock::now()});
    if (s_->jobs.size() <= s_->idle) {
      s_->wake.notify_one();
    } else if (s_->threads < s_->cap) {
      start_worker(s_);
    } else if (!s_->watchdog) {
      s_->watchdog = true;
      std::thread(watchdog, s_).detach();
    }
  }

  size_t threads() const {
    std::lock_guard lk(s_->mutex);
    return s_->threads;
  }

private:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kRescue = std::chrono::milliseconds(20);
  struct Queued {
    Job job;
    Clock::time_point since;
  };
  struct Shared {
    std::string name;
    std::chrono::milliseconds idle_time{};
    size_t cap = 0;
    mutable std::mutex mutex; // protects everything below
    std::condition_variable wake, exited, watch;
    std::deque<Queued> jobs;
    size_t idle = 0, threads = 0;
    bool stopping = false, watchdog = false;
  };

  // With the lock held.
  static void start_worker(const std::shared_ptr<Shared> &s) {
    s->threads++;
    std::thread(worker, s).detach();
  }

  static void watchdog(std::shared_ptr<Shared> s) {
    std::unique_lock lk(s->mutex);
    while (!s->stopping && !s->jobs.empty()) {
      auto waited = Clock::now() - s->jobs.front().since;
      if (waited >= kRescue && s->idle == 0)
        start_worker(s);
      s->watch.wait_for(lk, kRescue);
    }
    s->watchdog = false;
    s->exited.notify_all();
  }

  static void worker(std::shared_ptr<Shared> s) {
    pthread_setname_np(pthread_self(), s->name.substr(0, 15).c_str());
    std::unique_lock lk(s->mutex);
    for (;;) {
      if (s->jobs.empty()) {
        s->idle++;
        bool got =
            s->wake.wait_for(lk, s->idle_time, [&s] { return s->stopping || !s->jobs.empty(); });
        s->idle--;
        if (!got || s->jobs.empty())
          break; // idle too long, or stopping with nothing left
      }
      Job job = std::move(s->jobs.front().job);
      s->jobs.pop_front();
      lk.unlock();
      job();
      job = nullptr; // its captures go before the lock is taken again
      lk.lock();
    }
    s->threads--;
    s->exited.notify_all();
  }

  std::shared_ptr<Shared> s_;
};

} // namespace gstrtc
