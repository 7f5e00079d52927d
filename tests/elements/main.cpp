// GoogleTest main for element tests: gst-check strictness (criticals and warnings fail the
// test that raised them) and the leaks tracer (leaked GstObjects fail the binary at exit).
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <cstring>
#include <unistd.h>

// gstcheck.h itself pulls libcheck macros that clash with GoogleTest; declare the one call.
extern "C" void gst_check_init(int *argc, char **argv[]);

namespace {

void fail_on_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer) {
  if (message && strstr(message, "Leaks detected")) {
    // Reported from gst_deinit() at exit (gst_check_init registers it): fail the binary.
    fprintf(stderr, "FAILED: %s\n", message);
    _exit(1);
  }
  ADD_FAILURE() << "unexpected " << (level & G_LOG_LEVEL_CRITICAL ? "critical" : "warning")
                << " from " << (domain ? domain : "(app)") << ": " << message;
}

} // namespace

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  gst_check_init(&argc, &argv);
  // Replace gst-check's libcheck handlers with ones that report to GoogleTest.
  const auto levels = static_cast<GLogLevelFlags>(G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  for (const char *domain : {"GStreamer", "GLib-GObject", "GLib", "GLib-GIO", "libnice", "GstRtc"})
    g_log_set_handler(domain, levels, fail_on_log, nullptr);
  g_log_set_handler(nullptr, levels, fail_on_log, nullptr);
  return RUN_ALL_TESTS();
}
