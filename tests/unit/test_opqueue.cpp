// The operations chain: order, one thread, operations that chain more, and close() answering
// every pending operation through its drop function.
#include "core/opqueue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <vector>

using gstrtc::OpQueue;

TEST(OpQueue, RunsInOrderOnItsOwnThread) {
  OpQueue q("test");
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
  OpQueue q("test");
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
  OpQueue q("test");
  std::promise<int> result;
  q.push([&] { q.push([&] { result.set_value(42); }); });
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(f.get(), 42);
}

TEST(OpQueue, CloseAnswersEveryPendingOperation) {
  OpQueue q("test");
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
  std::atomic<bool> finished{false};
  std::atomic<int> dropped{0};
  {
    OpQueue q("test");
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
  auto *q = new OpQueue("test");
  std::promise<void> done;
  q->push([&] {
    delete q;
    done.set_value();
  });
  ASSERT_EQ(done.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}
