// Codecs as GstCaps: the application/x-rtp fields payloaders, depayloaders, rtpbin and
// webrtcbin use (media, encoding-name, clock-rate, payload, encoding-params, the a=fmtp
// parameters as string fields, rtcp-fb-<type> booleans, extmap-<id>), so sink pad caps and
// codec-preferences become Capabilities, and negotiated codecs become src pad caps.
#pragma once

#include "core/export.hpp"
#include "core/gref.hpp"
#include "core/result.hpp"
#include "jsep/codecs.hpp"

#include <gst/gst.h>

namespace gstrtc::jsep {

// One application/x-rtp structure. Errors name the missing or bad field.
GSTRTC_INTERNAL Result<Codec> codec_from_structure(const GstStructure *s);
// The media kind a structure says (media=audio|video), else the one its encoding-name
// belongs to alone; Other if neither tells.
GSTRTC_INTERNAL MediaKind kind_of_structure(const GstStructure *s);
// Every structure of `caps`, in order; RTX structures set `rtx` instead of adding a codec.
// `kind` is checked against each structure's media field when given.
GSTRTC_INTERNAL Result<Capabilities> capabilities_from_caps(const GstCaps *caps, MediaKind kind);

GSTRTC_INTERNAL Ref<GstCaps> codec_to_caps(const Codec &c, MediaKind kind,
                                           const std::vector<sdp::Extmap> &extmaps = {});

} // namespace gstrtc::jsep
