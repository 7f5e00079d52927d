// Internal API between libgstrtc and the rtc plugin for DTLS-SRTP (not installed).
#pragma once

#include "core/export.hpp"
#include "dtls/transport.hpp"

#include <gst/rtc/rtccertificate.h>
#include <gst/rtc/rtcdtlstransport.h>

namespace gstrtc {

GSTRTC_INTERNAL dtls::DtlsSrtpTransport &dtls_transport_core(GstRtcDTLSTransport *t);
GSTRTC_INTERNAL std::shared_ptr<const dtls::Certificate> certificate_core(GstRtcCertificate *c);
// Decrypted application data for the decoder (the element that registered last receives it),
// the records of one batch of datagrams at once.
using AppDataFn = std::function<void(dtls::Datagrams)>;
GSTRTC_INTERNAL void dtls_transport_set_app_data_handler(GstRtcDTLSTransport *t, AppDataFn fn);

} // namespace gstrtc
