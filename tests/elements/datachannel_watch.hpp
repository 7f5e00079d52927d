// What a data channel did, recorded by its signal handlers (any thread), for tests to wait on.
#pragma once

#include <gst/rtc/rtc.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace {

// What one channel saw, filled by its signal handlers (any thread).
struct Seen {
  std::mutex m;
  std::condition_variable cv;
  int opened = 0, closed = 0, low = 0;
  bool open_from_state = false; // opened counted from ready-state, before its on-open
  std::vector<std::string> errors;
  std::deque<std::pair<bool, std::string>> messages; // binary?, bytes
  std::function<void(GstRtcDataChannel *, bool, const std::string &)> on_message;

  template <typename P> bool wait(P pred, int ms = 10000) {
    std::unique_lock lk(m);
    return cv.wait_for(lk, std::chrono::milliseconds(ms), pred);
  }
  void bump(std::function<void()> f) {
    {
      std::lock_guard lk(m);
      f();
    }
    cv.notify_all();
  }
};

void watch(GstRtcDataChannel *dc, Seen *seen) {
  g_signal_connect(dc, "on-open", G_CALLBACK(+[](GstRtcDataChannel *, Seen *s) {
                     s->bump([s] {
                       if (!std::exchange(s->open_from_state, false))
                         s->opened++;
                     });
                   }),
                   seen);
  g_signal_connect(dc, "on-close",
                   G_CALLBACK(+[](GstRtcDataChannel *, Seen *s) { s->bump([s] { s->closed++; }); }),
                   seen);
  g_signal_connect(dc, "on-buffered-amount-low",
                   G_CALLBACK(+[](GstRtcDataChannel *, Seen *s) { s->bump([s] { s->low++; }); }),
                   seen);
  g_signal_connect(dc, "on-error", G_CALLBACK(+[](GstRtcDataChannel *, GError *e, Seen *s) {
                     std::string msg = e->message;
                     s->bump([s, msg] { s->errors.push_back(msg); });
                   }),
                   seen);
  g_signal_connect(dc, "on-message-string",
                   G_CALLBACK(+[](GstRtcDataChannel *ch, const gchar *str, Seen *s) {
                     std::string v = str ? str : "";
                     if (s->on_message)
                       s->on_message(ch, false, v);
                     s->bump([s, v] { s->messages.emplace_back(false, v); });
                   }),
                   seen);
  g_signal_connect(dc, "on-message-data",
                   G_CALLBACK(+[](GstRtcDataChannel *ch, GBytes *b, Seen *s) {
                     gsize n = 0;
                     const char *p = static_cast<const char *>(g_bytes_get_data(b, &n));
                     std::string v(p ? p : "", n);
                     if (s->on_message)
                       s->on_message(ch, true, v);
                     s->bump([s, v] { s->messages.emplace_back(true, v); });
                   }),
                   seen);
  // The channel may have opened before the handlers were connected (the peer's ACK can come
  // back before create-data-channel returns): what applications must do, check the state.
  GstRtcDataChannelState state;
  g_object_get(dc, "ready-state", &state, nullptr);
  if (state == GST_RTC_DATA_CHANNEL_STATE_OPEN)
    seen->bump([seen] {
      if (seen->opened == 0) {
        seen->opened = 1;
        seen->open_from_state = true;
      }
    });
}

// Deterministic bytes: message `seed` of `n` bytes (printable, no NUL: valid as a string).
inline std::string pattern(size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i++)
    s[i] = char('a' + (i * 7 + seed) % 26);
  return s;
}

// Sends a message as a string or as binary; "" or the error.
inline std::string send(GstRtcDataChannel *dc, bool binary, const std::string &v) {
  GError *err = nullptr;
  gboolean ok;
  if (binary) {
    GBytes *bytes = g_bytes_new(v.data(), v.size());
    ok = gst_rtc_data_channel_send_data_full(dc, bytes, &err);
    g_bytes_unref(bytes);
  } else {
    ok = gst_rtc_data_channel_send_string_full(dc, v.c_str(), &err);
  }
  if (ok)
    return "";
  std::string m = err->message;
  g_error_free(err);
  return m;
}

// An on_message that sends every message back as it came.
inline void echo(GstRtcDataChannel *ch, bool binary, const std::string &v) {
  std::string e = send(ch, binary, v);
  if (!e.empty())
    g_printerr("echo failed: %s\n", e.c_str());
}

} // namespace
