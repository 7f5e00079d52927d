// C++ classes of libgstrtc that the plugin uses directly (internal API, not installed).
#pragma once
#define GSTRTC_INTERNAL __attribute__((visibility("default")))
