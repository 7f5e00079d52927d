#include "ice/iceloop.hpp"

#include <condition_variable>
#include <mutex>

namespace gstrtc::ice {

namespace {

std::mutex g_loop_lock; // protects g_loop
std::weak_ptr<IceLoop> g_loop;

struct LoopThreadData {
  GMainContext *ctx;
  GMainLoop *loop;
};

gpointer loop_thread(gpointer p) {
  auto *d = static_cast<LoopThreadData *>(p);
  g_main_context_push_thread_default(d->ctx);
  g_main_loop_run(d->loop);
  // Let pending callbacks (e.g. nice_agent_close_async) finish before the context goes.
  for (int i = 0; i < 100 && g_main_context_iteration(d->ctx, FALSE); i++) {
  }
  g_main_context_pop_thread_default(d->ctx);
  g_main_loop_unref(d->loop);
  g_main_context_unref(d->ctx);
  delete d;
  return nullptr;
}

} // namespace

std::shared_ptr<IceLoop> IceLoop::acquire() {
  std::lock_guard lk(g_loop_lock);
  auto loop = g_loop.lock();
  if (!loop) {
    loop = std::shared_ptr<IceLoop>(new IceLoop());
    g_loop = loop;
  }
  return loop;
}

IceLoop::IceLoop() {
  ctx_ = g_main_context_new();
  loop_ = g_main_loop_new(ctx_, FALSE);
  auto *d = new LoopThreadData{g_main_context_ref(ctx_), g_main_loop_ref(loop_)};
  thread_ = g_thread_new("rtc-ice", loop_thread, d);
  // Wait until the loop runs, so on_loop_thread() is meaningful from here on.
  run_sync([] {});
}

IceLoop::~IceLoop() {
  bool self = on_loop_thread();
  g_main_loop_quit(loop_);
  g_main_context_wakeup(ctx_);
  if (self)
    g_thread_unref(thread_); // the thread exits after this callback returns
  else
    g_thread_join(thread_);
  g_main_loop_unref(loop_);
  g_main_context_unref(ctx_);
}

void IceLoop::run_sync(const std::function<void()> &fn) {
  if (on_loop_thread()) {
    fn();
    return;
  }
  struct Call {
    const std::function<void()> *fn;
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
  } call{&fn};
  GSource *src = g_idle_source_new();
  g_source_set_priority(src, G_PRIORITY_HIGH);
  g_source_set_callback(
      src,
      [](gpointer p) -> gboolean {
        auto *c = static_cast<Call *>(p);
        (*c->fn)();
        std::lock_guard lk(c->m);
        c->done = true;
        c->cv.notify_one();
        return G_SOURCE_REMOVE;
      },
      &call, nullptr);
  g_source_attach(src, ctx_);
  g_source_unref(src);
  std::unique_lock lk(call.m);
  call.cv.wait(lk, [&] { return call.done; });
}

} // namespace gstrtc::ice
