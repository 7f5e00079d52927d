/**
 * SECTION:gstrtcdtlstransport
 * @title: GstRtcDTLSTransport
 * @short_description: one DTLS-SRTP association (RTCDtlsTransport)
 *
 * Shared by an rtcdtlssrtpenc (which sends what DTLS produces and runs its timer) and an
 * rtcdtlssrtpdec (which feeds it the DTLS records it receives). Set the role ("client", from
 * SDP's a=setup), the peer's "remote-fingerprint" (a=fingerprint) and optionally a
 * "certificate" (one is generated otherwise). The peer's certificate must match the fingerprint
 * or the association fails with GST_RTC_ERROR_FINGERPRINT_FAILURE and nothing passes.
 */
#include "core/named.hpp"
#include "dtls/fingerprint.hpp"
#include "rtcdtls-private.hpp"
#include "rtcerror-private.hpp"

#include <gst/rtc/rtc-enumtypes.h>

GST_DEBUG_CATEGORY_STATIC(gst_rtc_dtls_transport_debug);
#define GST_CAT_DEFAULT gst_rtc_dtls_transport_debug

using gstrtc::dtls::DtlsSrtpTransport;
using gstrtc::dtls::TransportConfig;

struct GstRtcDTLSTransportPrivate {
  std::unique_ptr<DtlsSrtpTransport> core;
  std::mutex app_lock; // protects app_data
  gstrtc::AppDataFn app_data;
  GstRtcCertificate *certificate = nullptr; // the object given, kept for the getter
};

struct _GstRtcDTLSTransport {
  GstObject parent;
  GstRtcDTLSTransportPrivate *priv;
};

G_DEFINE_TYPE_WITH_CODE(GstRtcDTLSTransport, gst_rtc_dtls_transport, GST_TYPE_OBJECT,
                        GST_DEBUG_CATEGORY_INIT(gst_rtc_dtls_transport_debug, "rtcdtlstransport", 0,
                                                "gst-rtc DTLS transport"));

enum {
  PROP_0,
  PROP_CERTIFICATE,
  PROP_CLIENT,
  PROP_REMOTE_FINGERPRINT,
  PROP_SRTP_PROFILES,
  PROP_MTU,
  PROP_STATE,
  PROP_SRTP_PROFILE,
  PROP_CIPHER,
  PROP_REMOTE_CERTIFICATE,
  PROP_ERROR,
  PROP_STATS,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

namespace {

gstrtc::NamedRegistry registry;

std::string join_fingerprints(const std::vector<gstrtc::dtls::Fingerprint> &fps) {
  std::string s;
  for (const auto &f : fps)
    s += (s.empty() ? "" : ",") + f.hash + " " + f.value;
  return s;
}

gstrtc::Result<std::vector<gstrtc::dtls::SrtpProfile>> parse_profiles(const gchar *s) {
  std::vector<gstrtc::dtls::SrtpProfile> out;
  gchar **items = g_strsplit_set(s ? s : "", ":, ", -1);
  std::string bad;
  for (gchar **it = items; *it; it++) {
    if (!**it)
      continue;
    if (auto p = gstrtc::dtls::profile_from_name(*it))
      out.push_back(*p);
    else if (bad.empty())
      bad = *it;
  }
  g_strfreev(items);
  if (!bad.empty())
    return gstrtc::type_error("unknown SRTP profile '" + bad + "'");
  return out;
}

} // namespace

gstrtc::dtls::DtlsSrtpTransport &gstrtc::dtls_transport_core(GstRtcDTLSTransport *t) {
  return *t->priv->core;
}

void gstrtc::dtls_transport_set_app_data_handler(GstRtcDTLSTransport *t, AppDataFn fn) {
  std::lock_guard lk(t->priv->app_lock);
  t->priv->app_data = std::move(fn);
}

static void gst_rtc_dtls_transport_init(GstRtcDTLSTransport *self) {
  self->priv = new GstRtcDTLSTransportPrivate();
  DtlsSrtpTransport::Events ev;
  ev.state_changed = [self] {
    auto st = self->priv->core->state();
    if (st == gstrtc::dtls::State::Failed) {
      auto e = self->priv->core->error();
      GST_WARNING_OBJECT(self, "DTLS failed: %s", e ? e->message.c_str() : "");
    }
    g_object_notify_by_pspec(G_OBJECT(self), props[PROP_STATE]);
  };
  ev.app_data = [self](gstrtc::dtls::Datagrams ds) {
    std::lock_guard lk(self->priv->app_lock);
    if (self->priv->app_data)
      self->priv->app_data(ds);
  };
  self->priv->core = std::make_unique<DtlsSrtpTransport>(ev);
}

static void gst_rtc_dtls_transport_finalize(GObject *object) {
  auto *self = GST_RTC_DTLS_TRANSPORT(object);
  g_clear_object(&self->priv->certificate);
  delete self->priv;
  G_OBJECT_CLASS(gst_rtc_dtls_transport_parent_class)->finalize(object);
}

static void apply(GstRtcDTLSTransport *self, const TransportConfig &cfg) {
  auto s = self->priv->core->set_config(cfg);
  if (!s)
    GST_WARNING_OBJECT(self, "%s", s.error().message.c_str());
}

static void gst_rtc_dtls_transport_set_property(GObject *object, guint prop_id, const GValue *value,
                                                GParamSpec *pspec) {
  auto *self = GST_RTC_DTLS_TRANSPORT(object);
  TransportConfig cfg = self->priv->core->config();
  switch (prop_id) {
  case PROP_CERTIFICATE: {
    auto *c = GST_RTC_CERTIFICATE(g_value_get_object(value));
    g_set_object(&self->priv->certificate, c);
    cfg.certificate = c ? gstrtc::certificate_core(c) : nullptr;
    break;
  }
  case PROP_CLIENT:
    cfg.client = g_value_get_boolean(value);
    break;
  case PROP_REMOTE_FINGERPRINT:
    gst_rtc_dtls_transport_set_remote_fingerprint(self, g_value_get_string(value), nullptr);
    return;
  case PROP_SRTP_PROFILES: {
    auto p = parse_profiles(g_value_get_string(value));
    if (!p) {
      GST_WARNING_OBJECT(self, "%s", p.error().message.c_str());
      return;
    }
    cfg.profiles = *p;
    break;
  }
  case PROP_MTU:
    cfg.mtu = g_value_get_uint(value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
    return;
  }
  apply(self, cfg);
}

static GstRtcDTLSTransportState public_state(gstrtc::dtls::State s) {
  return static_cast<GstRtcDTLSTransportState>(static_cast<int>(s));
}

static void gst_rtc_dtls_transport_get_property(GObject *object, guint prop_id, GValue *value,
                                                GParamSpec *pspec) {
  auto *self = GST_RTC_DTLS_TRANSPORT(object);
  auto &core = *self->priv->core;
  TransportConfig cfg = core.config();
  switch (prop_id) {
  case PROP_CERTIFICATE:
    g_value_set_object(value, self->priv->certificate);
    break;
  case PROP_CLIENT:
    g_value_set_boolean(value, cfg.client);
    break;
  case PROP_REMOTE_FINGERPRINT:
    g_value_set_string(value, join_fingerprints(cfg.remote_fingerprints).c_str());
    break;
  case PROP_SRTP_PROFILES: {
    std::string s;
    for (auto p : cfg.profiles)
      s += (s.empty() ? "" : ":") + std::string(gstrtc::dtls::openssl_name(p));
    g_value_set_string(value, s.c_str());
    break;
  }
  case PROP_MTU:
    g_value_set_uint(value, static_cast<guint>(cfg.mtu));
    break;
  case PROP_STATE:
    g_value_set_enum(value, public_state(core.state()));
    break;
  case PROP_SRTP_PROFILE:
    g_value_set_string(value, core.profile_name().c_str());
    break;
  case PROP_CIPHER:
    g_value_set_string(value, core.cipher().c_str());
    break;
  case PROP_REMOTE_CERTIFICATE:
    g_value_set_string(value, core.peer_certificate_pem().c_str());
    break;
  case PROP_ERROR: {
    auto e = core.error();
    g_value_set_string(value, e ? e->message.c_str() : nullptr);
    break;
  }
  case PROP_STATS:
    g_value_take_boxed(value, gst_rtc_dtls_transport_get_stats(self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
  }
}

static void gst_rtc_dtls_transport_class_init(GstRtcDTLSTransportClass *klass) {
  auto *gobject_class = G_OBJECT_CLASS(klass);
  gobject_class->finalize = gst_rtc_dtls_transport_finalize;
  gobject_class->set_property = gst_rtc_dtls_transport_set_property;
  gobject_class->get_property = gst_rtc_dtls_transport_get_property;
  const auto rw = (GParamFlags)(G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  const auto ro = (GParamFlags)(G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_CERTIFICATE] = g_param_spec_object("certificate", "Certificate",
                                                "Our identity (generated, ECDSA P-256, if not set)",
                                                GST_TYPE_RTC_CERTIFICATE, rw);
  props[PROP_CLIENT] = g_param_spec_boolean(
      "client", "Client", "DTLS client (a=setup:active) or server (a=setup:passive)", FALSE, rw);
  props[PROP_REMOTE_FINGERPRINT] = g_param_spec_string(
      "remote-fingerprint", "Remote fingerprint",
      "The peer's a=fingerprint value, 'sha-256 AB:CD:...' (several separated by ',')", nullptr,
      rw);
  props[PROP_SRTP_PROFILES] = g_param_spec_string(
      "srtp-profiles", "SRTP profiles",
      "Protection profiles in order of preference, ':' separated (SRTP_AEAD_AES_128_GCM, "
      "SRTP_AEAD_AES_256_GCM, SRTP_AES128_CM_SHA1_80, SRTP_AES128_CM_SHA1_32)",
      "SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32",
      rw);
  props[PROP_MTU] =
      g_param_spec_uint("mtu", "MTU", "Largest DTLS datagram sent", 256, 65535, 1200, rw);
  props[PROP_STATE] =
      g_param_spec_enum("state", "State", "DTLS state", GST_TYPE_RTC_DTLS_TRANSPORT_STATE,
                        GST_RTC_DTLS_TRANSPORT_STATE_NEW, ro);
  props[PROP_SRTP_PROFILE] =
      g_param_spec_string("srtp-profile", "SRTP profile", "The negotiated profile", nullptr, ro);
  props[PROP_CIPHER] =
      g_param_spec_string("cipher", "Cipher", "The DTLS cipher suite", nullptr, ro);
  props[PROP_REMOTE_CERTIFICATE] = g_param_spec_string("remote-certificate", "Remote certificate",
                                                       "The peer's certificate (PEM)", nullptr, ro);
  props[PROP_ERROR] =
      g_param_spec_string("error", "Error", "Why the transport failed", nullptr, ro);
  props[PROP_STATS] =
      g_param_spec_boxed("stats", "Stats", "Counters", gst_structure_get_type(), ro);
  g_object_class_install_properties(gobject_class, N_PROPS, props);
}

/**
 * gst_rtc_dtls_transport_new:
 * @name: (nullable): the object name
 *
 * Returns: (transfer full): a new transport
 */
GstRtcDTLSTransport *gst_rtc_dtls_transport_new(const gchar *name) {
  auto *t = g_object_new(GST_TYPE_RTC_DTLS_TRANSPORT, "name", name, nullptr);
  return GST_RTC_DTLS_TRANSPORT(gst_object_ref_sink(t));
}

/**
 * gst_rtc_dtls_transport_get_named:
 * @name: a name
 *
 * The transport of that name in this process, created if none is alive (for gst-launch lines).
 *
 * Returns: (transfer full): the transport
 */
GstRtcDTLSTransport *gst_rtc_dtls_transport_get_named(const gchar *name) {
  g_return_val_if_fail(name != nullptr, nullptr);
  return GST_RTC_DTLS_TRANSPORT(
      registry.get_or_create(name, [name] { return gst_rtc_dtls_transport_new(name); }));
}

/**
 * gst_rtc_dtls_transport_set_remote_fingerprint:
 * @transport: a transport
 * @fingerprint: "sha-256 AB:CD:..." (several separated by ',')
 * @error: (nullable): a #GError
 *
 * May be called after the handshake: nothing passes until the peer's certificate is checked.
 *
 * Returns: %TRUE if the value is well-formed
 */
gboolean gst_rtc_dtls_transport_set_remote_fingerprint(GstRtcDTLSTransport *transport,
                                                       const gchar *fingerprint, GError **error) {
  g_return_val_if_fail(GST_RTC_IS_DTLS_TRANSPORT(transport), FALSE);
  auto fps = gstrtc::dtls::parse_fingerprints(fingerprint ? fingerprint : "");
  if (!fps) {
    GST_WARNING_OBJECT(transport, "%s", fps.error().message.c_str());
    gstrtc::set_gerror(fps.error(), error);
    return FALSE;
  }
  TransportConfig cfg = transport->priv->core->config();
  cfg.remote_fingerprints = *fps;
  auto s = transport->priv->core->set_config(cfg);
  if (!s) {
    gstrtc::set_gerror(s.error(), error);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_rtc_dtls_transport_start:
 * @transport: a transport
 * @error: (nullable): a #GError
 *
 * Starts the handshake now (rtcdtlssrtpenc also starts it when it goes to PLAYING).
 *
 * Returns: %TRUE on success
 */
gboolean gst_rtc_dtls_transport_start(GstRtcDTLSTransport *transport, GError **error) {
  g_return_val_if_fail(GST_RTC_IS_DTLS_TRANSPORT(transport), FALSE);
  auto s = transport->priv->core->start(g_get_monotonic_time());
  if (!s) {
    gstrtc::set_gerror(s.error(), error);
    return FALSE;
  }
  return TRUE;
}

/**
 * gst_rtc_dtls_transport_close:
 * @transport: a transport
 *
 * Sends close_notify; the state becomes closed.
 */
void gst_rtc_dtls_transport_close(GstRtcDTLSTransport *transport) {
  g_return_if_fail(GST_RTC_IS_DTLS_TRANSPORT(transport));
  transport->priv->core->close();
}

/**
 * gst_rtc_dtls_transport_get_stats:
 * @transport: a transport
 *
 * Returns: (transfer full): counters of protected, unprotected and rejected packets
 */
GstStructure *gst_rtc_dtls_transport_get_stats(GstRtcDTLSTransport *transport) {
  g_return_val_if_fail(GST_RTC_IS_DTLS_TRANSPORT(transport), nullptr);
  auto &core = *transport->priv->core;
  auto &c = core.counters();
  return gst_structure_new(
      "dtls-transport-stats", "rtp-protected", G_TYPE_UINT64, (guint64)c.rtp_protected.load(),
      "rtp-unprotected", G_TYPE_UINT64, (guint64)c.rtp_unprotected.load(), "rtcp-protected",
      G_TYPE_UINT64, (guint64)c.rtcp_protected.load(), "rtcp-unprotected", G_TYPE_UINT64,
      (guint64)c.rtcp_unprotected.load(), "srtp-replayed", G_TYPE_UINT64,
      (guint64)c.srtp_replayed.load(), "srtp-auth-failed", G_TYPE_UINT64,
      (guint64)c.srtp_auth_failed.load(), "srtp-malformed", G_TYPE_UINT64,
      (guint64)c.srtp_malformed.load(), "rtp-dropped-no-keys", G_TYPE_UINT64,
      (guint64)c.rtp_dropped_no_keys.load(), "unknown-dropped", G_TYPE_UINT64,
      (guint64)c.unknown_dropped.load(), "stun-dropped", G_TYPE_UINT64,
      (guint64)c.stun_dropped.load(), "dtls-rejected", G_TYPE_UINT64, (guint64)core.dtls_rejected(),
      "dtls-retransmissions", G_TYPE_UINT64, (guint64)core.retransmissions(), NULL);
}
