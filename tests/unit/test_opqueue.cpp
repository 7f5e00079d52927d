// The operations chain: order, one at a time, operations that chain more, close() answering
// every pending operation through its drop function; and the shared workers under it.
#include "core/opqueue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <vector>

using gstrtc::OpQueue;
using gstrtc::WorkerPool;
using namespace std::chrono_literals;

TEST(OpQueue, RunsInOrderOffTheCallersThread) {
  WorkerPool pool("test");
  OpQueue q(pool);
  std::vector<int> seen;
  std::promise<void> done;
  std::thread::id tid;
  for (int i = 0; i < 1000; i++)
    q.push([&, i] {
      seen.push_back(i);
      tid = std::this_thread::get_id();
      EXPECT_TRUE(q.on_queue_thread());
    });
  q.push([&] { done.set_value(); });
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_EQ(seen.size(), 1000u);
  for (int i = 0; i < 1000; i++)
    ASSERT_EQ(seen[i], i);
  EXPECT_NE(tid, std::this_thread::get_id());
  EXPECT_FALSE(q.on_queue_thread());
}

TEST(OpQueue, OneOperationAtATimeEvenFromManyThreads) {
  WorkerPool pool("test");
  OpQueue q(pool);
  std::atomic<int> running{0}, max_running{0}, count{0};
  std::vector<std::thread> pushers;
  for (int t = 0; t < 4; t++)
    pushers.emplace_back([&] {
      for (int i = 0; i < 250; i++)
        q.push([&] {
          int now = ++running;
          max_running = std::max(max_running.load(), now);
          count++;
          --running;
        });
    });
  for (auto &p : pushers)
    p.join();
  std::promise<void> done;
  q.push([&] { done.set_value(); });
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(count.load(), 1000);
  EXPECT_EQ(max_running.load(), 1);
}

TEST(OpQueue, AnOperationMayChainTheNextOne) {
  WorkerPool pool("test");
  OpQueue q(pool);
  std::promise<int> result;
  q.push([&] { q.push([&] { result.set_value(42); }); });
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(f.get(), 42);
}

TEST(OpQueue, CloseAnswersEveryPendingOperation) {
  WorkerPool pool("test");
  OpQueue q(pool);
  std::promise<void> release;
  auto gate = release.get_future().share();
  std::atomic<int> ran{0}, dropped{0};
  q.push([gate, &ran] {
    gate.wait(); // keeps the queue busy while more arrive
    ran++;
  });
  for (int i = 0; i < 10; i++)
    EXPECT_TRUE(q.push([&] { ran++; }, [&] { dropped++; }));
  std::thread closer([&] { q.close(); });
  closer.join();
  EXPECT_EQ(dropped.load(), 10) << "each waiting promise gets its reply";
  EXPECT_FALSE(q.push([&] { ran++; }, [&] { dropped++; }));
  EXPECT_EQ(dropped.load(), 11);
  release.set_value();
  q.close(); // idempotent
}

TEST(OpQueue, DestroyedWhileBusyFinishesTheRunningOperation) {
  WorkerPool pool("test");
  std::atomic<bool> finished{false};
  std::atomic<int> dropped{0};
  {
    OpQueue q(pool);
    std::promise<void> started;
    q.push([&] {
      started.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      finished = true;
    });
    q.push([] {}, [&] { dropped++; });
    started.get_future().wait();
  }
  EXPECT_TRUE(finished.load());
  EXPECT_EQ(dropped.load(), 1);
}

TEST(OpQueue, MayBeDestroyedByItsOwnOperation) {
  // The owner's last reference can go inside an operation (a signal handler unrefs the bin).
  WorkerPool pool("test");
  auto *q = new OpQueue(pool);
  std::promise<void> done;
  q->push([&] {
    delete q;
    done.set_value();
  });
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(OpQueue, ABlockedQueueDoesNotHoldUpAnother) {
  // A signal handler of one peer connection may wait for an operation of another one.
  WorkerPool pool("test");
  OpQueue a(pool), b(pool);
  std::promise<void> b_ran;
  auto b_done = b_ran.get_future().share();
  std::promise<void> a_done;
  a.push([&] {
    b.push([&] { b_ran.set_value(); });
    EXPECT_EQ(b_done.wait_for(10s), std::future_status::ready);
    a_done.set_value();
  });
  ASSERT_EQ(a_done.get_future().wait_for(10s), std::future_status::ready);
}

TEST(OpQueue, ManyQueuesShareFewThreadsAndIdleOnesExit) {
  WorkerPool pool("test", 100ms);
  std::vector<std::unique_ptr<OpQueue>> queues;
  std::atomic<int> count{0};
  for (int i = 0; i < 50; i++)
    queues.push_back(std::make_unique<OpQueue>(pool));
  for (int round = 0; round < 20; round++)
    for (auto &q : queues)
      q->push([&] { count++; });
  for (int i = 0; i < 1000 && count.load() < 1000; i++)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(count.load(), 1000);
  // Short operations never needed a thread per queue.
  EXPECT_LE(pool.threads(), 8u);
  for (int i = 0; i < 200 && pool.threads() > 0; i++)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(pool.threads(), 0u) << "idle workers exit";
  std::promise<void> again;
  queues[7]->push([&] { again.set_value(); });
  EXPECT_EQ(again.get_future().wait_for(10s), std::future_status::ready) << "and come back";
}

TEST(OpQueue, OperationsBlockedAtTheCapStillLetTheOthersRun) {
  // Every worker blocked by an operation that waits for another queue's operation.
  WorkerPool pool("test", 1000ms, 2);
  std::vector<std::unique_ptr<OpQueue>> blocked;
  OpQueue other(pool);
  std::promise<void> other_ran;
  auto ran = other_ran.get_future().share();
  std::atomic<int> released{0};
  for (int i = 0; i < 3; i++) {
    blocked.push_back(std::make_unique<OpQueue>(pool));
    blocked.back()->push([&, ran] {
      if (ran.wait_for(10s) == std::future_status::ready)
        released++;
    });
  }
  other.push([&] { other_ran.set_value(); });
  EXPECT_EQ(ran.wait_for(10s), std::future_status::ready);
  for (int i = 0; i < 500 && released.load() < 3; i++)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(released.load(), 3);
}
