// One thread and GMainContext for all libnice agents of the process, refcounted: it starts with
// the first transport and stops after the last (libdatachannel's init token, for one library).
#pragma once

#include <glib.h>

#include <functional>
#include <memory>

namespace gstrtc::ice {

class IceLoop {
public:
  static std::shared_ptr<IceLoop> acquire();
  ~IceLoop();
  IceLoop(const IceLoop &) = delete;
  IceLoop &operator=(const IceLoop &) = delete;

  GMainContext *context() const { return ctx_; }
  bool on_loop_thread() const { return g_main_context_is_owner(ctx_); }
  // Runs fn on the loop thread and waits for it; runs inline when already there.
  void run_sync(const std::function<void()> &fn);

private:
  IceLoop();
  GMainContext *ctx_ = nullptr;
  GMainLoop *loop_ = nullptr;
  GThread *thread_ = nullptr;
};

} // namespace gstrtc::ice
