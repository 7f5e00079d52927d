/**
 * SECTION:element-rtcbin
 * @title: rtcbin
 *
 * A WebRTC peer connection (W3C RTCPeerConnection) with webrtcbin's API: the same signals,
 * properties and promise replies, with GstRtc* types. Request sink pads take RTP from
 * payloaders; remote tracks appear as src pads ("pad-added"). Offers and answers come from
 * gst-rtc's JSEP engine; each transport is rtcicesrc/rtcicesink and rtcdtlssrtpenc/dec around
 * rtpbin. bundle-policy defaults to balanced (what browsers expect).
 *
 * ## Example
 * |[
 * gst-launch-1.0 rtcbin name=pc ice-addresses=127.0.0.1 \
 *   videotestsrc ! vp8enc ! rtpvp8pay ! pc.
 * ]| (with an application doing signalling through the signals below)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrtcbin.h"

#include "gstrtcelements.h"
#include "rtcbin/peerconnection.hpp"

#include <gst/rtc/rtc.h>

GST_DEBUG_CATEGORY(gst_rtc_bin_debug);
#define GST_CAT_DEFAULT gst_rtc_bin_debug

using gstrtc::rtcbin::PeerConnection;
using gstrtc::rtcbin::Which;

// --- GstRtcBinPad: rtcbin's pads, with their transceiver ------------------------------------

struct _GstRtcBinPad {
  GstGhostPad parent;
  GstRtcRTPTransceiver *transceiver; // owned; set once at creation
};

G_DEFINE_TYPE(GstRtcBinPad, gst_rtc_bin_pad, GST_TYPE_GHOST_PAD)

enum { PAD_PROP_0, PAD_PROP_TRANSCEIVER };

static void pad_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
  auto *pad = GST_RTC_BIN_PAD(object);
  if (prop_id == PAD_PROP_TRANSCEIVER)
    g_value_set_object(value, pad->transceiver);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
}

static void pad_finalize(GObject *object) {
  gst_clear_object(&GST_RTC_BIN_PAD(object)->transceiver);
  G_OBJECT_CLASS(gst_rtc_bin_pad_parent_class)->finalize(object);
}

static void gst_rtc_bin_pad_init(GstRtcBinPad *) {}

static void gst_rtc_bin_pad_class_init(GstRtcBinPadClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  gobject_class->get_property = pad_get_property;
  gobject_class->finalize = pad_finalize;
  g_object_class_install_property(
      gobject_class, PAD_PROP_TRANSCEIVER,
      g_param_spec_object("transceiver", "Transceiver", "The transceiver of this pad",
                          GST_TYPE_RTC_RTP_TRANSCEIVER,
                          static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)));
}

static GstPad *new_bin_pad(const std::string &name, GstPadDirection dir, GstPadTemplate *templ,
                           GstRtcRTPTransceiver *t) {
  auto *pad = GST_RTC_BIN_PAD(g_object_new(GST_TYPE_RTC_BIN_PAD, "name", name.c_str(), "direction",
                                           dir, "template", templ, nullptr));
  pad->transceiver = t ? GST_RTC_RTP_TRANSCEIVER(gst_object_ref(t)) : nullptr;
  return GST_PAD(pad);
}

// --- the element ----------------------------------------------------------------------------

struct _GstRtcBin {
  GstBin parent;
  PeerConnection *pc;
};

static void child_proxy_init(gpointer iface, gpointer);

G_DEFINE_TYPE_WITH_CODE(GstRtcBin, gst_rtc_bin, GST_TYPE_BIN,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_bin_debug, "rtcbin", 0,
                                                "WebRTC peer connection");
                        G_IMPLEMENT_INTERFACE(GST_TYPE_CHILD_PROXY, child_proxy_init));
GST_ELEMENT_REGISTER_DEFINE(rtcbin, "rtcbin", GST_RANK_NONE, GST_TYPE_RTC_BIN);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE(
    "sink_%u", GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS("application/x-rtp"));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE(
    "src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES, GST_STATIC_CAPS("application/x-rtp"));
// Data channels as pads (rtcbin/datapads.hpp): one message per buffer.
static GstStaticPadTemplate data_sink_template = GST_STATIC_PAD_TEMPLATE(
    "data_sink_%s", GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate data_src_template = GST_STATIC_PAD_TEMPLATE(
    "data_src_%s", GST_PAD_SRC, GST_PAD_REQUEST, GST_STATIC_CAPS("application/x-rtc-data"));

enum {
  PROP_0,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_BUNDLE_POLICY,
  PROP_ICE_TRANSPORT_POLICY,
  PROP_SIGNALING_STATE,
  PROP_ICE_GATHERING_STATE,
  PROP_ICE_CONNECTION_STATE,
  PROP_CONNECTION_STATE,
  PROP_LOCAL_DESCRIPTION,
  PROP_CURRENT_LOCAL_DESCRIPTION,
  PROP_PENDING_LOCAL_DESCRIPTION,
  PROP_REMOTE_DESCRIPTION,
  PROP_CURRENT_REMOTE_DESCRIPTION,
  PROP_PENDING_REMOTE_DESCRIPTION,
  PROP_LATENCY,
  PROP_ICE_ADDRESSES,
  PROP_ICE_TCP,
  PROP_ICE_UDP,
  PROP_MIN_PORT,
  PROP_MAX_PORT,
  PROP_CERTIFICATE,
  PROP_SCTP_TRANSPORT,
  PROP_SHARED_ICE_THREAD,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum {
  SIG_CREATE_OFFER,
  SIG_CREATE_ANSWER,
  SIG_SET_LOCAL_DESCRIPTION,
  SIG_SET_REMOTE_DESCRIPTION,
  SIG_ADD_ICE_CANDIDATE,
  SIG_ADD_ICE_CANDIDATE_FULL,
  SIG_ADD_TRANSCEIVER,
  SIG_GET_TRANSCEIVERS,
  SIG_GET_TRANSCEIVER,
  SIG_GET_STATS,
  SIG_ADD_TURN_SERVER,
  SIG_RESTART_ICE,
  SIG_ON_NEGOTIATION_NEEDED,
  SIG_ON_ICE_CANDIDATE,
  SIG_ON_NEW_TRANSCEIVER,
  SIG_CREATE_DATA_CHANNEL,
  SIG_ON_DATA_CHANNEL,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static Which which_description(guint prop_id) {
  switch (prop_id) {
  case PROP_CURRENT_LOCAL_DESCRIPTION:
    return Which::CurrentLocal;
  case PROP_PENDING_LOCAL_DESCRIPTION:
    return Which::PendingLocal;
  case PROP_REMOTE_DESCRIPTION:
    return Which::Remote;
  case PROP_CURRENT_REMOTE_DESCRIPTION:
    return Which::CurrentRemote;
  case PROP_PENDING_REMOTE_DESCRIPTION:
    return Which::PendingRemote;
  default:
    return Which::Local;
  }
}

static void set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec) {
  auto *pc = GST_RTC_BIN(object)->pc;
  auto str = [value] {
    return std::string(g_value_get_string(value) ? g_value_get_string(value) : "");
  };
  switch (prop_id) {
  case PROP_STUN_SERVER:
    pc->set_config([&](auto &c) { c.ice.stun_server = str(); });
    break;
  case PROP_TURN_SERVER:
    pc->set_config([&](auto &c) {
      c.ice.turn_servers.clear();
      if (!str().empty())
        c.ice.turn_servers.push_back(str());
    });
    break;
  case PROP_BUNDLE_POLICY:
    pc->set_config([&](auto &c) {
      c.bundle_policy = static_cast<GstRtcBundlePolicy>(g_value_get_enum(value));
      if (c.bundle_policy == GST_RTC_BUNDLE_POLICY_NONE)
        c.bundle_policy = GST_RTC_BUNDLE_POLICY_BALANCED;
    });
    break;
  case PROP_ICE_TRANSPORT_POLICY:
    pc->set_config([&](auto &c) {
      c.ice.policy = static_cast<GstRtcICETransportPolicy>(g_value_get_enum(value));
    });
    break;
  case PROP_LATENCY:
    pc->set_config([&](auto &c) { c.latency = g_value_get_uint(value); });
    break;
  case PROP_ICE_ADDRESSES:
    pc->set_config([&](auto &c) { c.ice.addresses = str(); });
    break;
  case PROP_ICE_TCP:
    pc->set_config([&](auto &c) { c.ice.tcp = g_value_get_boolean(value); });
    break;
  case PROP_ICE_UDP:
    pc->set_config([&](auto &c) { c.ice.udp = g_value_get_boolean(value); });
    break;
  case PROP_MIN_PORT:
    pc->set_config([&](auto &c) { c.ice.min_port = g_value_get_uint(value); });
    break;
  case PROP_SHARED_ICE_THREAD:
    pc->set_config([&](auto &c) { c.ice.shared_thread = g_value_get_boolean(value); });
    break;
  case PROP_MAX_PORT:
    pc->set_config([&](auto &c) { c.ice.max_port = g_value_get_uint(value); });
    break;
  case PROP_CERTIFICATE:
    pc->set_config([&](auto &c) {
      c.certificate =
          gstrtc::Ref<GstRtcCertificate>(GST_RTC_CERTIFICATE(g_value_get_object(value)));
    });
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec) {
  auto *pc = GST_RTC_BIN(object)->pc;
  switch (prop_id) {
  case PROP_SIGNALING_STATE:
    g_value_set_enum(value, pc->signaling_state());
    return;
  case PROP_ICE_GATHERING_STATE:
    g_value_set_enum(value, pc->ice_gathering_state());
    return;
  case PROP_ICE_CONNECTION_STATE:
    g_value_set_enum(value, pc->ice_connection_state());
    return;
  case PROP_CONNECTION_STATE:
    g_value_set_enum(value, pc->connection_state());
    return;
  case PROP_LOCAL_DESCRIPTION:
  case PROP_CURRENT_LOCAL_DESCRIPTION:
  case PROP_PENDING_LOCAL_DESCRIPTION:
  case PROP_REMOTE_DESCRIPTION:
  case PROP_CURRENT_REMOTE_DESCRIPTION:
  case PROP_PENDING_REMOTE_DESCRIPTION:
    g_value_take_boxed(value, pc->description(which_description(prop_id)));
    return;
  default:
    break;
  }
  auto c = pc->config();
  switch (prop_id) {
  case PROP_STUN_SERVER:
    g_value_set_string(value, c.ice.stun_server.empty() ? nullptr : c.ice.stun_server.c_str());
    break;
  case PROP_TURN_SERVER:
    g_value_set_string(value,
                       c.ice.turn_servers.empty() ? nullptr : c.ice.turn_servers.front().c_str());
    break;
  case PROP_BUNDLE_POLICY:
    g_value_set_enum(value, c.bundle_policy);
    break;
  case PROP_ICE_TRANSPORT_POLICY:
    g_value_set_enum(value, c.ice.policy);
    break;
  case PROP_LATENCY:
    g_value_set_uint(value, c.latency);
    break;
  case PROP_ICE_ADDRESSES:
    g_value_set_string(value, c.ice.addresses.c_str());
    break;
  case PROP_ICE_TCP:
    g_value_set_boolean(value, c.ice.tcp);
    break;
  case PROP_ICE_UDP:
    g_value_set_boolean(value, c.ice.udp);
    break;
  case PROP_MIN_PORT:
    g_value_set_uint(value, c.ice.min_port);
    break;
  case PROP_MAX_PORT:
    g_value_set_uint(value, c.ice.max_port);
    break;
  case PROP_SHARED_ICE_THREAD:
    g_value_set_boolean(value, c.ice.shared_thread);
    break;
  case PROP_CERTIFICATE:
    g_value_set_object(value, c.certificate.get());
    break;
  case PROP_SCTP_TRANSPORT:
    g_value_take_object(value, pc->sctp_transport());
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

// --- signal handlers ------------------------------------------------------------------------

static void create_offer(GstRtcBin *self, GstStructure *options, GstPromise *promise) {
  self->pc->create_offer(options, promise);
}
static void create_answer(GstRtcBin *self, GstStructure *options, GstPromise *promise) {
  self->pc->create_answer(options, promise);
}
static void set_local_description(GstRtcBin *self, GstRtcSessionDescription *desc,
                                  GstPromise *promise) {
  self->pc->set_description(true, desc, promise);
}
static void set_remote_description(GstRtcBin *self, GstRtcSessionDescription *desc,
                                   GstPromise *promise) {
  self->pc->set_description(false, desc, promise);
}
static void add_ice_candidate(GstRtcBin *self, guint mline, const gchar *candidate) {
  self->pc->add_ice_candidate(mline, candidate ? candidate : "", nullptr);
}
static void add_ice_candidate_full(GstRtcBin *self, guint mline, const gchar *candidate,
                                   GstPromise *promise) {
  self->pc->add_ice_candidate(mline, candidate ? candidate : "", promise);
}
static GstRtcRTPTransceiver *
add_transceiver(GstRtcBin *self, GstRtcRTPTransceiverDirection direction, GstCaps *caps) {
  GError *err = nullptr;
  GstRtcRTPTransceiver *t = self->pc->add_transceiver(direction, caps, &err);
  if (!t) {
    GST_ELEMENT_WARNING(self, CORE, NEGOTIATION, ("add-transceiver failed"), ("%s", err->message));
    g_error_free(err);
  }
  return t;
}
static GstRtcDataChannel *create_data_channel(GstRtcBin *self, const gchar *label,
                                              GstStructure *options) {
  GError *err = nullptr;
  GstRtcDataChannel *dc = self->pc->create_data_channel(label, options, &err);
  if (!dc) {
    GST_ELEMENT_WARNING(self, CORE, NEGOTIATION, ("create-data-channel failed"),
                        ("%s", err->message));
    g_error_free(err);
  }
  return dc;
}
static GArray *get_transceivers(GstRtcBin *self) {
  GArray *arr = g_array_new(FALSE, TRUE, sizeof(GstRtcRTPTransceiver *));
  g_array_set_clear_func(arr, [](gpointer p) { gst_clear_object((GstRtcRTPTransceiver **)p); });
  for (auto &t : self->pc->transceivers()) {
    GstRtcRTPTransceiver *r = GST_RTC_RTP_TRANSCEIVER(gst_object_ref(t.get()));
    g_array_append_val(arr, r);
  }
  return arr;
}
static GstRtcRTPTransceiver *get_transceiver(GstRtcBin *self, gint idx) {
  auto all = self->pc->transceivers();
  if (idx < 0 || idx >= (gint)all.size())
    return nullptr;
  return GST_RTC_RTP_TRANSCEIVER(gst_object_ref(all[idx].get()));
}
static void get_stats(GstRtcBin *self, GstPad *pad, GstPromise *promise) {
  self->pc->get_stats(pad, promise);
}
static gboolean add_turn_server(GstRtcBin *self, const gchar *uri) {
  return uri && self->pc->add_turn_server(uri);
}
static void restart_ice(GstRtcBin *self) {
  self->pc->restart_ice();
}

// --- pads and states ------------------------------------------------------------------------

static GstPad *request_new_pad(GstElement *element, GstPadTemplate *templ, const gchar *name,
                               const GstCaps *caps) {
  auto *self = GST_RTC_BIN(element);
  if (g_str_has_prefix(templ->name_template, "data_")) {
    GstPad *pad = self->pc->request_data_pad(name, templ);
    if (!pad)
      return nullptr;
    gst_pad_set_active(pad, GST_STATE(element) >= GST_STATE_PAUSED);
    gst_element_add_pad(element, pad);
    // gst-launch sets "data_sink_x::ordered=false" when the child appears.
    gst_child_proxy_child_added(GST_CHILD_PROXY(element), G_OBJECT(pad), GST_PAD_NAME(pad));
    return pad;
  }
  if (templ->direction != GST_PAD_SINK)
    return nullptr;
  return self->pc->request_sink_pad(name, caps);
}

// GstBin's children are its elements; the data pads are children too, so that their
// properties can be set as "data_sink_x::prop" (as compositor's "sink_0::xpos").
static GstChildProxyInterface *parent_child_proxy;

static GObject *child_by_name(GstChildProxy *proxy, const gchar *name) {
  if (g_str_has_prefix(name, "data_")) {
    if (GstPad *pad = gst_element_get_static_pad(GST_ELEMENT(proxy), name))
      return G_OBJECT(pad);
  }
  return parent_child_proxy->get_child_by_name(proxy, name);
}

static void child_proxy_init(gpointer iface, gpointer) {
  parent_child_proxy =
      static_cast<GstChildProxyInterface *>(g_type_interface_peek_parent(iface));
  static_cast<GstChildProxyInterface *>(iface)->get_child_by_name = child_by_name;
  static_cast<GstChildProxyInterface *>(iface)->get_child_by_index =
      parent_child_proxy->get_child_by_index;
  static_cast<GstChildProxyInterface *>(iface)->get_children_count =
      parent_child_proxy->get_children_count;
}

static void release_pad(GstElement *element, GstPad *pad) {
  auto *self = GST_RTC_BIN(element);
  self->pc->release_pad(pad);
  if (GST_IS_RTC_BIN_DATA_SINK_PAD(pad) || GST_IS_RTC_BIN_DATA_SRC_PAD(pad))
    gst_child_proxy_child_removed(GST_CHILD_PROXY(element), G_OBJECT(pad), GST_PAD_NAME(pad));
  gst_element_remove_pad(element, pad);
}

static GstStateChangeReturn change_state(GstElement *element, GstStateChange transition) {
  auto *self = GST_RTC_BIN(element);
  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    std::string error;
    if (!self->pc->start(error)) {
      GST_ELEMENT_ERROR(self, CORE, MISSING_PLUGIN, ("Missing element"), ("%s", error.c_str()));
      return GST_STATE_CHANGE_FAILURE;
    }
  }
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    self->pc->stop(); // releases held sink buffers before the pads deactivate
  auto ret = GST_ELEMENT_CLASS(gst_rtc_bin_parent_class)->change_state(element, transition);
  // Live: the network decides when data comes, like any network source.
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED && ret == GST_STATE_CHANGE_SUCCESS)
    ret = GST_STATE_CHANGE_NO_PREROLL;
  if (transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED && ret == GST_STATE_CHANGE_SUCCESS)
    ret = GST_STATE_CHANGE_NO_PREROLL;
  return ret;
}

static gstrtc::rtcbin::BinCallbacks callbacks(GstRtcBin *self) {
  gstrtc::rtcbin::BinCallbacks cb;
  cb.negotiation_needed = [self] { g_signal_emit(self, signals[SIG_ON_NEGOTIATION_NEEDED], 0); };
  cb.ice_candidate = [self](guint mline, const std::string &c) {
    g_signal_emit(self, signals[SIG_ON_ICE_CANDIDATE], 0, mline, c.c_str());
  };
  cb.new_transceiver = [self](GstRtcRTPTransceiver *t) {
    g_signal_emit(self, signals[SIG_ON_NEW_TRANSCEIVER], 0, t);
  };
  cb.notify = [self](const char *property) { g_object_notify(G_OBJECT(self), property); };
  cb.data_channel = [self](GstRtcDataChannel *dc) {
    g_signal_emit(self, signals[SIG_ON_DATA_CHANNEL], 0, dc);
  };
  cb.make_sink_pad = [self](const std::string &name, GstRtcRTPTransceiver *t) {
    GstPadTemplate *templ =
        gst_element_class_get_pad_template(GST_ELEMENT_GET_CLASS(self), "sink_%u");
    GstPad *pad = new_bin_pad(name, GST_PAD_SINK, templ, t);
    gst_pad_set_active(pad, TRUE);
    gst_element_add_pad(GST_ELEMENT(self), pad);
    return pad;
  };
  cb.make_src_pad = [self](GstPad *target, GstRtcRTPTransceiver *t, const std::string &name) {
    GstPadTemplate *templ =
        gst_element_class_get_pad_template(GST_ELEMENT_GET_CLASS(self), "src_%u");
    GstPad *pad = new_bin_pad(name, GST_PAD_SRC, templ, t);
    gst_ghost_pad_set_target(GST_GHOST_PAD(pad), target);
    gst_pad_set_active(pad, TRUE);
    // pad-added handlers look at the caps (as with webrtcbin): give the pad its target's
    // stream-start, caps and segment now rather than with the first buffer.
    gst_pad_sticky_events_foreach(
        target,
        [](GstPad *, GstEvent **ev, gpointer ghost) -> gboolean {
          gst_pad_store_sticky_event(GST_PAD(ghost), *ev);
          return TRUE;
        },
        pad);
    gst_element_add_pad(GST_ELEMENT(self), pad);
    return pad;
  };
  return cb;
}

static void gst_rtc_bin_init(GstRtcBin *self) {
  self->pc = new PeerConnection(GST_BIN(self), callbacks(self));
}

static void dispose(GObject *object) {
  auto *self = GST_RTC_BIN(object);
  if (self->pc) {
    self->pc->close();
    self->pc->stop(); // transports leave the bin while their elements are still in it
  }
  G_OBJECT_CLASS(gst_rtc_bin_parent_class)->dispose(object);
}

static void finalize(GObject *object) {
  delete GST_RTC_BIN(object)->pc;
  G_OBJECT_CLASS(gst_rtc_bin_parent_class)->finalize(object);
}

static void install_properties(GObjectClass *gobject_class) {
  const auto rw = static_cast<GParamFlags>(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  const auto ro = static_cast<GParamFlags>(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_STUN_SERVER] =
      g_param_spec_string("stun-server", "STUN server", "stun://host:port", nullptr, rw);
  props[PROP_TURN_SERVER] =
      g_param_spec_string("turn-server", "TURN server",
                          "turn(s)://user:password@host:port (see add-turn-server)", nullptr, rw);
  props[PROP_BUNDLE_POLICY] =
      g_param_spec_enum("bundle-policy", "Bundle policy",
                        "How m-lines share transports (RFC 9429 §4.1.1); none is taken as balanced",
                        GST_TYPE_RTC_BUNDLE_POLICY, GST_RTC_BUNDLE_POLICY_BALANCED,
                        static_cast<GParamFlags>(rw | GST_PARAM_MUTABLE_READY));
  props[PROP_ICE_TRANSPORT_POLICY] =
      g_param_spec_enum("ice-transport-policy", "ICE transport policy", "all or relay",
                        GST_TYPE_RTC_ICE_TRANSPORT_POLICY, GST_RTC_ICE_TRANSPORT_POLICY_ALL, rw);
  props[PROP_SIGNALING_STATE] =
      g_param_spec_enum("signaling-state", "Signaling state", "JSEP signaling state",
                        GST_TYPE_RTC_SIGNALING_STATE, GST_RTC_SIGNALING_STATE_STABLE, ro);
  props[PROP_ICE_GATHERING_STATE] =
      g_param_spec_enum("ice-gathering-state", "ICE gathering state", "Over all transports",
                        GST_TYPE_RTC_ICE_GATHERING_STATE, GST_RTC_ICE_GATHERING_STATE_NEW, ro);
  props[PROP_ICE_CONNECTION_STATE] =
      g_param_spec_enum("ice-connection-state", "ICE connection state", "Over all transports",
                        GST_TYPE_RTC_ICE_CONNECTION_STATE, GST_RTC_ICE_CONNECTION_STATE_NEW, ro);
  props[PROP_CONNECTION_STATE] =
      g_param_spec_enum("connection-state", "Connection state", "ICE and DTLS over all transports",
                        GST_TYPE_RTC_PEER_CONNECTION_STATE, GST_RTC_PEER_CONNECTION_STATE_NEW, ro);
  struct {
    guint id;
    const char *name, *blurb;
  } descs[] = {
      {PROP_LOCAL_DESCRIPTION, "local-description", "The pending or else current local one"},
      {PROP_CURRENT_LOCAL_DESCRIPTION, "current-local-description", "Negotiated, ours"},
      {PROP_PENDING_LOCAL_DESCRIPTION, "pending-local-description", "Ours, not yet answered"},
      {PROP_REMOTE_DESCRIPTION, "remote-description", "The pending or else current remote one"},
      {PROP_CURRENT_REMOTE_DESCRIPTION, "current-remote-description", "Negotiated, theirs"},
      {PROP_PENDING_REMOTE_DESCRIPTION, "pending-remote-description", "Theirs, not yet answered"},
  };
  for (auto &d : descs)
    props[d.id] = g_param_spec_boxed(d.name, d.name, d.blurb, GST_TYPE_RTC_SESSION_DESCRIPTION, ro);
  props[PROP_LATENCY] =
      g_param_spec_uint("latency", "Latency", "Jitter buffer latency (ms)", 0, G_MAXUINT, 200, rw);
  props[PROP_ICE_ADDRESSES] = g_param_spec_string(
      "ice-addresses", "ICE addresses",
      "Local addresses to gather on, comma separated (127.0.0.1 allowed); empty: all", nullptr, rw);
  props[PROP_ICE_TCP] =
      g_param_spec_boolean("ice-tcp", "ICE-TCP", "Gather TCP candidates (RFC 6544)", TRUE, rw);
  props[PROP_ICE_UDP] =
      g_param_spec_boolean("ice-udp", "ICE-UDP", "Gather UDP candidates", TRUE, rw);
  props[PROP_MIN_PORT] =
      g_param_spec_uint("min-port", "Min port", "Lowest local port (0: any)", 0, 65535, 0, rw);
  props[PROP_MAX_PORT] =
      g_param_spec_uint("max-port", "Max port", "Highest local port (0: any)", 0, 65535, 0, rw);
  props[PROP_CERTIFICATE] = g_param_spec_object(
      "certificate", "Certificate",
      "The DTLS identity (W3C RTCCertificate); an ECDSA P-256 one is generated if unset",
      GST_TYPE_RTC_CERTIFICATE, static_cast<GParamFlags>(rw | GST_PARAM_MUTABLE_READY));
  props[PROP_SCTP_TRANSPORT] = g_param_spec_object(
      "sctp-transport", "SCTP transport",
      "The data channels' transport (W3C RTCPeerConnection.sctp): NULL until negotiated",
      GST_TYPE_RTC_SCTP_TRANSPORT, ro);
  props[PROP_SHARED_ICE_THREAD] = g_param_spec_boolean(
      "shared-ice-thread", "Shared ICE thread",
      "Receive on the process's one ICE thread (TRUE), or on a streaming thread per transport: "
      "more cores for data-heavy sessions in one process, at some CPU per packet (read when a "
      "transport is made)",
      TRUE, rw);
  g_object_class_install_properties(gobject_class, N_PROPS, props);
}

static void install_signals(GstRtcBinClass *klass) {
  GType type = G_TYPE_FROM_CLASS(klass);
  auto action = static_cast<GSignalFlags>(G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION);
  auto last = G_SIGNAL_RUN_LAST;
  // Replies: "offer"/"answer" (GstRtcSessionDescription) or "error" (GError).
  signals[SIG_CREATE_OFFER] = g_signal_new_class_handler(
      "create-offer", type, action, G_CALLBACK(create_offer), nullptr, nullptr, nullptr,
      G_TYPE_NONE, 2, GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  signals[SIG_CREATE_ANSWER] = g_signal_new_class_handler(
      "create-answer", type, action, G_CALLBACK(create_answer), nullptr, nullptr, nullptr,
      G_TYPE_NONE, 2, GST_TYPE_STRUCTURE, GST_TYPE_PROMISE);
  // Replies: NULL on success, else "error".
  signals[SIG_SET_LOCAL_DESCRIPTION] = g_signal_new_class_handler(
      "set-local-description", type, action, G_CALLBACK(set_local_description), nullptr, nullptr,
      nullptr, G_TYPE_NONE, 2, GST_TYPE_RTC_SESSION_DESCRIPTION, GST_TYPE_PROMISE);
  signals[SIG_SET_REMOTE_DESCRIPTION] = g_signal_new_class_handler(
      "set-remote-description", type, action, G_CALLBACK(set_remote_description), nullptr, nullptr,
      nullptr, G_TYPE_NONE, 2, GST_TYPE_RTC_SESSION_DESCRIPTION, GST_TYPE_PROMISE);
  signals[SIG_ADD_ICE_CANDIDATE] = g_signal_new_class_handler(
      "add-ice-candidate", type, action, G_CALLBACK(add_ice_candidate), nullptr, nullptr, nullptr,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIG_ADD_ICE_CANDIDATE_FULL] = g_signal_new_class_handler(
      "add-ice-candidate-full", type, action, G_CALLBACK(add_ice_candidate_full), nullptr, nullptr,
      nullptr, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, GST_TYPE_PROMISE);
  signals[SIG_ADD_TRANSCEIVER] = g_signal_new_class_handler(
      "add-transceiver", type, action, G_CALLBACK(add_transceiver), nullptr, nullptr, nullptr,
      GST_TYPE_RTC_RTP_TRANSCEIVER, 2, GST_TYPE_RTC_RTP_TRANSCEIVER_DIRECTION, GST_TYPE_CAPS);
  signals[SIG_GET_TRANSCEIVERS] =
      g_signal_new_class_handler("get-transceivers", type, action, G_CALLBACK(get_transceivers),
                                 nullptr, nullptr, nullptr, G_TYPE_ARRAY, 0);
  signals[SIG_GET_TRANSCEIVER] = g_signal_new_class_handler(
      "get-transceiver", type, action, G_CALLBACK(get_transceiver), nullptr, nullptr, nullptr,
      GST_TYPE_RTC_RTP_TRANSCEIVER, 1, G_TYPE_INT);
  signals[SIG_GET_STATS] =
      g_signal_new_class_handler("get-stats", type, action, G_CALLBACK(get_stats), nullptr, nullptr,
                                 nullptr, G_TYPE_NONE, 2, GST_TYPE_PAD, GST_TYPE_PROMISE);
  signals[SIG_ADD_TURN_SERVER] =
      g_signal_new_class_handler("add-turn-server", type, action, G_CALLBACK(add_turn_server),
                                 nullptr, nullptr, nullptr, G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  signals[SIG_RESTART_ICE] =
      g_signal_new_class_handler("restart-ice", type, action, G_CALLBACK(restart_ice), nullptr,
                                 nullptr, nullptr, G_TYPE_NONE, 0);
  signals[SIG_ON_NEGOTIATION_NEEDED] = g_signal_new("on-negotiation-needed", type, last, 0, nullptr,
                                                    nullptr, nullptr, G_TYPE_NONE, 0);
  signals[SIG_ON_ICE_CANDIDATE] = g_signal_new("on-ice-candidate", type, last, 0, nullptr, nullptr,
                                               nullptr, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIG_ON_NEW_TRANSCEIVER] =
      g_signal_new("on-new-transceiver", type, last, 0, nullptr, nullptr, nullptr, G_TYPE_NONE, 1,
                   GST_TYPE_RTC_RTP_TRANSCEIVER);
  // W3C §6.2: label, options (ordered, max-packet-lifetime, max-retransmits, protocol,
  // negotiated, id, priority); returns the channel (transfer full) or NULL with a warning.
  signals[SIG_CREATE_DATA_CHANNEL] = g_signal_new_class_handler(
      "create-data-channel", type, action, G_CALLBACK(create_data_channel), nullptr, nullptr,
      nullptr, GST_TYPE_RTC_DATA_CHANNEL, 2, G_TYPE_STRING, GST_TYPE_STRUCTURE);
  signals[SIG_ON_DATA_CHANNEL] = g_signal_new("on-data-channel", type, last, 0, nullptr, nullptr,
                                              nullptr, G_TYPE_NONE, 1, GST_TYPE_RTC_DATA_CHANNEL);
}

static void gst_rtc_bin_class_init(GstRtcBinClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  auto *element_class = GST_ELEMENT_CLASS(klass);
  gobject_class->set_property = set_property;
  gobject_class->get_property = get_property;
  gobject_class->dispose = dispose;
  gobject_class->finalize = finalize;
  element_class->request_new_pad = request_new_pad;
  element_class->release_pad = release_pad;
  element_class->change_state = change_state;
  install_properties(gobject_class);
  gstrtc::rtcbin::register_message_meta(); // the kind of data pad messages
  install_signals(klass);
  gst_element_class_add_static_pad_template_with_gtype(element_class, &sink_template,
                                                       GST_TYPE_RTC_BIN_PAD);
  gst_element_class_add_static_pad_template_with_gtype(element_class, &src_template,
                                                       GST_TYPE_RTC_BIN_PAD);
  gst_element_class_add_static_pad_template_with_gtype(element_class, &data_sink_template,
                                                       GST_TYPE_RTC_BIN_DATA_SINK_PAD);
  gst_element_class_add_static_pad_template_with_gtype(element_class, &data_src_template,
                                                       GST_TYPE_RTC_BIN_DATA_SRC_PAD);
  gst_element_class_set_static_metadata(
      element_class, "WebRTC peer connection", "Filter/Network/WebRTC",
      "A WebRTC peer connection with webrtcbin's API (offer/answer, ICE, DTLS-SRTP, RTP)",
      "gst-rtc developers");
}
