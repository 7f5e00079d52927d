#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE(rtcicesrc);
GST_ELEMENT_REGISTER_DECLARE(rtcicesink);

G_END_DECLS
