// Log lines with printf formatting that is done only when the host keeps that level, so a message
// Envoy would drop costs one level check and no formatting.
#pragma once

#include "plugin/host_api.h"

namespace hfi::plugin {

void Logf(HostApi& host, LogLevel level, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace hfi::plugin
