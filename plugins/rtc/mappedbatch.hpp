// Batches of packets between buffer lists and the cores that take and make them in batches
// (SCTP packets, DTLS records). MappedBatch: up to kMax buffers mapped for reading, with a view
// of each, so that the buffers of a list reach a core without a copy.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <span>

namespace gstrtc {

class MappedBatch {
public:
  static constexpr guint kMax = 64;
  using Views = std::span<const std::span<const uint8_t>>;

  MappedBatch() = default;
  MappedBatch(const MappedBatch &) = delete;
  MappedBatch &operator=(const MappedBatch &) = delete;
  ~MappedBatch() { clear(); }

  bool full() const { return n_ == kMax; }
  bool empty() const { return n_ == 0; }
  // Takes `buf`; one that cannot be mapped is dropped.
  void add(GstBuffer *buf) {
    if (!gst_buffer_map(buf, &maps_[n_], GST_MAP_READ)) {
      gst_buffer_unref(buf);
      return;
    }
    bufs_[n_] = buf;
    views_[n_] = {maps_[n_].data, maps_[n_].size};
    n_++;
  }
  Views views() const { return {views_, n_}; }
  void clear() {
    for (guint i = 0; i < n_; i++) {
      gst_buffer_unmap(bufs_[i], &maps_[i]);
      gst_buffer_unref(bufs_[i]);
    }
    n_ = 0;
  }

private:
  GstBuffer *bufs_[kMax];
  GstMapInfo maps_[kMax];
  std::span<const uint8_t> views_[kMax];
  guint n_ = 0;
};

// A buffer holding a copy of `d`: its memory and data one allocation (gst_buffer_new_memdup
// takes three).
inline GstBuffer *buffer_copy_of(std::span<const uint8_t> d) {
  GstBuffer *b = gst_buffer_new_allocate(nullptr, d.size(), nullptr);
  gst_buffer_fill(b, 0, d.data(), d.size());
  return b;
}

// Pushes a copy of each of `views` on `pad`: one buffer alone, several as one list.
inline GstFlowReturn push_copies(GstPad *pad, MappedBatch::Views views) {
  if (views.size() == 1)
    return gst_pad_push(pad, buffer_copy_of(views[0]));
  GstBufferList *list = gst_buffer_list_new_sized(guint(views.size()));
  for (auto v : views)
    gst_buffer_list_add(list, buffer_copy_of(v));
  return gst_pad_push_list(pad, list);
}

// Hands the buffers of `list` to `take` (a MappedBatch::Views consumer) in batches of at most
// kMax; the list is not consumed.
template <typename F> void for_each_batch(GstBufferList *list, F &&take) {
  MappedBatch batch;
  guint len = gst_buffer_list_length(list);
  for (guint i = 0; i < len; i++) {
    batch.add(gst_buffer_ref(gst_buffer_list_get(list, i)));
    if (batch.full() || i + 1 == len) {
      if (!batch.empty())
        take(batch.views());
      batch.clear();
    }
  }
}

} // namespace gstrtc
