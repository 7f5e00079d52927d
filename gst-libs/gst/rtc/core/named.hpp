// A process-wide table of weak references by name, for objects that gst-launch lines share by
// a name property (code passes the objects themselves). Entries die with their objects.
#pragma once

#include <glib-object.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace gstrtc {

class NamedRegistry {
public:
  // The live object of that name (transfer full), or a new one from create() (transfer full).
  gpointer get_or_create(const std::string &name, const std::function<gpointer()> &create) {
    std::lock_guard lk(lock_);
    for (auto it = map_.begin(); it != map_.end();) {
      gpointer o = g_weak_ref_get(it->second.get());
      if (!o) {
        it = map_.erase(it);
        continue;
      }
      if (it->first == name)
        return o;
      g_object_unref(o);
      ++it;
    }
    gpointer obj = create();
    std::unique_ptr<GWeakRef, void (*)(GWeakRef *)> ref(g_new0(GWeakRef, 1), [](GWeakRef *w) {
      g_weak_ref_clear(w);
      g_free(w);
    });
    g_weak_ref_init(ref.get(), obj);
    map_.emplace(name, std::move(ref));
    return obj;
  }

private:
  std::mutex lock_; // protects map_
  std::map<std::string, std::unique_ptr<GWeakRef, void (*)(GWeakRef *)>> map_;
};

} // namespace gstrtc
