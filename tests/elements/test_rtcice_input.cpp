// Bad input to the ICE transport: a clear GError naming the bad value, no crash, and the
// transport keeps working with the good input that follows.
#include "icepair.hpp"

#include <gtest/gtest.h>

using namespace test;

namespace {

struct BadCandidate {
  const char *text;
  const char *must_mention;
};

const BadCandidate kBadCandidates[] = {
    {"garbage", "does not start with 'candidate:'"},
    {"candidate:", "need at least 8"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1", "need at least 8"},
    {"candidate:1 1 SCTP 2122260223 127.0.0.1 5000 typ host", "transport 'SCTP'"},
    {"candidate:1 1 UDP 99999999999 127.0.0.1 5000 typ host", "priority '99999999999'"},
    {"candidate:1 1 UDP -5 127.0.0.1 5000 typ host", "priority '-5'"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1 70000 typ host", "port '70000'"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1 0 typ host", "port '0'"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1 abc typ host", "port 'abc'"},
    {"candidate:1 1 UDP 2122260223 300.1.2.3x 5000 typ host", "'300.1.2.3x'"},
    {"candidate:1 1 UDP 2122260223 bad_host! 5000 typ host", "connection-address 'bad_host!'"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1 5000 type host", "'typ' keyword 'type'"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ hots", "candidate type 'hots'"},
    {"candidate:1 0 UDP 2122260223 127.0.0.1 5000 typ host", "component-id '0'"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ srflx raddr 1.2.3 rport 1", "raddr '1.2.3'"},
    {"candidate:1 1 UDP 2122260223 127.0.0.1 5000 typ host generation", "name without value"},
    {"candidate:1 1 TCP 2122260223 127.0.0.1 5000 typ host", "without tcptype"},
    {"candidate:f*o 1 UDP 2122260223 127.0.0.1 5000 typ host", "foundation 'f*o'"},
    {"candidate:1 1 UDP 2122260223 abcdef0123.local 5000 typ host", "abcdef0123.local"},
};

struct BadUri {
  const char *uri;
  bool turn;
  const char *must_mention;
};

const BadUri kBadUris[] = {
    {"127.0.0.1:3478", false, "unknown scheme '127.0.0.1'"},
    {"http://example.org", false, "unknown scheme 'http'"},
    {"stun://", false, "no host"},
    {"stun://127.0.0.1:0", false, "invalid port '0'"},
    {"stun://127.0.0.1:99999", false, "invalid port '99999'"},
    {"stun://127.0.0.1:x", false, "invalid port 'x'"},
    {"stun://[::1", false, "unterminated '['"},
    {"stun://user:pw@127.0.0.1", false, "credentials are only allowed"},
    {"turn://127.0.0.1:3478", true, "TURN needs credentials"},
    {"turn://u:p@127.0.0.1:3478?transport=sctp", true, "unknown parameter 'transport=sctp'"},
    {"turns://u:p@127.0.0.1?transport=udp", true, "transport=udp is not possible"},
    {"turn://nocolon@127.0.0.1", true, "user:password"},
    {"stun://127.0.0.1:3478", true, "is not a TURN URI"},
    {"turn://u:p@127.0.0.1", false, "is a TURN URI"},
    {"stun://bad host", false, "invalid character ' '"},
};

} // namespace

TEST(RtcIceInput, MalformedCandidatesAreRejectedByNameAndGoodOnesStillConnect) {
  IcePair pair;
  for (const auto &bad : kBadCandidates) {
    GError *err = nullptr;
    EXPECT_FALSE(gst_rtc_ice_transport_add_remote_candidate(pair.a.get(), bad.text, &err))
        << bad.text;
    ASSERT_NE(err, nullptr) << bad.text;
    EXPECT_EQ(err->domain, GST_RTC_ERROR);
    EXPECT_NE(strstr(err->message, bad.must_mention), nullptr)
        << "for '" << bad.text << "' the error was: " << err->message;
    g_error_free(err);
  }
  pair.start();
  ASSERT_TRUE(pair.wait_connected());
  Link ab(pair.a.get(), pair.b.get()), ba(pair.b.get(), pair.a.get());
  EXPECT_EQ(exchange(ab, ba, 500), "");
}

TEST(RtcIceInput, MalformedCandidateErrorsAreTypeErrors) {
  IcePair pair;
  GError *err = nullptr;
  EXPECT_FALSE(gst_rtc_ice_transport_add_remote_candidate(pair.a.get(), "x", &err));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, GST_RTC_ERROR_TYPE_ERROR);
  g_error_free(err);
}

TEST(RtcIceInput, MalformedServerUrisAreRejectedByName) {
  GstRtcICETransport *t = gst_rtc_ice_transport_new(nullptr);
  for (const auto &bad : kBadUris) {
    GError *err = nullptr;
    gboolean ok = bad.turn ? gst_rtc_ice_transport_add_turn_server(t, bad.uri, &err)
                           : gst_rtc_ice_transport_set_stun_server(t, bad.uri, &err);
    EXPECT_FALSE(ok) << bad.uri;
    ASSERT_NE(err, nullptr) << bad.uri;
    EXPECT_EQ(err->code, GST_RTC_ERROR_TYPE_ERROR);
    EXPECT_NE(strstr(err->message, bad.must_mention), nullptr)
        << "for '" << bad.uri << "' the error was: " << err->message;
    g_error_free(err);
  }
  // Credentials never appear in errors.
  GError *err = nullptr;
  EXPECT_FALSE(gst_rtc_ice_transport_add_turn_server(t, "turn://alice:s3cret@h:0", &err));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(strstr(err->message, "s3cret"), nullptr) << err->message;
  g_error_free(err);
  // Nothing bad was kept.
  gchar *stun = nullptr, *turn = nullptr;
  g_object_get(t, "stun-server", &stun, "turn-server", &turn, nullptr);
  EXPECT_EQ(stun, nullptr);
  EXPECT_EQ(turn, nullptr);
  // Good ones are accepted.
  EXPECT_TRUE(gst_rtc_ice_transport_set_stun_server(t, "stun://127.0.0.1:3478", nullptr));
  EXPECT_TRUE(
      gst_rtc_ice_transport_add_turn_server(t, "turn://u:p@[::1]:3478?transport=tcp", nullptr));
  g_object_get(t, "stun-server", &stun, "turn-server", &turn, nullptr);
  EXPECT_STREQ(stun, "stun:127.0.0.1:3478");
  EXPECT_STREQ(turn, "turn:[::1]:3478?transport=tcp");
  g_free(stun);
  g_free(turn);
  gst_object_unref(t);
}

TEST(RtcIceInput, BadCredentialsAreRejected) {
  GstRtcICETransport *t = gst_rtc_ice_transport_new(nullptr);
  GError *err = nullptr;
  EXPECT_FALSE(gst_rtc_ice_transport_set_remote_credentials(t, "ab", "x", &err));
  ASSERT_NE(err, nullptr);
  EXPECT_NE(strstr(err->message, "'ab'"), nullptr) << err->message;
  g_clear_error(&err);
  EXPECT_FALSE(gst_rtc_ice_transport_set_local_credentials(t, "abcd", "short", &err));
  ASSERT_NE(err, nullptr);
  EXPECT_NE(strstr(err->message, "22 to 256"), nullptr) << err->message;
  g_clear_error(&err);
  EXPECT_TRUE(
      gst_rtc_ice_transport_set_local_credentials(t, "abcd", "0123456789012345678901", &err));
  gchar *u = nullptr;
  g_object_get(t, "local-ufrag", &u, nullptr);
  EXPECT_STREQ(u, "abcd");
  g_free(u);
  gst_object_unref(t);
}

TEST(RtcIceInput, RelayPolicyWithoutTurnServerFailsToGather) {
  GstRtcICETransport *t = gst_rtc_ice_transport_new(nullptr);
  g_object_set(t, "ice-transport-policy", GST_RTC_ICE_TRANSPORT_POLICY_RELAY, nullptr);
  GError *err = nullptr;
  EXPECT_FALSE(gst_rtc_ice_transport_gather_candidates(t, &err));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, GST_RTC_ERROR_INVALID_STATE);
  EXPECT_NE(strstr(err->message, "no TURN server"), nullptr) << err->message;
  g_error_free(err);
  gst_object_unref(t);
}

TEST(RtcIceInput, BadIceAddressIsNamedAndNothingIsGathered) {
  GstRtcICETransport *t = gst_rtc_ice_transport_new(nullptr);
  g_object_set(t, "ice-addresses", "127.0.0.1,not-an-ip", nullptr);
  GError *err = nullptr;
  EXPECT_FALSE(gst_rtc_ice_transport_gather_candidates(t, &err));
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->code, GST_RTC_ERROR_TYPE_ERROR);
  EXPECT_NE(strstr(err->message, "'not-an-ip'"), nullptr) << err->message;
  g_error_free(err);
  GstRtcICEGatheringState gs;
  g_object_get(t, "gathering-state", &gs, nullptr);
  EXPECT_EQ(gs, GST_RTC_ICE_GATHERING_STATE_NEW);
  // Corrected, the same transport gathers.
  g_object_set(t, "ice-addresses", "127.0.0.1", nullptr);
  EXPECT_TRUE(gst_rtc_ice_transport_gather_candidates(t, nullptr));
  gst_object_unref(t);
}

TEST(RtcIceInput, ElementWithoutTransportFailsWithMessage) {
  GstElement *pipe = gst_parse_launch("fakesrc num-buffers=1 ! rtcicesink", nullptr);
  ASSERT_NE(pipe, nullptr);
  EXPECT_EQ(gst_element_set_state(pipe, GST_STATE_PLAYING), GST_STATE_CHANGE_FAILURE);
  GstBus *bus = gst_element_get_bus(pipe);
  GstMessage *msg = gst_bus_timed_pop_filtered(bus, GST_SECOND, GST_MESSAGE_ERROR);
  ASSERT_NE(msg, nullptr);
  GError *err = nullptr;
  gchar *dbg = nullptr;
  gst_message_parse_error(msg, &err, &dbg);
  EXPECT_NE(strstr(err->message, "No ICE transport"), nullptr) << err->message;
  EXPECT_NE(strstr(dbg, "transport-name"), nullptr) << dbg;
  g_error_free(err);
  g_free(dbg);
  gst_message_unref(msg);
  gst_object_unref(bus);
  gst_element_set_state(pipe, GST_STATE_NULL);
  gst_object_unref(pipe);
}
