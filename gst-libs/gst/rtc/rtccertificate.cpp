/**
 * SECTION:gstrtccertificate
 * @title: GstRtcCertificate
 * @short_description: a DTLS identity (RTCCertificate)
 *
 * A self-signed certificate and its private key. Generate one (ECDSA P-256 takes a few ms,
 * RSA 2048 tens to hundreds), or import a PEM saved earlier so a server keeps the same
 * fingerprint across restarts.
 */
#include "rtcdtls-private.hpp"
#include "rtcerror-private.hpp"

#include <gst/rtc/rtc-enumtypes.h>

using gstrtc::dtls::Certificate;

struct _GstRtcCertificate {
  GObject parent;
  std::shared_ptr<const Certificate> *cert; // heap-held so the C++ object is really built
};

G_DEFINE_TYPE(GstRtcCertificate, gst_rtc_certificate, G_TYPE_OBJECT)

static void gst_rtc_certificate_init(GstRtcCertificate *self) {
  self->cert = new std::shared_ptr<const Certificate>();
}

static void gst_rtc_certificate_finalize(GObject *object) {
  delete GST_RTC_CERTIFICATE(object)->cert;
  G_OBJECT_CLASS(gst_rtc_certificate_parent_class)->finalize(object);
}

static void gst_rtc_certificate_class_init(GstRtcCertificateClass *klass) {
  G_OBJECT_CLASS(klass)->finalize = gst_rtc_certificate_finalize;
}

static GstRtcCertificate *wrap(std::shared_ptr<const Certificate> c) {
  auto *self = GST_RTC_CERTIFICATE(g_object_new(GST_TYPE_RTC_CERTIFICATE, nullptr));
  *self->cert = std::move(c);
  return self;
}

std::shared_ptr<const Certificate> gstrtc::certificate_core(GstRtcCertificate *c) {
  return *c->cert;
}

/**
 * gst_rtc_certificate_generate:
 * @key_type: the key to generate
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): a new certificate valid for 30 days
 */
GstRtcCertificate *gst_rtc_certificate_generate(GstRtcKeyType key_type, GError **error) {
  auto c = Certificate::generate(key_type == GST_RTC_KEY_TYPE_RSA_2048
                                     ? gstrtc::dtls::KeyType::Rsa2048
                                     : gstrtc::dtls::KeyType::EcdsaP256);
  if (!c) {
    gstrtc::set_gerror(c.error(), error);
    return nullptr;
  }
  return wrap(*c);
}

/**
 * gst_rtc_certificate_new_from_pem:
 * @pem: a PEM text with the certificate and its private key
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): the certificate, or %NULL with @error naming the problem
 */
GstRtcCertificate *gst_rtc_certificate_new_from_pem(const gchar *pem, GError **error) {
  auto c = Certificate::from_pem(pem ? pem : "");
  if (!c) {
    gstrtc::set_gerror(c.error(), error);
    return nullptr;
  }
  return wrap(*c);
}

/**
 * gst_rtc_certificate_to_pem:
 * @certificate: a certificate
 *
 * Returns: (transfer full): the certificate followed by its PKCS#8 private key, in PEM
 */
gchar *gst_rtc_certificate_to_pem(GstRtcCertificate *certificate) {
  g_return_val_if_fail(GST_RTC_IS_CERTIFICATE(certificate), nullptr);
  return g_strdup((*certificate->cert)->to_pem().c_str());
}

/**
 * gst_rtc_certificate_get_fingerprint:
 * @certificate: a certificate
 * @hash: (nullable): "sha-256" (default), "sha-1", "sha-384", "sha-512"
 *
 * Returns: (transfer full): "AB:CD:..." as in SDP's a=fingerprint, or %NULL for an unknown hash
 */
gchar *gst_rtc_certificate_get_fingerprint(GstRtcCertificate *certificate, const gchar *hash) {
  g_return_val_if_fail(GST_RTC_IS_CERTIFICATE(certificate), nullptr);
  std::string fp = (*certificate->cert)->fingerprint(hash ? hash : "sha-256");
  return fp.empty() ? nullptr : g_strdup(fp.c_str());
}

/**
 * gst_rtc_certificate_get_expires:
 * @certificate: a certificate
 *
 * Returns: the expiry, in seconds since the Unix epoch
 */
gint64 gst_rtc_certificate_get_expires(GstRtcCertificate *certificate) {
  g_return_val_if_fail(GST_RTC_IS_CERTIFICATE(certificate), 0);
  return (*certificate->cert)->expires();
}
