// rtcbin-send: a C++ application that calls whoever connects to it and sends them test video
// (VP8) and audio (Opus) over WebRTC; what the peer sends back is decoded and counted.
//
//   rtcbin-send [--port 8765] [--seconds 10] [--address 127.0.0.1]
//
// Signalling is one JSON object per line over TCP (the example's own, as a web app would use a
// websocket): {"type":"offer"|"answer","sdp":"..."} and
// {"type":"candidate","mline":0,"candidate":"candidate:..."}. The peer can be
// examples/rtcbin_receive.py, or any WebRTC stack behind a small relay.
#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/rtc/rtc.h>
#include <json-glib/json-glib.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

namespace {

struct App {
  GMainLoop *loop = nullptr;
  GstElement *pipeline = nullptr, *pc = nullptr;
  GSocketConnection *conn = nullptr;
  GDataInputStream *in = nullptr;
  std::mutex send_lock; // serialises writes from the bin's threads
  std::atomic<guint64> video{0}, audio{0};
  int seconds = 10;
  bool failed = false;
};

void send_json(App *app, JsonBuilder *b) {
  JsonGenerator *gen = json_generator_new();
  JsonNode *root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  gchar *text = json_generator_to_data(gen, nullptr);
  std::string line = std::string(text) + "\n";
  {
    std::lock_guard lk(app->send_lock);
    GOutputStream *out = g_io_stream_get_output_stream(G_IO_STREAM(app->conn));
    g_output_stream_write_all(out, line.data(), line.size(), nullptr, nullptr, nullptr);
  }
  g_free(text);
  json_node_unref(root);
  g_object_unref(gen);
  g_object_unref(b);
}

void send_sdp(App *app, const char *type, GstRtcSessionDescription *desc) {
  gchar *sdp = gst_sdp_message_as_text(desc->sdp);
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "type");
  json_builder_add_string_value(b, type);
  json_builder_set_member_name(b, "sdp");
  json_builder_add_string_value(b, sdp);
  json_builder_end_object(b);
  send_json(app, b);
  g_free(sdp);
}

// --- rtcbin callbacks -----------------------------------------------------------------------

void on_offer_created(GstPromise *promise, gpointer data) {
  auto *app = static_cast<App *>(data);
  const GstStructure *reply = gst_promise_get_reply(promise);
  GstRtcSessionDescription *offer = nullptr;
  if (reply &&
      gst_structure_get(reply, "offer", GST_TYPE_RTC_SESSION_DESCRIPTION, &offer, nullptr)) {
    g_signal_emit_by_name(app->pc, "set-local-description", offer, nullptr);
    send_sdp(app, "offer", offer);
    gst_rtc_session_description_free(offer);
  } else {
    GError *err = nullptr;
    if (reply)
      gst_structure_get(reply, "error", G_TYPE_ERROR, &err, nullptr);
    g_printerr("create-offer failed: %s\n", err ? err->message : "no reply");
    g_clear_error(&err);
    app->failed = true;
    g_main_loop_quit(app->loop);
  }
  gst_promise_unref(promise);
}

void on_negotiation_needed(GstElement *pc, App *app) {
  g_signal_emit_by_name(pc, "create-offer", nullptr,
                        gst_promise_new_with_change_func(on_offer_created, app, nullptr));
}

void on_ice_candidate(GstElement *, guint mline, const gchar *candidate, App *app) {
  JsonBuilder *b = json_builder_new();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "type");
  json_builder_add_string_value(b, "candidate");
  json_builder_set_member_name(b, "mline");
  json_builder_add_int_value(b, mline);
  json_builder_set_member_name(b, "candidate");
  json_builder_add_string_value(b, candidate);
  json_builder_end_object(b);
  send_json(app, b);
}

void count(GstElement *, GstBuffer *, GstPad *, std::atomic<guint64> *n) {
  (*n)++;
}

// A remote track: decode it and count what comes out.
void on_pad_added(GstElement *, GstPad *pad, App *app) {
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
    return;
  GstElement *dec = gst_element_factory_make("decodebin", nullptr);
  g_signal_connect(
      dec, "pad-added", G_CALLBACK(+[](GstElement *, GstPad *p, App *a) {
        GstCaps *caps = gst_pad_query_caps(p, nullptr);
        bool video =
            g_str_has_prefix(gst_structure_get_name(gst_caps_get_structure(caps, 0)), "video");
        gst_caps_unref(caps);
        GstElement *sink = gst_element_factory_make("fakesink", nullptr);
        g_object_set(sink, "sync", FALSE, "async", FALSE, "signal-handoffs", TRUE, nullptr);
        g_signal_connect(sink, "handoff", G_CALLBACK(count), video ? &a->video : &a->audio);
        gst_bin_add(GST_BIN(a->pipeline), sink);
        gst_element_sync_state_with_parent(sink);
        GstPad *sinkpad = gst_element_get_static_pad(sink, "sink");
        gst_pad_link(p, sinkpad);
        gst_object_unref(sinkpad);
      }),
      app);
  gst_bin_add(GST_BIN(app->pipeline), dec);
  gst_element_sync_state_with_parent(dec);
  GstPad *sink = gst_element_get_static_pad(dec, "sink");
  gst_pad_link(pad, sink);
  gst_object_unref(sink);
}

// --- signalling in ------------------------------------------------------------------------

void on_line(GObject *source, GAsyncResult *res, gpointer data) {
  auto *app = static_cast<App *>(data);
  gchar *line =
      g_data_input_stream_read_line_finish(G_DATA_INPUT_STREAM(source), res, nullptr, nullptr);
  if (!line) {
    g_print("peer hung up\n");
    g_main_loop_quit(app->loop);
    return;
  }
  JsonParser *parser = json_parser_new();
  if (json_parser_load_from_data(parser, line, -1, nullptr) &&
      JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
    JsonObject *msg = json_node_get_object(json_parser_get_root(parser));
    const gchar *type = json_object_get_string_member_with_default(msg, "type", "");
    if (g_str_equal(type, "answer")) {
      GError *err = nullptr;
      GstRtcSessionDescription *answer = gst_rtc_session_description_new_from_text(
          GST_RTC_SDP_TYPE_ANSWER, json_object_get_string_member_with_default(msg, "sdp", ""),
          &err);
      if (answer) {
        g_signal_emit_by_name(app->pc, "set-remote-description", answer, nullptr);
        gst_rtc_session_description_free(answer);
      } else {
        g_printerr("bad answer: %s\n", err->message);
        g_error_free(err);
      }
    } else if (g_str_equal(type, "candidate")) {
      g_signal_emit_by_name(app->pc, "add-ice-candidate",
                            (guint)json_object_get_int_member_with_default(msg, "mline", 0),
                            json_object_get_string_member_with_default(msg, "candidate", ""));
    }
  }
  g_object_unref(parser);
  g_free(line);
  g_data_input_stream_read_line_async(app->in, G_PRIORITY_DEFAULT, nullptr, on_line, app);
}

gboolean on_tick(gpointer data) {
  auto *app = static_cast<App *>(data);
  GstRtcPeerConnectionState st;
  g_object_get(app->pc, "connection-state", &st, nullptr);
  g_print("connection %d, decoded from peer: %llu video frames, %llu audio buffers\n", st,
          (unsigned long long)app->video.load(), (unsigned long long)app->audio.load());
  if (--app->seconds <= 0) {
    g_main_loop_quit(app->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

} // namespace

int main(int argc, char **argv) {
  gst_init(&argc, &argv);
  App app;
  int port = 8765;
  const char *address = "127.0.0.1";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--port"))
      port = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--seconds"))
      app.seconds = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--address"))
      address = argv[i + 1];
  }
  app.loop = g_main_loop_new(nullptr, FALSE);

  // Wait for the peer on the signalling port.
  GSocketListener *listener = g_socket_listener_new();
  GInetAddress *ia = g_inet_address_new_from_string(address);
  GSocketAddress *sa = g_inet_socket_address_new(ia, port);
  GError *err = nullptr;
  if (!g_socket_listener_add_address(listener, sa, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                     nullptr, nullptr, &err)) {
    g_printerr("cannot listen on %s:%d: %s\n", address, port, err->message);
    return 2;
  }
  g_object_unref(sa);
  g_object_unref(ia);
  g_print("waiting for a peer on %s:%d\n", address, port);
  app.conn = g_socket_listener_accept(listener, nullptr, nullptr, &err);
  g_object_unref(listener);
  if (!app.conn) {
    g_printerr("accept: %s\n", err->message);
    return 2;
  }
  app.in = g_data_input_stream_new(g_io_stream_get_input_stream(G_IO_STREAM(app.conn)));

  // The call: webrtcbin's API, renamed.
  gchar *desc = g_strdup_printf(
      "rtcbin name=pc ice-addresses=%s "
      "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1 "
      "! vp8enc deadline=1 keyframe-max-dist=60 ! rtpvp8pay pt=96 ! pc. "
      "audiotestsrc is-live=true wave=ticks ! opusenc ! rtpopuspay pt=97 ! pc.",
      address);
  app.pipeline = gst_parse_launch(desc, &err);
  g_free(desc);
  if (!app.pipeline) {
    g_printerr("pipeline: %s\n", err->message);
    return 2;
  }
  app.pc = gst_bin_get_by_name(GST_BIN(app.pipeline), "pc");
  g_signal_connect(app.pc, "on-negotiation-needed", G_CALLBACK(on_negotiation_needed), &app);
  g_signal_connect(app.pc, "on-ice-candidate", G_CALLBACK(on_ice_candidate), &app);
  g_signal_connect(app.pc, "pad-added", G_CALLBACK(on_pad_added), &app);
  g_data_input_stream_read_line_async(app.in, G_PRIORITY_DEFAULT, nullptr, on_line, &app);
  gst_element_set_state(app.pipeline, GST_STATE_PLAYING);
  g_timeout_add_seconds(1, on_tick, &app);
  g_main_loop_run(app.loop);

  gst_element_set_state(app.pipeline, GST_STATE_NULL);
  bool ok = !app.failed && app.video > 0 && app.audio > 0;
  g_print("%s: %llu video frames, %llu audio buffers decoded from the peer\n",
          ok ? "done" : "FAILED", (unsigned long long)app.video.load(),
          (unsigned long long)app.audio.load());
  gst_object_unref(app.pc);
  gst_object_unref(app.pipeline);
  g_object_unref(app.in);
  g_object_unref(app.conn);
  g_main_loop_unref(app.loop);
  return ok ? 0 : 1;
}
