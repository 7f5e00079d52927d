// RAII owners for GLib/GStreamer references (model: WebKit GRefPtr/GUniquePtr).
// Ref<T> takes a reference when built from a raw pointer (sinking floating GstObjects);
// adopt() takes over a transfer-full pointer. GUnique<T> frees with the type's free function.
#pragma once

#include <gst/gst.h>

#include <memory>
#include <utility>

namespace gstrtc {

template <typename T> struct RefTraits;

// GstObject family: floating references are sunk.
#define GSTRTC_GSTOBJECT_TRAITS(T)                                                                 \
  template <> struct RefTraits<T> {                                                                \
    static T *ref(T *p) { return static_cast<T *>(gst_object_ref_sink(p)); }                       \
    static void unref(T *p) { gst_object_unref(p); }                                               \
  };
GSTRTC_GSTOBJECT_TRAITS(GstObject)
GSTRTC_GSTOBJECT_TRAITS(GstElement)
GSTRTC_GSTOBJECT_TRAITS(GstPad)
GSTRTC_GSTOBJECT_TRAITS(GstBus)
GSTRTC_GSTOBJECT_TRAITS(GstClock)
GSTRTC_GSTOBJECT_TRAITS(GstBufferPool)
#undef GSTRTC_GSTOBJECT_TRAITS

// Mini objects.
#define GSTRTC_MINIOBJECT_TRAITS(T)                                                                \
  template <> struct RefTraits<T> {                                                                \
    static T *ref(T *p) { return reinterpret_cast<T *>(gst_mini_object_ref(GST_MINI_OBJECT(p))); } \
    static void unref(T *p) { gst_mini_object_unref(GST_MINI_OBJECT(p)); }                         \
  };
GSTRTC_MINIOBJECT_TRAITS(GstBuffer)
GSTRTC_MINIOBJECT_TRAITS(GstBufferList)
GSTRTC_MINIOBJECT_TRAITS(GstCaps)
GSTRTC_MINIOBJECT_TRAITS(GstEvent)
GSTRTC_MINIOBJECT_TRAITS(GstMessage)
GSTRTC_MINIOBJECT_TRAITS(GstPromise)
#undef GSTRTC_MINIOBJECT_TRAITS

template <> struct RefTraits<GMainContext> {
  static GMainContext *ref(GMainContext *p) { return g_main_context_ref(p); }
  static void unref(GMainContext *p) { g_main_context_unref(p); }
};
template <> struct RefTraits<GMainLoop> {
  static GMainLoop *ref(GMainLoop *p) { return g_main_loop_ref(p); }
  static void unref(GMainLoop *p) { g_main_loop_unref(p); }
};
template <> struct RefTraits<GSource> {
  static GSource *ref(GSource *p) { return g_source_ref(p); }
  static void unref(GSource *p) { g_source_unref(p); }
};

// Plain GObjects (NiceAgent, GSubprocess, ...) use this fallback.
template <typename T> struct RefTraits {
  static T *ref(T *p) { return static_cast<T *>(g_object_ref(p)); }
  static void unref(T *p) { g_object_unref(p); }
};

template <typename T> class Ref {
public:
  Ref() = default;
  Ref(std::nullptr_t) {}
  explicit Ref(T *p) : p_(p ? RefTraits<T>::ref(p) : nullptr) {}
  Ref(const Ref &o) : p_(o.p_ ? RefTraits<T>::ref(o.p_) : nullptr) {}
  Ref(Ref &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  ~Ref() { reset(); }
  Ref &operator=(Ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  static Ref adopt(T *p) {
    Ref r;
    r.p_ = p;
    return r;
  }
  void reset() {
    if (T *p = std::exchange(p_, nullptr))
      RefTraits<T>::unref(p);
  }
  T *release() { return std::exchange(p_, nullptr); }
  T *get() const { return p_; }
  T *operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // For transfer-full T** out-parameters.
  T **out() {
    reset();
    return &p_;
  }

private:
  T *p_ = nullptr;
};

template <typename T> Ref<T> adopt(T *p) {
  return Ref<T>::adopt(p);
}

template <typename T> struct Deleter;
template <> struct Deleter<GError> {
  void operator()(GError *e) const { g_error_free(e); }
};
template <> struct Deleter<gchar> {
  void operator()(gchar *s) const { g_free(s); }
};
template <> struct Deleter<GstStructure> {
  void operator()(GstStructure *s) const { gst_structure_free(s); }
};
template <typename T> using GUnique = std::unique_ptr<T, Deleter<T>>;

// Fills a GError** and owns the result.
class GErrorOut {
public:
  ~GErrorOut() { g_clear_error(&e_); }
  GError **out() { return &e_; }
  GError *get() const { return e_; }
  const char *message() const { return e_ ? e_->message : ""; }
  explicit operator bool() const { return e_ != nullptr; }

private:
  GError *e_ = nullptr;
};

// gst_buffer_map for the scope.
class BufferMap {
public:
  BufferMap(GstBuffer *b, GstMapFlags flags) : buf_(b) { ok_ = gst_buffer_map(b, &info_, flags); }
  ~BufferMap() {
    if (ok_)
      gst_buffer_unmap(buf_, &info_);
  }
  BufferMap(const BufferMap &) = delete;
  BufferMap &operator=(const BufferMap &) = delete;
  explicit operator bool() const { return ok_; }
  guint8 *data() const { return info_.data; }
  gsize size() const { return info_.size; }

private:
  GstBuffer *buf_;
  GstMapInfo info_{};
  bool ok_ = false;
};

// Disconnects a GObject signal handler at scope end.
class SignalGuard {
public:
  SignalGuard() = default;
  SignalGuard(gpointer instance, gulong id) : instance_(instance), id_(id) {}
  SignalGuard(SignalGuard &&o) noexcept
      : instance_(std::exchange(o.instance_, nullptr)), id_(std::exchange(o.id_, 0)) {}
  SignalGuard &operator=(SignalGuard &&o) noexcept {
    disconnect();
    instance_ = std::exchange(o.instance_, nullptr);
    id_ = std::exchange(o.id_, 0);
    return *this;
  }
  ~SignalGuard() { disconnect(); }
  void disconnect() {
    if (instance_ && id_)
      g_signal_handler_disconnect(instance_, id_);
    instance_ = nullptr;
    id_ = 0;
  }

private:
  gpointer instance_ = nullptr;
  gulong id_ = 0;
};

} // namespace gstrtc
