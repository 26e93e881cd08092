#include "plugin/log.h"

#include <cstdarg>
#include <cstdio>

namespace hfi::plugin {

void Logf(HostApi& host, LogLevel level, const char* format, ...) {
  if (!host.LogEnabled(level))
    return;
  // On the stack: logging must not allocate. Longer lines are cut, which vsnprintf does safely.
  char line[1024];
  va_list args;
  va_start(args, format);
  const int length = std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (length < 0)
    return;
  const auto size = static_cast<std::size_t>(length) < sizeof line
                        ? static_cast<std::size_t>(length)
                        : sizeof line - 1;
  host.Log(level, std::string_view(line, size));
}

}  // namespace hfi::plugin
