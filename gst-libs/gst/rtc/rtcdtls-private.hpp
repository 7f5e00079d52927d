// Internal API between libgstrtc and the rtc plugin for DTLS-SRTP (not installed).
#pragma once

#include "core/export.hpp"
#include "dtls/transport.hpp"

#include <gst/rtc/rtccertificate.h>
#include <gst/rtc/rtcdtlstransport.h>

namespace gstrtc {

GSTRTC_INTERNAL dtls::DtlsSrtpTransport &dtls_transport_core(GstRtcDTLSTransport *t);
GSTRTC_INTERNAL std::shared_ptr<const dtls::Certificate> certificate_core(GstRtcCertificate *c);
// Decrypted application data for the decoder (the element that registered last receives it).
using AppDataFn = std::function<void(std::span<const uint8_t>)>;
GSTRTC_INTERNAL void dtls_transport_set_app_data_handler(GstRtcDTLSTransport *t, AppDataFn fn);

} // namespace gstrtc
