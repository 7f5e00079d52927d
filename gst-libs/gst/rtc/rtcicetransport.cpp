/**
 * SECTION:gstrtcicetransport
 * @title: GstRtcICETransport
 * @short_description: one ICE transport (RTCIceTransport) shared by rtcicesrc and rtcicesink
 *
 * A full ICE agent (RFC 8445) over libnice with trickle (RFC 8838), STUN/TURN servers given as
 * URIs, relay-only policy, consent freshness (RFC 7675) with settable timeouts, and ICE restart.
 * Code passes the object to the elements' "transport" property; gst-launch lines share one by
 * name with gst_rtc_ice_transport_get_named() (the elements' "transport-name").
 *
 * Signals and notifications are emitted from libnice's thread or from the thread of the call
 * that caused them, with no lock held.
 */
#include "rtcicetransport-private.hpp"
#include "rtcerror-private.hpp"
#include "core/named.hpp"
#include "core/strings.hpp"

#include <gst/rtc/rtc-enumtypes.h>
#include <gst/rtc/rtcerror.h>

#include <map>
#include <memory>
#include <mutex>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_ice_transport_debug);
#define GST_CAT_DEFAULT gst_rtc_ice_transport_debug

using gstrtc::ErrorCode;
using gstrtc::ice::Agent;
using gstrtc::ice::AgentConfig;

struct GstRtcICETransportPrivate {
  std::unique_ptr<Agent> agent; // created in _init, destroyed in finalize
};

struct _GstRtcICETransport {
  GstObject parent;
  GstRtcICETransportPrivate *priv;
};

G_DEFINE_TYPE_WITH_CODE(GstRtcICETransport, gst_rtc_ice_transport, GST_TYPE_OBJECT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_ice_transport_debug, "rtcicetransport", 0,
                                                "gst-rtc ICE transport"));

enum {
  PROP_0,
  PROP_ROLE,
  PROP_ICE_ADDRESSES,
  PROP_MIN_PORT,
  PROP_MAX_PORT,
  PROP_STUN_SERVER,
  PROP_TURN_SERVER,
  PROP_ICE_TCP,
  PROP_ICE_UDP,
  PROP_POLICY,
  PROP_LOCAL_UFRAG,
  PROP_LOCAL_PWD,
  PROP_REMOTE_UFRAG,
  PROP_REMOTE_PWD,
  PROP_STATE,
  PROP_GATHERING_STATE,
  PROP_SELECTED_PAIR,
  PROP_DISCONNECTED_TIMEOUT,
  PROP_FAILED_TIMEOUT,
  PROP_STATS,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum { SIGNAL_LOCAL_CANDIDATE, SIGNAL_GATHERING_DONE, SIGNAL_PAIR_CHANGE, N_SIGNALS };
static guint signals[N_SIGNALS];

namespace {

gboolean report(GstRtcICETransport *self, const gstrtc::Status &s, GError **error) {
  if (s)
    return TRUE;
  GST_WARNING_OBJECT(self, "%s", s.error().message.c_str());
  gstrtc::set_gerror(s.error(), error);
  return FALSE;
}

std::vector<std::string> split_addresses(const gchar *s) {
  std::vector<std::string> out;
  for (auto f : gstrtc::split_fields(s ? s : "", ", "))
    out.emplace_back(f);
  return out;
}

std::string join(const std::vector<std::string> &v) {
  std::string s;
  for (const auto &a : v)
    s += (s.empty() ? "" : ",") + a;
  return s;
}

GstStructure *pair_structure(const gstrtc::ice::SelectedPair &p) {
  using gstrtc::ice::to_string;
  return gst_structure_new(
      "ice-candidate-pair", "local-candidate", G_TYPE_STRING, p.local.to_string().c_str(),
      "remote-candidate", G_TYPE_STRING, p.remote.to_string().c_str(), "local-candidate-type",
      G_TYPE_STRING, to_string(p.local.type), "remote-candidate-type", G_TYPE_STRING,
      to_string(p.remote.type), "local-address", G_TYPE_STRING, p.local.address.c_str(),
      "local-port", G_TYPE_UINT, (guint)p.local.port, "remote-address", G_TYPE_STRING,
      p.remote.address.c_str(), "remote-port", G_TYPE_UINT, (guint)p.remote.port, "protocol",
      G_TYPE_STRING, to_string(p.local.protocol), NULL);
}

gstrtc::NamedRegistry registry;

} // namespace

gstrtc::ice::Agent &gstrtc::ice_transport_agent(GstRtcICETransport *t) {
  return *t->priv->agent;
}

static void gst_rtc_ice_transport_init(GstRtcICETransport *self) {
  self->priv = new GstRtcICETransportPrivate();
  // Events hold a plain pointer: the agent (and its callbacks) dies before the object.
  gstrtc::ice::AgentEvents ev;
  ev.local_candidate = [self](const std::string &c) {
    GST_DEBUG_OBJECT(self, "local candidate %s", c.c_str());
    g_signal_emit(self, signals[SIGNAL_LOCAL_CANDIDATE], 0, c.c_str());
  };
  ev.gathering_done = [self] { g_signal_emit(self, signals[SIGNAL_GATHERING_DONE], 0); };
  ev.gathering_state_changed = [self] {
    g_object_notify_by_pspec(G_OBJECT(self), props[PROP_GATHERING_STATE]);
  };
  ev.state_changed = [self] {
    GST_INFO_OBJECT(self, "ICE connection state %d", (int)self->priv->agent->state());
    g_object_notify_by_pspec(G_OBJECT(self), props[PROP_STATE]);
  };
  ev.selected_pair_changed = [self] {
    g_object_notify_by_pspec(G_OBJECT(self), props[PROP_SELECTED_PAIR]);
    g_signal_emit(self, signals[SIGNAL_PAIR_CHANGE], 0);
  };
  self->priv->agent = std::make_unique<Agent>(std::move(ev));
}

static void gst_rtc_ice_transport_finalize(GObject *object) {
  auto *self = GST_RTC_ICE_TRANSPORT(object);
  delete self->priv;
  G_OBJECT_CLASS(gst_rtc_ice_transport_parent_class)->finalize(object);
}

static void set_credential_part(GstRtcICETransport *self, bool local, bool ufrag, const gchar *v) {
  Agent &a = *self->priv->agent;
  auto cur = local ? a.local_credentials() : a.remote_credentials();
  std::string u = ufrag ? (v ? v : "") : cur.first;
  std::string p = ufrag ? cur.second : (v ? v : "");
  // Remote credentials arrive one property at a time; apply once both are valid.
  if (!local && (u.empty() || p.empty()))
    return;
  auto s = local ? a.set_local_credentials(u, p) : a.set_remote_credentials(u, p);
  if (!s)
    GST_WARNING_OBJECT(self, "%s", s.error().message.c_str());
}

static void gst_rtc_ice_transport_set_property(GObject *object, guint prop_id, const GValue *value,
                                               GParamSpec *pspec) {
  auto *self = GST_RTC_ICE_TRANSPORT(object);
  Agent &a = *self->priv->agent;
  AgentConfig cfg = a.config();
  switch (prop_id) {
  case PROP_ROLE:
    cfg.controlling = g_value_get_enum(value) == GST_RTC_ICE_ROLE_CONTROLLING;
    break;
  case PROP_ICE_ADDRESSES:
    cfg.addresses = split_addresses(g_value_get_string(value));
    break;
  case PROP_MIN_PORT:
    cfg.min_port = g_value_get_uint(value);
    break;
  case PROP_MAX_PORT:
    cfg.max_port = g_value_get_uint(value);
    break;
  case PROP_STUN_SERVER:
    gst_rtc_ice_transport_set_stun_server(self, g_value_get_string(value), NULL);
    return;
  case PROP_TURN_SERVER:
    cfg.turn.clear();
    a.set_config(cfg);
    if (g_value_get_string(value))
      gst_rtc_ice_transport_add_turn_server(self, g_value_get_string(value), NULL);
    return;
  case PROP_ICE_TCP:
    cfg.ice_tcp = g_value_get_boolean(value);
    break;
  case PROP_ICE_UDP:
    cfg.ice_udp = g_value_get_boolean(value);
    break;
  case PROP_POLICY:
    cfg.relay_only = g_value_get_enum(value) == GST_RTC_ICE_TRANSPORT_POLICY_RELAY;
    break;
  case PROP_LOCAL_UFRAG:
  case PROP_LOCAL_PWD:
  case PROP_REMOTE_UFRAG:
  case PROP_REMOTE_PWD:
    set_credential_part(self, prop_id <= PROP_LOCAL_PWD,
                        prop_id == PROP_LOCAL_UFRAG || prop_id == PROP_REMOTE_UFRAG,
                        g_value_get_string(value));
    return;
  case PROP_DISCONNECTED_TIMEOUT:
    cfg.consent.disconnected_timeout_us = g_value_get_uint(value) * G_GINT64_CONSTANT(1000);
    break;
  case PROP_FAILED_TIMEOUT:
    cfg.consent.failed_timeout_us = g_value_get_uint(value) * G_GINT64_CONSTANT(1000);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
    return;
  }
  a.set_config(cfg);
}

static void gst_rtc_ice_transport_get_property(GObject *object, guint prop_id, GValue *value,
                                               GParamSpec *pspec) {
  auto *self = GST_RTC_ICE_TRANSPORT(object);
  Agent &a = *self->priv->agent;
  AgentConfig cfg = a.config();
  switch (prop_id) {
  case PROP_ROLE:
    g_value_set_enum(value,
                     cfg.controlling ? GST_RTC_ICE_ROLE_CONTROLLING : GST_RTC_ICE_ROLE_CONTROLLED);
    break;
  case PROP_ICE_ADDRESSES:
    g_value_set_string(value, join(cfg.addresses).c_str());
    break;
  case PROP_MIN_PORT:
    g_value_set_uint(value, cfg.min_port);
    break;
  case PROP_MAX_PORT:
    g_value_set_uint(value, cfg.max_port);
    break;
  case PROP_STUN_SERVER:
    g_value_set_string(value, cfg.stun ? cfg.stun->to_string().c_str() : NULL);
    break;
  case PROP_TURN_SERVER:
    g_value_set_string(value, cfg.turn.empty() ? NULL : cfg.turn[0].to_string().c_str());
    break;
  case PROP_ICE_TCP:
    g_value_set_boolean(value, cfg.ice_tcp);
    break;
  case PROP_ICE_UDP:
    g_value_set_boolean(value, cfg.ice_udp);
    break;
  case PROP_POLICY:
    g_value_set_enum(value, cfg.relay_only ? GST_RTC_ICE_TRANSPORT_POLICY_RELAY
                                           : GST_RTC_ICE_TRANSPORT_POLICY_ALL);
    break;
  case PROP_LOCAL_UFRAG:
    g_value_set_string(value, a.local_credentials().first.c_str());
    break;
  case PROP_LOCAL_PWD:
    g_value_set_string(value, a.local_credentials().second.c_str());
    break;
  case PROP_REMOTE_UFRAG:
    g_value_set_string(value, a.remote_credentials().first.c_str());
    break;
  case PROP_REMOTE_PWD:
    g_value_set_string(value, a.remote_credentials().second.c_str());
    break;
  case PROP_STATE:
    g_value_set_enum(value, (gint)a.state());
    break;
  case PROP_GATHERING_STATE:
    g_value_set_enum(value, (gint)a.gathering_state());
    break;
  case PROP_SELECTED_PAIR:
    g_value_take_boxed(value, gst_rtc_ice_transport_get_selected_pair(self));
    break;
  case PROP_DISCONNECTED_TIMEOUT:
    g_value_set_uint(value, (guint)(cfg.consent.disconnected_timeout_us / 1000));
    break;
  case PROP_FAILED_TIMEOUT:
    g_value_set_uint(value, (guint)(cfg.consent.failed_timeout_us / 1000));
    break;
  case PROP_STATS:
    g_value_take_boxed(value, gst_rtc_ice_transport_get_stats(self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
    break;
  }
}

static void gst_rtc_ice_transport_class_init(GstRtcICETransportClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  gobject_class->finalize = gst_rtc_ice_transport_finalize;
  gobject_class->set_property = gst_rtc_ice_transport_set_property;
  gobject_class->get_property = gst_rtc_ice_transport_get_property;

  const auto rw = (GParamFlags)(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  const auto ro = (GParamFlags)(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ROLE] = g_param_spec_enum("role", "Role", "ICE role (RFC 8445 §6.1.1)",
                                       GST_TYPE_RTC_ICE_ROLE, GST_RTC_ICE_ROLE_CONTROLLING, rw);
  props[PROP_ICE_ADDRESSES] = g_param_spec_string(
      "ice-addresses", "ICE addresses",
      "Local addresses to gather host candidates on, comma separated (127.0.0.1 allowed); "
      "empty: every interface",
      NULL, rw);
  props[PROP_MIN_PORT] =
      g_param_spec_uint("min-port", "Min port", "Lowest local port (0: any)", 0, 65535, 0, rw);
  props[PROP_MAX_PORT] =
      g_param_spec_uint("max-port", "Max port", "Highest local port (0: any)", 0, 65535, 0, rw);
  props[PROP_STUN_SERVER] = g_param_spec_string("stun-server", "STUN server",
                                                "STUN server URI, stun://host:port", NULL, rw);
  props[PROP_TURN_SERVER] = g_param_spec_string(
      "turn-server", "TURN server",
      "TURN server URI, turn(s)://user:pass@host:port[?transport=tcp]", NULL, rw);
  props[PROP_ICE_TCP] =
      g_param_spec_boolean("ice-tcp", "ICE-TCP", "Gather TCP candidates (RFC 6544)", TRUE, rw);
  props[PROP_ICE_UDP] =
      g_param_spec_boolean("ice-udp", "ICE-UDP", "Gather UDP candidates", TRUE, rw);
  props[PROP_POLICY] =
      g_param_spec_enum("ice-transport-policy", "ICE transport policy", "Which candidates to use",
                        GST_TYPE_RTC_ICE_TRANSPORT_POLICY, GST_RTC_ICE_TRANSPORT_POLICY_ALL, rw);
  props[PROP_LOCAL_UFRAG] =
      g_param_spec_string("local-ufrag", "Local ufrag", "Local ICE username fragment", NULL, rw);
  props[PROP_LOCAL_PWD] =
      g_param_spec_string("local-pwd", "Local password", "Local ICE password", NULL, rw);
  props[PROP_REMOTE_UFRAG] =
      g_param_spec_string("remote-ufrag", "Remote ufrag", "Remote ICE username fragment", NULL, rw);
  props[PROP_REMOTE_PWD] =
      g_param_spec_string("remote-pwd", "Remote password", "Remote ICE password", NULL, rw);
  props[PROP_STATE] =
      g_param_spec_enum("state", "State", "ICE connection state", GST_TYPE_RTC_ICE_CONNECTION_STATE,
                        GST_RTC_ICE_CONNECTION_STATE_NEW, ro);
  props[PROP_GATHERING_STATE] =
      g_param_spec_enum("gathering-state", "Gathering state", "ICE gathering state",
                        GST_TYPE_RTC_ICE_GATHERING_STATE, GST_RTC_ICE_GATHERING_STATE_NEW, ro);
  props[PROP_SELECTED_PAIR] =
      g_param_spec_boxed("selected-pair", "Selected pair", "The selected candidate pair, or NULL",
                         gst_structure_get_type(), ro);
  props[PROP_DISCONNECTED_TIMEOUT] =
      g_param_spec_uint("disconnected-timeout", "Disconnected timeout",
                        "Silence from the peer (ms) after which the state becomes "
                        "disconnected; 0 disables",
                        0, G_MAXUINT, 5000, rw);
  props[PROP_FAILED_TIMEOUT] = g_param_spec_uint(
      "failed-timeout", "Failed timeout",
      "Silence from the peer (ms) after which consent expires: the state becomes failed and "
      "sending stops (RFC 7675 §5.1); 0 disables (for peers that never send)",
      0, G_MAXUINT, 30000, rw);
  props[PROP_STATS] =
      g_param_spec_boxed("stats", "Stats", "Packet counters", gst_structure_get_type(), ro);
  g_object_class_install_properties(gobject_class, N_PROPS, props);

  /**
   * GstRtcICETransport::on-local-candidate:
   * @transport: the transport
   * @candidate: "candidate:..." as in SDP (RFC 8839 §5.1), without "a="
   */
  signals[SIGNAL_LOCAL_CANDIDATE] =
      g_signal_new("on-local-candidate", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                   NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * GstRtcICETransport::on-gathering-done:
   * @transport: the transport
   *
   * Gathering ended: signal end-of-candidates to the peer.
   */
  signals[SIGNAL_GATHERING_DONE] =
      g_signal_new("on-gathering-done", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                   NULL, G_TYPE_NONE, 0);
  /**
   * GstRtcICETransport::on-selected-candidate-pair-change:
   * @transport: the transport
   *
   * The selected pair changed (W3C selectedcandidatepairchange); read "selected-pair".
   */
  signals[SIGNAL_PAIR_CHANGE] =
      g_signal_new("on-selected-candidate-pair-change", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/**
 * gst_rtc_ice_transport_new:
 * @name: (nullable): the object name
 *
 * Returns: (transfer full): a new transport
 */
GstRtcICETransport *gst_rtc_ice_transport_new(const gchar *name) {
  auto *t = (GstRtcICETransport *)g_object_new(GST_TYPE_RTC_ICE_TRANSPORT, "name", name, NULL);
  return (GstRtcICETransport *)gst_object_ref_sink(t);
}

/**
 * gst_rtc_ice_transport_get_named:
 * @name: a transport name
 *
 * Returns the transport of that name in this process, creating it if none is alive. This is
 * how a gst-launch line makes rtcicesrc and rtcicesink share one transport; code should pass
 * the object itself instead.
 *
 * Returns: (transfer full): the transport
 */
GstRtcICETransport *gst_rtc_ice_transport_get_named(const gchar *name) {
  g_return_val_if_fail(name != NULL, NULL);
  return GST_RTC_ICE_TRANSPORT(
      registry.get_or_create(name, [name] { return gst_rtc_ice_transport_new(name); }));
}

/**
 * gst_rtc_ice_transport_gather_candidates:
 * @transport: a transport
 * @error: (nullable): a #GError
 *
 * Starts gathering; candidates arrive through #GstRtcICETransport::on-local-candidate.
 *
 * Returns: %TRUE if gathering started
 */
gboolean gst_rtc_ice_transport_gather_candidates(GstRtcICETransport *transport, GError **error) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), FALSE);
  return report(transport, transport->priv->agent->gather(), error);
}

/**
 * gst_rtc_ice_transport_add_remote_candidate:
 * @transport: a transport
 * @candidate: (nullable): "candidate:..." (with or without "a="); NULL or "" for
 *   end-of-candidates
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the candidate was accepted; on %FALSE @error names the bad value
 */
gboolean gst_rtc_ice_transport_add_remote_candidate(GstRtcICETransport *transport,
                                                    const gchar *candidate, GError **error) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), FALSE);
  if (!candidate || !*candidate) {
    gst_rtc_ice_transport_end_of_remote_candidates(transport);
    return TRUE;
  }
  return report(transport, transport->priv->agent->add_remote_candidate(candidate), error);
}

/**
 * gst_rtc_ice_transport_end_of_remote_candidates:
 * @transport: a transport
 *
 * The peer has signalled end-of-candidates (RFC 8838 §8.2).
 */
void gst_rtc_ice_transport_end_of_remote_candidates(GstRtcICETransport *transport) {
  g_return_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport));
  transport->priv->agent->end_of_remote_candidates();
}

/**
 * gst_rtc_ice_transport_set_remote_credentials:
 * @transport: a transport
 * @ufrag: the peer's ice-ufrag
 * @pwd: the peer's ice-pwd
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success
 */
gboolean gst_rtc_ice_transport_set_remote_credentials(GstRtcICETransport *transport,
                                                      const gchar *ufrag, const gchar *pwd,
                                                      GError **error) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), FALSE);
  return report(transport,
                transport->priv->agent->set_remote_credentials(ufrag ? ufrag : "", pwd ? pwd : ""),
                error);
}

/**
 * gst_rtc_ice_transport_set_local_credentials:
 * @transport: a transport
 * @ufrag: ice-ufrag, 4 to 256 ice-chars
 * @pwd: ice-pwd, 22 to 256 ice-chars
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success
 */
gboolean gst_rtc_ice_transport_set_local_credentials(GstRtcICETransport *transport,
                                                     const gchar *ufrag, const gchar *pwd,
                                                     GError **error) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), FALSE);
  return report(transport,
                transport->priv->agent->set_local_credentials(ufrag ? ufrag : "", pwd ? pwd : ""),
                error);
}

/**
 * gst_rtc_ice_transport_get_local_credentials:
 * @transport: a transport
 * @ufrag: (out) (transfer full) (optional): ice-ufrag
 * @pwd: (out) (transfer full) (optional): ice-pwd
 */
void gst_rtc_ice_transport_get_local_credentials(GstRtcICETransport *transport, gchar **ufrag,
                                                 gchar **pwd) {
  g_return_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport));
  auto c = transport->priv->agent->local_credentials();
  if (ufrag)
    *ufrag = g_strdup(c.first.c_str());
  if (pwd)
    *pwd = g_strdup(c.second.c_str());
}

/**
 * gst_rtc_ice_transport_set_stun_server:
 * @transport: a transport
 * @uri: (nullable): stun://host:port, or NULL to unset
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @uri is valid
 */
gboolean gst_rtc_ice_transport_set_stun_server(GstRtcICETransport *transport, const gchar *uri,
                                               GError **error) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), FALSE);
  Agent &a = *transport->priv->agent;
  AgentConfig cfg = a.config();
  if (!uri || !*uri) {
    cfg.stun.reset();
    a.set_config(cfg);
    return TRUE;
  }
  auto parsed = gstrtc::ice::parse_server_uri(uri);
  if (parsed && parsed->is_turn())
    parsed = gstrtc::Error{ErrorCode::TypeError,
                           std::string("'") + uri + "' is a TURN URI; use turn-server"};
  if (!parsed)
    return report(transport, parsed.error(), error);
  cfg.stun = *parsed;
  a.set_config(cfg);
  return TRUE;
}

/**
 * gst_rtc_ice_transport_add_turn_server:
 * @transport: a transport
 * @uri: turn://user:pass@host:port[?transport=tcp] or turns://...
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @uri is valid
 */
gboolean gst_rtc_ice_transport_add_turn_server(GstRtcICETransport *transport, const gchar *uri,
                                               GError **error) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), FALSE);
  auto parsed = gstrtc::ice::parse_server_uri(uri ? uri : "");
  if (parsed && !parsed->is_turn())
    parsed = gstrtc::Error{ErrorCode::TypeError,
                           std::string("'") + uri + "' is not a TURN URI (turn: or turns:)"};
  if (!parsed)
    return report(transport, parsed.error(), error);
  Agent &a = *transport->priv->agent;
  AgentConfig cfg = a.config();
  cfg.turn.push_back(*parsed);
  a.set_config(cfg);
  return TRUE;
}

/**
 * gst_rtc_ice_transport_restart:
 * @transport: a transport
 * @error: (nullable): a #GError
 *
 * ICE restart: new local credentials; local candidates are signalled again. Set the peer's new
 * credentials and candidates afterwards. Media keeps using the old pair until a new one is
 * selected.
 *
 * Returns: %TRUE on success
 */
gboolean gst_rtc_ice_transport_restart(GstRtcICETransport *transport, GError **error) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), FALSE);
  return report(transport, transport->priv->agent->restart(), error);
}

/**
 * gst_rtc_ice_transport_get_selected_pair:
 * @transport: a transport
 *
 * Returns: (transfer full) (nullable): the selected pair, as "ice-candidate-pair" with
 * local-candidate, remote-candidate, *-candidate-type, *-address, *-port and protocol
 */
GstStructure *gst_rtc_ice_transport_get_selected_pair(GstRtcICETransport *transport) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), NULL);
  auto p = transport->priv->agent->selected_pair();
  return p ? pair_structure(*p) : NULL;
}

/**
 * gst_rtc_ice_transport_get_stats:
 * @transport: a transport
 *
 * Returns: (transfer full): packet and byte counters
 */
GstStructure *gst_rtc_ice_transport_get_stats(GstRtcICETransport *transport) {
  g_return_val_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport), NULL);
  const auto &c = transport->priv->agent->counters();
  return gst_structure_new(
      "ice-transport-stats", "packets-sent", G_TYPE_UINT64, (guint64)c.packets_sent.load(),
      "bytes-sent", G_TYPE_UINT64, (guint64)c.bytes_sent.load(), "packets-received", G_TYPE_UINT64,
      (guint64)c.packets_received.load(), "bytes-received", G_TYPE_UINT64,
      (guint64)c.bytes_received.load(), "packets-dropped-not-writable", G_TYPE_UINT64,
      (guint64)c.send_dropped_not_writable.load(), "send-errors", G_TYPE_UINT64,
      (guint64)c.send_errors.load(), "packets-dropped-no-reader", G_TYPE_UINT64,
      (guint64)c.receive_dropped_no_reader.load(), NULL);
}

/**
 * gst_rtc_ice_transport_close:
 * @transport: a transport
 *
 * Stops sending; the state becomes closed.
 */
void gst_rtc_ice_transport_close(GstRtcICETransport *transport) {
  g_return_if_fail(GST_RTC_IS_ICE_TRANSPORT(transport));
  transport->priv->agent->close();
}
